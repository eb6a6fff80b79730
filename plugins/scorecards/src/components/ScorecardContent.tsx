import { Fragment, useEffect, useId, useMemo, useRef, useState } from 'react';
import { EntityCampaigns } from './EntityCampaigns';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { EmptyState, InfoCard, Progress } from '@backstage/core-components';
import { ErrorWithRetry } from './ErrorWithRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  CheckDefinition,
  CheckResult,
  Waiver,
  scorecardsWaiverCreatePermission,
  waiverStatusAt,
} from '@internal/plugin-scorecards-common';
import {
  EntityScorecard,
  readCheckDefinitions,
  scorecardsApiRef,
} from '../api';
import { AttributionChip, FixText, MissingList } from './BlockerList';
import { ScorecardSummary } from './ScorecardCard';
import { StateChip } from './StateChip';
import {
  CARD_TITLE_HEADING,
  DeniedNote,
  PermissionGate,
  RefreshErrorNotice,
  ScrollRegion,
  useAsyncResult,
  usePermissionGate,
  WholeWordsHead,
} from '@internal/suite-react';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { describeEvidence, formatDate } from './scorecardFormat';
import { ResultDetails } from './ResultDetails';
import { ResultFilterBar } from './ResultFilterBar';
import {
  NO_FILTER,
  ResultFilter,
  filterResults,
  groupByTheme,
} from './resultFilters';
import {
  CheckTransitionsCache,
  useCheckTransitions,
  useCheckTransitionsCache,
} from './useCheckTransitions';
import { RequestWaiverDialog } from './waivers/RequestWaiverDialog';
import { WaiverTable } from './waivers/WaiverTable';
import { CheckWaiverRules, waiverRulesOf } from './waivers/waiverRules';

/** The "Scorecard" tab of the entity in context (§7.2): every result grouped by theme. */
export function EntityScorecardContent() {
  const { entity } = useEntity();
  const api = useApi(scorecardsApiRef);
  const entityRef = stringifyEntityRef(entity);
  const result = useAsyncResult(
    () => api.getEntityScorecard(entityRef),
    [api, entityRef],
  );
  // "Request waiver" is enabled for users holding scorecards.waiver.create on the entity (§7.1);
  // the others see it disabled, with the permission they lack.
  const requestGate = usePermissionGate({
    permission: scorecardsWaiverCreatePermission,
    resourceRef: entityRef,
  });
  // Waiver rules per check (allowed, maxDays) come from the standard; read once for the tab.
  const checks = useAsyncResult<CheckDefinition[]>(
    () => readCheckDefinitions(api),
    [api],
  );
  if (result.loading) return <Progress />;
  if (result.error)
    return <ErrorWithRetry error={result.error} retry={result.retry} />;
  if (!result.value.scored)
    return (
      <EmptyState
        missing="info"
        title="Not scored"
        description={`${entity.kind} entities have no scorecard.`}
      />
    );
  return (
    <>
      {result.refreshError && (
        <RefreshErrorNotice
          error={result.refreshError}
          onRetry={result.refresh}
        />
      )}
      <ScorecardResults
        scorecard={result.value}
        requestGate={requestGate}
        // Until the definitions are read the rules are unknown; after a failure, defaults by
        // severity.
        checks={checks.loading ? undefined : checks.value ?? []}
        onWaiversChanged={result.refresh}
      />
    </>
  );
}

/**
 * The waiver rules of a check: from the standard when its definitions were read, else the default by
 * severity; the false-positive cap as the entity's answer gives it.
 */
function rulesFor(
  result: CheckResult,
  checks: readonly CheckDefinition[] | undefined,
  falsePositiveMaxDays: number | undefined,
): CheckWaiverRules {
  const definition = checks?.find(c => c.id === result.checkId);
  return {
    ...waiverRulesOf(definition, result.severity),
    ...(falsePositiveMaxDays === undefined ? {} : { falsePositiveMaxDays }),
  };
}

/** The result's state allows a waiver: it fails or is unknown and is not already waived. */
function waivable(r: CheckResult): boolean {
  return r.state === 'fail' || r.state === 'unknown';
}

function causesOf(r: CheckResult): string | undefined {
  if (r.rawState !== 'unknown' || r.state === 'waived') return undefined;
  const causes = [...new Set(r.missing.map(m => m.cause))];
  return causes.length ? causes.join(', ') : r.reason;
}

/**
 * Columns of a theme's table, each with the least width that keeps it readable (57rem in all,
 * within a 1280 px page). Without them the theme's cells break words anywhere, so on a phone the
 * columns shrank to a letter each and the tab grew over 100,000 px tall instead of scrolling.
 */
