import { JSX, useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  Content,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  errorCodeMeaning,
  goldenPathsRequestCompensatePermission,
} from '@internal/plugin-golden-paths-common';
import {
  Approval,
  ApprovalPlan,
  AuditEvent,
  CompensationReport,
  DECISION_ANSWERS,
  DriftMismatch,
  goldenPathsApiRef,
  RequestDetail,
  RequestStep,
  StepRepairResult,
} from '../api';
import {
  COMPENSATE_PERMISSION,
  CompensateDialog,
  isCompensable,
} from './CompensateDialog';
import { BreakAfterSeparators } from './BreakAfterSeparators';
import { CatalogRefLink } from './CatalogRefLink';
import { ANSWER_LABELS } from './DecisionDialog';
import { durationUntil, formatInstant } from './format';
import { useGoldenPathsLinks } from './links';
import { PlanView } from './PlanView';
import { PluginNav } from './PluginNav';
import { RepairStepDialog, repairOutcome } from './RepairStepDialog';
import { StatusChip } from './StatusChip';
import {
  DeniedNote,
  PermissionGate,
  RefreshErrorNotice,
  ScrollRegion,
  useAsyncResult,
  usePermissionGate,
  WholeWordsCell,
  WholeWordsHead,
} from '@internal/suite-react';

const useStyles = makeStyles(theme => ({
  section: { padding: theme.spacing(2), marginBottom: theme.spacing(3) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
    '& dt': { fontWeight: theme.typography.fontWeightMedium as number },
    '& dd': { margin: 0 },
  },
  mono: { fontFamily: 'monospace', wordBreak: 'break-all' },
  // in a table that keeps words whole and scrolls sideways: no break inside a ref
  monoCell: { fontFamily: 'monospace' },
}));

/**
 * A step's effect reference (`<remote>@<commit sha>`, a location id) is one long word: kept
 * whole it held the Effect column ~400 px wide and pushed Repair out of a 1440 px page. It may
 * wrap after its separators and, where a part (a 40-character sha) is still wider than the
 * column, anywhere in it: it is an opaque reference, not words to keep whole.
 */
const EFFECT_REF_STYLE = { overflowWrap: 'anywhere' } as const;

/** The audit trail's columns, each with the least width that keeps its words whole; a narrower page scrolls it sideways. */
const AUDIT_COLUMNS = [
  { label: 'At', minWidth: '10rem' },
  { label: 'Event', minWidth: '10rem' },
  { label: 'Severity', minWidth: '6rem' },
  { label: 'Action', minWidth: '8rem' },
  { label: 'Step', minWidth: '6rem' },
  { label: 'Actor', minWidth: '8rem' },
  { label: 'Outcome', minWidth: '8rem' },
] as const;

/** The decisions table's columns: whole words, scrolled sideways on a narrow page. */
const DECISION_COLUMNS = [
  { label: 'Route', minWidth: '12rem' },
  { label: 'Approver', minWidth: '12rem' },
  { label: 'Decision', minWidth: '8rem' },
  { label: 'Reason', minWidth: '14rem' },
  { label: 'Confirmed', minWidth: '14rem' },
  { label: 'Decided', minWidth: '10rem' },
] as const;

/** The drift table's columns. */
const DRIFT_COLUMNS = [
  { label: 'Check', minWidth: '9rem' },
  { label: 'Target', minWidth: '12rem' },
  { label: 'Recorded', minWidth: '8rem' },
  { label: 'Found', minWidth: '8rem' },
  { label: 'Detail', minWidth: '14rem' },
] as const;

/**
 * The steps table's columns (without the operator's Repair column). With Repair they add up to
 * 57rem, so the whole table fits the card of a 1280 px page with the sidebar open (976 px): the
 * times may wrap after their date, and the effect reference anywhere (`EFFECT_REF_STYLE`).
 */
const STEP_COLUMNS = [
  { label: 'Step', minWidth: '8rem' },
  { label: 'Status', minWidth: '7rem' },
  { label: 'Attempt', minWidth: '5rem' },
  { label: 'Started', minWidth: '8rem' },
  { label: 'Finished', minWidth: '8rem' },
  { label: 'Effect', minWidth: '14rem' },
] as const;

/** The steps table's last column, shown to operators who may repair steps. */
const REPAIR_COLUMN = { label: 'Repair', minWidth: '7rem' } as const;

