import { useId, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  allowedTransitions,
  goldenPathsLifecycleTransitionPermission,
  lifecycleOf,
  TRANSITION_TABLE,
  type Transition,
} from '@internal/plugin-golden-paths-common';
import { goldenPathsApiRef, LifecycleGatesAnswer } from '../api';
import { REQUEST_KEY_ANNOTATION } from '../isLifecycleAvailable';
import { useGoldenPathsLinks } from './links';
import { LifecycleDrift } from './LifecycleDrift';
import { LifecycleDates } from './LifecycleDates';
import { StatusChip } from './StatusChip';
import {
  DeniedNote,
  useAsyncResult,
  usePermissionGate,
  useFocusRing,
  CARD_TITLE_HEADING,
} from '@internal/suite-react';

const useStyles = makeStyles(theme => ({
  gates: { listStyle: 'none', padding: 0, margin: theme.spacing(1, 0) },
  gate: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  section: { marginTop: theme.spacing(2) },
}));

/** The lifecycle template's URL, prefilled with the entity and the transition. */
export function lifecycleTemplateHref(
  base: string,
  entityRef: string,
  transition: Transition,
): string {
  const formData = JSON.stringify({ entity: entityRef, transition });
  return `${base}?formData=${encodeURIComponent(formData)}`;
}

function summary(answer: LifecycleGatesAnswer): {
  severity: 'success' | 'error' | 'warning' | 'info';
  text: string;
} {
  const triggers = answer.evaluation.approvalTriggers
    .map(t => `${t.id} (${t.reasons.join('; ')})`)
    .join(', ');
  switch (answer.decision) {
    case 'allow':
      return {
        severity: 'success',
        text: `Every gate passes: "${answer.transition}" can run now.`,
      };
    case 'needs-approval':
      return {
        severity: 'info',
        text: `Every gate passes; "${answer.transition}" needs approval: ${triggers}.`,
      };
    case 'unknown':
      return {
        severity: 'warning',
        text: 'No gate failed, but some could not be evaluated; they do not pass until their source answers.',
      };
    default:
      return {
        severity: 'error',
        text: `"${answer.transition}" is refused today; each failing gate says what to change.`,
      };
  }
}

function Gates(props: { answer: LifecycleGatesAnswer }) {
  const { answer } = props;
  const classes = useStyles();
  const s = summary(answer);
  return (
    <>
      <Alert severity={s.severity} data-testid="lifecycle-decision">
        {s.text}
      </Alert>
      <ul
        className={classes.gates}
        aria-label={`Gates of ${answer.transition}`}
      >
        {answer.gates.map((g, i) => (
          <li
            key={`${g.gate}-${i}`}
            className={classes.gate}
            data-testid="lifecycle-gate"
            data-status={g.status}
          >
            <StatusChip status={g.status} />
            <Box>
              <Typography variant="body2" component="p">
                <strong>{g.gate}</strong> {g.title}
              </Typography>
              {g.status !== 'pass' && (
                <Typography variant="body2" component="p">
                  {g.message}
                  {g.waivable ? ' (an approved exception can waive this)' : ''}
                </Typography>
              )}
            </Box>
          </li>
        ))}
      </ul>
    </>
  );
}

function GateResults(props: { entityRef: string; transition: Transition }) {
  const { entityRef, transition } = props;
  const api = useApi(goldenPathsApiRef);
  const result = useAsyncResult(
    () => api.getLifecycleGates(entityRef, transition),
    [api, entityRef, transition],
  );
  if (result.loading) return <Progress />;
  if (result.error)
    return (
      <>
        <ResponseErrorPanel error={result.error} />
        <Button onClick={result.retry}>Retry</Button>
      </>
    );
  return <Gates answer={result.value} />;
}

/**
 * Starting the transition: the lifecycle template link, offered once the permission framework
 * says the user holds `goldenpaths.lifecycle.transition` on the entity (§6.4). While it loads, and
 * on DENY, a disabled button stands in its place; on DENY it names the permission. The template's
 * action checks the same permission with the user's credentials, so it stays the authority.
 */