const RESULT_COLUMN_HEADS = [
  { label: 'State', minWidth: '7rem' },
  { label: 'Check', minWidth: '12rem' },
  { label: 'Explanation', minWidth: '14rem' },
  { label: 'Evidence and age', minWidth: '12rem' },
  { label: 'How to fix', minWidth: '12rem' },
] as const;

/** The expanded details span every column. */
const RESULT_COLUMNS = RESULT_COLUMN_HEADS.length;

function ResultRow(props: {
  result: CheckResult;
  /** A pending waiver of this check, if any. */
  pending?: Waiver;
  /** Set when a waiver may be requested for this result (its state and check allow one). */
  onRequestWaiver?: () => void;
  /** What the permission framework says of requesting one (disabled while it loads). */
  requestGate: PermissionGate;
  /** The tab's transitions read so far: this row may be unmounted by a filter and shown again. */
  transitionsCache: CheckTransitionsCache;
  /**
   * This row's waiver was just requested from the tab: its "Request waiver" button, where focus
   * returned when the dialog closed, gives way to the pending text, which takes focus instead
   * of the page.
   */
  justRequested?: boolean;
}) {
  const r = props.result;
  const pendingRef = useRef<HTMLElement | null>(null);
  const pendingShown = Boolean(props.pending);
  // only when it appears in this row as shown, not when a filter shows the row again later
  const pendingBefore = useRef(pendingShown);
  useEffect(() => {
    if (props.justRequested && pendingShown && !pendingBefore.current) {
      pendingRef.current?.focus();
    }
    pendingBefore.current = pendingShown;
  }, [props.justRequested, pendingShown]);
  const [expanded, setExpanded] = useState(false);
  // Read on the first open only, then kept by the tab while the row is closed or hidden.
  const transitions = useCheckTransitions(
    props.transitionsCache,
    r.checkId,
    expanded,
  );
  const detailsId = useId();
  const deniedId = useId();
  const toggle = () => setExpanded(e => !e);
  return (
    <Fragment>
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
          <Box mt={0.5}>
            <Button
              size="small"
              aria-expanded={expanded}
              aria-controls={expanded ? detailsId : undefined}
              // the visible words start the name (WCAG 2.5.3); the title tells the rows apart
              aria-label={`Raw evidence and changes of ${r.title}`}
              startIcon={expanded ? <ExpandLessIcon /> : <ExpandMoreIcon />}
              onClick={toggle}
            >
              Raw evidence and changes
            </Button>
          </Box>
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
          {props.pending && (
            <Typography
              variant="body2"
              data-testid="waiver-pending"
              tabIndex={-1}
              ref={pendingRef}
            >
              Waiver {props.pending.kind} pending approval (would expire{' '}
              {formatDate(props.pending.expiresAt)})
            </Typography>
          )}
          {props.onRequestWaiver && (
            <Button
              size="small"
              variant="outlined"
              aria-label={`Request waiver for ${r.title}`}
              disabled={props.requestGate.disabled}
              aria-describedby={props.requestGate.denied ? deniedId : undefined}
              onClick={props.onRequestWaiver}
            >
              Request waiver
            </Button>
          )}
          {props.onRequestWaiver && props.requestGate.denied && (
            <DeniedNote id={deniedId}>
              You may not request waivers on this entity: it needs
              scorecards.waiver.create.
            </DeniedNote>
          )}
        </TableCell>
      </TableRow>
      {expanded && (
        <TableRow id={detailsId} data-testid={`result-details-${r.checkId}`}>
          <TableCell colSpan={RESULT_COLUMNS}>
            <ResultDetails result={r} transitions={transitions} />
          </TableCell>
        </TableRow>
      )}
    </Fragment>
  );
}

/**
 * Every result of a scorecard grouped by theme, filterable by state, class, level and theme, each
 * row expanding to its raw evidence and the check's transitions; the entity's waivers with
 * approve / reject / revoke; "Request waiver" on failing and unknown results.
 */