/** The plan the request is bound to: its current digest's approval, else the outputs' plan. */
export function planOf(detail: RequestDetail): ApprovalPlan | undefined {
  const withPlan = detail.approvals.filter(a => a.plan);
  const current =
    withPlan.find(a => a.planDigest === detail.request.planDigest) ??
    withPlan[0];
  if (current?.plan) return current.plan;
  const fromOutputs = detail.request.outputs?.plan;
  return fromOutputs && typeof fromOutputs === 'object'
    ? (fromOutputs as ApprovalPlan)
    : undefined;
}

function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Who acted, from an audit record of any event type. */
function actorOf(e: AuditEvent): string {
  const r = e.record as {
    actor?: { userRef?: string } | string;
    approver?: string;
  };
  if (typeof r.actor === 'string') return r.actor;
  return r.actor?.userRef ?? r.approver ?? '—';
}

/**
 * A dry run's record (§4.5 `dryRun`, §4.6): it changed nothing, yet reads like the real run's
 * (`goldenpath:ledger:open · ledger-open · allow · started` twice), so its row must say so.
 */
function isDryRun(e: AuditEvent): boolean {
  return e.record.dryRun === true;
}

/** A recorded error code, its meaning (if known) shown on hover: the row has no room for it. */
function ErrorCode(props: { code: string }) {
  const meaning = errorCodeMeaning(props.code);
  return meaning ? (
    <abbr title={meaning}>{props.code}</abbr>
  ) : (
    <>{props.code}</>
  );
}

function Outcome(props: { event: AuditEvent }) {
  const { event: e } = props;
  const r = e.record as {
    result?: string;
    decision?: string;
    errorCode?: string;
  };
  const words = [isDryRun(e) ? 'dry run' : undefined, r.decision, r.result]
    .filter(Boolean)
    .join(' · ');
  if (!r.errorCode) return <>{words || '—'}</>;
  return (
    <>
      {words ? `${words} · ` : ''}
      <ErrorCode code={r.errorCode} />
    </>
  );
}

/**
 * The scaffolder task whose log holds the full message of the request's last error — the
 * message is built from request values, so the ledger keeps only its code (GP-X01): the task of
 * the newest audit record with that code. A dry run's record is passed over: the scaffolder
 * keeps no page for a dry run's task, and a dry run is not what failed the request.
 */
function failedTaskOf(events: AuditEvent[], code: string): string | undefined {
  let newest: AuditEvent | undefined;
  for (const e of events) {
    if (isDryRun(e) || e.record.errorCode !== code) continue;
    if (!newest || Date.parse(e.at) >= Date.parse(newest.at)) newest = e;
  }
  const taskId = newest?.record.taskId;
  return typeof taskId === 'string' && taskId ? taskId : undefined;
}

/**
 * `GP-D06 — estimated monthly cost is above the tier's limit (full message in the task log)`:
 * a bare code told a requester nothing. A code of the rule table has a message in the log; a
 * lease expiry has none (the task just stopped), so its link says only where to look.
 */
function LastError(props: { code: string; events: AuditEvent[] }) {
  const { code, events } = props;
  const links = useGoldenPathsLinks();
  const meaning = errorCodeMeaning(code);
  const taskId = failedTaskOf(events, code);
  return (
    <dd>
      {code}
      {meaning ? ` — ${meaning}` : ''}
      {taskId && (
        <>
          {' ('}
          <Link to={links.scaffolderTask(taskId)}>
            {code.startsWith('GP-')
              ? 'full message in the task log'
              : 'see the task log'}
          </Link>
          )
        </>
      )}
    </dd>
  );
}

const LEDGER_OPEN_ACTION = 'goldenpath:ledger:open';

/** Where the header's plan digest comes from: the request row, or an audit record. */
interface PlanDigestSource {
  digest: string;
  /** The ledger-open audit record that carries it, when the request row has none. */
  openedAt?: string;
}

/**
 * The digest of the plan the request runs with. The backend writes it on the request row only
 * when an approval binds the plan; else the outputs `ledger:close` recorded may hold it (a
 * database request's provider plan, which approve and apply use). Without either, `ledger:open`
 * keeps the preview's digest in its audit record and nowhere else, so it is read from the
 * newest real (not dry-run) open that let the request run (a refused open ran no plan) — except
 * for a database request, whose preview is not the provider's plan it runs.
 */
