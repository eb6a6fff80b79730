import { FormEvent, JSX, useEffect, useState } from 'react';
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
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { ResponseError } from '@backstage/errors';
import { useApi } from '@backstage/frontend-plugin-api';
import { goldenPathsRequestCompensatePermission } from '@internal/plugin-golden-paths-common';
import {
  CompensationReport,
  CompensationResult,
  refusalMessage,
  goldenPathsApiRef,
} from '../api';
import {
  ScrollRegion,
  WholeWordsCell,
  WholeWordsHead,
} from '@internal/suite-react';
import { reasonError } from './reason';
import { ReasonField } from './ReasonField';
import { StatusChip } from './StatusChip';

/** The name of the permission `POST /requests/:key/compensate` needs (§6.4). */
export const COMPENSATE_PERMISSION =
  goldenPathsRequestCompensatePermission.name;

/** Whether a request can still be compensated: the backend plans nothing for a compensated one. */
export function isCompensable(status: string): boolean {
  return status !== 'compensated';
}

/** Words for what a dry run says will happen, and what a real run did. */
const RESULT_WORDS: Record<CompensationResult, string> = {
  would: 'will be done',
  compensated: 'done',
  manual: 'left for a human',
  refused: 'refused',
  failed: 'failed',
  skipped: 'skipped',
  nothing: 'nothing to undo',
};

/** Status-chip words, so done and failed items read like other statuses. */
const RESULT_STATUS: Record<CompensationResult, string> = {
  would: 'pending',
  compensated: 'done',
  manual: 'unknown',
  refused: 'failed',
  failed: 'failed',
  skipped: 'skipped',
  nothing: 'skipped',
};

/** The columns with the least width that keeps their words whole; a narrower dialog scrolls the table sideways (the last column, the result, is named by the kind of run). */
const COLUMNS = [
  { label: 'Step', minWidth: '9rem' },
  { label: 'Rollback class', minWidth: '9rem' },
  { label: 'What happens', minWidth: '14rem' },
] as const;