function StartTransition(props: {
  entityRef: string;
  transition: Transition;
  href: string;
}) {
  const gate = usePermissionGate({
    permission: goldenPathsLifecycleTransitionPermission,
    resourceRef: props.entityRef,
  });
  const deniedId = useId();
  const label = `Start ${props.transition} with the lifecycle template`;
  if (!gate.disabled) return <Link to={props.href}>{label}</Link>;
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        disabled
        aria-describedby={gate.denied ? deniedId : undefined}
      >
        {label}
      </Button>
      {gate.denied && (
        <DeniedNote id={deniedId}>
          {`You may not run lifecycle transitions on ${props.entityRef}: it needs goldenpaths.lifecycle.transition.`}
        </DeniedNote>
      )}
    </>
  );
}

/**
 * Lifecycle card of the entity in context (§7): current state, allowed next transitions and, for
 * the selected one, every gate with pass, fail or unknown and its message (open to every reader:
 * the gates are a dry evaluation); a link to the lifecycle template for users who may run the
 * transition, to the request that created the entity, and that request's open drift.
 */
export function EntityLifecycleCard() {
  const { entity } = useEntity();
  const classes = useStyles();
  const focusRing = useFocusRing();
  const links = useGoldenPathsLinks();
  const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
  const requestKey = entity.metadata.annotations?.[REQUEST_KEY_ANNOTATION];
  const state = lifecycleOf(entity);
  const allowed = allowedTransitions(state);
  const [choice, setSelected] = useState<Transition | undefined>(allowed[0]);
  // The entity may change state under the card: fall back to the first allowed transition.
  const selected = choice && allowed.includes(choice) ? choice : allowed[0];

  if (!requestKey) {
    return (
      <InfoCard title="Lifecycle" titleTypographyProps={CARD_TITLE_HEADING}>
        <EmptyState
          missing="info"
          title="Not created by a golden path"
          description={`${entityRef} has no ${REQUEST_KEY_ANNOTATION} annotation, so its lifecycle is changed through its repository's own process.`}
        />
      </InfoCard>
    );
  }

  return (
    <InfoCard
      title="Lifecycle"
      subheader={`Current state: ${state}`}
      titleTypographyProps={CARD_TITLE_HEADING}
    >
      <Typography variant="body1" data-testid="lifecycle-state">
        State: <strong>{state}</strong>
      </Typography>
      <Typography variant="body2">
        Created by request{' '}
        <Link to={links.request(requestKey)} data-testid="lifecycle-request">
          {requestKey}
        </Link>
      </Typography>
      <LifecycleDrift requestKey={requestKey} />
      <LifecycleDates entity={entity} />

      <Box className={classes.section}>
        <Typography variant="subtitle2" component="h3" id="gp-next-heading">
          Next transitions
        </Typography>
        {allowed.length === 0 ? (
          <Typography variant="body2">
            No transition is allowed from {state}.
          </Typography>
        ) : (
          <ToggleButtonGroup
            exclusive
            size="small"
            value={selected}
            onChange={(_e, value: Transition | null) => {
              if (value) setSelected(value);
            }}
            aria-labelledby="gp-next-heading"
          >
            {allowed.map(t => (
              <ToggleButton
                key={t}
                value={t}
                aria-label={`${t} to ${TRANSITION_TABLE[t].to}`}
                focusVisibleClassName={focusRing}
              >
                {t} → {TRANSITION_TABLE[t].to}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        )}
      </Box>

      {selected && (
        <Box
          className={classes.section}
          component="section"
          aria-labelledby="gp-gates-heading"
        >
          <Typography variant="subtitle2" component="h3" id="gp-gates-heading">
            Gates for {selected}
          </Typography>
          <GateResults entityRef={entityRef} transition={selected} />
          <Box mt={1}>
            <StartTransition
              entityRef={entityRef}
              transition={selected}
              href={lifecycleTemplateHref(
                links.lifecycleTemplate(),
                entityRef,
                selected,
              )}
            />
          </Box>
        </Box>
      )}
    </InfoCard>
  );
}
