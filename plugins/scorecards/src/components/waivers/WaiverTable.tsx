import { useEffect, useId, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import {
  CheckClass,
  LevelId,
  RestrictedWaiver,
  Severity,
  Waiver,
  isWaiverRequester,
  wasWithdrawn,
  scorecardsWaiverRevokePermission,
  waiverStatusAt,
} from '@internal/plugin-scorecards-common';
import { scorecardsApiRef } from '../../api';
import {
  formatDate,
  formatWaiverTimeLeft,
  waiverExpiry,
} from '../scorecardFormat';
import {
  DeniedNote,
  ScrollRegion,
  useAsyncResult,
  usePermissionGate,
  WholeWordsCell,
} from '@internal/suite-react';
import { FailureView, describeFailure } from './apiErrors';
import { FailureAlert } from './FailureAlert';
import { WaiverDecision, WaiverDecisionDialog } from './WaiverDecisionDialog';
import { daysBetween } from './waiverRules';

const useStyles = makeStyles(theme => ({
  actions: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
  amber: { color: theme.palette.warning.dark },
  red: { color: theme.palette.error.main },
  // Words stay whole (WholeWordsCell), but a URL or ticket key is one long token: without
  // `anywhere` it sets the column's minimum width and the table grows past the page.
  reason: { maxWidth: 360, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  decision: {
    maxWidth: 360,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
    marginTop: theme.spacing(0.5),
  },
}));

/** What an approver needs to know about the check (§1: class and severity). */
export interface WaiverCheckInfo {
  title?: string;
  class?: CheckClass;
  level?: LevelId | null;
  severity?: Severity;
}

/** Props of {@link WaiverTable}. */
export interface WaiverTableProps {
  waivers: readonly Waiver[];
  /** Accessible name of the table, e.g. "Waivers of checkout-service". */
  label: string;
  /** Adds an Entity column (the rollups page lists waivers of many entities). */
  showEntity?: boolean;
  checkInfo?: (checkId: string) => WaiverCheckInfo | undefined;
  /**
   * Called after a successful approve, reject or revoke, to reload the list, with the backend's
   * answer (a {@link RestrictedWaiver} when the caller may no longer read the entity); without
   * one when the list is stale: a withdrawal refused because the waiver changed meanwhile.
   */
  onChanged: (waiver?: Waiver | RestrictedWaiver) => void;
  /**
   * Days before expiry an active waiver is flagged, as the backend answers them
   * (`waiverExpiryWarningDays`); the built-in `[14, 3]` when absent.
   */
  expiryWarningDays?: readonly number[];
  nowMs?: number;
  /** Extra props of the row at `index` (a paged list moves the focus to its first new row). */
  rowProps?: (index: number) => {
    ref?: (element: HTMLElement | null) => void;
    tabIndex?: number;
  };
}

const PAST: Record<'approve' | WaiverDecision, string> = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
  withdraw: 'withdrawn',
};

/** "You are not allowed to …" of a failed action. */
function failedAction(action: 'approve' | WaiverDecision, checkId: string) {
  return action === 'withdraw'
    ? `withdraw your waiver request on ${checkId}`
    : `${action} the waiver on ${checkId}`;
}

const WHY: Record<Waiver['status'], string> = {
  pending: 'Note',
  active: 'Approval note',
  expired: 'Approval note',
  rejected: 'Why rejected',
  revoked: 'Why revoked',
};

/**
 * Who decided on a waiver and why, when the backend recorded it: "Approved by …" or
 * "Rejected by …" (with the date), "Revoked by … on …", then the reason of the last decision
 * (`decisionReason`: an approval note, or why it was rejected or revoked). Nothing for a
 * pending waiver without a decision.
 */
function WaiverDecisionSummary(props: {
  waiver: Waiver;
  status: Waiver['status'];
  className: string;
}) {
  const w = props.waiver;
  const on = (iso: string | undefined) => (iso ? ` on ${formatDate(iso)}` : '');
  const withdrawn = wasWithdrawn({ ...w, status: props.status });
  const lines: string[] = [];
  if (w.approvedBy && props.status !== 'pending') {
    lines.push(
      `${props.status === 'rejected' ? 'Rejected' : 'Approved'} by ${
        w.approvedBy
      }${on(w.approvedAt)}`,
    );
  }
  if (withdrawn) {
    lines.push(`Withdrawn by ${w.revokedBy}${on(w.revokedAt)}`);
  } else if (props.status === 'revoked') {
    lines.push(
      `Revoked${w.revokedBy ? ` by ${w.revokedBy}` : ''}${on(w.revokedAt)}`,
    );
  }
  if (lines.length === 0 && !w.decisionReason) return null;
  return (
    <div data-testid="waiver-decision">
      {lines.map(line => (
        <Typography key={line} variant="caption" display="block">
          {line}
        </Typography>
      ))}
      {w.decisionReason && (
        <Typography
          variant="body2"
          className={props.className}
          data-testid="waiver-decision-reason"
        >
          {withdrawn ? 'Why withdrawn' : WHY[props.status]}: {w.decisionReason}
        </Typography>
      )}
    </div>
  );
}

/** The signed-in user's entity ref, undefined while unknown (no identity API, guest, error). */
function useUserRef(): string | undefined {
  const identityApi = useApi(coreApis.identity);
  const result = useAsyncResult(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  return result.value?.userEntityRef;
}

/**
 * Waivers with their derived status and the actions of §2.8/§7.4: approve and reject pending
 * ones (`scorecards.waiver.approve`, approver ≠ requester), revoke active ones
 * (`scorecards.waiver.revoke`), and "Withdraw request" on the signed-in user's own pending ones
 * (a revoke the backend allows their requester without the permission, so it is not gated).
 * Every action button is disabled while a request runs; a 403 is shown as "You are not allowed
 * to … (permission …)" with the server's message. After an action the confirmation takes the
 * focus: the button pressed, or the one the dialog returned focus to, is gone once the waiver
 * changed, which would drop the focus to the page.
 *
 * Revoke is asked of the permission framework first (a basic permission: disabled until it
 * answers, disabled with a note on DENY). Approve and reject are not: the suggested policy makes
 * `scorecards.waiver.approve` conditional on `isCheckOwnerMember`, which only the scorecards
 * backend can resolve (the permission backend's remote apply-conditions call does not carry the
 * caller's groups, so a browser check would answer DENY to the very approvers the policy allows).
 */
export function WaiverTable(props: WaiverTableProps) {
  const classes = useStyles();
  const api = useApi(scorecardsApiRef);
  const userRef = useUserRef();
  const revokeGate = usePermissionGate({
    permission: scorecardsWaiverRevokePermission,
  });
  const noteId = useId();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<FailureView>();
  // A failed reject or revoke is shown in its dialog, which stays open with the reason typed.
  const [dialogFailure, setDialogFailure] = useState<FailureView>();
  const [done, setDone] = useState<string>();
  const doneRef = useRef<HTMLDivElement>(null);
  // Runs after the dialog's unmount gave the focus back to its (now vanishing) button.
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  const [asking, setAsking] = useState<{
    decision: WaiverDecision;
    waiver: Waiver;
  }>();
  const nowMs = props.nowMs ?? Date.now();
  const now = new Date(nowMs).toISOString();

  const run = async (
    action: 'approve' | WaiverDecision,
    waiver: Waiver,
    reason?: string,
  ) => {
    setBusy(waiver.id);
    setFailure(undefined);
    setDialogFailure(undefined);
    setDone(undefined);
    try {
      let updated: Waiver | RestrictedWaiver;
      if (action === 'approve') updated = await api.approveWaiver(waiver.id);
      else if (action === 'reject')
        updated = await api.rejectWaiver(waiver.id, { reason: reason ?? '' });
      // a withdrawal is the requester's revoke of their own pending request
      else
        updated = await api.revokeWaiver(waiver.id, { reason: reason ?? '' });
      setAsking(undefined);
      setDone(
        `${action === 'withdraw' ? 'Waiver request' : 'Waiver'} on ${
          waiver.checkId
        } (${waiver.entityRef}) ${PAST[action]}.`,
      );
      props.onChanged(updated);
    } catch (e) {
      const view = describeFailure(
        e,
        failedAction(action, waiver.checkId),
        action === 'approve' || action === 'reject'
          ? 'scorecards.waiver.approve'
          : 'scorecards.waiver.revoke',
      );
      if (action === 'approve') setFailure(view);
      else setDialogFailure(view);
      // A withdrawal is refused only when the request is no longer pending (approved, rejected
      // or revoked meanwhile): the row must stop offering it, and show what the waiver is now.
      if (action === 'withdraw' && (view.status === 409 || view.status === 403))
        props.onChanged();
    } finally {
      setBusy(undefined);
    }
  };

  const rows = props.waivers.map(w => ({
    ...w,
    status: waiverStatusAt(w, nowMs),
  }));

  return (
    <Box>
      {done && (
        <Alert severity="success" role="status" tabIndex={-1} ref={doneRef}>
          {done}
        </Alert>
      )}
      <FailureAlert failure={failure} />
      {/* whole words: on a narrow page the headers broke into letters ("Entit y", "S t a t u s") */}
      <ScrollRegion label={props.label} scrollHint>
        <Table size="small" aria-label={props.label}>
          <TableHead>
            <TableRow>
              {props.showEntity && <WholeWordsCell>Entity</WholeWordsCell>}
              <WholeWordsCell>Check</WholeWordsCell>
              <WholeWordsCell>Kind</WholeWordsCell>
              <WholeWordsCell>Status and decision</WholeWordsCell>
              <WholeWordsCell>Request reason</WholeWordsCell>
              <WholeWordsCell>Requested</WholeWordsCell>
              <WholeWordsCell>Expires</WholeWordsCell>
              <WholeWordsCell>Actions</WholeWordsCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.length === 0 && (
              <TableRow>
                <WholeWordsCell colSpan={props.showEntity ? 8 : 7}>
                  No waivers.
                </WholeWordsCell>
              </TableRow>
            )}
            {rows.map((w, index) => {
              const info = props.checkInfo?.(w.checkId);
              // compared as the backend compares them: `user:default/Ana` is `user:default/ana`
              const own =
                userRef !== undefined && isWaiverRequester(w, userRef);
              const { warning, marker } =
                w.status === 'active'
                  ? waiverExpiry(w, now, props.expiryWarningDays)
                  : { warning: 'none' as const, marker: undefined };
              return (
                <TableRow
                  key={w.id}
                  data-testid={`waiver-${w.id}`}
                  {...props.rowProps?.(index)}
                >
                  {props.showEntity && (
                    <WholeWordsCell>{w.entityRef}</WholeWordsCell>
                  )}
                  <WholeWordsCell component="th" scope="row">
                    <Typography variant="body2">
                      {info?.title ?? w.checkId}
                    </Typography>
                    <Typography
                      variant="caption"
                      color="textSecondary"
                      display="block"
                    >
                      {[
                        w.checkId,
                        info?.class,
                        info?.level,
                        info?.severity && `severity ${info.severity}`,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </Typography>
                  </WholeWordsCell>
                  <WholeWordsCell>{w.kind}</WholeWordsCell>
                  <WholeWordsCell data-testid="waiver-status">
                    {w.status}
                    <WaiverDecisionSummary
                      waiver={w}
                      status={w.status}
                      className={classes.decision}
                    />
                  </WholeWordsCell>
                  <WholeWordsCell className={classes.reason}>
                    <Typography variant="body2">{w.reason}</Typography>
                    {w.ticket && (
                      <Typography variant="caption" display="block">
                        Ticket: {w.ticket}
                      </Typography>
                    )}
                  </WholeWordsCell>
                  <WholeWordsCell>
                    <Typography variant="body2">{w.requestedBy}</Typography>
                    <Typography variant="caption" display="block">
                      {formatDate(w.createdAt)}, for{' '}
                      {daysBetween(w.createdAt, w.expiresAt)} d
                    </Typography>
                  </WholeWordsCell>
                  <WholeWordsCell>
                    <span
                      className={
                        warning === 'none' ? undefined : classes[warning]
                      }
                    >
                      {formatDate(w.revokedAt ?? w.expiresAt)}
                      {w.status === 'active' &&
                        ` (${formatWaiverTimeLeft(w, now)})`}
                      {marker && ` · ${marker}`}
                    </span>
                  </WholeWordsCell>
                  <WholeWordsCell>
                    <Box className={classes.actions}>
                      {w.status === 'pending' && (
                        <>
                          <Button
                            size="small"
                            variant="outlined"
                            color="primary"
                            disabled={busy !== undefined || own}
                            aria-label={`Approve waiver on ${w.checkId}`}
                            onClick={() => run('approve', w)}
                          >
                            Approve
                          </Button>
                          <Button
                            size="small"
                            variant="outlined"
                            disabled={busy !== undefined || own}
                            aria-label={`Reject waiver on ${w.checkId}`}
                            onClick={() =>
                              setAsking({ decision: 'reject', waiver: w })
                            }
                          >
                            Reject
                          </Button>
                          {own && (
                            <Button
                              size="small"
                              variant="outlined"
                              disabled={busy !== undefined}
                              aria-label={`Withdraw request for waiver on ${w.checkId}`}
                              onClick={() =>
                                setAsking({ decision: 'withdraw', waiver: w })
                              }
                            >
                              Withdraw request
                            </Button>
                          )}
                        </>
                      )}
                      {w.status === 'active' && (
                        <Button
                          size="small"
                          variant="outlined"
                          disabled={busy !== undefined || revokeGate.disabled}
                          aria-label={`Revoke waiver on ${w.checkId}`}
                          aria-describedby={
                            revokeGate.denied ? `${noteId}-${w.id}` : undefined
                          }
                          onClick={() =>
                            setAsking({ decision: 'revoke', waiver: w })
                          }
                        >
                          Revoke
                        </Button>
                      )}
                    </Box>
                    {w.status === 'active' && revokeGate.denied && (
                      <DeniedNote id={`${noteId}-${w.id}`}>
                        You may not revoke waivers: it needs
                        scorecards.waiver.revoke.
                      </DeniedNote>
                    )}
                    {w.status === 'pending' && own && (
                      <Typography variant="caption" display="block">
                        You requested it; someone else approves.
                      </Typography>
                    )}
                    {busy === w.id && (
                      <Typography variant="caption" display="block">
                        Working…
                      </Typography>
                    )}
                  </WholeWordsCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </ScrollRegion>
      <WaiverDecisionDialog
        key={asking ? `${asking.decision}:${asking.waiver.id}` : 'closed'}
        decision={asking?.decision}
        waiver={asking?.waiver}
        busy={busy !== undefined}
        failure={dialogFailure}
        onCancel={() => {
          setAsking(undefined);
          setDialogFailure(undefined);
        }}
        onConfirm={reason =>
          asking && run(asking.decision, asking.waiver, reason)
        }
      />
    </Box>
  );
}
