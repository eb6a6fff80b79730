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
import TextField from '@material-ui/core/TextField';
import { makeStyles } from '@material-ui/core/styles';
import { useApi } from '@backstage/frontend-plugin-api';
import { CampaignWithProgress, scorecardsApiRef } from '../../api';
import { levelLabel } from '../scorecardFormat';
import { LabelledSelect } from '@internal/suite-react';
import { FailureView, describeFailure } from '../waivers/apiErrors';
import { FailureAlert } from '../waivers/FailureAlert';
import {
  CampaignForm,
  CampaignFormErrors,
  GOAL_LEVELS,
  campaignBodyOf,
  emptyCampaignForm,
  validateCampaignForm,
} from './campaignForm';

const useStyles = makeStyles(theme => ({
  field: { marginTop: theme.spacing(2) },
  dates: { display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap' },
}));

const TIERS = [1, 2, 3] as const;

/**
 * "New campaign" (§2.11): title, optional id, owner, brief, goal level, scope (kinds, tiers) and
 * start and due dates, checked in the browser with the backend's rules; a 4xx answer is shown
 * with the server's message verbatim (403 names `scorecards.campaign.manage`).
 */
export function NewCampaignDialog(props: {
  open: boolean;
  onClose: () => void;
  onCreated: (campaign: CampaignWithProgress) => void;
  /** Clock for tests; defaults to `Date.now()`. */
  now?: () => number;
}) {
  const classes = useStyles();
  const api = useApi(scorecardsApiRef);
  const now = props.now ?? Date.now;
  const [form, setForm] = useState<CampaignForm>(() =>
    emptyCampaignForm(now()),
  );
  const [errors, setErrors] = useState<CampaignFormErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FailureView>();

  const update = (patch: Partial<CampaignForm>) => {
    const next = { ...form, ...patch };
    setForm(next);
    // Once the user has tried to send, errors follow the fields as they change.
    if (submitted) setErrors(validateCampaignForm(next, now()));
  };
  const reset = () => {
    setForm(emptyCampaignForm(now()));
    setErrors({});
    setSubmitted(false);
    setFailure(undefined);
  };
  const close = () => {
    if (busy) return;
    reset();
    props.onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    setFailure(undefined);
    const found = validateCampaignForm(form, now());
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const created = await api.createCampaign(campaignBodyOf(form));
      setBusy(false);
      reset();
      props.onCreated(created);
    } catch (e) {
      setBusy(false);
      setFailure(
        describeFailure(e, 'create campaigns', 'scorecards.campaign.manage'),
      );
    }
  };

  const text = (
    field: keyof CampaignForm,
    label: string,
    help: string,
    extra: Partial<Parameters<typeof TextField>[0]> = {},
  ) => (
    <TextField
      id={`campaign-${field}`}
      className={classes.field}
      label={label}
      fullWidth
      variant="outlined"
      value={form[field] as string}
      onChange={e => update({ [field]: e.target.value })}
      disabled={busy}
      error={Boolean(errors[field])}
      helperText={errors[field] ?? help}
      {...extra}
    />
  );

  return (
    <Dialog
      open={props.open}
      onClose={close}
      aria-labelledby="new-campaign-title"
      fullWidth
      maxWidth="sm"
    >
      <form noValidate onSubmit={submit} aria-label="New campaign">
        <DialogTitle id="new-campaign-title">New campaign</DialogTitle>
        <DialogContent>
          {text(
            'title',
            'Title',
            'What the campaign achieves, in a few words.',
            {
              required: true,
            },
          )}
          {text(
            'id',
            'Id (optional)',
            'Kebab-case; with an id, sending the same campaign twice creates it once. Without one the backend makes one.',
          )}
          {text(
            'owner',
            'Owner',
            'The group that runs the campaign, e.g. group:default/platform-team.',
            { required: true },
          )}
          {text('brief', 'Brief (optional)', 'Why, and what teams should do.', {
            multiline: true,
            minRows: 2,
          })}
          <Box className={classes.field}>
            <LabelledSelect
              id="campaign-goal-level"
              label="Goal: reach level"
              value={form.level}
              options={GOAL_LEVELS}
              optionLabel={levelLabel}
              onChange={level => update({ level })}
            />
          </Box>
          {text(
            'kinds',
            'Kinds',
            'Comma-separated entity kinds in scope, e.g. Component, Resource; empty for every scored kind.',
          )}
          <FormControl
            component="fieldset"
            className={classes.field}
            disabled={busy}
          >
            <FormLabel component="legend">Tiers</FormLabel>
            <FormGroup row>
              {TIERS.map(t => (
                <FormControlLabel
                  key={t}
                  label={`Tier ${t}`}
                  control={
                    <Checkbox
                      checked={form.tiers.includes(t)}
                      onChange={e =>
                        update({
                          tiers: e.target.checked
                            ? [...form.tiers, t]
                            : form.tiers.filter(x => x !== t),
                        })
                      }
                    />
                  }
                />
              ))}
            </FormGroup>
            <FormHelperText>None ticked: every tier.</FormHelperText>
          </FormControl>
          <Box className={classes.dates}>
            {text('startsOn', 'Starts on', 'At 00:00 UTC that day.', {
              type: 'date',
              required: true,
              fullWidth: false,
              InputLabelProps: { shrink: true },
            })}
            {text(
              'dueOn',
              'Due on',
              'At 00:00 UTC that day; after the start.',
              {
                type: 'date',
                required: true,
                fullWidth: false,
                InputLabelProps: { shrink: true },
              },
            )}
          </Box>
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
            disabled={busy}
            startIcon={
              busy ? (
                <CircularProgress size={16} aria-label="Creating" />
              ) : undefined
            }
          >
            Create campaign
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
