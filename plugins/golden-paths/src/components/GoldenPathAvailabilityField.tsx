import { ReactNode } from 'react';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import {
  CompoundEntityRef,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/frontend-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  templateStepsDecide,
  templateStepsOf,
  type TemplateStep,
} from '@internal/plugin-golden-paths-common';
import { useAsyncResult } from '@internal/suite-react';
import { useParams } from 'react-router-dom';
import { errorMessage, goldenPathsApiRef } from '../api';
import { formatInstant } from './format';
import {
  BlockingSwitch,
  goldenPathAvailability,
} from './goldenPathAvailability';
import { useGoldenPathsLinks } from './links';

/** The name templates give the field in `ui:field`. */
export const GOLDEN_PATH_AVAILABILITY_FIELD = 'GoldenPathAvailability';

/** `ui:options` of the field. */
export interface GoldenPathAvailabilityUiOptions {
  /**
   * The template to check: its name (`service-node-http`) or entity ref. On the scaffolder's
   * template page the page's own template (its route) wins.
   */
  template?: string;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * The template ref a template name or ref names (kind template, namespace default), lower-cased
 * as the switch ids and the backend's template refs are: a template switch is keyed by the
 * lower-case name, and the backend's `findTemplate` compares names lower-cased.
 */
function templateRefOf(template: string): CompoundEntityRef {
  const ref = parseEntityRef(template, {
    defaultKind: 'template',
    defaultNamespace: 'default',
  });
  return {
    kind: lower(ref.kind),
    namespace: lower(ref.namespace),
    name: lower(ref.name),
  };
}

/**
 * The template the scaffolder's template page shows, from its route
 * (`/create/templates/:namespace/:templateName`, scaffolder 1.41; the legacy
 * `/templates/:templateName` has no namespace), or undefined elsewhere (the template editor's
 * form preview). Names the template that actually runs, where `ui:options.template` may be a
 * copied template's original or miss its namespace.
 */
function useRouteTemplate(): string | undefined {
  const { namespace, templateName } = useParams();
  if (!templateName) return undefined;
  return stringifyEntityRef({
    kind: 'template',
    namespace: namespace || 'default',
    name: templateName,
  });
}

function switchLabel(s: BlockingSwitch): string {
  if (s.scope === 'all') return 'All golden paths (kill switch all)';
  if (s.scope === 'template')
    return `Template ${s.id} (kill switch template/${s.id})`;
  const used = s.steps.length ? `, used by step ${s.steps.join(', ')}` : '';
  return `Action ${s.id} (kill switch action/${s.id}${used})`;
}

/** One switch that refuses: "<which> is switched off since <when>: <reason>." */
function switchSentence(blocking: BlockingSwitch): ReactNode {
  const { state } = blocking;
  return (
    <>
      <strong>{switchLabel(blocking)}</strong> is switched off
      {state.since ? ` since ${formatInstant(state.since)}` : ''}:{' '}
      {state.reason ?? 'no reason given'}.
    </>
  );
}

/** How long the template's steps are waited for when they do not decide a switch. */
const STEPS_WAIT_MS = 2000;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise's outcome as a value, so that it can be started early and raced. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    value => ({ ok: true, value }),
    error => ({ ok: false, error }),
  );
}

/** `settled`, or a failure once `ms` passed without it (the timer cleared either way). */
function within<T>(settled: Promise<Settled<T>>, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<Settled<T>>(resolve => {
    timer = setTimeout(
      () => resolve({ ok: false, error: new Error('timed out') }),
      ms,
    );
  });
  return Promise.race([settled, late]).finally(() => clearTimeout(timer));
}

const useStyles = makeStyles(theme => ({
  // short paragraphs, closer together than Typography's `paragraph` inside an alert
  para: { margin: theme.spacing(0, 0, 1), '&:last-child': { marginBottom: 0 } },
  list: { margin: theme.spacing(0, 0, 1), paddingLeft: theme.spacing(2.5) },
}));

/** What is off: one switch as a sentence, several as a list. */
function BlockingSwitches(props: { blocking: BlockingSwitch[] }) {
  const classes = useStyles();
  const { blocking } = props;
  if (blocking.length === 0) return null;
  if (blocking.length === 1)
    return (
      <Typography
        variant="body2"
        className={classes.para}
        data-testid="golden-path-availability-switch"
      >
        {switchSentence(blocking[0])}
      </Typography>
    );
  return (
    <ul
      className={classes.list}
      aria-label="Kill switches that stop this template"
    >
      {blocking.map(b => (
        <li key={`${b.scope}/${b.id}`}>{switchSentence(b)}</li>
      ))}
    </ul>
  );
}

