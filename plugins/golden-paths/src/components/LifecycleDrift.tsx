import Alert from '@material-ui/lab/Alert';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { useAsyncResult } from '@internal/suite-react';
import { errorMessage, goldenPathsApiRef } from '../api';
import { formatInstant } from './format';
import { useGoldenPathsLinks } from './links';

/** A request the viewer may not read, or one the ledger no longer holds, says nothing here. */
function isQuiet(error: Error): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 403 || status === 404;
}

/**
 * Open drift of the request that created the entity (§8 step 4), on its Lifecycle card: a
 * transition started while reality differs from the ledger acts on a repository or entity that
 * is not what the request recorded, so the card says so before anyone picks a transition. The
 * request page lists each mismatch; nothing is fixed automatically.
 */
export function LifecycleDrift(props: { requestKey: string }) {
  const { requestKey } = props;
  const api = useApi(goldenPathsApiRef);
  const links = useGoldenPathsLinks();
  const result = useAsyncResult(
    () => api.getRequest(requestKey),
    [api, requestKey],
  );
  if (result.loading) return null;
  if (result.error) {
    if (isQuiet(result.error)) return null;
    return (
      <Typography
        variant="caption"
        color="textSecondary"
        data-testid="lifecycle-drift-unknown"
      >
        Drift could not be checked: {errorMessage(result.error)}
      </Typography>
    );
  }
  const drift = result.value.drift;
  if (!drift || drift.open.length === 0) return null;
  const n = drift.open.length;
  return (
    <Alert severity="warning" data-testid="lifecycle-drift">
      {n === 1 ? 'One thing differs' : `${n} things differ`} from what request{' '}
      {requestKey} recorded
      {drift.since ? ` (since ${formatInstant(drift.since)})` : ''}:{' '}
      {drift.open[0].message}
      {n > 1 ? ` (and ${n - 1} more)` : ''}.{' '}
      <Link to={links.request(requestKey)}>See the drift on the request</Link>
    </Alert>
  );
}