function planDigestOf(detail: RequestDetail): PlanDigestSource | undefined {
  const { request } = detail;
  if (request.planDigest) return { digest: request.planDigest };
  const closed = request.outputs?.planDigest;
  if (typeof closed === 'string' && closed) return { digest: closed };
  if (request.kind === 'database') return undefined;
  const open = detail.events
    .filter(
      e =>
        e.record.action === LEDGER_OPEN_ACTION &&
        !isDryRun(e) &&
        e.record.decision === 'allow' &&
        typeof e.record.planDigest === 'string',
    )
    .at(-1);
  return open
    ? { digest: open.record.planDigest as string, openedAt: open.at }
    : undefined;
}

/** The Plan section's words when no plan is on record, saying what is and why. */
function noPlanText(
  detail: RequestDetail,
  digest: PlanDigestSource | undefined,
): string {
  if (detail.approvals.length > 0 || !digest) return 'No plan was recorded.';
  const source = digest.openedAt
    ? 'from the ledger-open audit record'
    : 'as the request recorded when it closed';
  return `The plan's effects are not on record: the ledger keeps them only with an approval, and this request has none. Its digest is above, ${source}.`;
}

function ApprovalSection(props: { approval: Approval }) {
  const { approval: a } = props;
  const classes = useStyles();
  return (
    <Box mb={2} component="article" aria-labelledby={`gp-approval-${a.id}`}>
      <Typography variant="subtitle1" component="h4" id={`gp-approval-${a.id}`}>
        Approval <code>{a.id}</code> <StatusChip status={a.status} />
      </Typography>
      <dl className={classes.facts}>
        <dt>Plan digest</dt>
        <dd className={classes.mono}>{a.planDigest}</dd>
        <dt>Triggers</dt>
        <dd>
          {a.triggers.map(t => `${t.id} (${t.reasons.join('; ')})`).join(', ')}
        </dd>
        <dt>Routes</dt>
        <dd>
          {a.routes
            .map(r => `${r.group}: ${r.triggers.join(', ')}`)
            .join(' · ')}
        </dd>
        <dt>Requested by</dt>
        <dd>
          <CatalogRefLink entityRef={a.requestedBy} defaultKind="user" />
        </dd>
        <dt>Expires</dt>
        <dd>
          {formatInstant(a.expiresAt)}
          {a.status === 'pending' ? ` (${durationUntil(a.expiresAt)})` : ''}
        </dd>
      </dl>
      {a.decisions.length === 0 ? (
        <Typography variant="body2">No decision yet.</Typography>
      ) : (
        <ScrollRegion label={`Decisions on ${a.id}`} scrollHint>
          <Table size="small" aria-label={`Decisions on ${a.id}`}>
            <WholeWordsHead columns={DECISION_COLUMNS} />
            <TableBody>
              {a.decisions.map(d => (
                <TableRow key={d.route}>
                  <WholeWordsCell>{d.route}</WholeWordsCell>
                  <WholeWordsCell>{d.approver}</WholeWordsCell>
                  <WholeWordsCell>
                    <StatusChip
                      status={
                        d.decision === 'approve' ? 'approved' : 'rejected'
                      }
                    />
                    {d.breakGlass ? ' break-glass' : ''}
                  </WholeWordsCell>
                  <WholeWordsCell>{d.reason}</WholeWordsCell>
                  <WholeWordsCell>
                    {DECISION_ANSWERS.filter(k => d.answers?.[k])
                      .map(k => ANSWER_LABELS[k])
                      .join('; ') || 'none'}
                  </WholeWordsCell>
                  <WholeWordsCell>{formatInstant(d.decidedAt)}</WholeWordsCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </ScrollRegion>
      )}
    </Box>
  );
}

/**
 * Drift the reconciler found and still sees (§8 step 4). Nothing fixes it automatically: the
 * owner decides, or an operator repairs the ledger (§8 step 3).
 */
function DriftSection(props: { open: DriftMismatch[]; since?: string }) {
  const { open, since } = props;
  const classes = useStyles();
  return (
    <Paper
      className={classes.section}
      component="section"
      aria-labelledby="gp-drift-heading"
    >
      <Typography variant="h6" component="h3" id="gp-drift-heading">
        Drift ({open.length} open)
      </Typography>
      <Typography variant="body2">
        Reality differs from what this request recorded
        {since ? ` (since ${formatInstant(since)})` : ''}. Nothing is fixed
        automatically.
      </Typography>
      <ScrollRegion label="Drift" scrollHint>
        <Table size="small" aria-label="Drift">
          <WholeWordsHead columns={DRIFT_COLUMNS} />
          <TableBody>
            {open.map(m => (
              <TableRow key={m.id} data-testid="drift-row">
                <WholeWordsCell>{m.check}</WholeWordsCell>
                <WholeWordsCell className={classes.monoCell}>
                  {m.target}
                </WholeWordsCell>
                <WholeWordsCell>{m.expected}</WholeWordsCell>
                <WholeWordsCell>{m.observed}</WholeWordsCell>
                <WholeWordsCell>{m.message}</WholeWordsCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollRegion>
    </Paper>
  );
}

/**
 * Compensate…, asked of the permission framework first (§6.4): disabled while the answer loads,
 * disabled with `goldenpaths.request.compensate` named on DENY; when the framework cannot be
 * asked it stays enabled and the backend's 403 is shown in the dialog, as before.
 */
function CompensateButton(props: {
  requestKey: string;
  onCompensate: () => void;
  gate: PermissionGate;
}) {
  const { gate } = props;
  const deniedId = useId();
  return (
    <Box mt={1}>
      <Button
        variant="outlined"
        color="secondary"
        onClick={props.onCompensate}
        aria-label={`Compensate ${props.requestKey}`}
        disabled={gate.disabled}
        aria-describedby={gate.denied ? deniedId : undefined}
      >
        Compensate…
      </Button>
      <Typography variant="body2" color="textSecondary" component="span">
        {' '}
        Dry run first: shows what would be undone before anything changes (needs{' '}
        {COMPENSATE_PERMISSION}).
      </Typography>
      {gate.denied && (
        <DeniedNote id={deniedId}>
          {`You may not compensate requests: it needs ${COMPENSATE_PERMISSION}.`}
        </DeniedNote>
      )}
    </Box>
  );
}

/** The body of one request: status, identity, plan, ledger, approvals and audit trail. */
export function RequestDetailView(props: {
  detail: RequestDetail;
  /** Opens the compensation (dry run first); absent: no action is offered. */
  onCompensate?: () => void;
  /** Opens the repair of one step (§8 step 3); absent: no action is offered. */
  onRepair?: (step: RequestStep) => void;
}) {
  const { detail, onCompensate, onRepair } = props;
  const { request: r, steps, approvals, events } = detail;
  const classes = useStyles();
  // Compensation and step repair are both §8 rollback, under the one permission (§6.4).
  const gate = usePermissionGate({
    permission: goldenPathsRequestCompensatePermission,
  });
  const repairDeniedId = useId();
  const plan = planOf(detail);
  const digest = planDigestOf(detail);
  return (
    <>
      <Paper
        className={classes.section}
        component="section"
        aria-labelledby="gp-request-heading"
      >
        <Typography variant="h5" component="h2" id="gp-request-heading">
          {r.requestKey} <StatusChip status={r.status} />
        </Typography>
        <dl className={classes.facts}>
          <dt>Status</dt>
          <dd data-testid="request-status">{r.status}</dd>
          <dt>Template</dt>
          <dd>
            <CatalogRefLink entityRef={r.templateRef} defaultKind="template" />{' '}
            version {r.templateVersion}
          </dd>
          <dt>Kind</dt>
          <dd>{r.kind}</dd>
          <dt>Fingerprint</dt>
          <dd className={classes.mono} data-testid="request-fingerprint">
            {r.fingerprint}
          </dd>
          <dt>Plan digest</dt>
          <dd data-testid="request-plan-digest">
            <span className={classes.mono}>{digest?.digest ?? '—'}</span>
            {digest?.openedAt && (
              <Typography
                variant="body2"
                color="textSecondary"
                component="span"
              >
                {` (from the ledger-open audit record of ${formatInstant(
                  digest.openedAt,
                )})`}
              </Typography>
            )}
          </dd>
          <dt>Requested by</dt>
          <dd>
            <CatalogRefLink entityRef={r.createdBy} defaultKind="user" />
          </dd>
          <dt>Created</dt>
          <dd>{formatInstant(r.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>{formatInstant(r.updatedAt)}</dd>
          <dt>Attempts</dt>
          <dd>{r.attempts}</dd>
          {r.lastErrorCode && (
            <>
              <dt>Last error</dt>
              <LastError code={r.lastErrorCode} events={events} />
            </>
          )}
          {r.leaseTaskId && (
            <>
              <dt>Lease</dt>
              <dd>
                task {r.leaseTaskId}
                {r.leaseUntil ? ` until ${formatInstant(r.leaseUntil)}` : ''}
              </dd>
            </>
          )}
        </dl>
        {onCompensate && isCompensable(r.status) && (
          <CompensateButton
            requestKey={r.requestKey}
            onCompensate={onCompensate}
            gate={gate}
          />
        )}
      </Paper>

      {detail.drift && detail.drift.open.length > 0 && (
        <DriftSection open={detail.drift.open} since={detail.drift.since} />
      )}

      <Paper
        className={classes.section}
        component="section"
        aria-labelledby="gp-plan-heading"
      >
        <Typography variant="h6" component="h3" id="gp-plan-heading">
          Plan
        </Typography>
        {plan ? (
          <PlanView plan={plan} label="Plan effects" />
        ) : (
          <Typography variant="body2">{noPlanText(detail, digest)}</Typography>
        )}
      </Paper>

      <Paper
        className={classes.section}
        component="section"
        aria-labelledby="gp-steps-heading"
      >
        <Typography variant="h6" component="h3" id="gp-steps-heading">
          Steps ({steps.length})
        </Typography>
        {steps.length === 0 ? (
          <Typography variant="body2">No step has run yet.</Typography>
        ) : (
          <ScrollRegion label="Steps" scrollHint>
            <Table size="small" aria-label="Steps">
              <WholeWordsHead
                columns={
                  onRepair ? [...STEP_COLUMNS, REPAIR_COLUMN] : STEP_COLUMNS
                }
              />
              <TableBody>
                {steps.map(s => (
                  <TableRow key={s.stepId} data-testid="step-row">
                    <WholeWordsCell component="th" scope="row">
                      {s.stepId}
                    </WholeWordsCell>
                    <WholeWordsCell>
                      <StatusChip status={s.status} />
                    </WholeWordsCell>
                    <WholeWordsCell>{s.attempt}</WholeWordsCell>
                    <WholeWordsCell>
                      {formatInstant(s.startedAt)}
                    </WholeWordsCell>
                    <WholeWordsCell>
                      {s.finishedAt ? formatInstant(s.finishedAt) : '—'}
                    </WholeWordsCell>
                    <WholeWordsCell
                      className={classes.monoCell}
                      style={EFFECT_REF_STYLE}
                      data-testid="step-effect"
                    >
                      {s.effectRef ? (
                        <BreakAfterSeparators text={s.effectRef} />
                      ) : (
                        '—'
                      )}
                    </WholeWordsCell>
                    {onRepair && (
                      <WholeWordsCell>
                        <Button
                          size="small"
                          variant="outlined"
                          onClick={() => onRepair(s)}
                          aria-label={`Repair step ${s.stepId}`}
                          disabled={gate.disabled}
                          aria-describedby={
                            gate.denied ? repairDeniedId : undefined
                          }
                        >
                          Repair…
                        </Button>
                      </WholeWordsCell>
                    )}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </ScrollRegion>
        )}
        {onRepair && steps.length > 0 && (
          <Typography variant="body2" color="textSecondary">
            Repair… is for a step whose effect was undone or moved by hand: it
            marks the step compensated or fixes its effect_ref, with a reason
            audited as critical (needs {COMPENSATE_PERMISSION}).
          </Typography>
        )}
        {onRepair && steps.length > 0 && gate.denied && (
          <DeniedNote id={repairDeniedId}>
            {`You may not repair steps: it needs ${COMPENSATE_PERMISSION}.`}
          </DeniedNote>
        )}
      </Paper>

      <Paper
        className={classes.section}
        component="section"
        aria-labelledby="gp-approvals-heading"
      >
        <Typography variant="h6" component="h3" id="gp-approvals-heading">
          Approvals ({approvals.length})
        </Typography>
        {approvals.length === 0 ? (
          <Typography variant="body2">No approval was needed.</Typography>
        ) : (
          approvals.map(a => <ApprovalSection key={a.id} approval={a} />)
        )}
      </Paper>

      <Paper
        className={classes.section}
        component="section"
        aria-labelledby="gp-audit-heading"
      >
        <Typography variant="h6" component="h3" id="gp-audit-heading">
          Audit trail ({events.length})
        </Typography>
        {events.length === 0 ? (
          <Typography variant="body2">No audit record yet.</Typography>
        ) : (
          <ScrollRegion label="Audit trail" scrollHint>
            <Table size="small" aria-label="Audit trail">
              <WholeWordsHead columns={AUDIT_COLUMNS} />
              <TableBody>
                {events.map(e => (
                  <TableRow key={e.id} data-testid="event-row">
                    <WholeWordsCell>{formatInstant(e.at)}</WholeWordsCell>
                    <WholeWordsCell>{e.eventType}</WholeWordsCell>
                    <WholeWordsCell>{e.severity}</WholeWordsCell>
                    <WholeWordsCell>{text(e.record.action)}</WholeWordsCell>
                    <WholeWordsCell>{text(e.record.stepId)}</WholeWordsCell>
                    <WholeWordsCell>{actorOf(e)}</WholeWordsCell>
                    <WholeWordsCell>
                      <Outcome event={e} />
                    </WholeWordsCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </ScrollRegion>
        )}
      </Paper>
    </>
  );
}

/** `/golden-paths/requests/:key`: loads one request and shows it with progress and error states. */
export function RequestDetailContent(props: {
  requestKey: string | undefined;
}) {
  const { requestKey } = props;
  const api = useApi(goldenPathsApiRef);
  const [compensating, setCompensating] = useState(false);
  const [done, setDone] = useState<CompensationReport>();
  const [repairing, setRepairing] = useState<RequestStep>();
  const [repaired, setRepaired] = useState<StepRepairResult>();
  const result = useAsyncResult(
    () =>
      requestKey
        ? api.getRequest(requestKey)
        : Promise.resolve(undefined as RequestDetail | undefined),
    [api, requestKey],
  );
  let body: JSX.Element;
  if (!requestKey)
    body = (
      <EmptyState
        missing="data"
        title="No request selected"
        description="Open a request from the requests list or the approvals inbox."
      />
    );
  else if (result.loading) body = <Progress />;
  else if (result.error)
    body = (
      <>
        <ResponseErrorPanel error={result.error} />
        <Button onClick={result.retry}>Retry</Button>
      </>
    );
  else
    body = (
      <RequestDetailView
        detail={result.value!}
        onCompensate={() => setCompensating(true)}
        onRepair={step => setRepairing(step)}
      />
    );
  return (
    <Content>
      <PluginNav current="request" />
      {done && (
        <Box mb={2}>
          <Alert
            severity={done.failed > 0 ? 'warning' : 'success'}
            onClose={() => setDone(undefined)}
            data-testid="compensation-done"
          >
            {done.acted
              ? `Compensation ran: ${done.statusBefore} → ${done.status}.`
              : `Nothing changed: ${done.requestKey} was already ${done.status}.`}
            {done.failed > 0
              ? ` ${done.failed} automated item(s) were refused or failed.`
              : ''}
          </Alert>
        </Box>
      )}
      {repaired && (
        <Box mb={2}>
          <Alert
            severity={repaired.changed ? 'success' : 'info'}
            onClose={() => setRepaired(undefined)}
            data-testid="repair-done"
          >
            {repairOutcome(repaired)}
          </Alert>
        </Box>
      )}
      {result.refreshError && (
        <RefreshErrorNotice
          error={result.refreshError}
          onRetry={result.refresh}
        />
      )}
      {body}
      {requestKey && repairing && (
        <RepairStepDialog
          requestKey={requestKey}
          step={repairing}
          onClose={() => setRepairing(undefined)}
          onRepaired={outcome => {
            setRepairing(undefined);
            setRepaired(outcome);
            result.refresh();
          }}
        />
      )}
      {requestKey && compensating && (
        <CompensateDialog
          requestKey={requestKey}
          open
          onClose={() => setCompensating(false)}
          onCompensated={report => {
            setDone(report);
            result.refresh();
          }}
        />
      )}
    </Content>
  );
}
