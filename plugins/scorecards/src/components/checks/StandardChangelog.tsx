import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { useAsyncResult } from '@internal/suite-react';
import { scorecardsApiRef } from '../../api';
import { ErrorWithRetry } from '../ErrorWithRetry';
import { formatDate } from '../scorecardFormat';

/** A backend older than `GET /standard` answers 404: it has no changelog to show. */
function isNotFound(error: Error): boolean {
  return (error as Error & { statusCode?: number }).statusCode === 404;
}

/**
 * The standard's changelog under the checks table (§2.2: every version bump carries an entry per
 * changed check — what changed, the action required, from when — "shown on the checks page").
 * Nothing is shown while it loads, when the backend has no changelog to give (an older backend,
 * or a standard without one); a failed read shows its error with Retry.
 */
export function StandardChangelog() {
  const api = useApi(scorecardsApiRef);
  const result = useAsyncResult(
    () => (api.getStandard ? api.getStandard() : Promise.resolve(undefined)),
    [api],
  );
  if (result.error && !isNotFound(result.error)) {
    return (
      <Box mt={3}>
        <ErrorWithRetry error={result.error} retry={result.retry} />
      </Box>
    );
  }
  const standard = result.value;
  if (!standard || standard.changelog.length === 0) return null;
  return (
    <Box mt={3} component="section" aria-labelledby="standard-changelog">
      <Typography variant="h6" component="h2" id="standard-changelog">
        Changelog of {standard.id}@{standard.version}
      </Typography>
      {standard.changelog.map(version => (
        <Box key={version.version} mt={1}>
          <Typography variant="subtitle2" component="h3">
            Version {version.version} ({formatDate(version.date)})
          </Typography>
          <ul>
            {version.entries.map(entry => (
              <li key={`${entry.checkId}:${entry.effectiveFrom}`}>
                <Typography variant="body2" component="div">
                  <strong>{entry.checkId}</strong> (from{' '}
                  {formatDate(entry.effectiveFrom)})
                </Typography>
                <Typography variant="body2" component="div">
                  {entry.change}
                </Typography>
                {entry.actionRequired && (
                  <Typography variant="body2" component="div">
                    Action required: {entry.actionRequired}
                  </Typography>
                )}
              </li>
            ))}
          </ul>
        </Box>
      ))}
    </Box>
  );
}
