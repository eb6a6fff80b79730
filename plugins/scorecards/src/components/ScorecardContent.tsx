import { useState } from 'react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CheckResult,
  ResultState,
  THEMES,
} from '@internal/plugin-scorecards-common';
import { EntityScorecard, scorecardsApiRef } from '../api';
import { AttributionChip, FixText, MissingList } from './BlockerList';
import { ScorecardSummary } from './ScorecardCard';
import { StateChip } from './StateChip';
import { useAsyncResult } from './useAsyncResult';
import { describeEvidence, formatDate } from './scorecardFormat';

const STATES: ResultState[] = [
  'pass',
  'fail',
  'unknown',
  'waived',
  'not-applicable',
];

/** The "Scorecard" tab of the entity in context (§7.2): every result grouped by theme. */
export function EntityScorecardContent() {
  const { entity } = useEntity();
  const api = useApi(scorecardsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const result = useAsyncResult(
    () => api.getEntityScorecard(entityRef),
    [api, entityRef],
  );
  if (result.loading) return <Progress />;
  if (result.error) return <ResponseErrorPanel error={result.error} />;
  if (!result.value.scored)
    return (
      <EmptyState
        missing="info"
        title="Not scored"
        description={`${entity.kind} entities have no scorecard.`}
      />
    );
  return <ScorecardResults scorecard={result.value} />;
}

function causesOf(r: CheckResult): string | undefined {
  if (r.rawState !== 'unknown' || r.state === 'waived') return undefined;
  const causes = [...new Set(r.missing.map(m => m.cause))];
  return causes.length ? causes.join(', ') : r.reason;
}

function ResultRow(props: { result: CheckResult }) {
  const r = props.result;
  return (
    <TableRow data-testid={`result-${r.checkId}`}>
      <TableCell>
        <StateChip state={r.state} detail={causesOf(r)} />
        {r.state === 'waived' && (
          <Typography variant="caption" display="block">
            raw {r.rawState}
          </Typography>
        )}
      </TableCell>
      <TableCell component="th" scope="row">
        <Typography variant="body2">
          <strong>{r.title}</strong>
        </Typography>
        <Typography variant="caption" color="textSecondary" display="block">
          {r.checkId} · {r.class} · {r.level ?? 'no level'} · {r.phase}
          {r.gating ? '' : ' (not gating)'}
        </Typography>
        <AttributionChip
          attribution={r.attribution}
          capability={r.platformCapability}
        />
      </TableCell>
      <TableCell>
        <Typography variant="body2">{r.message}</Typography>
        <Typography variant="caption" display="block">
          Expected: {r.expected}
        </Typography>
        <Typography variant="caption" display="block">
          Found: {r.found}
        </Typography>
        {r.notes.map(n => (
          <Typography variant="caption" display="block" key={n}>
            Note: {n}
          </Typography>
        ))}
        <Typography variant="caption" color="textSecondary" display="block">
          {r.state} since {formatDate(r.since)}
        </Typography>
      </TableCell>
      <TableCell>
        {r.evidence.length === 0 && r.missing.length === 0 && (
          <Typography variant="body2">—</Typography>
        )}
        {r.evidence.length > 0 && (
          <ul aria-label="Evidence used">
            {r.evidence.map((e, i) => (
              <li key={`${e.source}-${e.kind}-${i}`}>
                <Typography variant="body2">{describeEvidence(e)}</Typography>
                <Typography variant="caption" color="textSecondary">
                  {e.summary}
                </Typography>
              </li>
            ))}
          </ul>
        )}
        <MissingList missing={r.missing} />
      </TableCell>
      <TableCell>
        <FixText fix={r.fix} />
        {r.waiver && (
          <Typography variant="body2">
            Waiver {r.waiver.kind}, expires {formatDate(r.waiver.expiresAt)}
            {r.waiver.unused ? ' (unused)' : ''}
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
}

/** Every result of a scorecard grouped by theme, filterable by state. */
export function ScorecardResults(props: { scorecard: EntityScorecard }) {
  const sc = props.scorecard;
  const [state, setState] = useState<ResultState | 'all'>('all');
  const shown = sc.results.filter(r => state === 'all' || r.state === state);
  const themes = THEMES.filter(t => shown.some(r => r.theme === t));
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Level">
          <ScorecardSummary scorecard={sc} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" mb={2}>
          <FormControl variant="outlined" size="small">
            <InputLabel id="scorecard-state-filter">State</InputLabel>
            <Select
              labelId="scorecard-state-filter"
              label="State"
              value={state}
              onChange={e => setState(e.target.value as ResultState | 'all')}
            >
              <MenuItem value="all">All states</MenuItem>
              {STATES.map(s => (
                <MenuItem key={s} value={s}>
                  {s} ({sc.results.filter(r => r.state === s).length})
                </MenuItem>
              ))}
            </Select>
          </FormControl>
        </Box>
        {themes.length === 0 && (
          <Typography>No checks in state {state}.</Typography>
        )}
        {themes.map(theme => (
          <Box component="section" key={theme} mb={3}>
            <Typography variant="h6" component="h2" id={`theme-${theme}`}>
              {theme[0].toLocaleUpperCase('en-US') + theme.slice(1)}
            </Typography>
            <Table size="small" aria-labelledby={`theme-${theme}`}>
              <TableHead>
                <TableRow>
                  <TableCell>State</TableCell>
                  <TableCell>Check</TableCell>
                  <TableCell>Explanation</TableCell>
                  <TableCell>Evidence and age</TableCell>
                  <TableCell>How to fix</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {shown
                  .filter(r => r.theme === theme)
                  .map(r => (
                    <ResultRow key={r.checkId} result={r} />
                  ))}
              </TableBody>
            </Table>
          </Box>
        ))}
      </Grid>
    </Grid>
  );
}