/**
 * The kill switches that refuse a template, shown on the template's form (§4.7) so nobody fills
 * a whole form to learn it at the run's first step. Display only: it never changes the form's
 * values. The switches come from `GET /kill-switches`; the template's steps from the catalog:
 * they say whether the template is a golden path, and which action switches refuse it.
 */
export function GoldenPathAvailability(props: { template: string }) {
  const goldenPaths = useApi(goldenPathsApiRef);
  const catalog = useApi(catalogApiRef);
  const links = useGoldenPathsLinks();
  const classes = useStyles();
  const result = useAsyncResult(async () => {
    const ref = templateRefOf(props.template);
    // Both reads start at once: the steps are wanted on every open (are they a golden path?).
    const entity = settle(catalog.getEntityByRef(ref));
    const switches = await goldenPaths.getKillSwitches();
    // The steps say whether the template is a golden path at all (a template without
    // validate or ledger:open is refused by no switch, so the field stays silent on it), and
    // which action switches refuse it. Only the latter needs them: when they do not decide,
    // a failed or slow read (a freeze is when the catalog may be slow) leaves the template taken
    // for a golden path rather than holding back the warning of an `all` or template switch.
    const decide = templateStepsDecide(switches, ref.name);
    const read = await (decide ? entity : within(entity, STEPS_WAIT_MS));
    if (decide) {
      if (!read.ok) throw read.error;
      if (!read.value)
        throw new Error(
          `template ${stringifyEntityRef(ref)} is not in the catalog`,
        );
    }
    const steps: TemplateStep[] | undefined =
      read.ok && read.value ? templateStepsOf(read.value) ?? [] : undefined;
    const availability = goldenPathAvailability(switches, {
      name: ref.name,
      steps,
    });
    return {
      availability,
      // a template that runs no golden-path check is not refused by a broken config either
      configError: availability.goldenPath ? switches.configError : undefined,
    };
  }, [props.template, goldenPaths, catalog]);

  if (result.loading) {
    return (
      <LinearProgress aria-label="Checking the golden-path kill switches" />
    );
  }
  if (result.error) {
    return (
      <Alert severity="info" data-testid="golden-path-availability-error">
        Could not check golden-path kill switches: {errorMessage(result.error)}
      </Alert>
    );
  }
  const { availability, configError } = result.value;
  // a template that runs no golden-path check has nothing to say here
  if (!availability.goldenPath) return null;
  const refused = availability.refusedBy.length > 0;
  if (!refused && !configError) {
    // The scaffolder lays out the field's grid cell either way: an empty one left a gap above
    // the first field, so the cell says what was checked.
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        data-testid="golden-path-availability-clear"
      >
        No kill switch stops this golden path.
      </Typography>
    );
  }
  return (
    <Alert severity="warning" data-testid="golden-path-availability">
      <AlertTitle>
        {refused
          ? 'This golden path is switched off'
          : 'Golden-path runs are refused'}
      </AlertTitle>
      {/* what is off → what a run does → where to see (and lift) it */}
      <BlockingSwitches blocking={availability.blocking} />
      {configError && (
        <Typography variant="body2" className={classes.para}>
          {configError}
        </Typography>
      )}
      <Typography variant="body2" className={classes.para}>
        A run started now is refused at its first golden-path checks, before
        anything is created; you can fill in the form, but it will not run until
        this is lifted.
      </Typography>
      {refused && (
        // The rules only: validate refuses with every config switch's line, ledger:open with the
        // first of the merged ones, so the exact text depends on where each switch was set.
        <Typography
          variant="body2"
          className={classes.para}
          data-testid="golden-path-availability-refusal"
        >
          The run will be refused ({availability.refusedBy.join(', ')}).
        </Typography>
      )}
      <Typography variant="body2" className={classes.para}>
        <Link to={links.killSwitches()}>See the kill switches</Link>
      </Typography>
    </Alert>
  );
}

/**
 * The `GoldenPathAvailability` scaffolder field: {@link GoldenPathAvailability} for the template
 * of the scaffolder page it is on (its route), else the one named in `ui:options.template`. It
 * never calls `onChange`, so the form's values (which the golden-path templates pass to
 * validate, whose request schemas are strict) never hold it; an app without the field sets it
 * to null, which validate drops (a `type: 'null'` parameter).
 */
export function GoldenPathAvailabilityField(
  props: FieldExtensionComponentProps<unknown, GoldenPathAvailabilityUiOptions>,
) {
  const routeTemplate = useRouteTemplate();
  const template = routeTemplate ?? props.uiSchema?.['ui:options']?.template;
  if (!template) {
    return (
      <Alert severity="info">
        Could not check golden-path kill switches: the field has no
        ui:options.template.
      </Alert>
    );
  }
  return <GoldenPathAvailability template={template} />;
}
