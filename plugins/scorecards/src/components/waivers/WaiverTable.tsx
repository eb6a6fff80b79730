import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { identityApiRef, useApi } from '@backstage/frontend-plugin-api';
import {
  CheckClass,
  LevelId,
  Severity,
  Waiver,
  waiverDaysLeft,
  waiverExpiryWarning,
  waiverStatusAt,
} from '@internal/plugin-scorecards-common';
import { scorecardsApiRef } from '../../api';
import { formatDate } from '../scorecardFormat';
import { useAsyncResult } from '../useAsyncResult';
import { FailureView, describeFailure } from './apiErrors';
import { FailureAlert } from './FailureAlert';
import { WaiverDecision, WaiverDecisionDialog } from './WaiverDecisionDialog';
import { daysBetween } from './waiverRules';

const useStyles = makeStyles(theme => ({
  actions: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
  amber: { color: theme.palette.warning.dark },
  red: { color: theme.palette.error.main },
  reason: { maxWidth: 360, whiteSpace: 'pre-wrap' },
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
  /** Called after a successful approve, reject or revoke, to reload the list. */
  onChanged: (waiver: Waiver) => void;
  nowMs?: number;
}

const PAST: Record<'approve' | WaiverDecision, string> = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
};

/** The signed-in user's entity ref, undefined while unknown (no identity API, guest, error). */
function useUserRef(): string | undefined {
  const identityApi = useApi(identityApiRef);
  const result = useAsyncResult(
    () => identityApi.getBackstageIdentity(),
    [identityApi],
  );
  return result.value?.userEntityRef;
}

/**
 * Waivers with their derived status and the actions of §2.8/§7.4: approve and reject pending
 * ones (`scorecards.waiver.approve`, approver ≠ requester), revoke active ones
 * (`scorecards.waiver.revoke`). Every action button is disabled while a request runs; a 403 is
 * shown as "You are not allowed to … (permission …)" with the server's message.
 */
export function WaiverTable(props: WaiverTableProps) {
  const classes = useStyles();
  const api = useApi(scorecardsApiRef);
  const userRef = useUserRef();
  const [busy, setBusy] = useState<string>();
  const [failure, setFailure] = useState<FailureView>();
  const [done, setDone] = useState<string>();
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
    setDone(undefined);
    try {
      let updated: Waiver;
      if (action === 'approve') updated = await api.approveWaiver(waiver.id);
      else if (action === 'reject')
        updated = await api.rejectWaiver(waiver.id, { reason });
      else updated = await api.revokeWaiver(waiver.id, { reason });
      setAsking(undefined);
      setDone(
        `Waiver on ${waiver.checkId} (${waiver.entityRef}) ${PAST[action]}.`,
      );
      props.onChanged(updated);
    } catch (e) {
      setAsking(undefined);
      const what =
        action === 'revoke'
          ? `revoke the waiver on ${waiver.checkId}`
          : `${action} the waiver on ${waiver.checkId}`;
      setFailure(
        describeFailure(
          e,
          what,
          action === 'revoke'
            ? 'scorecards.waiver.revoke'
            : 'scorecards.waiver.approve',
        ),
      );
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
        <Alert severity="success" role="status">
          {done}
        </Alert>
      )}
      <FailureAlert failure={failure} />
      <Box overflow="auto">
        <Table size="small" aria-label={props.label}>
          <TableHead>
            <TableRow>
              {props.showEntity && <TableCell>Entity</TableCell>}
              <TableCell>Check</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Status</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>Requested</TableCell>
              <TableCell>Expires</TableCell>
              <TableCell>Actions</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={props.showEntity ? 8 : 7}>
                  No waivers.
                </TableCell>
              </TableRow>
            )}
            {rows.map(w => {
              const info = props.checkInfo?.(w.checkId);
              const own = userRef !== undefined && userRef === w.requestedBy;
              const warning =
                w.status === 'active' ? waiverExpiryWarning(w, now) : 'none';
              return (
                <TableRow key={w.id} data-testid={`waiver-${w.id}`}>
                  {props.showEntity && <TableCell>{w.entityRef}</TableCell>}
                  <TableCell component="th" scope="row">
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
                  </TableCell>
                  <TableCell>{w.kind}</TableCell>
                  <TableCell data-testid="waiver-status">
                    {w.status}
                    {w.approvedBy && w.status !== 'pending' && (
                      <Typography variant="caption" display="block">
                        by {w.approvedBy}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell className={classes.reason}>
                    <Typography variant="body2">{w.reason}</Typography>
                    {w.ticket && (
                      <Typography variant="caption" display="block">
                        Ticket: {w.ticket}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <Typography variant="body2">{w.requestedBy}</Typography>
                    <Typography variant="caption" display="block">
                      {formatDate(w.createdAt)}, for{' '}
                      {daysBetween(w.createdAt, w.expiresAt)} d
                    </Typography>
                  </TableCell>
                  <TableCell>
                    <span
                      className={
                        warning === 'none' ? undefined : classes[warning]
                      }
                    >
                      {formatDate(w.revokedAt ?? w.expiresAt)}
                      {w.status === 'active' &&
                        ` (in ${waiverDaysLeft(w, now)} d)`}
                    </span>
                  </TableCell>
                  <TableCell>
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
                        </>
                      )}
                      {w.status === 'active' && (
                        <Button
                          size="small"
                          variant="outlined"
                          disabled={busy !== undefined}
                          aria-label={`Revoke waiver on ${w.checkId}`}
                          onClick={() =>
                            setAsking({ decision: 'revoke', waiver: w })
                          }
                        >
                          Revoke
                        </Button>
                      )}
                    </Box>
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
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Box>
      <WaiverDecisionDialog
        decision={asking?.decision}
        waiver={asking?.waiver}
        busy={busy !== undefined}
        onCancel={() => setAsking(undefined)}
        onConfirm={reason =>
          asking && run(asking.decision, asking.waiver, reason || undefined)
        }
      />
    </Box>
  );
}
