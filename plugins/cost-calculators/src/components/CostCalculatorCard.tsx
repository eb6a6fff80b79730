import { useMemo, useRef, useState } from 'react';
import { Box, Tab, Tabs } from '@material-ui/core';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CALCULATORS,
  CARDS,
  CalcResult,
  CalculatorId,
  CardDefinition,
  opsAnnotation,
  shouldRenderCard,
} from '@internal/plugin-cost-calculators-common';
import { useEntityPrefill } from './useEntityPrefill';
import { dependedOnResources } from './componentBudget';
import { ComponentConnectionBudgetCard } from './ComponentConnectionBudgetCard';
import { CalculatorPanel, PanelState } from './CalculatorPanel';
import { PrefillProgress, PrefillStatus } from './PrefillNotices';
import { CalculatorsCard } from './CalculatorsCard';
import { useCostCalculatorsContext } from './useCostCalculatorsContext';
import type { CostCalculatorsContext } from '../api/CostCalculatorsApi';
import type { Entity } from '@backstage/catalog-model';

/**
 * Calculators whose inputs default to another calculator's result on the same card (§2 C2:
 * the right-sized cost is C1's output), by the calculator that reads them. No cycles: a
 * result that changed what it reads would recompute forever.
 */
const READS_RESULTS_OF: Partial<Record<CalculatorId, readonly CalculatorId[]>> =
  { 'ri-vs-rightsize': ['rightsize-p95'] };

const READ_BY_ANOTHER = new Set(Object.values(READS_RESULTS_OF).flat());

type LinkedResults = Partial<Record<CalculatorId, CalcResult>>;

function CardBody(props: {
  card: CardDefinition;
  entity: Entity;
  context: CostCalculatorsContext;
}) {
  const { card, entity, context } = props;
  const [tab, setTab] = useState(0);
  const calculatorId = card.calculators[tab];
  const entityRef = stringifyEntityRef(entity);
  // The tabs show one calculator at a time: each one's form is kept while another is open,
  // so coming back finds what was typed (and C2 keeps following the C1 result it shows).
  const savedStates = useRef(new Map<string, PanelState>());
  const panelKey = `${entityRef}|${calculatorId}`;
  // Results another tab reads, with the entity they were computed for.
  const [results, setResults] = useState<{
    entityRef: string;
    byCalculator: LinkedResults;
  }>({ entityRef, byCalculator: {} });
  const linkedResults = useMemo(() => {
    const reads = READS_RESULTS_OF[calculatorId];
    if (!reads || results.entityRef !== entityRef) return undefined;
    const linked: LinkedResults = {};
    for (const id of reads) {
      const result = results.byCalculator[id];
      if (result) linked[id] = result;
    }
    return linked;
  }, [calculatorId, entityRef, results]);
  const onResult = READ_BY_ANOTHER.has(calculatorId)
    ? (result: CalcResult | undefined) =>
        setResults(prev => ({
          entityRef,
          byCalculator: {
            ...(prev.entityRef === entityRef ? prev.byCalculator : {}),
            [calculatorId]: result,
          },
        }))
    : undefined;
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
            key={panelKey}
            calculatorId={calculatorId}
            context={context}
            prefill={fromEntity.prefill}
            entityRef={entityRef}
            showOpenFullPage
            linkedResults={linkedResults}
            onResult={onResult}
            savedState={savedStates.current.get(panelKey)}
            onStateChange={state => savedStates.current.set(panelKey, state)}
            entityService={opsAnnotation(
              entity.metadata.annotations,
              'service',
            )}
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
      subheader={card.shownBecause}
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
