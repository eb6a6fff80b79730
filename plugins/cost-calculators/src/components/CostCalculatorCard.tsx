import { useState } from 'react';
import { Box, Tab, Tabs } from '@material-ui/core';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CALCULATORS,
  CARDS,
  CardDefinition,
  shouldRenderCard,
} from '@internal/plugin-cost-calculators-common';
import { useEntityPrefill } from './useEntityPrefill';
import { dependedOnResources } from './componentBudget';
import { ComponentConnectionBudgetCard } from './ComponentConnectionBudgetCard';
import { CalculatorPanel } from './CalculatorPanel';
import { PrefillProgress, PrefillStatus } from './PrefillNotices';
import { CalculatorsCard } from './CalculatorsCard';
import { useCostCalculatorsContext } from './useCostCalculatorsContext';
import type { CostCalculatorsContext } from '../api/CostCalculatorsApi';
import type { Entity } from '@backstage/catalog-model';

function CardBody(props: {
  card: CardDefinition;
  entity: Entity;
  context: CostCalculatorsContext;
}) {
  const { card, entity, context } = props;
  const [tab, setTab] = useState(0);
  const calculatorId = card.calculators[tab];
  const entityRef = stringifyEntityRef(entity);
  const fromEntity = useEntityPrefill(calculatorId, entity, {
    asOf: context.asOf,
    annotationMaxAgeDays: context.annotationMaxAgeDays,
    offers: context.priceBook.offers,
  });
  const tabsId = `cc-tabs-${card.id}`;
  return (
    <Box>
      {card.calculators.length > 1 && (
        <Tabs
          value={tab}
          onChange={(_, v) => setTab(v)}
          indicatorColor="primary"
          variant="scrollable"
          aria-label={`${card.title} calculators`}
        >
          {card.calculators.map((id, i) => (
            <Tab
              key={id}
              label={CALCULATORS[id].title}
              id={`${tabsId}-${i}`}
              aria-controls={`${tabsId}-panel-${i}`}
            />
          ))}
        </Tabs>
      )}
      <Box
        role="tabpanel"
        id={`${tabsId}-panel-${tab}`}
        aria-labelledby={
          card.calculators.length > 1 ? `${tabsId}-${tab}` : undefined
        }
        pt={2}
      >
        <PrefillStatus prefill={fromEntity} />
        {fromEntity.state === 'loading' ? (
          <PrefillProgress />
        ) : (
          <CalculatorPanel
            // The panel reads its prefill once: an entity page that moves to another entity
            // keeps this card mounted, and must not keep the previous entity's inputs.
            key={`${entityRef}|${calculatorId}`}
            calculatorId={calculatorId}
            context={context}
            prefill={fromEntity.prefill}
            entityRef={entityRef}
            showOpenFullPage
          />
        )}
      </Box>
    </Box>
  );
}

/** Props of {@link CostCalculatorCard}. */
export interface CostCalculatorCardProps {
  /** Id of a card in the common package's `CARDS` (e.g. `commitment`). */
  cardId: string;
}

/** One cost-calculator card for the current entity; renders nothing when its triggers do not hold (§1). */
export function CostCalculatorCard(props: CostCalculatorCardProps) {
  const { entity } = useEntity();
  const state = useCostCalculatorsContext();
  const card = CARDS.find(c => c.id === props.cardId);
  if (!card || !shouldRenderCard(card, entity)) return null;
  return (
    <CalculatorsCard
      title={`Cost: ${card.title}`}
      subheader={card.trigger}
      state={state}
    >
      {context => <CardBody card={card} entity={entity} context={context} />}
    </CalculatorsCard>
  );
}

/** Props of {@link CostCalculatorCards}. */
export interface CostCalculatorCardsProps {
  /** Card ids to consider (default: all of `CARDS`). */
  cards?: string[];
}

/**
 * Every cost-calculator card whose triggers hold for the current entity (legacy entity pages),
 * including on a Component the connection budget scoped to its row (`connection-budget`).
 */
export function CostCalculatorCards(props: CostCalculatorCardsProps) {
  const { entity } = useEntity();
  const wanted = (id: string) => !props.cards || props.cards.includes(id);
  const cards = CARDS.filter(c => wanted(c.id) && shouldRenderCard(c, entity));
  const componentBudget =
    wanted('connection-budget') && dependedOnResources(entity).length > 0;
  if (cards.length === 0 && !componentBudget) return null;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      {cards.map(c => (
        <CostCalculatorCard key={c.id} cardId={c.id} />
      ))}
      {componentBudget && <ComponentConnectionBudgetCard />}
    </Box>
  );
}
