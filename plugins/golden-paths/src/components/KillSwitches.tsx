import { Fragment, JSX, ReactNode, useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import useMediaQuery from '@material-ui/core/useMediaQuery';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  Content,
  EmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  goldenPathsKillSwitchManagePermission,
  switchLifted,
} from '@internal/plugin-golden-paths-common';
import {
  goldenPathsApiRef,
  KillSwitchScope,
  KillSwitchState,
  KillSwitchView,
} from '../api';
import { BreakAfterSeparators } from './BreakAfterSeparators';
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
  RefreshErrorNotice,
  ScrollRegion,
  useAsyncResult,
  useNow,
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
    const expired = switchLifted(r.until, nowMs);
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

/**
 * Why a config switch has no action here. The config key may wrap after its dot: as one word
 * ("(goldenPaths.killSwitch);") it held the Action column wider than its least width. Why a
 * runtime switch cannot lift it is the page's introduction ("a path is off when either says
 * so"): repeated in every config row, it made each about 11 lines tall in the 7rem column.
 */
const CONFIG_READ_ONLY = (
  <>
    Read-only: set in the app config (<code>goldenPaths.</code>
    <wbr />
    <code>killSwitch</code>); change it there.
  </>
);

/** The page's one pre-check of `goldenpaths.killswitch.manage`, for every button that changes a switch. */
interface ManageGate extends PermissionGate {
  /** The id of the note that says why the buttons are disabled (on DENY). */
  deniedId: string;
}

/**
 * The columns, each with the least width that keeps its words whole; a narrower page scrolls the
 * table sideways. Together at most 60rem (960 px), so the table fits the 976 px card of a 1280 px
 * window with the sidebar open, the Action column included: at 67rem the only "Lift…" button was
 * out of view there. Reason and Since wrap within theirs.
 */
const COLUMNS = [
  { label: 'Scope', minWidth: '5.5rem' },
  { label: 'Id', minWidth: '9rem' },
  { label: 'State', minWidth: '7rem' },
  { label: 'Reason', minWidth: '9rem' },
  { label: 'Since', minWidth: '9rem' },
  { label: 'Until', minWidth: '6.5rem' },
  { label: 'Source', minWidth: '5rem' },
  { label: 'Action', minWidth: '7rem' },
] as const;

type ColumnLabel = (typeof COLUMNS)[number]['label'];

interface SwitchesProps {
  rows: KillSwitchRow[];
  gate: ManageGate;
  onChange: (target: KillSwitchTarget) => void;
}

const rowKey = (row: KillSwitchRow) => `${row.source}:${row.scope}:${row.id}`;

/** What a row shows under each column: the table's cells and the stacked list's values alike. */
function switchFields(
  row: KillSwitchRow,
  gate: ManageGate,
  onChange: SwitchesProps['onChange'],
): Record<ColumnLabel, ReactNode> {
  const name = row.scope === 'all' ? 'all golden paths' : row.id;
  return {
    Scope: row.scope,
    // An action id may wrap after its `:` (`goldenpath:` `register`): as one monospace word it
    // held the Id column wider than its least width, and the table past its card at 1280 px.
    Id: (
      <code>
        <BreakAfterSeparators text={row.id} />
      </code>
    ),
    State: (
      <StatusChip
        status={row.disabled ? 'failed' : 'done'}
        label={stateWord(row)}
      />
    ),
    Reason: row.reason ?? '—',
    Since: (
      <>
        {row.since ? formatInstant(row.since) : '—'}
        {row.setBy && (
          <>
            {' by '}
            <BreakAfterSeparators text={row.setBy} />
          </>
        )}
      </>
    ),
    Until: row.until ? formatInstant(row.until) : '—',
    Source: row.source,
    Action:
      row.source === 'config' ? (
        <Typography variant="body2" color="textSecondary">
          {CONFIG_READ_ONLY}
        </Typography>
      ) : (
        <Button
          size="small"
          variant="outlined"
          color={row.disabled ? 'primary' : 'secondary'}
          aria-label={`${row.disabled ? 'Lift' : 'Disable'} ${name}`}
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
      ),
  };
}

function SwitchesTable({ rows, gate, onChange }: SwitchesProps) {
  return (
    // where the page is narrower than the table, shadows say that it scrolls
    <ScrollRegion label="Kill switches" scrollHint>
      <Table size="small" aria-label="Kill switches">
        <WholeWordsHead columns={COLUMNS} />
        <TableBody>
          {rows.map(row => {
            const fields = switchFields(row, gate, onChange);
            return (
              <TableRow key={rowKey(row)} data-testid="kill-switch-row">
                {COLUMNS.map(({ label }) =>
                  label === 'Id' ? (
                    <WholeWordsCell key={label} component="th" scope="row">
                      {fields[label]}
                    </WholeWordsCell>
                  ) : (
                    <WholeWordsCell key={label}>{fields[label]}</WholeWordsCell>
                  ),
                )}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}

const useStackedStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    borderTop: `1px solid ${theme.palette.divider}`,
    padding: theme.spacing(1.5, 0),
  },
  pairs: {
    display: 'grid',
    gridTemplateColumns: 'max-content minmax(0, 1fr)',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0, 0),
    '& dt': { color: theme.palette.text.secondary },
    '& dd': { margin: 0, overflowWrap: 'anywhere' },
  },
}));

/**
 * The switches on a phone: one block per switch, its id as the title and the other columns as
 * label/value pairs. Eight columns (one a sentence long) do not fit 390 px, and a table that
 * scrolls sideways there hides the state and the button with no sign that they exist.
 */
function SwitchesStacked({ rows, gate, onChange }: SwitchesProps) {
  const classes = useStackedStyles();
  return (
    <ul className={classes.list} aria-label="Kill switches">
      {rows.map(row => {
        const fields = switchFields(row, gate, onChange);
        return (
          <li
            key={rowKey(row)}
            className={classes.item}
            data-testid="kill-switch-row"
          >
            <Typography variant="subtitle2" component="h3">
              {fields.Id}
            </Typography>
            <dl className={classes.pairs}>
              {COLUMNS.filter(({ label }) => label !== 'Id').map(
                ({ label }) => (
                  <Fragment key={label}>
                    <dt>{label}</dt>
                    <dd>{fields[label]}</dd>
                  </Fragment>
                ),
              )}
            </dl>
          </li>
        );
      })}
    </ul>
  );
}

/** The table, or below the `sm` breakpoint (a phone's width) the stacked list. */
function Switches(props: SwitchesProps) {
  const theme = useTheme();
  // read at the first render, so a phone does not draw the table first
  const narrow = useMediaQuery(theme.breakpoints.down('xs'), { noSsr: true });
  return narrow ? <SwitchesStacked {...props} /> : <SwitchesTable {...props} />;
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
  // a runtime switch whose `until` passes while the page is open reads as lifted then
  const now = useNow();
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
    const rows = killSwitchRows(result.value, now.getTime());
    let list: JSX.Element | null;
    if (rows.length) {
      list = (
        <Switches
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
          {result.refreshError && (
            <RefreshErrorNotice
              error={result.refreshError}
              onRetry={result.refresh}
            />
          )}
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
