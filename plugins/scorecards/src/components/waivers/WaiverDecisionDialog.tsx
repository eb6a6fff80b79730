import { FormEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import type { Waiver } from '@internal/plugin-scorecards-common';

/** Which decision the dialog asks for. */
export type WaiverDecision = 'reject' | 'revoke';

const TEXT: Record<
  WaiverDecision,
  { title: string; confirm: string; explain: string; reasonRequired: boolean }
> = {
  reject: {
    title: 'Reject waiver',
    confirm: 'Reject',
    explain:
      'The waiver will never count; the requester sees it as rejected and can request a new one.',
    reasonRequired: true,
  },
  revoke: {
    title: 'Revoke waiver',
    confirm: 'Revoke',
    explain:
      'The waiver stops counting at once and the raw result (fail or unknown) shows again.',
    reasonRequired: false,
  },
};

/**
 * Confirms a reject (reason required) or a revoke (reason optional). The dialog closes itself
 * only through `onCancel` / the caller: while `busy` it cannot be dismissed.
 */
export function WaiverDecisionDialog(props: {
  decision: WaiverDecision | undefined;
  waiver: Waiver | undefined;
  busy: boolean;
  onCancel: () => void;
  onConfirm: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const open = Boolean(props.decision && props.waiver);
  const text = TEXT[props.decision ?? 'reject'];
  const missing = text.reasonRequired && reason.trim().length === 0;

  const cancel = () => {
    if (props.busy) return;
    setReason('');
    setTouched(false);
    props.onCancel();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (missing) return;
    props.onConfirm(reason.trim());
    setReason('');
    setTouched(false);
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
          <TextField
            id="waiver-decision-reason"
            label={text.reasonRequired ? 'Reason' : 'Reason (optional)'}
            required={text.reasonRequired}
            multiline
            minRows={2}
            fullWidth
            variant="outlined"
            value={reason}
            disabled={props.busy}
            onChange={e => setReason(e.target.value)}
            error={touched && missing}
            helperText={
              touched && missing
                ? 'Say why, so the requester knows what to change.'
                : undefined
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