function ItemsTable(props: { report: CompensationReport; label: string }) {
  const { report, label } = props;
  return (
    <ScrollRegion label={label}>
      <Table size="small" aria-label={label}>
        <WholeWordsHead
          columns={[
            ...COLUMNS,
            {
              label: report.dryRun ? 'Dry run' : 'Result',
              key: 'result',
              minWidth: '7rem',
            },
          ]}
        />
        <TableBody>
          {report.items.map(item => (
            <TableRow key={item.stepId} data-testid="compensation-item">
              <WholeWordsCell component="th" scope="row">
                {item.stepId}
                <Typography variant="caption" display="block">
                  {item.action}
                </Typography>
              </WholeWordsCell>
              <WholeWordsCell>
                {item.class === 'irreversible' ? (
                  <strong>irreversible</strong>
                ) : (
                  item.class
                )}
              </WholeWordsCell>
              <WholeWordsCell>
                {item.description}
                {item.refusal && (
                  <Typography variant="body2" color="error">
                    {item.refusal}
                  </Typography>
                )}
                {item.detail && (
                  <Typography variant="body2">{item.detail}</Typography>
                )}
              </WholeWordsCell>
              <WholeWordsCell>
                <StatusChip
                  status={RESULT_STATUS[item.result]}
                  label={RESULT_WORDS[item.result]}
                />
              </WholeWordsCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}

/** Irreversible steps and the ones listed for a human: never undone automatically (§8). */
function ManualNotice(props: { report: CompensationReport }) {
  const irreversible = props.report.items.filter(
    i => i.class === 'irreversible',
  );
  const manual = props.report.items.filter(
    i => i.result === 'manual' && i.class !== 'irreversible',
  );
  if (irreversible.length === 0 && manual.length === 0) return null;
  return (
    <Box mb={2}>
      <Alert severity="warning" data-testid="compensation-manual">
        {irreversible.length > 0 && (
          <Typography variant="body2">
            Irreversible, never undone automatically:{' '}
            {irreversible.map(i => i.target ?? i.stepId).join(', ')}.
          </Typography>
        )}
        {manual.length > 0 && (
          <Typography variant="body2">
            Left for a human to do by hand:{' '}
            {manual.map(i => i.target ?? i.stepId).join(', ')}.
          </Typography>
        )}
      </Alert>
    </Box>
  );
}

/**
 * Compensation of one request (§8 "Revert"), dry run first: opening the dialog asks the backend
 * for the plan (`dryRun=true`, no write) and shows every item with its rollback class, the
 * irreversible ones called out. Only then can the operator give the reason the real run needs
 * (≥ 10 characters, audited as critical), confirm, and run it — bound to the dry run shown by its
 * `planDigest`; the dialog then shows what was done. The backend's 4xx text is shown as it came
 * (a 403 also names the permission); a 409 (the plan changed since the dry run, or a task holds
 * the request) offers to run the dry run again, which must then be reviewed and confirmed anew.
 */
export function CompensateDialog(props: {
  requestKey: string;
  open: boolean;
  onClose: () => void;
  /** After a real run, whatever its outcome: the request page reloads. */
  onCompensated: (report: CompensationReport) => void;
}) {
  const { requestKey, open, onClose, onCompensated } = props;
  const api = useApi(goldenPathsApiRef);
  const [plan, setPlan] = useState<CompensationReport>();
  const [planError, setPlanError] = useState<string>();
  const [planAttempt, setPlanAttempt] = useState(0);
  const [result, setResult] = useState<CompensationReport>();
  const [reason, setReason] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  const [errors, setErrors] = useState<{
    reason?: string;
    confirmed?: string;
  }>({});
  const [runError, setRunError] = useState<string>();
  /** The real run was refused with 409: the plan changed, or a task holds the request. */
  const [conflict, setConflict] = useState(false);
  const [running, setRunning] = useState(false);

  useEffect(() => {
    if (!open) return undefined;
    let active = true;
    setPlan(undefined);
    setPlanError(undefined);
    // A new dry run must be reviewed again before it runs.
    setConfirmed(false);
    setRunError(undefined);
    setConflict(false);
    api.compensate(requestKey, { dryRun: true }).then(
      report => active && setPlan(report),
      e =>
        active &&
        setPlanError(
          refusalMessage(e, COMPENSATE_PERMISSION, 'compensate a request'),
        ),
    );
    return () => {
      active = false;
    };
  }, [api, requestKey, open, planAttempt]);

  const titleId = `compensate-title-${requestKey}`;
  const canRun = plan !== undefined && !plan.empty && result === undefined;

  const validate = () => {
    const next: typeof errors = {};
    const tooShort = reasonError(reason);
    if (tooShort) next.reason = tooShort;
    if (!confirmed) {
      next.confirmed = 'Confirm that you reviewed the dry run.';
    }
    setErrors(next);
    return Object.keys(next).length === 0;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRunError(undefined);
    setConflict(false);
    if (!plan || !canRun || !validate()) return;
    setRunning(true);
    try {
      // Bound to the dry run shown: the backend refuses (409) when its plan changed since.
      const report = await api.compensate(requestKey, {
        dryRun: false,
        reason: reason.trim(),
        planDigest: plan.planDigest,
      });
      setRunning(false);
      setResult(report);
      onCompensated(report);
    } catch (e) {
      setRunning(false);
      setRunError(
        refusalMessage(e, COMPENSATE_PERMISSION, 'compensate a request'),
      );
      setConflict(ResponseError.is(e) && e.statusCode === 409);
    }
  };

  let body: JSX.Element;
  if (result) {
    body = (
      <>
        <Alert
          severity={result.failed > 0 ? 'error' : 'success'}
          data-testid="compensation-result"
        >
          {result.acted
            ? `Request ${result.statusBefore} → ${result.status}.`
            : `Nothing changed: the request was already ${result.status}.`}
          {result.failed > 0
            ? ` ${result.failed} automated item(s) were refused or failed; fix them and run the compensation again.`
            : ''}
        </Alert>
        <Box mt={2}>
          <ManualNotice report={result} />
          <ItemsTable report={result} label="Compensation result" />
        </Box>
      </>
    );
  } else if (planError) {
    body = (
      <>
        <Alert severity="error" data-testid="compensation-error">
          {planError}
        </Alert>
        <Button onClick={() => setPlanAttempt(n => n + 1)}>Retry</Button>
      </>
    );
  } else if (!plan) {
    body = (
      <Box display="flex" alignItems="center">
        <CircularProgress size={20} aria-label="Planning the compensation" />
        <Box ml={1}>
          <Typography variant="body2">
            Dry run: asking the backend what compensating would do…
          </Typography>
        </Box>
      </Box>
    );
  } else if (plan.empty) {
    body = <Alert severity="info">{plan.message}</Alert>;
  } else {
    body = (
      <>
        <Typography variant="body2" gutterBottom>
          Dry run: nothing has changed yet. A real run walks the completed steps
          in reverse: reversible steps are undone, compensating steps run their
          repair, irreversible ones are only listed.
          {plan.abandoned
            ? ' Nothing was created, so the request is abandoned.'
            : ''}
        </Typography>
        {plan.warnings.map(w => (
          <Box mb={1} key={w}>
            <Alert severity="warning">{w}</Alert>
          </Box>
        ))}
        {plan.failed > 0 && (
          <Box mb={1}>
            <Alert severity="error">
              {plan.failed} automated item(s) would be refused; the request
              would keep its status ({plan.status}).
            </Alert>
          </Box>
        )}
        <ManualNotice report={plan} />
        <ItemsTable report={plan} label="Compensation plan (dry run)" />
        <ReasonField
          id={`compensate-reason-${requestKey}`}
          value={reason}
          onChange={setReason}
          error={errors.reason}
          recordedWhere="recorded in the audit trail (critical)."
        />
        <FormControlLabel
          control={
            <Checkbox
              name="confirmed"
              checked={confirmed}
              onChange={e => setConfirmed(e.target.checked)}
            />
          }
          label="I reviewed the dry run: run this compensation for real"
        />
        {errors.confirmed && (
          <FormHelperText error role="alert">
            {errors.confirmed}
          </FormHelperText>
        )}
      </>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={running ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="md"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Compensate {requestKey}</DialogTitle>
        <DialogContent>
          {body}
          {runError && (
            <Box mt={2}>
              <Alert
                severity="error"
                data-testid="compensation-run-error"
                action={
                  conflict ? (
                    <Button
                      color="inherit"
                      size="small"
                      onClick={() => setPlanAttempt(n => n + 1)}
                    >
                      Run the dry run again
                    </Button>
                  ) : undefined
                }
              >
                {runError}
              </Alert>
            </Box>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={running}>
            {result ? 'Close' : 'Cancel'}
          </Button>
          {canRun && (
            <Button
              type="submit"
              color="secondary"
              variant="contained"
              disabled={running}
              startIcon={
                running ? (
                  <CircularProgress size={16} aria-label="Compensating" />
                ) : undefined
              }
            >
              Run compensation
            </Button>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
