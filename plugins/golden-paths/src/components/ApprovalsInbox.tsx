import { useState } from 'react';
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
import { useApi } from '@backstage/frontend-plugin-api';
import { Approval, DecisionResult, goldenPathsApiRef } from '../api';
import { DecisionDialog } from './DecisionDialog';
import { durationUntil, formatInstant, TRIGGER_LABELS } from './format';
import { useGoldenPathsLinks } from './links';
import { PlanView } from './PlanView';
import { useAsyncResult } from '@internal/suite-react';

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
}));

function ApprovalCard(props: {
  approval: Approval;
  onDecide: (approval: Approval) => void;
}) {
  const { approval: a, onDecide } = props;
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
        {a.plan && (
          <PlanView plan={a.plan} label={`Plan effects of ${a.requestKey}`} />
        )}
      </CardContent>
      <CardActions>
        <Button
          color="primary"
          variant="contained"
          onClick={() => onDecide(a)}
          aria-label={`Decide ${a.requestKey}`}
        >
          Decide
        </Button>
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

/**
 * The approvals inbox (§6.3): pending approvals routed to the signed-in user's groups, each with
 * triggers and reasons, request key, requester, plan digest, expiry and routes, and a decision
 * dialog.
 */
export function ApprovalsInboxContent() {
  const api = useApi(goldenPathsApiRef);
  const [deciding, setDeciding] = useState<Approval>();
  const [done, setDone] = useState<string>();
  const [reload, setReload] = useState(0);
  const result = useAsyncResult(() => api.getApprovalsInbox(), [api, reload]);

  const onDecided = (r: DecisionResult) => {
    const a = deciding!;
    setDeciding(undefined);
    const verb = r.decision.decision === 'approve' ? 'Approved' : 'Rejected';
    setDone(
      `${verb} ${a.requestKey} for ${r.decision.route}; approval is now ${
        r.status
      }.${r.message ? ` ${r.message}` : ''}`,
    );
    setReload(n => n + 1);
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
  else if (result.value.length === 0)
    body = (
      <EmptyState
        missing="data"
        title="Nothing to decide"
        description="No pending golden-path approvals are routed to your groups. Approvals you requested yourself are not listed here."
      />
    );
  else
    body = (
      <section aria-labelledby="gp-inbox-heading">
        <Typography variant="h5" component="h2" id="gp-inbox-heading">
          Pending approvals ({result.value.length})
        </Typography>
        {result.value.map(a => (
          <ApprovalCard key={a.id} approval={a} onDecide={setDeciding} />
        ))}
      </section>
    );

  return (
    <Content>
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
          approval={deciding}
          open
          onClose={() => setDeciding(undefined)}
          onDecided={onDecided}
        />
      )}
    </Content>
  );
}
