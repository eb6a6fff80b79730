import { JSX, useId } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useApi } from '@backstage/frontend-plugin-api';
import { goldenPathsKillSwitchManagePermission } from '@internal/plugin-golden-paths-common';
import { useAsyncResult } from '@internal/suite-react';
import {
  DryRunCoverage,
  DryRunView,
  goldenPathsApiRef,
  KillSwitchScope,
  LastDryRunAnswer,
  refusalMessage,
} from '../api';
import { formatInstant } from './format';

/** What a dry run's ledger answer means for the run that follows the lift. */
export function dryRunOutcomeText(run: DryRunView): string {
  switch (run.outcome) {
    case 'would-create':
      return 'Would create the request: the ledger holds nothing under its key.';
    case 'would-resume':
      return 'Would resume an unfinished request: steps already done are skipped.';
    case 'would-replay':
      return 'Would replay a request that already succeeded: nothing is created.';
    default:
      return run.ruleId?.startsWith('GP-K')
        ? `Refused at the ledger by a kill switch (${run.ruleId}): the steps after it were not tried.`
        : `Refused at the ledger (${run.ruleId ?? 'no rule recorded'}).`;
  }
}

/** Which golden paths the switch covers, in words. */
export function coverageText(covers: DryRunCoverage): string {
  if (covers.kind === 'all') return 'every golden path';
  if (covers.kind === 'unknown') return 'unknown';
  return covers.templates.length
    ? covers.templates.join(', ')
    : 'no template in the catalog';
}

function Field(props: { label: string; children: React.ReactNode }) {
  return (
    <>
      <Typography component="dt" variant="body2" color="textSecondary">
        {props.label}
      </Typography>
      <Typography component="dd" variant="body2" style={{ margin: '0 0 8px' }}>
        {props.children}
      </Typography>
    </>
  );
}

/**
 * What the panel says when no dry run is shown: none uses the action, none in the records the
 * backend searched (it stops after a bound, so "none on record" would claim too much), or none
 * on record; a dry run a kill switch refused does not count (it shows nothing that would run).
 */
export function noDryRunText(answer: LastDryRunAnswer): string {
  const { covers, searched, latestSwitchRefusal } = answer;
  if (covers.kind === 'templates' && covers.templates.length === 0) {
    return answer.scope === 'template'
      ? `No template named ${answer.id} is in the catalog, so no dry run shows what it would do.`
      : 'No template in the catalog uses this action, so no dry run shows what it would do.';
  }
  const what = latestSwitchRefusal
    ? 'No dry run that got past the kill switches'
    : 'No dry run';
  const where =
    searched && !searched.complete
      ? ` among the newest ${searched.records} dry runs of any golden path (older ones were not searched), so`
      : ' is on record, so';
  return `${what}${where} nothing shows what will run once the switch is lifted. Run a dry run first.`;
}

/** The newest dry run a kill switch refused, which the shown one (if any) is older than. */
function switchRefusalText(refusal: DryRunView, shown: boolean): string {
  const which = `${formatInstant(refusal.at)}, ${refusal.ruleId}`;
  const refused = refusal.afterSwitch
    ? `Dry runs since the switch was thrown were refused by it (the newest ${which})`
    : `The newest dry run was refused by a kill switch (${which})`;
  return `${refused}: a refused dry run shows nothing of what would run.${
    shown ? ' The last one that ran is shown.' : ''
  }`;
}

/**
 * Says the dry run is the no-op proof made through the switch (§4.7) only when it is one: it
 * went through (a dry run refused by the ledger, GP-I03, shows nothing of what would run) and
 * after THIS switch was thrown (an older one ran through another switch, and the stale warning
 * already says it does not show what runs now). `wouldBeRefusedBy` is what a real run got when
 * the dry run was recorded, hence "then".
 */
function throughSwitchText(run: DryRunView): string {
  if (
    !run.wouldBeRefusedBy ||
    run.outcome === 'refused' ||
    run.afterSwitch !== true
  ) {
    return '';
  }
  return ` It ran through the kill switch: a real run was refused then (${run.wouldBeRefusedBy.ruleId}), so this is the no-op proof made while the switch is on.`;
}

