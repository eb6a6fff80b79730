import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import { goldenPathsKillSwitchManagePermission } from '@internal/plugin-golden-paths-common';
import {
  refusalMessage,
  goldenPathsApiRef,
  KillSwitchScope,
  KillSwitchView,
} from '../api';
import {
  COVERS_NOTHING_ID,
  LastDryRunPanel,
  SwitchCoversNothingNotice,
} from './LastDryRunPanel';
import { reasonError } from './reason';
import { ReasonField } from './ReasonField';

/** The name of the permission `PUT /kill-switches/:scope/:id` needs (§6.4). */
export const KILL_SWITCH_PERMISSION =
  goldenPathsKillSwitchManagePermission.name;

/** What the dialog starts with: empty for a new switch, a row's scope and id to change it. */
export interface KillSwitchTarget {
  scope: KillSwitchScope;
  id: string;
  disabled: boolean;
}

const SCOPE_LABELS: Record<KillSwitchScope, string> = {
  all: 'Everything (all golden paths)',
  template: 'One template (metadata.name)',
  action: 'One action (action id)',
};

/**
 * A `datetime-local` value (the operator's local time, no zone) as the ISO instant the backend
 * stores; undefined when empty or not a date.
 */
export function untilInstant(local: string): string | undefined {
  if (!local.trim()) return undefined;
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * What is wrong with a non-empty end the dialog was given, or undefined. The backend keeps times
 * in the years 0000–9999 once in UTC, so a later end (the last evening of 9999 west of UTC) is
 * refused here with a message that says so, not sent to get the backend's generic one.
 */
export function untilProblem(local: string, nowMs: number): string | undefined {
  const at = untilInstant(local);
  if (!at) return 'Give a date and time, or leave it empty.';
  if (Date.parse(at) <= nowMs) return 'The end must be in the future.';
  if (!/^\d{4}-/.test(at))
    return 'Pick an end before the year 10000 (UTC), or leave it empty for a switch without an end.';
  return undefined;
}

/**
 * Throws or lifts a runtime kill switch (§4.7, `PUT /kill-switches/:scope/:id`): scope, id
 * (none for `all`), disable or lift, a reason of at least 10 characters (shown to every requester
 * the switch stops) and, when disabling, an optional end. Lifting shows the last dry run of
 * what the switch covers first (§4.7); disabling warns when the typed id covers no template.
 * Validated before sending; the backend's 4xx text (an id the matcher would never match, an end
 * in the past, a missing permission) is shown in the dialog, which stays open.
 */
export function KillSwitchDialog(props: {
  initial?: KillSwitchTarget;
  open: boolean;
  onClose: () => void;
  onSaved: (view: KillSwitchView, sent: KillSwitchTarget) => void;
}) {
  const { initial, open, onClose, onSaved } = props;
  const api = useApi(goldenPathsApiRef);
  const fixed = initial !== undefined;
  const [scope, setScope] = useState<KillSwitchScope>(
    initial?.scope ?? 'template',
  );
  const [id, setId] = useState(initial?.id ?? '');
  // The id the last dry run is looked up for: the row's, or a typed one once the field is left.
  const [lookupId, setLookupId] = useState(initial?.id ?? '');
  // Opened on a row, the dialog offers the opposite of the row's state first.
  const [disabled, setDisabled] = useState(initial ? !initial.disabled : true);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [errors, setErrors] = useState<{
    id?: string;
    reason?: string;
    until?: string;
  }>({});
  const [serverError, setServerError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const titleId = 'kill-switch-dialog-title';
  // Only while the field still holds the looked-up id: once it is edited, the answer is another
  // id's (Enter submits without leaving the field, so it could be the switch being lifted).
  const showsLookup = lookupId !== '' && lookupId === id.trim();

  const validate = () => {
    const next: typeof errors = {};
    if (scope !== 'all' && !id.trim()) {
      next.id =
        scope === 'template'
          ? 'Name the template (its metadata.name, e.g. service-node-http).'
          : 'Name the action (e.g. goldenpath:register).';
    }
    const tooShort = reasonError(reason);
    if (tooShort) next.reason = tooShort;
    if (disabled && until.trim()) {
      const problem = untilProblem(until, Date.now());
      if (problem) next.until = problem;
    }
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setServerError(undefined);
    if (!validate()) return;
    setSaving(true);
    const target = {
      scope,
      id: scope === 'all' ? 'all' : id.trim(),
      disabled,
    };
    const end = disabled ? untilInstant(until) : undefined;
    try {
      const view = await api.setKillSwitch(target.scope, target.id, {
        disabled,
        reason: reason.trim(),
        ...(end ? { until: end } : {}),
      });
      setSaving(false);
      onSaved(view, target);
    } catch (e) {
      setSaving(false);
      setServerError(
        refusalMessage(e, KILL_SWITCH_PERMISSION, 'change a kill switch'),
      );
    }
  };

  let title = 'Disable or lift a kill switch';
  if (fixed) {
    title = `${initial.disabled ? 'Lift' : 'Disable'} ${
      initial.scope === 'all' ? 'all golden paths' : initial.id
    }`;
  }

  return (
    <Dialog
      open={open}
      onClose={saving ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="sm"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          <TextField
            select
            id="kill-switch-scope"
            label="Scope"
            fullWidth
            margin="normal"
            value={scope}
            disabled={fixed}
            onChange={e => setScope(e.target.value as KillSwitchScope)}
          >
            {(['all', 'template', 'action'] as const).map(s => (
              <MenuItem key={s} value={s}>
                {SCOPE_LABELS[s]}
              </MenuItem>
            ))}
          </TextField>
          {scope !== 'all' && (
            <TextField
              id="kill-switch-id"
              label={scope === 'template' ? 'Template name' : 'Action id'}
              required
              fullWidth
              margin="normal"
              value={id}
              disabled={fixed}
              onChange={e => setId(e.target.value)}
              onBlur={() => setLookupId(id.trim())}
              // the "stops nothing" warning below is read with the field when the user returns
              // to fix the name (a reference to it while it is not shown is ignored)
              inputProps={{
                'aria-describedby': `kill-switch-id-helper-text ${COVERS_NOTHING_ID}`,
              }}
              error={!!errors.id}
              helperText={
                errors.id ??
                'Matched exactly, in lower case, as the scaffolder sends it.'
              }
              FormHelperTextProps={errors.id ? { role: 'alert' } : {}}
            />
          )}
          <FormControl component="fieldset" margin="normal">
            <FormLabel component="legend">Switch</FormLabel>
            <RadioGroup
              row
              name="disabled"
              value={disabled ? 'disable' : 'lift'}
              onChange={e => setDisabled(e.target.value === 'disable')}
            >
              <FormControlLabel
                value="disable"
                control={<Radio />}
                label="Disable (stop new requests and running ones before their next effect)"
              />
              <FormControlLabel
                value="lift"
                control={<Radio />}
                label="Lift (allow again)"
              />
            </RadioGroup>
          </FormControl>
          {disabled && scope !== 'all' && showsLookup && (
            <SwitchCoversNothingNotice
              key={`${scope}:${lookupId}`}
              scope={scope}
              id={lookupId}
            />
          )}
          {!disabled && (scope === 'all' || showsLookup) && (
            <LastDryRunPanel
              key={`${scope}:${lookupId}`}
              scope={scope}
              id={scope === 'all' ? 'all' : lookupId}
            />
          )}
          <ReasonField
            id="kill-switch-reason"
            value={reason}
            onChange={setReason}
            error={errors.reason}
            recordedWhere="shown to everyone the switch stops and audited as critical."
          />
          {disabled && (
            <TextField
              id="kill-switch-until"
              label="Lift automatically at (optional)"
              type="datetime-local"
              fullWidth
              margin="normal"
              InputLabelProps={{ shrink: true }}
              value={until}
              onChange={e => setUntil(e.target.value)}
              error={!!errors.until}
              helperText={
                errors.until ??
                'Your local time. Empty: the switch stays until someone lifts it.'
              }
              FormHelperTextProps={errors.until ? { role: 'alert' } : {}}
            />
          )}
          {serverError && (
            <Box mt={2}>
              <Alert severity="error" data-testid="kill-switch-server-error">
                {serverError}
              </Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button
            type="submit"
            color={disabled ? 'secondary' : 'primary'}
            variant="contained"
            disabled={saving}
            startIcon={
              saving ? (
                <CircularProgress size={16} aria-label="Saving" />
              ) : undefined
            }
          >
            {disabled ? 'Disable' : 'Lift'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
