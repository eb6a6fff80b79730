import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { goldenPathsKillSwitchManagePermission } from '@internal/plugin-golden-paths-common';
import {
  goldenPathsApiRef,
  KillSwitchScope,
  KillSwitchState,
  KillSwitchView,
} from '../api';
import { formatInstant } from './format';
import {
  KILL_SWITCH_PERMISSION,
  KillSwitchDialog,
  KillSwitchTarget,
} from './KillSwitchDialog';
import { PluginNav } from './PluginNav';
import { StatusChip } from './StatusChip';
import {
  DeniedNote,
  PermissionGate,
  ScrollRegion,
  useAsyncResult,
  usePermissionGate,
  WholeWordsCell,
  WholeWordsHead,
} from '@internal/suite-react';

/** One line of the table: a switch from one source. */
export interface KillSwitchRow {
  scope: KillSwitchScope;
  id: string;
  /** In force now (a runtime row past `until` is lifted). */
  disabled: boolean;
  reason?: string;
  since?: string;
  until?: string;
  /** Set by an operator through the API (runtime) or in the app config (read-only here). */
  source: 'config' | 'runtime';
  setBy?: string;
  /** A runtime row whose `until` has passed. */
  expired: boolean;
}

/** The switches of `GET /kill-switches`, one row per source: config first, then runtime. */
export function killSwitchRows(
  view: KillSwitchView,
  nowMs = Date.now(),
): KillSwitchRow[] {
  const fromConfig = (
    scope: KillSwitchScope,
    id: string,
    state: KillSwitchState,
  ): KillSwitchRow => ({
    scope,
    id,
    disabled: state.disabled,
    reason: state.reason,
    since: state.since,
    source: 'config',
    expired: false,
  });
  const config = view.sources?.config ?? {};
  const rows: KillSwitchRow[] = [
    ...(config.all ? [fromConfig('all', 'all', config.all)] : []),
    ...Object.entries(config.templates ?? {}).map(([id, s]) =>
      fromConfig('template', id, s),
    ),
    ...Object.entries(config.actions ?? {}).map(([id, s]) =>
      fromConfig('action', id, s),
    ),
  ];
  for (const r of view.sources?.runtime ?? []) {
    const expired = r.until !== undefined && Date.parse(r.until) <= nowMs;
    rows.push({
      scope: r.scope,
      id: r.id,
      disabled: r.disabled && !expired,
      reason: r.reason,
      since: r.setAt,
      until: r.until,
      source: 'runtime',
      setBy: r.setBy,
      expired,
    });
  }
  return rows;
}

function stateWord(row: KillSwitchRow): string {
  if (row.disabled) return 'disabled';
  return row.expired ? 'lifted (end passed)' : 'enabled';
}

/** Why a config switch has no action here. */
const CONFIG_READ_ONLY =
  'Read-only: set in the app config (goldenPaths.killSwitch); change it there. A runtime switch cannot lift it, because a path is off when either source says so.';

/** The page's one pre-check of `goldenpaths.killswitch.manage`, for every button that changes a switch. */
interface ManageGate extends PermissionGate {
  /** The id of the note that says why the buttons are disabled (on DENY). */
  deniedId: string;
}

/** The columns, each with the least width that keeps its words whole; a narrower page scrolls the table sideways. */
const COLUMNS = [
  { label: 'Scope', minWidth: '6rem' },
  { label: 'Id', minWidth: '10rem' },
  { label: 'State', minWidth: '7rem' },
  { label: 'Reason', minWidth: '12rem' },
  { label: 'Since', minWidth: '10rem' },
  { label: 'Until', minWidth: '8rem' },
  { label: 'Source', minWidth: '6rem' },
  { label: 'Action', minWidth: '8rem' },
] as const;

