import { JSX, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { ErrorWithRetry } from './ErrorWithRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CheckResult,
  LevelId,
  Transition,
  waiverStatusAt,
  wasWithdrawn,
} from '@internal/plugin-scorecards-common';
import { EntityScorecard, ScorecardHistory, scorecardsApiRef } from '../api';
import { BlockerList } from './BlockerList';
import { LevelBadge } from './LevelBadge';
import { StateChip } from './StateChip';
import { TrendSparkline } from './TrendSparkline';
import { useTrendHistory } from './useTrendHistory';
import { historyOutageDrops } from './outageSpans';
import { describeLevelChange, lastLevelChange } from './levelChange';
import {
  useAsyncResult,
  useNow,
  CARD_TITLE_HEADING,
} from '@internal/suite-react';
import {
  evidenceAgesBySource,
  formatAge,
  formatDate,
  formatDateTime,
  formatEvaluatedAt,
  formatMinuteUtc,
  formatWaiverTimeLeft,
  waiverExpiry,
} from './scorecardFormat';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  row: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
  },
  list: { listStyle: 'none', margin: theme.spacing(1, 0, 0), padding: 0 },
  amber: { color: theme.palette.warning.dark },
  red: { color: theme.palette.error.main },
}));

/** Scorecard card of the entity in context (§7.1): level, blockers and fixes, waivers, trend, evidence age. */
export function EntityScorecardCard() {
  const { entity } = useEntity();
  const api = useApi(scorecardsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const result = useAsyncResult(
    () => api.getEntityScorecard(entityRef),
    [api, entityRef],
  );
  let body: JSX.Element;
  let subheader: string | undefined;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = <ErrorWithRetry error={result.error} retry={result.retry} />;
  else if (!result.value.scored)
    body = (
      <EmptyState
        missing="info"
        title="Not scored"
        description={`${entity.kind} entities have no scorecard.`}
      />
    );
  else {
    const sc = result.value;
    subheader = `standard ${sc.standard.id}@${sc.standard.version}`;
    body = <ScorecardSummary scorecard={sc} />;
  }
  return (
    <InfoCard
      title="Scorecard"
      subheader={subheader}
      titleTypographyProps={CARD_TITLE_HEADING}
    >
      {body}
    </InfoCard>
  );
}

/** Unknown results caused by an unavailable source, per source (the card's outage banner). */
function unavailableSources(results: readonly CheckResult[]) {
  const counts = new Map<string, number>();
  for (const r of results) {
    if (r.rawState !== 'unknown') continue;
    const sources = new Set(
      r.missing
        .filter(m => m.cause === 'source-unavailable')
        .map(m => m.source),
    );
    for (const s of sources) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts.entries()];
}

/**
 * How long a source has been failing, as far as its health says (§5: an outage is told apart
 * from a team's change by when it began): ` (last collected 3 h ago)`, or nothing when unknown.
 */
function lastSuccessOf(
  sc: EntityScorecard,
  source: string,
  nowMs: number,
): string {
  const at = sc.evidenceHealth?.find(h => h.source === source)?.lastSuccessAt;
  const ms = at ? Date.parse(at) : NaN;
  if (Number.isNaN(ms)) return '';
  const age = formatAge((nowMs - ms) / 1000);
  return age === 'now'
    ? ' (last collected just now)'
    : ` (last collected ${age} ago)`;
}

/**
 * The results the score leaves out (§2.7, SR8), so that the headline adds up to the rows the tab
 * lists: ` · not counted: 1 in observe, 4 not applicable`, or nothing when every result counts.
 * A check in `observe` is left out whatever its state (a pass too), a not-applicable one always.
 */
function notCountedText(results: readonly CheckResult[]): string {
  const notApplicable = results.filter(
    r => r.state === 'not-applicable',
  ).length;
  const inObserve = results.filter(
    r => r.state !== 'not-applicable' && r.phase === 'observe',
  ).length;
  const parts = [
    inObserve ? `${inObserve} in observe` : '',
    notApplicable ? `${notApplicable} not applicable` : '',
  ].filter(Boolean);
  return parts.length ? ` · not counted: ${parts.join(', ')}` : '';
}

/**
 * The trend's level-change line: from the history route, the last level change up or down with
 * the checks behind it (`Last level change`), the entity route's regressions included in case
 * the two were read moments apart; when that call failed, the last team regression the entity
 * route carries (`Last regression`, a narrower claim that stays true). Nothing while the history
 * is read, so the line never names a regression that a later improvement superseded.
 */
function lastChangeLine(
  regressions: readonly Transition[],
  history: {
    value?: Pick<ScorecardHistory, 'transitions' | 'levelInEffect'>;
    error?: Error;
  },
) {
  if (history.error) {
    const change = lastLevelChange(regressions);
    return change && { label: 'Last regression', change };
  }
  if (!history.value) return undefined;
  const { transitions, levelInEffect } = history.value;
  const change = lastLevelChange([
    ...(levelInEffect ? [levelInEffect] : []),
    ...transitions,
    ...regressions,
  ]);
  return change && { label: 'Last level change', change };
}

/** Everything the card shows for a scored entity. */
export function ScorecardSummary(props: {
  scorecard: EntityScorecard;
  nowMs?: number;
  /** False on the tab, which lists waivers with their actions in a card of its own. */
  showWaivers?: boolean;
}) {
  const classes = useStyles();
  const sc = props.scorecard;
  // renewed every minute, so "evaluated … · 3 min ago" on a card left open keeps telling the truth
  const ticking = useNow();
  const nowMs = props.nowMs ?? ticking.getTime();
  const now = new Date(nowMs).toISOString();
  const [showLater, setShowLater] = useState(false);
  const results = useMemo(
    () => new Map(sc.results.map(r => [r.checkId, r])),
    [sc.results],
  );
  const next = sc.blockers.filter(b => b.level === sc.nextLevel);
  const later = sc.blockers.filter(b => b.level !== sc.nextLevel);
  const laterLevels = [...new Set(later.map(b => b.level))] as LevelId[];
  const observePreview = sc.results.filter(
    r => r.phase === 'observe' && r.rawState === 'fail' && r.nextPhase,
  );
  const waivers = sc.waivers.map(w => ({
    ...w,
    status: waiverStatusAt(w, nowMs),
  }));
  const active = waivers.filter(w => w.status === 'active');
  const pending = waivers.filter(w => w.status === 'pending');
  const ended = waivers.filter(
    w => w.status === 'expired' || w.status === 'revoked',
  );
  // A not-rated entity has no expected level; its lifecycle checks say how retirement goes (§7.1).
  const retirement = sc.rated
    ? []
    : sc.results.filter(
        r => r.theme === 'lifecycle' && r.state !== 'not-applicable',
      );
  const outages = unavailableSources(sc.results);
  const ages = evidenceAgesBySource(sc.results);
  // A failure here leaves everything but the sparkline's hatching in place (§7.1).
  const history = useTrendHistory(sc.entityRef, sc.trend[0]?.date);
  const outageDrops = useMemo(
    () => history.value && historyOutageDrops(history.value),
    [history.value],
  );
  const levelChange = lastChangeLine(sc.regressions, history);

  return (
    <Box>
      {outages.map(([source, count]) => (
        <Alert severity="warning" key={source}>
          {source} unavailable
          {lastSuccessOf(sc, source, nowMs)} — {count} result
          {count === 1 ? '' : 's'} unknown
        </Alert>
      ))}
      <Box className={classes.row}>
        <LevelBadge level={sc.level} below={sc.belowExpected} />
        {sc.rated ? (
          <Typography variant="body2">
            expected {sc.expectedLevel ?? '—'}
            {sc.tier ? ` for tier ${sc.tier}` : ''}
            {sc.belowExpected ? ' · below expected' : ' · at or above expected'}
          </Typography>
        ) : (
          <Typography variant="body2">
            Not rated: lifecycle {sc.lifecycle}
          </Typography>
        )}
        <Typography variant="body2" data-testid="scorecard-score">
          {sc.score.passed}/{sc.score.counted} counted checks passing
          {sc.score.unknown ? ` · ${sc.score.unknown} unknown` : ''}
          {sc.score.waived ? ` · ${sc.score.waived} waived` : ''}
          {notCountedText(sc.results)}
        </Typography>
      </Box>
      {retirement.length > 0 && (
        <ul className={classes.list} aria-label="Retirement status">
          {retirement.map(r => (
            <li key={r.checkId} className={classes.row}>
              <StateChip state={r.state} />
              <Typography variant="body2">
                {r.title} — {r.message}
              </Typography>
            </li>
          ))}
        </ul>
      )}

      <section className={classes.section} aria-labelledby="scorecard-blockers">
        {sc.nextLevel && next.length > 0 ? (
          <>
            <Typography
              id="scorecard-blockers"
              variant="subtitle1"
              component="h3"
            >
              To reach {sc.nextLevel} — {next.length} blocker
              {next.length === 1 ? '' : 's'}
            </Typography>
            <BlockerList
              blockers={next}
              results={results}
              label={`Blockers for ${sc.nextLevel}`}
            />
          </>
        ) : (
          <Typography
            id="scorecard-blockers"
            variant="subtitle1"
            component="h3"
          >
            {sc.rated
              ? `No blockers — ${sc.level} is the highest level this entity can reach`
              : 'No blockers — not-rated entities have no next level'}
          </Typography>
        )}
        {laterLevels.length > 0 && (
          <Box>
            <Button
              size="small"
              // check ids as written ("rollback-exercised"), not the theme's upper case
              style={{ textTransform: 'none' }}
              aria-expanded={showLater}
              aria-controls="scorecard-later-blockers"
              onClick={() => setShowLater(v => !v)}
            >
              {laterLevels
                .map(
                  level =>
                    `Then ${level} — ${later
                      .filter(b => b.level === level)
                      .map(b => b.checkId)
                      .join(', ')}`,
                )
                .join(' · ')}
            </Button>
            <div id="scorecard-later-blockers" hidden={!showLater}>
              {showLater &&
                laterLevels.map(level => (
                  <BlockerList
                    key={level}
                    blockers={later.filter(b => b.level === level)}
                    results={results}
                    label={`Blockers for ${level}`}
                  />
                ))}
            </div>
          </Box>
        )}
        {observePreview.map(r => (
          <Typography variant="body2" color="textSecondary" key={r.checkId}>
            Starts counting on {formatDate(r.nextPhase!.from)}: {r.checkId}
          </Typography>
        ))}
      </section>

      {props.showWaivers !== false && (
        <section
          className={classes.section}
          aria-labelledby="scorecard-waivers"
        >
          <Typography id="scorecard-waivers" variant="subtitle1" component="h3">
            Waivers
          </Typography>
          {active.length === 0 && pending.length === 0 && (
            <Typography variant="body2">No active waivers</Typography>
          )}
          {active.length > 0 && (
            <ul aria-label="Active waivers">
              {active.map(w => {
                const { warning, marker } = waiverExpiry(
                  w,
                  now,
                  sc.waiverExpiryWarningDays,
                );
                const left = formatWaiverTimeLeft(w, now);
                const result = results.get(w.checkId);
                return (
                  <li key={w.id}>
                    <Typography variant="body2">
                      {w.checkId} · {w.kind} · {w.owner} ·{' '}
                      <span
                        className={
                          warning === 'none' ? undefined : classes[warning]
                        }
                      >
                        expires {formatDate(w.expiresAt)} ({left})
                        {marker ? ` · ${marker}` : ''}
                      </span>
                      {result?.waiver?.unused
                        ? ' · unused (result passes)'
                        : ''}
                      {/* a waiver kept for a check the standard no longer runs (a rename) is
                          not counted in rollups either: say it covers nothing */}
                      {result
                        ? ''
                        : ' · waives nothing now: the check is not in force (not started, retired or renamed)'}
                    </Typography>
                  </li>
                );
              })}
            </ul>
          )}
          {pending.length > 0 && (
            <ul aria-label="Pending waivers">
              {pending.map(w => (
                <li key={w.id}>
                  <Typography variant="body2">
                    {w.checkId} · {w.kind} · pending approval · would expire{' '}
                    {formatDate(w.expiresAt)}
                  </Typography>
                </li>
              ))}
            </ul>
          )}
          {ended.length > 0 && (
            <ul aria-label="Ended waivers">
              {ended.map(w => (
                <li key={w.id}>
                  <Typography variant="body2" color="textSecondary">
                    {wasWithdrawn(w)
                      ? `${w.checkId} · ${
                          w.kind
                        } · request withdrawn ${formatDate(
                          w.revokedAt ?? w.expiresAt,
                        )} — never counted`
                      : `${w.checkId} · ${w.kind} · ${w.status} ${formatDate(
                          w.revokedAt ?? w.expiresAt,
                        )} — no longer counts`}
                  </Typography>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section className={classes.section} aria-labelledby="scorecard-trend">
        <Typography id="scorecard-trend" variant="subtitle1" component="h3">
          Trend ({sc.trend.length} d)
        </Typography>
        <Box className={classes.row}>
          <TrendSparkline
            points={sc.trend}
            regressions={sc.regressions}
            outageDrops={outageDrops}
            outageHistoryFailed={Boolean(history.error)}
          />
          {levelChange && (
            <Typography variant="body2" data-testid="scorecard-level-change">
              {levelChange.label}:{' '}
              {describeLevelChange(levelChange.change, formatMinuteUtc)}
              {/* the fallback is a regression already; a change says when it was the team's */}
              {levelChange.label === 'Last level change' &&
              levelChange.change.level.regression
                ? ' · team regression'
                : ''}
            </Typography>
          )}
        </Box>
      </section>

      <Typography
        className={classes.section}
        variant="body2"
        color="textSecondary"
        data-testid="evidence-ages"
      >
        Evidence:{' '}
        {ages.length === 0
          ? 'none read'
          : ages
              .map(
                a =>
                  `${a.source} ${formatAge(a.ageSeconds)}${
                    a.fresh ? '' : ' (stale)'
                  }`,
              )
              .join(' · ')}
      </Typography>
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="scorecard-evaluated"
      >
        Evaluated{' '}
        <span title={formatDateTime(sc.evaluatedAt)}>
          {formatEvaluatedAt(sc.evaluatedAt, nowMs)}
        </span>
        ,{' '}
        {/* The entity route evaluates the catalog's copy of the entity when asked (§7.4), so
            an edit shows once the catalog has processed it; no pending state is known here. */}
        from the catalog's copy of the entity. An edit to its YAML shows once
        the catalog has processed it, usually within a few minutes.
      </Typography>
    </Box>
  );
}
