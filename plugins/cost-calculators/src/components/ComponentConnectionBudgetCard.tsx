import { useEffect, useState } from 'react';
import { Box, Tab, Tabs } from '@material-ui/core';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import {
  CARDS,
  shouldRenderCard,
} from '@internal/plugin-cost-calculators-common';
import type { CostCalculatorsContext } from '../api/CostCalculatorsApi';
import { CalculatorPanel } from './CalculatorPanel';
import { PrefillProgress, PrefillStatus } from './PrefillNotices';
import { dependedOnResources, focusClientOf } from './componentBudget';
import { CalculatorsCard } from './CalculatorsCard';
import { useCostCalculatorsContext } from './useCostCalculatorsContext';
import { useEntityPrefill } from './useEntityPrefill';

const CONNECTION_BUDGET = CARDS.find(c => c.id === 'connection-budget')!;

type BudgetedDatabases =
  | { state: 'loading' }
  | { state: 'done'; databases: Entity[] };

/** The Resources this Component depends on for which the database card itself would render. */
function useBudgetedDatabases(entity: Entity): BudgetedDatabases {
  const catalogApi = useApi(catalogApiRef);
  const refs = dependedOnResources(entity);
  const key = refs.join(',');
  // The answer is kept with the refs it is for: after a switch to another Component, the
  // previous one's databases are not mounted (and their prefill read) for the render before the
  // effect runs.
  const [answer, setAnswer] = useState<{
    key: string;
    databases: Entity[];
  }>();
  useEffect(() => {
    if (refs.length === 0) return undefined;
    let active = true;
    catalogApi.getEntitiesByRefs({ entityRefs: refs }).then(
      ({ items }) =>
        active &&
        setAnswer({
          key,
          databases: items.filter(
            (e): e is Entity =>
              Boolean(e) && shouldRenderCard(CONNECTION_BUDGET, e!),
          ),
        }),
      // Without the databases no trigger can be checked: no card rather than a broken one.
      () => active && setAnswer({ key, databases: [] }),
    );
    return () => {
      active = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);
  if (refs.length === 0) return { state: 'done', databases: [] };
  return answer?.key === key
    ? { state: 'done', databases: answer.databases }
    : { state: 'loading' };
}

/** One database's budget, aggregated over all its dependents, scoped to this Component's row. */
function DatabaseBudget(props: {
  database: Entity;
  component: Entity;
  context: CostCalculatorsContext;
}) {
  const { database, component, context } = props;
  const fromDatabase = useEntityPrefill('connection-budget', database, {
    asOf: context.asOf,
    annotationMaxAgeDays: context.annotationMaxAgeDays,
    offers: context.priceBook.offers,
  });
  return (
    <>
      <PrefillStatus prefill={fromDatabase} />
      {fromDatabase.state === 'loading' ? (
        <PrefillProgress />
      ) : (
        <CalculatorPanel
          calculatorId="connection-budget"
          context={context}
          prefill={fromDatabase.prefill}
          // The budget is the database's: links and "Open full page" name it.
          entityRef={stringifyEntityRef(database)}
          showOpenFullPage
          focusClient={focusClientOf(component, fromDatabase.rowNames)}
        />
      )}
    </>
  );
}

/**
 * The connection-budget card on a Component's page (§1: "Component: same card scoped to its
 * row"): for each database it depends on that has the card (`max-connections`), the
 * database's whole budget — every dependent's pool, which the Component's headroom depends
 * on — with this Component's share stated and its segment highlighted. Renders nothing
 * until the databases are known, and nothing when none has the card.
 */
export function ComponentConnectionBudgetCard() {
  const { entity } = useEntity();
  const state = useCostCalculatorsContext();
  const budgeted = useBudgetedDatabases(entity);
  const [tab, setTab] = useState(0);
  if (budgeted.state === 'loading' || budgeted.databases.length === 0)
    return null;
  const { databases } = budgeted;
  const names = databases.map(d => stringifyEntityRef(d));
  const shown = Math.min(tab, databases.length - 1);
  const tabsId = `cc-tabs-connection-budget-${entity.metadata.name}`;
  return (
    <CalculatorsCard
      title={`Cost: ${CONNECTION_BUDGET.title}`}
      subheader={`This component's share of ${names.join(', ')}`}
      state={state}
    >
      {context => (
        <>
          {databases.length > 1 && (
            <Tabs
              value={shown}
              onChange={(_, v) => setTab(v)}
              indicatorColor="primary"
              variant="scrollable"
              aria-label="Databases"
            >
              {names.map((name, i) => (
                <Tab
                  key={name}
                  label={
                    databases[i].metadata.title ?? databases[i].metadata.name
                  }
                  id={`${tabsId}-${i}`}
                  aria-controls={`${tabsId}-panel-${i}`}
                />
              ))}
            </Tabs>
          )}
          <Box
            role="tabpanel"
            id={`${tabsId}-panel-${shown}`}
            aria-labelledby={
              databases.length > 1 ? `${tabsId}-${shown}` : undefined
            }
            pt={2}
          >
            <DatabaseBudget
              // Per component too: an entity page that moves to another component keeps
              // this card mounted, and the budget's inputs belong to the component shown.
              key={`${stringifyEntityRef(entity)}|${names[shown]}`}
              database={databases[shown]}
              component={entity}
              context={context}
            />
          </Box>
        </>
      )}
    </CalculatorsCard>
  );
}