function SwitchesTable(props: {
  rows: KillSwitchRow[];
  gate: ManageGate;
  onChange: (target: KillSwitchTarget) => void;
}) {
  const { rows, gate, onChange } = props;
  return (
    <ScrollRegion label="Kill switches">
      <Table size="small" aria-label="Kill switches">
        <WholeWordsHead columns={COLUMNS} />
        <TableBody>
          {rows.map(row => {
            const name = row.scope === 'all' ? 'all golden paths' : row.id;
            return (
              <TableRow
                key={`${row.source}:${row.scope}:${row.id}`}
                data-testid="kill-switch-row"
              >
                <WholeWordsCell>{row.scope}</WholeWordsCell>
                <WholeWordsCell component="th" scope="row">
                  <code>{row.id}</code>
                </WholeWordsCell>
                <WholeWordsCell>
                  <StatusChip
                    status={row.disabled ? 'failed' : 'done'}
                    label={stateWord(row)}
                  />
                </WholeWordsCell>
                <WholeWordsCell>{row.reason ?? '—'}</WholeWordsCell>
                <WholeWordsCell>
                  {row.since ? formatInstant(row.since) : '—'}
                  {row.setBy ? ` by ${row.setBy}` : ''}
                </WholeWordsCell>
                <WholeWordsCell>
                  {row.until ? formatInstant(row.until) : '—'}
                </WholeWordsCell>
                <WholeWordsCell>{row.source}</WholeWordsCell>
                <WholeWordsCell>
                  {row.source === 'config' ? (
                    <Typography variant="body2" color="textSecondary">
                      {CONFIG_READ_ONLY}
                    </Typography>
                  ) : (
                    <Button
                      size="small"
                      variant="outlined"
                      color={row.disabled ? 'primary' : 'secondary'}
                      aria-label={`${
                        row.disabled ? 'Lift' : 'Disable'
                      } ${name}`}
                      disabled={gate.disabled}
                      aria-describedby={gate.denied ? gate.deniedId : undefined}
                      onClick={() =>
                        onChange({
                          scope: row.scope,
                          id: row.id,
                          disabled: row.disabled,
                        })
                      }
                    >
                      {row.disabled ? 'Lift…' : 'Disable…'}
                    </Button>
                  )}
                </WholeWordsCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}

/**
 * `/golden-paths/kill-switches` (§4.7, §8 "Disable"): every switch with its source, and the
 * form that throws or lifts a runtime one. Config switches are read-only here. The buttons that
 * change a switch ask the permission framework first (§6.4): disabled while it answers, disabled
 * with `goldenpaths.killswitch.manage` named on DENY; the list stays readable to everyone.
 */
export function KillSwitchesContent() {
  const api = useApi(goldenPathsApiRef);
  const manage = usePermissionGate({
    permission: goldenPathsKillSwitchManagePermission,
  });
  const gate: ManageGate = { ...manage, deniedId: useId() };
  const result = useAsyncResult(() => api.getKillSwitches(), [api]);
  const [editing, setEditing] = useState<{ target?: KillSwitchTarget }>();
  const [done, setDone] = useState<string>();

  const onSaved = (_view: KillSwitchView, sent: KillSwitchTarget) => {
    setEditing(undefined);
    const name = sent.scope === 'all' ? 'all golden paths' : sent.id;
    setDone(
      sent.disabled
        ? `${name} is disabled; every replica stops it within 5 seconds.`
        : `The runtime switch on ${name} is lifted.`,
    );
    result.refresh();
  };

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = (
      <>
        <ResponseErrorPanel error={result.error} />
        <Button onClick={result.retry}>Retry</Button>
      </>
    );
  else {
    const { configError } = result.value;
    const rows = killSwitchRows(result.value);
    let list: JSX.Element | null;
    if (rows.length) {
      list = (
        <SwitchesTable
          rows={rows}
          gate={gate}
          onChange={target => setEditing({ target })}
        />
      );
    } else {
      // "may run" would be wrong while the config switches cannot be read
      list = configError ? null : (
        <EmptyState
          missing="data"
          title="No kill switch is set"
          description="Every golden path and action may run."
        />
      );
    }
    body = (
      <>
        {configError && (
          // A malformed config reloaded after start: the backend still lists the runtime
          // switches (an operator in an incident can set them here) and names the config path.
          <Box mb={2}>
            <Alert severity="error" data-testid="kill-switch-config-error">
              {`Only the switches set here are listed: ${configError}`}
            </Alert>
          </Box>
        )}
        {list}
      </>
    );
  }

  return (
    <Content>
      <PluginNav current="killSwitches" />
      <Paper component="section" aria-labelledby="gp-kill-switches-heading">
        <Box p={2}>
          <Typography
            variant="h5"
            component="h2"
            id="gp-kill-switches-heading"
            gutterBottom
          >
            Kill switches
          </Typography>
          <Typography variant="body2" paragraph>
            A switch stops a template, an action or every golden path without a
            deploy: new requests are refused (GP-K01/K03) and running ones stop
            before their next effect (GP-K02). Switches come from the app config
            and from this page; a path is off when either says so. Changing one
            needs {KILL_SWITCH_PERMISSION}.
          </Typography>
          {done && (
            <Box mb={2}>
              <Alert
                severity="success"
                onClose={() => setDone(undefined)}
                data-testid="kill-switch-done"
              >
                {done}
              </Alert>
            </Box>
          )}
          <Box mb={2}>
            <Button
              variant="contained"
              color="secondary"
              onClick={() => setEditing({})}
              disabled={gate.disabled}
              aria-describedby={gate.denied ? gate.deniedId : undefined}
            >
              Disable or lift a switch…
            </Button>
            {gate.denied && (
              <DeniedNote id={gate.deniedId}>
                {`You may not change kill switches: it needs ${KILL_SWITCH_PERMISSION}.`}
              </DeniedNote>
            )}
          </Box>
          {body}
        </Box>
      </Paper>
      {editing && (
        <KillSwitchDialog
          key={
            editing.target
              ? `${editing.target.scope}:${editing.target.id}`
              : 'new'
          }
          initial={editing.target}
          open
          onClose={() => setEditing(undefined)}
          onSaved={onSaved}
        />
      )}
    </Content>
  );
}
