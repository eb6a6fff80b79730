import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/frontend-plugin-api';
import { useAsyncResult } from '@internal/suite-react';
import { scorecardsApiRef } from '../../api';
import { formatDate } from '../scorecardFormat';

/**
 * The standard's changelog under the checks table (§2.2: every version bump carries an entry per
 * changed check — what changed, the action required, from when — "shown on the checks page").
 * Nothing is shown while it loads, when the backend has no changelog to give (an older backend,
 * or a standard without one), or when it cannot be read: the checks above do not depend on it.
 */
export function StandardChangelog() {
  const api = useApi(scorecardsApiRef);
  const result = useAsyncResult(
    () => (api.getStandard ? api.getStandard() : Promise.resolve(undefined)),
    [api],
  );
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
                <Typography variant="body2" component="span">
                  <strong>{entry.checkId}</strong>: {entry.change} Action
                  required: {entry.actionRequired} From{' '}
                  {formatDate(entry.effectiveFrom)}.
                </Typography>
              </li>
            ))}
          </ul>
        </Box>
      ))}
    </Box>
  );
}
