import { Box, Typography } from '@material-ui/core';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ChangesResponse, incidentBriefApiRef } from '../api';
import { RETRY_NOT_YET_INDEXED, useAsyncResult } from './useAsyncResult';
import { ChangeTimeline, WithheldChanges } from './ChangeTimeline';
import { timeAgo } from './formatting';

/** Empty-state text of the card; the e2e test reads it when the demo ledger is not seeded. */
export const NO_CHANGES_TEXT =
  'No changes recorded for this entity or its dependencies in the window';

/** Last change and last successful deploy, above the timeline. */
export function LastChangeSummary(props: {
  changes: ChangesResponse;
  now?: Date;
}) {
  const { lastChange, lastSuccessfulDeploy } = props.changes;
  const now = props.now ?? new Date();
  return (
    <Box mb={1}>
      <Typography variant="body2" data-testid="last-change">
        <strong>Last change:</strong>{' '}
        {lastChange
          ? `${lastChange.kind} · ${lastChange.summary} · ${timeAgo(
              lastChange.effectiveAt,
              now,
            )}`
          : 'none recorded'}
      </Typography>
      <Typography variant="body2">
        <strong>Last successful deploy:</strong>{' '}
        {lastSuccessfulDeploy
          ? `${lastSuccessfulDeploy.summary} · ${timeAgo(
              lastSuccessfulDeploy.finishedAt ??
                lastSuccessfulDeploy.effectiveAt,
              now,
            )}`
          : 'none recorded'}
      </Typography>
    </Box>
  );
}

/** Last change card (IB §6.5): the ledger timeline of the entity and its dependencies. */
export function EntityLastChangeCard(props: { window?: string }) {
  const window = props.window ?? '24h';
  const { entity } = useEntity();
  const api = useApi(incidentBriefApiRef);
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const changes = useAsyncResult(
    () => api.getChanges(entityRef, { window }),
    [api, entityRef, window],
    RETRY_NOT_YET_INDEXED,
  );
  const value = changes.value;
  return (
    <InfoCard
      title="Last change"
      subheader={`Changes in the last ${window}, this entity and its dependencies`}
    >
      {changes.loading && <Progress />}
      {changes.error && <ResponseErrorPanel error={changes.error} />}
      {value && !value.ledger.available && (
        <WarningPanel
          title="Change ledger unavailable"
          message={`The ledger could not be read (${value.ledger.cause} since ${value.ledger.since}): changes are unknown, not none.`}
        />
      )}
      {value && value.ledger.available && (
        <>
          {(value.lastChange || value.lastSuccessfulDeploy) && (
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
