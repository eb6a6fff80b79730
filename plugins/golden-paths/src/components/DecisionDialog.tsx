import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  Approval,
  DECISION_ANSWERS,
  DecisionAnswer,
  DecisionResult,
  errorMessage,
  goldenPathsApiRef,
} from '../api';
import { reasonError } from './reason';
import { ReasonField } from './ReasonField';

/** The five statements of §6.3, as the approver reads them. */
export const ANSWER_LABELS: Record<DecisionAnswer, string> = {
  intent: 'The intent is right',
  risk: 'The risk classification is right',
  rollback: 'The rollback path is credible',
  timing: 'The timing is acceptable',
  exception: 'The exception (if any) is worth taking',
};

const noAnswers = (): Record<DecisionAnswer, boolean> => ({
  intent: false,
  risk: false,
  rollback: false,
  timing: false,
  exception: false,
});

/**
 * How the dialog decides: `decide` is an approver's approve-or-reject on someone else's request;
 * `breakGlass` is the requester approving their own request (§6.2 rule 8).
 */
export type DecisionMode = 'decide' | 'breakGlass';

/**
 * The decision record of §6.3: approve or reject, a reason of at least 10 characters and, to
 * approve, the five confirmed statements. Validated before submitting; the backend's 4xx text
 * (GP-A04, GP-A05, a missing answer, …) is shown as it came.
 *
 * In `breakGlass` mode (the signed-in user's own request) the decision is fixed to approve and
 * the break-glass confirmation is required: only members of the break-glass group may do this,
 * which the backend decides (its 403 is shown like any other refusal). In `decide` mode there is
 * no break-glass option, since it only applies to one's own request.
 */