export function ScorecardResults(props: {
  scorecard: EntityScorecard;
  /** `scorecards.waiver.create` on the entity: "Request waiver" is disabled unless allowed. */
  requestGate: PermissionGate;
  /**
   * The standard's check definitions, for each check's waiver rules: absent while unknown (no
   * "Request waiver" yet); a check missing from the list gets the defaults by severity.
   */
  checks?: readonly CheckDefinition[];
  /** Reload the scorecard after a waiver was requested, approved, rejected or revoked. */
  onWaiversChanged?: () => void;
}) {
  const sc = props.scorecard;
  const [filter, setFilter] = useState<ResultFilter>(NO_FILTER);
  const [requesting, setRequesting] = useState<CheckResult>();
  const [requested, setRequested] = useState<Waiver>();
  const transitionsCache = useCheckTransitionsCache(sc.entityRef, sc.results);
  const shown = filterResults(sc.results, filter);
  const groups = groupByTheme(shown);
  const byCheck = useMemo(
    () => new Map(sc.results.map(r => [r.checkId, r])),
    [sc.results],
  );
  // The open waiver per check (one pending or active per entity and check, §2.8).
  const open = useMemo(() => {
    const nowMs = Date.now();
    const map = new Map<string, Waiver>();
    for (const w of sc.waivers) {
      const status = waiverStatusAt(w, nowMs);
      if (status === 'pending' || status === 'active')
        map.set(w.checkId, { ...w, status });
    }
    return map;
  }, [sc.waivers]);
  const changed = () => props.onWaiversChanged?.();
  const requestable = (r: CheckResult) =>
    props.checks !== undefined &&
    waivable(r) &&
    !open.has(r.checkId) &&
    rulesFor(r, props.checks, sc.waiverFalsePositiveMaxDays).allowed;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Level" titleTypographyProps={CARD_TITLE_HEADING}>
          <ScorecardSummary scorecard={sc} showWaivers={false} />
        </InfoCard>
      </Grid>
      {(sc.campaigns ?? []).length > 0 && (
        <Grid item xs={12}>
          <InfoCard title="Campaigns" titleTypographyProps={CARD_TITLE_HEADING}>
            <EntityCampaigns
              entityRef={sc.entityRef}
              campaigns={sc.campaigns}
            />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title="Waivers" titleTypographyProps={CARD_TITLE_HEADING}>
          {requested && (
            <Alert
              severity="success"
              role="status"
              onClose={() => setRequested(undefined)}
            >
              Waiver on {requested.checkId} requested; it is pending until
              someone other than you approves it.
            </Alert>
          )}
          <WaiverTable
            waivers={sc.waivers}
            label={`Waivers of ${sc.entityRef}`}
            expiryWarningDays={sc.waiverExpiryWarningDays}
            checkInfo={id => byCheck.get(id)}
            onChanged={changed}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <ResultFilterBar
          results={sc.results}
          filter={filter}
          onChange={setFilter}
        />
        {/* polite: announced after a filter changes, without moving focus */}
        <Typography variant="body2" aria-live="polite" gutterBottom>
          {shown.length} of {sc.results.length} checks shown
        </Typography>
        {shown.length === 0 && (
          <Box my={2}>
            <Typography>No checks match the filters.</Typography>
            <Button variant="outlined" onClick={() => setFilter(NO_FILTER)}>
              Clear filters
            </Button>
          </Box>
        )}
        {groups.map(group => (
          <Box component="section" key={group.id} mb={3}>
            <Typography variant="h6" component="h2" id={group.id}>
              {group.title}
            </Typography>
            {/* five columns do not fit a phone: the table scrolls inside a region reachable by
                keyboard (WCAG 2.1.1), with a shadow on the side that has more, instead of the
                whole page scrolling sideways */}
            <ScrollRegion label={`${group.title} checks`} scrollHint>
              <Table size="small" aria-labelledby={group.id}>
                <WholeWordsHead columns={RESULT_COLUMN_HEADS} />
                <TableBody>
                  {group.results.map(r => {
                    const w = open.get(r.checkId);
                    return (
                      <ResultRow
                        key={r.checkId}
                        transitionsCache={transitionsCache}
                        result={r}
                        pending={w?.status === 'pending' ? w : undefined}
                        justRequested={requested?.checkId === r.checkId}
                        requestGate={props.requestGate}
                        onRequestWaiver={
                          requestable(r) ? () => setRequesting(r) : undefined
                        }
                      />
                    );
                  })}
                </TableBody>
              </Table>
            </ScrollRegion>
          </Box>
        ))}
      </Grid>
      {requesting && (
        <RequestWaiverDialog
          open
          entityRef={sc.entityRef}
          result={requesting}
          rules={rulesFor(
            requesting,
            props.checks,
            sc.waiverFalsePositiveMaxDays,
          )}
          onClose={() => setRequesting(undefined)}
          onRequested={w => {
            setRequesting(undefined);
            setRequested(w);
            changed();
          }}
        />
      )}
    </Grid>
  );
}