function DryRunDetails(props: {
  run: DryRunView;
  since?: string;
  withheld?: LastDryRunAnswer['withheld'];
}) {
  const { run, since, withheld } = props;
  // a field left out for lack of permission says which one shows it, not "not recorded"
  const missing = (field: keyof DryRunView, otherwise: string) =>
    withheld?.fields.includes(field)
      ? `needs ${withheld.permission}`
      : otherwise;
  return (
    <>
      {run.afterSwitch === false && (
        <Alert severity="warning" data-testid="last-dry-run-stale">
          {`This dry run ran before the switch was thrown${
            since ? ` (${formatInstant(since)})` : ''
          }, so it does not show what runs now. Run a dry run first: the switch should not be lifted without one.`}
        </Alert>
      )}
      <Box component="dl" mt={1} mb={0}>
        <Field label="When">
          {formatInstant(run.at)}
          {run.afterSwitch ? ' (after the switch was thrown)' : ''}
        </Field>
        <Field label="Who">{run.by ?? missing('by', 'not recorded')}</Field>
        <Field label="Template">
          <code>{run.templateRef ?? run.template ?? 'not recorded'}</code>
          {run.templateVersion ? ` version ${run.templateVersion}` : ''}
        </Field>
        <Field label="Request key">
          {run.requestKey ? (
            <code>{run.requestKey}</code>
          ) : (
            missing('requestKey', 'not recorded')
          )}
        </Field>
        <Field label="Outcome">
          {dryRunOutcomeText(run)}
          {throughSwitchText(run)}
        </Field>
        <Field label="Plan digest">
          {run.planDigest ? (
            <code style={{ overflowWrap: 'anywhere' }}>{run.planDigest}</code>
          ) : (
            missing('planDigest', 'not recorded by this dry run')
          )}
        </Field>
      </Box>
    </>
  );
}

/**
 * Said before a switch is thrown when it would stop nothing: no Template in the catalog has
 * that name, or none uses that action (a typo at 2 AM would otherwise be stored as "off" and
 * every run would go on). Setting it stays possible (the template may be registered next), and
 * nothing is said while the coverage is being read or cannot be read.
 */
/** The notice's id, which the id field names in `aria-describedby` (read with the field). */
export const COVERS_NOTHING_ID = 'kill-switch-covers-nothing';

export function SwitchCoversNothingNotice(props: {
  scope: 'template' | 'action';
  id: string;
}) {
  const { scope, id } = props;
  const api = useApi(goldenPathsApiRef);
  const result = useAsyncResult(
    () => api.getLastDryRun(scope, id),
    [api, scope, id],
  );
  const covers = result.value?.covers;
  if (covers?.kind !== 'templates' || covers.templates.length > 0) return null;
  return (
    <Box mt={2}>
      <Alert
        severity="warning"
        id={COVERS_NOTHING_ID}
        data-testid="kill-switch-covers-nothing"
      >
        {scope === 'template'
          ? `No template named ${id} is in the catalog: a switch under this name stops nothing until a template with this metadata.name is registered. Check the name.`
          : `No template in the catalog uses the action ${id}: a switch under this id stops nothing now. Check the id.`}
      </Alert>
    </Box>
  );
}

/**
 * The last dry run of the golden paths a kill switch covers (§4.7), shown to the operator who
 * lifts it: when it ran, who ran it, its template, what the ledger said a real run would do and
 * the plan digest. The spec says the operator SHOULD run one first, so an old or missing dry run
 * is pointed out, never enforced.
 */
export function LastDryRunPanel(props: { scope: KillSwitchScope; id: string }) {
  const { scope, id } = props;
  const api = useApi(goldenPathsApiRef);
  const headingId = useId();
  const result = useAsyncResult(
    () => api.getLastDryRun(scope, id),
    [api, scope, id],
  );

  let body: JSX.Element;
  if (result.loading) {
    body = (
      <Box display="flex" alignItems="center" role="status">
        <CircularProgress size={16} aria-hidden />
        <Typography variant="body2" style={{ marginLeft: 8 }}>
          Looking up the last dry run…
        </Typography>
      </Box>
    );
  } else if (result.error) {
    body = (
      <Alert
        severity="error"
        data-testid="last-dry-run-error"
        action={
          <Button color="inherit" size="small" onClick={result.retry}>
            Retry
          </Button>
        }
      >
        {`The last dry run could not be read: ${refusalMessage(
          result.error,
          goldenPathsKillSwitchManagePermission.name,
          'read it',
        )}`}
      </Alert>
    );
  } else {
    const answer = result.value;
    const covers = answer.covers;
    body = (
      <>
        <Typography variant="body2" paragraph>
          {`Covers: ${coverageText(covers)}.`}
        </Typography>
        {covers.kind === 'unknown' && (
          <Alert severity="warning">{covers.message}</Alert>
        )}
        {covers.kind !== 'unknown' && answer.latestSwitchRefusal && (
          <Alert severity="info" data-testid="last-dry-run-switch-refusal">
            {switchRefusalText(
              answer.latestSwitchRefusal,
              answer.lastDryRun !== undefined,
            )}
          </Alert>
        )}
        {covers.kind !== 'unknown' && answer.lastDryRun && (
          <DryRunDetails
            run={answer.lastDryRun}
            since={answer.switchedOffSince}
            withheld={answer.withheld}
          />
        )}
        {covers.kind !== 'unknown' && !answer.lastDryRun && (
          <Alert severity="info" data-testid="last-dry-run-none">
            {noDryRunText(answer)}
          </Alert>
        )}
      </>
    );
  }

  return (
    <Box
      component="section"
      aria-labelledby={headingId}
      mt={2}
      data-testid="last-dry-run"
    >
      <Typography variant="subtitle1" component="h3" id={headingId}>
        Last dry run
      </Typography>
      {body}
    </Box>
  );
}