export function DecisionDialog(props: {
  approval: Approval;
  open: boolean;
  onClose: () => void;
  onDecided: (result: DecisionResult) => void;
  mode?: DecisionMode;
}) {
  const { approval, open, onClose, onDecided, mode = 'decide' } = props;
  const isBreakGlass = mode === 'breakGlass';
  const api = useApi(goldenPathsApiRef);
  const [chosen, setChosen] = useState<'approve' | 'reject'>('approve');
  const decision = isBreakGlass ? 'approve' : chosen;
  const [reason, setReason] = useState('');
  const [answers, setAnswers] = useState(noAnswers);
  const openRoutes = approval.routes.filter(
    r => !approval.decisions.some(d => d.route === r.group),
  );
  // The routes this user may decide, as the inbox said; every open one from a backend that
  // does not say (the backend then picks the first of the user's groups).
  const choices = approval.decidableRoutes
    ? openRoutes.filter(r => approval.decidableRoutes!.includes(r.group))
    : openRoutes;
  // Always sent when known: a decision without a route is taken for the user's next open route,
  // so a second click would decide another group's route.
  const [route, setRoute] = useState(
    approval.decidableRoutes ? choices[0]?.group ?? '' : '',
  );
  const [breakGlass, setBreakGlass] = useState(isBreakGlass);
  const [errors, setErrors] = useState<{
    reason?: string;
    answers?: string;
    breakGlass?: string;
  }>({});
  const [serverError, setServerError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  const titleId = `decision-title-${approval.id}`;
  const breakGlassHelpId = `decision-break-glass-help-${approval.id}`;
  const action = isBreakGlass ? 'Break-glass approve' : 'Decide';
  let submitLabel = decision === 'approve' ? 'Approve' : 'Reject';
  if (isBreakGlass) submitLabel = 'Break-glass approve';

  const validate = () => {
    const next: typeof errors = {};
    const tooShort = reasonError(reason);
    if (tooShort) next.reason = tooShort;
    if (decision === 'approve' && DECISION_ANSWERS.some(key => !answers[key])) {
      next.answers = 'Confirm all five statements to approve.';
    }
    if (isBreakGlass && !breakGlass) {
      next.breakGlass = 'Confirm break-glass to approve your own request.';
    }
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setServerError(undefined);
    if (!validate()) return;
    setSubmitting(true);
    try {
      const result = await api.decide(approval.id, {
        decision,
        reason: reason.trim(),
        answers,
        ...(route ? { route } : {}),
        ...(isBreakGlass ? { breakGlass: true } : {}),
      });
      setSubmitting(false);
      onDecided(result);
    } catch (e) {
      setSubmitting(false);
      setServerError(errorMessage(e));
    }
  };

  return (
    <Dialog
      open={open}
      onClose={submitting ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          {action} {approval.requestKey}
        </DialogTitle>
        <DialogContent>
          <Typography variant="body2" gutterBottom>
            Approval <code>{approval.id}</code> for plan{' '}
            <code>{approval.planDigest}</code>
          </Typography>
          {isBreakGlass ? (
            <Box mt={2}>
              <Alert
                severity="warning"
                role="note"
                data-testid="break-glass-notice"
              >
                You requested this change, so you cannot approve it as a normal
                approver: someone else from the route group must (GP-A04).
                Approve it yourself only in an emergency.
              </Alert>
            </Box>
          ) : (
            <FormControl component="fieldset" margin="normal">
              <FormLabel component="legend">Decision</FormLabel>
              <RadioGroup
                row
                name="decision"
                value={decision}
                onChange={e =>
                  setChosen(e.target.value as 'approve' | 'reject')
                }
              >
                <FormControlLabel
                  value="approve"
                  control={<Radio />}
                  label="Approve"
                />
                <FormControlLabel
                  value="reject"
                  control={<Radio />}
                  label="Reject"
                />
              </RadioGroup>
            </FormControl>
          )}

          <FormControl
            component="fieldset"
            margin="normal"
            error={!!errors.answers}
          >
            <FormLabel component="legend">
              {decision === 'approve'
                ? 'Confirm before approving'
                : 'Statements you can confirm (optional when rejecting)'}
            </FormLabel>
            <FormGroup>
              {DECISION_ANSWERS.map(key => (
                <FormControlLabel
                  key={key}
                  control={
                    <Checkbox
                      name={`answers.${key}`}
                      checked={answers[key]}
                      onChange={e =>
                        setAnswers(a => ({ ...a, [key]: e.target.checked }))
                      }
                    />
                  }
                  label={ANSWER_LABELS[key]}
                />
              ))}
            </FormGroup>
            {errors.answers && (
              <FormHelperText role="alert">{errors.answers}</FormHelperText>
            )}
          </FormControl>

          <ReasonField
            id={`decision-reason-${approval.id}`}
            value={reason}
            onChange={setReason}
            error={errors.reason}
            recordedWhere="stored in the audit trail."
            minRows={3}
          />

          {choices.length > 1 && (
            <TextField
              select
              id={`decision-route-${approval.id}`}
              label="Decide for"
              fullWidth
              margin="normal"
              value={route}
              onChange={e => setRoute(e.target.value)}
              helperText={
                approval.decidableRoutes
                  ? 'Each group decides its own route: you are in more than one of them.'
                  : 'Each group decides its own route; leave automatic to use the first one you belong to.'
              }
            >
              {!approval.decidableRoutes && (
                <MenuItem value="">Automatic</MenuItem>
              )}
              {choices.map(r => (
                <MenuItem key={r.group} value={r.group}>
                  {r.group} ({r.triggers.join(', ')})
                </MenuItem>
              ))}
            </TextField>
          )}

          {isBreakGlass && (
            <FormControl
              component="fieldset"
              margin="normal"
              required
              error={!!errors.breakGlass}
            >
              <FormLabel component="legend">Break-glass</FormLabel>
              <FormControlLabel
                control={
                  <Checkbox
                    name="breakGlass"
                    required
                    checked={breakGlass}
                    onChange={e => setBreakGlass(e.target.checked)}
                    inputProps={{ 'aria-describedby': breakGlassHelpId }}
                  />
                }
                label="Break-glass: approve my own request (audited as critical, review follows)"
              />
              <FormHelperText id={breakGlassHelpId}>
                Only members of the break-glass group
                (goldenPaths.approvals.breakGlassGroup) may approve their own
                request; the server refuses anyone else and says why here. The
                decision is audited as critical and opens a follow-up review of
                the request, to be closed within 2 business days.
              </FormHelperText>
              {errors.breakGlass && (
                <FormHelperText role="alert">
                  {errors.breakGlass}
                </FormHelperText>
              )}
            </FormControl>
          )}

          {serverError && (
            <Box mt={2}>
              <Alert severity="error" data-testid="decision-server-error">
                {serverError}
              </Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={submitting}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={submitting}
            startIcon={
              submitting ? (
                <CircularProgress size={16} aria-label="Submitting" />
              ) : undefined
            }
          >
            {submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
