import { FormEvent, useState } from 'react';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import type {
  CheckResult,
  Waiver,
  WaiverKind,
} from '@internal/plugin-scorecards-common';
import { scorecardsApiRef } from '../../api';
import { FailureView, describeFailure } from './apiErrors';
import { FailureAlert } from './FailureAlert';
import {
  CheckWaiverRules,
  MIN_REASON_LENGTH,
  WAIVER_KINDS,
  WaiverForm,
  WaiverFormErrors,
  expiryOf,
  expiryRange,
  maxDaysFor,
  validateWaiverForm,
} from './waiverRules';

const useStyles = makeStyles(theme => ({
  field: { marginTop: theme.spacing(2) },
  kindHelp: { marginLeft: theme.spacing(4), marginTop: -theme.spacing(0.5) },
}));

/** Props of {@link RequestWaiverDialog}. */
export interface RequestWaiverDialogProps {
  open: boolean;
  entityRef: string;
  /** The failing or unknown result the waiver is for. */
  result: Pick<
    CheckResult,
    'checkId' | 'title' | 'class' | 'level' | 'severity' | 'state'
  >;
  rules: CheckWaiverRules;
  onClose: () => void;
  /** Called with the created (pending) waiver. */
  onRequested: (waiver: Waiver) => void;
  /** Clock for tests; defaults to `Date.now()` at validation time. */
  now?: () => number;
}

const EMPTY: WaiverForm = {
  kind: 'exception',
  reason: '',
  expiresOn: '',
  ticket: '',
};

/**
 * "Request waiver" (§2.8): kind, reason (≥ 20 characters), expiry within the check's maximum and an
 * optional ticket, checked in the browser with the backend's limits; a 4xx answer is shown with
 * the server's message verbatim. The waiver stays `pending` until someone else approves it.
 */
export function RequestWaiverDialog(props: RequestWaiverDialogProps) {
  const classes = useStyles();
  const api = useApi(scorecardsApiRef);
  const now = props.now ?? Date.now;
  const [form, setForm] = useState<WaiverForm>(EMPTY);
  const [errors, setErrors] = useState<WaiverFormErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FailureView>();
  const { result, rules } = props;
  const maxDays = maxDaysFor(rules, form.kind);
  const range = expiryRange(now(), maxDays);
  const titleId = `request-waiver-title-${result.checkId}`;

  const update = (patch: Partial<WaiverForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    // Once the user has tried to send, errors follow the fields as they change.
    if (submitted) setErrors(validateWaiverForm(next, rules, now()));
  };

  const close = () => {
    if (busy) return;
    setForm(EMPTY);
    setErrors({});
    setSubmitted(false);
    setFailure(undefined);
    props.onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFailure(undefined);
    const found = validateWaiverForm(form, rules, now());
    setErrors(found);
    if (Object.keys(found).length > 0 || !rules.allowed) return;
    setBusy(true);
    try {
      const ticket = form.ticket.trim();
      const waiver = await api.requestWaiver({
        entityRef: props.entityRef,
        checkId: result.checkId,
        kind: form.kind,
        reason: form.reason.trim(),
        expiresAt: expiryOf(form.expiresOn),
        ...(ticket ? { ticket } : {}),
      });
      setBusy(false);
      setForm(EMPTY);
      setErrors({});
      setSubmitted(false);
      props.onRequested(waiver);
    } catch (e) {
      setBusy(false);
      setFailure(
        describeFailure(
          e,
          `request a waiver on ${props.entityRef}`,
          'scorecards.waiver.create',
        ),
      );
    }
  };

  const reasonLength = form.reason.trim().length;
  return (
    <Dialog
      open={props.open}
      onClose={close}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form noValidate onSubmit={submit} aria-label="Request waiver">
        <DialogTitle id={titleId}>Request waiver: {result.title}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" gutterBottom>
            {result.checkId} · {result.class} · {result.level ?? 'no level'} ·
            severity {result.severity} · currently {result.state}
          </Typography>
          <Typography variant="body2" color="textSecondary" gutterBottom>
            A waiver counts only after someone other than you approves it, and
            stops counting at its expiry.
          </Typography>
          {!rules.allowed && (
            <Alert severity="info">
              {result.checkId} cannot be waived (the standard sets
              waiver.allowed: false for it).
            </Alert>
          )}
          <FormControl
            component="fieldset"
            className={classes.field}
            disabled={busy || !rules.allowed}
          >
            <FormLabel component="legend">Kind</FormLabel>
            <RadioGroup
              aria-label="Kind"
              name={`waiver-kind-${result.checkId}`}
              value={form.kind}
              onChange={e => update({ kind: e.target.value as WaiverKind })}
            >
              {WAIVER_KINDS.map(k => (
                <div key={k.kind}>
                  <FormControlLabel
                    value={k.kind}
                    control={
                      <Radio
                        inputProps={{
                          'aria-describedby': `waiver-kind-help-${k.kind}`,
                        }}
                      />
                    }
                    label={k.title}
                  />
                  <FormHelperText
                    id={`waiver-kind-help-${k.kind}`}
                    className={classes.kindHelp}
                  >
                    {k.help}
                  </FormHelperText>
                </div>
              ))}
            </RadioGroup>
          </FormControl>
          <TextField
            id={`waiver-reason-${result.checkId}`}
            className={classes.field}
            label="Reason"
            required
            multiline
            minRows={3}
            fullWidth
            variant="outlined"
            value={form.reason}
            onChange={e => update({ reason: e.target.value })}
            disabled={busy || !rules.allowed}
            error={Boolean(errors.reason)}
            helperText={
              errors.reason ??
              `Why the check cannot be met now and what retires the waiver; at least ${MIN_REASON_LENGTH} characters (${reasonLength}).`
            }
          />
          <TextField
            id={`waiver-expiry-${result.checkId}`}
            className={classes.field}
            label="Expires on"
            type="date"
            required
            variant="outlined"
            value={form.expiresOn}
            onChange={e => update({ expiresOn: e.target.value })}
            disabled={busy || !rules.allowed}
            InputLabelProps={{ shrink: true }}
            inputProps={{ min: range.min, max: range.max }}
            error={Boolean(errors.expiresOn)}
            helperText={
              errors.expiresOn ??
              `Expires at 00:00 UTC that day; between ${range.min} and ${
                range.max
              } (at most ${maxDays} days${
                form.kind === 'false-positive'
                  ? ' for a false positive'
                  : ' for this check'
              }${rules.fromStandard ? '' : ', default for its severity'}).`
            }
          />
          <TextField
            id={`waiver-ticket-${result.checkId}`}
            className={classes.field}
            label="Ticket (optional)"
            fullWidth
            variant="outlined"
            value={form.ticket}
            onChange={e => update({ ticket: e.target.value })}
            disabled={busy || !rules.allowed}
            error={Boolean(errors.ticket)}
            helperText={
              errors.ticket ?? 'Link or id of the work that retires the waiver.'
            }
          />
          <FailureAlert failure={failure} />
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy || !rules.allowed}
            startIcon={
              busy ? (
                <CircularProgress size={16} aria-label="Sending" />
              ) : undefined
            }
          >
            Request waiver
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
