import { useState } from 'react';
import { Box, Typography } from '@material-ui/core';
import {
  EmptyState,
  InfoCard,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ChangesResponse, ChangesScope, incidentBriefApiRef } from '../api';
import { RETRY_NOT_YET_INDEXED } from './retryNotYetIndexed';
import { ReadErrorPanel } from './ReadErrorPanel';
import {
  CARD_TITLE_HEADING,
  LabelledSelect,
  RefreshErrorNotice,
  useAsyncResult,
  useNow,
  useRefreshWhileVisible,
} from '@internal/suite-react';
import { CardControls, ChoiceToggle } from './CardControls';
import { ChangeTimeline, WithheldChanges } from './ChangeTimeline';
import { formatUtc, relativeTime } from './formatting';
import { useLayoutStyles } from './layoutStyles';

/** Empty-state text of the card; the e2e test reads it when the demo ledger is not seeded. */
export const NO_CHANGES_TEXT =
  'No changes recorded for this entity or its dependencies in the window';

/**
 * Last change and last successful deploy, above the timeline; times relative to `incidentTime`
 * (T) when given — in a brief — else to `now` (default the present).
 */
export function LastChangeSummary(props: {
  changes: ChangesResponse;
  now?: Date;
  incidentTime?: Date;
}) {
  // relative times keep moving on a page left open
  const ticking = useNow();
  const anchor = {
    now: props.now ?? ticking,
    incidentTime: props.incidentTime,
  };
  const { lastChange, lastSuccessfulDeploy, latestRestricted } = props.changes;
  // A withheld field is null like "none", but it is not none: say which it is.
  const none = (field: 'lastChange' | 'lastSuccessfulDeploy') =>
    latestRestricted?.includes(field)
      ? 'restricted (about an entity you may not read)'
      : 'none recorded';
  const classes = useLayoutStyles();
  return (
    <Box mb={1}>
      <Typography
        variant="body2"
        data-testid="last-change"
        className={classes.breakAnywhere}
      >
        <strong>Last change:</strong>{' '}
        {lastChange
          ? `${lastChange.kind} · ${lastChange.summary} · ${relativeTime(
              lastChange.effectiveAt,
              anchor,
            )}`
          : none('lastChange')}
      </Typography>
      <Typography variant="body2" className={classes.breakAnywhere}>
        <strong>Last successful deploy:</strong>{' '}
        {/* When it finished, said so: the timeline below places the same deploy where it
            started, and a canary's two times differ by its rollout. */}
        {lastSuccessfulDeploy
          ? `${lastSuccessfulDeploy.summary} · ${
              lastSuccessfulDeploy.finishedAt ? 'finished ' : ''
            }${relativeTime(
              lastSuccessfulDeploy.finishedAt ??
                lastSuccessfulDeploy.effectiveAt,
              anchor,
            )}`
          : none('lastSuccessfulDeploy')}
      </Typography>
    </Box>
  );
}

/** What the responder still has when the changes cannot load (shown in its error state). */
export const CHANGES_FALLBACK =
  'Check the deploy history in your CD tool: until this loads, changes are unknown here, not none.';

/** Windows offered on the card (the API takes any `90m`/`24h`/`7d` up to 30 days). */
const WINDOW_CHOICES = ['1h', '6h', '24h', '3d', '7d', '30d'];

const SCOPE_CHOICES = (['dependencies', 'dependents', 'both'] as const).map(
  value => ({ value, text: value, label: value }),
);

const SCOPE_TEXT: Record<ChangesScope, string> = {
  dependencies: 'this entity and its dependencies',
  dependents: 'this entity and what depends on it',
  both: 'this entity, its dependencies and what depends on it',
};

/**
 * Last change card (IB §6.5): the ledger timeline of the entity and its dependencies — what
 * may have broken it — or, switched by the responder, of what depends on it (what its own change
 * may have broken) or both, over a chosen window.
 */
export function EntityLastChangeCard(props: {
  window?: string;
  scope?: ChangesScope;
}) {
  const [window, setWindow] = useState(props.window ?? '24h');
  const [scope, setScope] = useState<ChangesScope>(
    props.scope ?? 'dependencies',
  );
  const { entity } = useEntity();
  const api = useApi(incidentBriefApiRef);
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const changes = useAsyncResult(
    () => api.getChanges(entityRef, { window, scope }),
    [api, entityRef, window, scope],
    RETRY_NOT_YET_INDEXED,
  );
  // A page left open through a shift shows what landed since (IB: a ledger post is visible
  // within seconds), read again each minute while the tab is visible, the list kept meanwhile.
  useRefreshWhileVisible(changes.refresh);
  const value = changes.value;
  const windowLabelId = `ib-window-label-${entity.metadata.name}`;
  const windows = WINDOW_CHOICES.includes(window)
    ? WINDOW_CHOICES
    : [window, ...WINDOW_CHOICES];
  return (
    <InfoCard
      title="Last change"
      // a heading, so a reload notice's focus lands on the card's own title (RefreshErrorNotice)
      titleTypographyProps={CARD_TITLE_HEADING}
      subheader={`Changes in the last ${window}, ${SCOPE_TEXT[scope]}`}
    >
      <CardControls>
        <LabelledSelect
          variant="standard"
          minWidth={90}
          id={windowLabelId}
          label="Window"
          value={window}
          options={windows}
          onChange={setWindow}
        />
        <ChoiceToggle
          label="Whose changes"
          value={scope}
          choices={SCOPE_CHOICES}
          onChange={setScope}
        />
      </CardControls>
      {changes.loading && <Progress />}
      {changes.refreshError && (
        <RefreshErrorNotice
          error={changes.refreshError}
          onRetry={changes.refresh}
        />
      )}
      {changes.error && (
        <ReadErrorPanel
          what="the changes"
          error={changes.error}
          fallback={CHANGES_FALLBACK}
          onRetry={changes.retry}
        />
      )}
      {value && !value.ledger.available && (
        <WarningPanel
          title="Change ledger unavailable"
          message={`The ledger could not be read (${
            value.ledger.cause
          } since ${formatUtc(
            value.ledger.since,
          )}): changes are unknown, not none.`}
        />
      )}
      {value && value.ledger.available && (
        <>
          {(value.lastChange ||
            value.lastSuccessfulDeploy ||
            value.latestRestricted?.length) && (
            <LastChangeSummary changes={value} />
          )}
          {value.items.length > 0 && <ChangeTimeline items={value.items} />}
          <WithheldChanges count={value.restricted} />
          {value.items.length === 0 && !value.restricted && (
            <EmptyState
              missing="data"
              title={`${NO_CHANGES_TEXT} (${window}).`}
              description="Deploys, config pushes, flag flips, migrations and infrastructure applies appear here once CI/CD posts them to the change ledger."
            />
          )}
        </>
      )}
    </InfoCard>
  );
}
