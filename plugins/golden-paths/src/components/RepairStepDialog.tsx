import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  refusalMessage,
  goldenPathsApiRef,
  RequestStep,
  StepRepairInput,
  StepRepairResult,
} from '../api';
import { COMPENSATE_PERMISSION } from './CompensateDialog';
import { reasonError } from './reason';
import { ReasonField } from './ReasonField';

/** What the page says after a repair: what changed, or that nothing did. */
export function repairOutcome(result: StepRepairResult): string {
  const { step } = result;
  if (!result.changed) {
    return `Nothing changed: step ${step.stepId} already was in that state, so nothing was recorded.`;
  }
  const ref = step.effectRef ? `, effect_ref ${step.effectRef}` : '';
  return `Step ${step.stepId} repaired (now ${
    step.status
  }${ref}); recorded in the audit trail as critical.${
    result.requestCompensated
      ? ` Every step is compensated, so the request is ${result.request.status} too.`
      : ''
  }`;
}

/**
 * §8 step 3 "Repair state": the operator marks one step `compensated` (its effect was undone by
 * hand) or fixes its `effect_ref` (what compensation and the reconciler read), with a reason of at
 * least 10 characters. Only the ledger changes; the backend records a critical audit event. Its
 * 4xx text (a claimed step, an effect_ref of the wrong shape) is shown here as it came.
 */
export function RepairStepDialog(props: {
  requestKey: string;
  step: RequestStep;
  onClose: () => void;
  /** After the backend answered (changed or not): the page reloads and says what happened. */
  onRepaired: (result: StepRepairResult) => void;
}) {
  const { requestKey, step, onClose, onRepaired } = props;
  const api = useApi(goldenPathsApiRef);
  const alreadyCompensated = step.status === 'compensated';
  const [markCompensated, setMarkCompensated] = useState(false);
  const [effectRef, setEffectRef] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ change?: string; reason?: string }>(
    {},
  );
  const [sendError, setSendError] = useState<string>();
  const [sending, setSending] = useState(false);

  const input = (): StepRepairInput => ({
    ...(markCompensated ? { status: 'compensated' as const } : {}),
    ...(effectRef.trim() ? { effectRef: effectRef.trim() } : {}),
    reason: reason.trim(),
  });

  const validate = (body: StepRepairInput) => {
    const next: typeof errors = {};
    if (body.status === undefined && body.effectRef === undefined) {
      next.change = alreadyCompensated
        ? 'Give the new effect_ref: the step is already compensated.'
        : 'Mark the step compensated, give a new effect_ref, or both.';
    }
    const tooShort = reasonError(reason);
    if (tooShort) next.reason = tooShort;
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSendError(undefined);
    const body = input();
    if (!validate(body)) return;
    setSending(true);
    try {
      const result = await api.repairStep(requestKey, step.stepId, body);
      setSending(false);
      onRepaired(result);
    } catch (e) {
      setSending(false);
      setSendError(refusalMessage(e, COMPENSATE_PERMISSION, 'repair a step'));
    }
  };

  const titleId = `repair-title-${step.stepId}`;
  return (
    <Dialog
      open
      onClose={sending ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Repair step {step.stepId}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" gutterBottom>
            Recorded: {step.status}
            {step.action ? ` by ${step.action}` : ''}, effect_ref{' '}
            <code>{step.effectRef ?? 'none'}</code>.
          </Typography>
          <Box mb={2}>
            <Alert severity="warning" data-testid="repair-audit-note">
              A repair changes only this request's ledger, never the repository,
              catalog or database. It is recorded in the audit trail as a
              critical event, with your name and the reason.
            </Alert>
          </Box>
          {alreadyCompensated ? (
            <Typography variant="body2">
              The step is already compensated; you can still fix its effect_ref.
            </Typography>
          ) : (
            <FormControlLabel
              control={
                <Checkbox
                  name="compensated"
                  checked={markCompensated}
                  onChange={e => setMarkCompensated(e.target.checked)}
                />
              }
              label="Mark the step compensated (its effect was undone by hand)"
            />
          )}
          <TextField
            id={`repair-effect-ref-${step.stepId}`}
            label="New effect_ref"
            fullWidth
            margin="normal"
            variant="outlined"
            value={effectRef}
            onChange={e => setEffectRef(e.target.value)}
            helperText="Leave empty to keep the recorded one. Publish steps: <repository>@<commit sha>; register steps: a catalog location id or golden-paths-local:<entity ref>."
            inputProps={{ maxLength: 2048 }}
          />
          {errors.change && (
            <FormHelperText error role="alert">
              {errors.change}
            </FormHelperText>
          )}
          <ReasonField
            id={`repair-reason-${step.stepId}`}
            value={reason}
            onChange={setReason}
            error={errors.reason}
            recordedWhere="recorded in the audit trail (critical)."
          />
          {sendError && (
            <Box mt={2}>
              <Alert severity="error" data-testid="repair-error">
                {sendError}
              </Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={sending}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="secondary"
            variant="contained"
            disabled={sending}
            startIcon={
              sending ? (
                <CircularProgress size={16} aria-label="Repairing" />
              ) : undefined
            }
          >
            Repair step
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
