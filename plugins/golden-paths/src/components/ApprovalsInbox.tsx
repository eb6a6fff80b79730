import { JSX, useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import {
  Content,
  EmptyState,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { coreApis, useApi } from '@backstage/frontend-plugin-api';
import { goldenPathsApprovalDecidePermission } from '@internal/plugin-golden-paths-common';
import {
  Approval,
  DecisionResult,
  goldenPathsApiRef,
  PriorRejection,
} from '../api';
import { DecisionDialog, DecisionMode } from './DecisionDialog';
import {
  durationUntil,
  formatInstant,
  shortDigest,
  TRIGGER_LABELS,
} from './format';
import { useGoldenPathsLinks } from './links';
import { PlanView } from './PlanView';
import { PluginNav } from './PluginNav';
import {
  DeniedNote,
  RefreshErrorNotice,
  useAsyncResult,
  usePermissionGate,
} from '@internal/suite-react';

const useStyles = makeStyles(theme => ({
  card: { marginBottom: theme.spacing(2) },
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    margin: theme.spacing(1, 0),
    '& dt': { fontWeight: theme.typography.fontWeightMedium as number },
    '& dd': { margin: 0 },
  },
  mono: { fontFamily: 'monospace', wordBreak: 'break-all' },
  chip: { marginRight: theme.spacing(1) },
  section: { marginBottom: theme.spacing(4) },
}));

/** Whether `approval` was requested by `userRef` (entity refs compare case-insensitively). */
function isOwnRequest(approval: Approval, userRef: string | undefined) {
  return (
    userRef !== undefined &&
    approval.requestedBy.toLocaleLowerCase('en-US') ===
      userRef.toLocaleLowerCase('en-US')
  );
}

/**
 * Rejections on the key's other approvals (§6.3), whichever group decided them: what was refused
 * before is part of the decision record. Shown only when the backend sends them.
 */
function PriorRejections(props: {
  requestKey: string;
  rejections: PriorRejection[];
}) {
  const { requestKey, rejections } = props;
  return (
    <>
      <Typography variant="subtitle2" component="h4">
        Prior rejections for this key ({rejections.length})
      </Typography>
      {rejections.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          None: no earlier approval of {requestKey} was rejected.
        </Typography>
      ) : (
        <ul aria-label={`Prior rejections of ${requestKey}`}>
          {rejections.map(r => (
            <li key={`${r.approvalId}:${r.route}`}>
              {r.route}: rejected by {r.approver} on{' '}
              {formatInstant(r.decidedAt)} (plan {shortDigest(r.planDigest)},
              approval {r.approvalId}): “{r.reason}”
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * Whether every route of the user's groups is decided while the approval waits for others: the
 * backend would refuse another decision (or, from a member of a group still open elsewhere,
 * take it for that group). Unknown for backends that do not send `decidableRoutes`.
 */
function decidedByTheirGroups(a: Approval): boolean {
  return a.decidableRoutes !== undefined && a.decidableRoutes.length === 0;
}

/** The routes nobody decided yet. */
function waitingFor(a: Approval): string[] {
  return a.routes
    .filter(r => !a.decisions.some(d => d.route === r.group))
    .map(r => r.group);
}

/**
 * Decide or Break-glass approve…, asked of the permission framework first (§6.4): disabled while
 * the answer loads, disabled with the permission named on DENY. Only the basic
 * `goldenpaths.approval.decide` is pre-checked: membership of the route group (and, for
 * break-glass, of the break-glass group) is the backend's decision, shown in the dialog.
 */
function DecideButton(props: {
  approval: Approval;
  own: boolean;
  onDecide: (approval: Approval, mode: DecisionMode) => void;
}) {
  const { approval: a, own, onDecide } = props;
  const gate = usePermissionGate({
    permission: goldenPathsApprovalDecidePermission,
  });
  const deniedId = useId();
  const describedBy = gate.denied ? deniedId : undefined;
  return (
    <>
      {own ? (
        <Button
          color="secondary"
          variant="outlined"
          onClick={() => onDecide(a, 'breakGlass')}
          aria-label={`Break-glass approve ${a.requestKey}`}
          disabled={gate.disabled}
          aria-describedby={describedBy}
        >
          Break-glass approve…
        </Button>
      ) : (
        <Button
          color="primary"
          variant="contained"
          onClick={() => onDecide(a, 'decide')}
          aria-label={`Decide ${a.requestKey}`}
          disabled={gate.disabled}
          aria-describedby={describedBy}
        >
          Decide
        </Button>
      )}
      {gate.denied && (
        <DeniedNote id={deniedId}>
          {`You may not decide approvals: it needs ${goldenPathsApprovalDecidePermission.name}.`}
        </DeniedNote>
      )}
    </>
  );
}

function ApprovalCard(props: {
  approval: Approval;
  /** The signed-in user requested it: no normal decision, only break-glass (§6.2 rules 1, 8). */
  own: boolean;
  onDecide: (approval: Approval, mode: DecisionMode) => void;
}) {
  const { approval: a, own, onDecide } = props;
  const classes = useStyles();
  const links = useGoldenPathsLinks();
  const headingId = `approval-${a.id}`;
  return (
    <Card
      className={classes.card}
      component="article"
      aria-labelledby={headingId}
      data-testid="approval-item"
    >
      <CardContent>
        <Typography variant="h6" component="h3" id={headingId}>
          <Link to={links.request(a.requestKey)}>{a.requestKey}</Link>
        </Typography>
        <Box mt={1}>
          {a.triggers.map(t => (
            <Chip
              key={t.id}
              size="small"
              className={classes.chip}
              label={TRIGGER_LABELS[t.id] ?? t.id}
            />
          ))}
        </Box>
        <Typography variant="subtitle2" component="h4">
          Why it needs a decision
        </Typography>
        <ul aria-label={`Triggers of ${a.requestKey}`}>
          {a.triggers.map(t => (
            <li key={t.id}>
              <strong>{t.id}</strong>: {t.reasons.join('; ')}
            </li>
          ))}
        </ul>
        <dl className={classes.facts}>
          <dt>Requested by</dt>
          <dd>{a.requestedBy}</dd>
          <dt>Requested at</dt>
          <dd>{formatInstant(a.createdAt)}</dd>
          <dt>Expires</dt>
          <dd>
            {formatInstant(a.expiresAt)} ({durationUntil(a.expiresAt)})
          </dd>
          <dt>Plan digest</dt>
          <dd className={classes.mono} data-testid="plan-digest">
            {a.planDigest}
          </dd>
          <dt>Routes</dt>
          <dd>
            <ul aria-label={`Routes of ${a.requestKey}`} style={{ margin: 0 }}>
              {a.routes.map(r => {
                const decided = a.decisions.find(d => d.route === r.group);
                return (
                  <li key={r.group}>
                    {r.group} — {r.triggers.join(', ')}
                    {decided
                      ? ` (${
                          decided.decision === 'approve'
                            ? 'approved'
                            : 'rejected'
                        } by ${decided.approver})`
                      : ' (waiting)'}
                  </li>
                );
              })}
            </ul>
          </dd>
          <dt>Approval</dt>
          <dd className={classes.mono}>{a.id}</dd>
        </dl>
        {a.priorRejections && (
          <PriorRejections
            requestKey={a.requestKey}
            rejections={a.priorRejections}
          />
        )}
        {a.plan && (
          <PlanView plan={a.plan} label={`Plan effects of ${a.requestKey}`} />
        )}
        {own && (
          <Typography variant="body2" color="textSecondary">
            You requested this change, so someone else from a route group must
            approve it. In an emergency, a member of the break-glass group may
            approve their own request: audited as critical, with a follow-up
            review.
          </Typography>
        )}
      </CardContent>
      <CardActions>
        {decidedByTheirGroups(a) ? (
          <Typography variant="body2" color="textSecondary">
            {`Your group's route is decided; waiting for ${waitingFor(a).join(
              ', ',
            )}.`}
          </Typography>
        ) : (
          <DecideButton approval={a} own={own} onDecide={onDecide} />
        )}
        <Link
          to={links.request(a.requestKey)}
          aria-label={`Open request ${a.requestKey}`}
        >
          Open request
        </Link>
      </CardActions>
    </Card>
  );
}

function InboxSection(props: {
  id: string;
  title: string;
  approvals: Approval[];
  own: boolean;
  empty: JSX.Element;
  onDecide: (approval: Approval, mode: DecisionMode) => void;
}) {
  const { id, title, approvals, own, empty, onDecide } = props;
  const classes = useStyles();
  const headingId = `${id}-heading`;
  return (
    <section aria-labelledby={headingId} className={classes.section}>
      <Typography variant="h5" component="h2" id={headingId} gutterBottom>
        {title} ({approvals.length})
      </Typography>
      {approvals.length === 0
        ? empty
        : approvals.map(a => (
            <ApprovalCard
              key={a.id}
              approval={a}
              own={own}
              onDecide={onDecide}
            />
          ))}
    </section>
  );
}

/**
 * The approvals inbox (§6.3): pending approvals routed to the signed-in user's groups, each with
 * triggers and reasons, request key, requester, plan digest, expiry and routes. Others' requests
 * ("Waiting for your decision") open the decision dialog; the user's own requests ("Your
 * requests awaiting approval") can only be approved by break-glass (§6.2 rules 1 and 8), which
 * the backend allows to members of the break-glass group only.
 */
export function ApprovalsInboxContent() {
  const api = useApi(goldenPathsApiRef);
  const identityApi = useApi(coreApis.identity);
  const [deciding, setDeciding] = useState<{
    approval: Approval;
    mode: DecisionMode;
  }>();
  const [done, setDone] = useState<string>();
  const result = useAsyncResult(async () => {
    const [{ items, truncated }, userRef] = await Promise.all([
      api.getApprovalsInbox(),
      // Without a known user (guest, identity error) every approval counts as someone else's;
      // the backend still refuses self-approval (GP-A04).
      identityApi.getBackstageIdentity().then(
        identity => identity.userEntityRef as string | undefined,
        () => undefined,
      ),
    ]);
    const others = items.filter(a => !isOwnRequest(a, userRef));
    return {
      others: others.filter(a => !decidedByTheirGroups(a)),
      // pending on other groups: shown, with nothing to decide
      decided: others.filter(decidedByTheirGroups),
      own: items.filter(a => isOwnRequest(a, userRef)),
      truncated,
    };
  }, [api, identityApi]);

  const onDecided = (r: DecisionResult) => {
    const a = deciding!.approval;
    setDeciding(undefined);
    const verb = r.decision.decision === 'approve' ? 'Approved' : 'Rejected';
    setDone(
      // a decision found recorded may be a colleague's, taken at the same moment: say whose
      `${
        r.created === false
          ? `Already recorded by ${r.decision.approver}: `
          : ''
      }${verb} ${a.requestKey} for ${r.decision.route}${
        r.decision.breakGlass
          ? ' (break-glass: audited as critical, a review follows)'
          : ''
      }; approval is now ${r.status}.${r.message ? ` ${r.message}` : ''}`,
    );
    // the inbox stays on screen while it reloads, and a failed reload says so above it
    result.refresh();
  };
  const onDecide = (approval: Approval, mode: DecisionMode) =>
    setDeciding({ approval, mode });

  let body: JSX.Element;
  if (result.loading) body = <Progress />;
  else if (result.error)
    body = (
      <>
        <ResponseErrorPanel error={result.error} />
        <Button onClick={result.retry}>Retry</Button>
      </>
    );
  else
    body = (
      <>
        {result.refreshError && (
          <RefreshErrorNotice
            error={result.refreshError}
            onRetry={result.refresh}
          />
        )}
        {result.value.truncated && (
          <Box mb={2}>
            <Alert severity="warning" data-testid="inbox-truncated">
              Only the newest 500 pending approvals routed to your groups are
              listed; older ones are not shown here until these are decided or
              expire.
            </Alert>
          </Box>
        )}
        <InboxSection
          id="gp-inbox-others"
          title="Waiting for your decision"
          approvals={result.value.others}
          own={false}
          onDecide={onDecide}
          empty={
            <EmptyState
              missing="data"
              title="Nothing to decide"
              description="No pending golden-path approvals from other people are routed to your groups."
            />
          }
        />
        {result.value.decided.length > 0 && (
          <InboxSection
            id="gp-inbox-decided"
            title="Decided by your groups, waiting for other groups"
            approvals={result.value.decided}
            own={false}
            onDecide={onDecide}
            empty={<></>}
          />
        )}
        <InboxSection
          id="gp-inbox-own"
          title="Your requests awaiting approval"
          approvals={result.value.own}
          own
          onDecide={onDecide}
          empty={
            <Typography variant="body2" color="textSecondary">
              None of your requests is waiting for an approval routed to your
              groups. A request that waits only for groups you are not in is not
              listed here; its request page shows who it waits for.
            </Typography>
          }
        />
      </>
    );

  return (
    <Content>
      <PluginNav current="approvals" />
      {done && (
        <Box mb={2}>
          <Alert
            severity="success"
            onClose={() => setDone(undefined)}
            data-testid="decision-done"
          >
            {done}
          </Alert>
        </Box>
      )}
      {body}
      {deciding && (
        <DecisionDialog
          key={`${deciding.approval.id}-${deciding.mode}`}
          approval={deciding.approval}
          mode={deciding.mode}
          open
          onClose={() => setDeciding(undefined)}
          onDecided={onDecided}
        />
      )}
    </Content>
  );
}
