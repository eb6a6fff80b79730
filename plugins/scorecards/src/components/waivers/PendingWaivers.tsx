import { useMemo } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { CheckSummary, scorecardsApiRef } from '../../api';
import { RefreshErrorNotice, useAsyncResult } from '@internal/suite-react';
import { WaiverCheckInfo, WaiverTable } from './WaiverTable';
import { ErrorWithRetry } from '../ErrorWithRetry';

/**
 * The waiver queue of the `/scorecards` page (§1 "Waiver approvers"): every pending waiver with
 * the check's class and severity, the reason and the requested duration, to approve or reject.
 */
export function PendingWaivers() {
  const api = useApi(scorecardsApiRef);
  const waivers = useAsyncResult(
    () => api.listWaivers({ status: 'pending' }),
    [api],
  );
  // Titles, class, level and severity of the checks; the queue works without them.
  const checks = useAsyncResult<CheckSummary[]>(() => api.getChecks(), [api]);
  const info = useMemo(() => {
    const map = new Map<string, WaiverCheckInfo>();
    for (const c of checks.value ?? []) {
      map.set(c.definition.id, {
        title: c.definition.title,
        class: c.definition.class,
        level: c.definition.level ?? null,
        severity: c.definition.severity,
      });
    }
    return map;
  }, [checks.value]);

  let body: JSX.Element;
  if (waivers.loading) body = <Progress />;
  else if (waivers.error)
    body = <ErrorWithRetry error={waivers.error} retry={waivers.retry} />;
  else
    body = (
      <>
        {waivers.refreshError && (
          <RefreshErrorNotice
            error={waivers.refreshError}
            onRetry={waivers.refresh}
          />
        )}
        <WaiverTable
          waivers={waivers.value.items}
          expiryWarningDays={waivers.value.waiverExpiryWarningDays}
          label="Pending waivers"
          showEntity
          checkInfo={id => info.get(id)}
          onChanged={waivers.refresh}
        />
      </>
    );

  return (
    <Box component="section" aria-labelledby="pending-waivers-heading" mt={4}>
      <Typography variant="h6" component="h2" id="pending-waivers-heading">
        Pending waivers
        {waivers.value ? ` (${waivers.value.items.length})` : ''}
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        Approving needs scorecards.waiver.approve on the check; nobody approves
        their own request.
      </Typography>
      {body}
    </Box>
  );
}
