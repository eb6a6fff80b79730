import { FormEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import type { Waiver } from '@internal/plugin-scorecards-common';
import type { FailureView } from './apiErrors';
import { FailureAlert } from './FailureAlert';
import {
  MAX_DECISION_REASON_LENGTH,
  MIN_DECISION_REASON_LENGTH,
  decisionReasonError,
} from './waiverRules';

/**
 * Which decision the dialog asks for. `withdraw` is the requester revoking their own pending
 * request (the same `POST /waivers/:id/revoke`, which needs no permission for them).
 */
export type WaiverDecision = 'reject' | 'revoke' | 'withdraw';

const TEXT: Record<
  WaiverDecision,
  {
    title: string;
    confirm: string;
    explain: string;
    reasonLabel: string;
    /** Completes "Say why, …" when the reason is too short. */
    why: string;
  }
> = {
  reject: {
    title: 'Reject waiver',
    confirm: 'Reject',
    explain:
      'The waiver will never count; the requester sees it as rejected, with your reason, and can request a new one.',
    reasonLabel: 'Reason',
    why: 'so the requester knows what to change',
  },
  revoke: {
    title: 'Revoke waiver',
    confirm: 'Revoke',
    explain:
      'The waiver stops counting at once and the raw result (fail or unknown) shows again. Your reason and name are shown on the waiver.',
    reasonLabel: 'Reason',
    why: 'so the requester knows what to change',
  },
  withdraw: {
    title: 'Withdraw waiver request',
    confirm: 'Withdraw request',
    explain:
      'Your request leaves the approvers’ queue and will never count. It is kept as revoked, with your reason and name; you can request a new waiver afterwards.',
    reasonLabel: 'Why withdrawn',
    why: 'so approvers and your team know it is not needed',
  },
};

/**
 * Confirms a reject, a revoke or a withdrawal; each needs a reason of 10 to 1000 characters
 * (trimmed), as the backend does. A failed call (`failure`) is shown in the dialog with the
 * server's message verbatim and the typed reason is kept, so it can be fixed and sent again.
 * The caller closes the dialog (on success or cancel); while `busy` it cannot be dismissed.
 * Mount it with a `key` per waiver and decision so each opening starts empty.
 */
export function WaiverDecisionDialog(props: {
  decision: WaiverDecision | undefined;
  waiver: Waiver | undefined;
  busy: boolean;
  /** The last failed attempt from this dialog, if any. */
  failure?: FailureView;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const open = Boolean(props.decision && props.waiver);
  const text = TEXT[props.decision ?? 'reject'];
  const error = decisionReasonError(reason, text.why);
  const showError = touched && error !== undefined;

  const cancel = () => {
    if (props.busy) return;
    props.onCancel();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (error) return;
    props.onConfirm(reason.trim());
  };

  return (
    <Dialog
      open={open}
      onClose={cancel}
      aria-labelledby="waiver-decision-title"
      aria-describedby="waiver-decision-text"
    >
      <form noValidate onSubmit={submit}>
        <DialogTitle id="waiver-decision-title">{text.title}</DialogTitle>
        <DialogContent>
          <DialogContentText id="waiver-decision-text">
            {props.waiver
              ? `${props.waiver.checkId} on ${props.waiver.entityRef} (${props.waiver.kind}, requested by ${props.waiver.requestedBy}). `
              : ''}
            {text.explain}
          </DialogContentText>
          <FailureAlert failure={props.failure} />
          <TextField
            id="waiver-decision-reason"
            label={text.reasonLabel}
            required
            multiline
            minRows={2}
            fullWidth
            margin="normal"
            variant="outlined"
            value={reason}
            disabled={props.busy}
            onChange={e => setReason(e.target.value)}
            error={showError}
            helperText={
              showError
                ? error
                : `${MIN_DECISION_REASON_LENGTH} to ${MAX_DECISION_REASON_LENGTH} characters.`
            }
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={cancel} disabled={props.busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="secondary"
            variant="contained"
            disabled={props.busy}
          >
            {text.confirm}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
