import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
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

function SwitchLine(props: { blocking: BlockingSwitch }) {
  const { state } = props.blocking;
  return (
    <li>
      <strong>{switchLabel(props.blocking)}</strong> is switched off
      {state.since ? ` since ${formatInstant(state.since)}` : ''}:{' '}
      {state.reason ?? 'no reason given'}.
    </li>
  );
}

/**
 * The kill switches that refuse a template, shown on the template's form (§4.7) so nobody fills
 * a whole form to learn it at the run's first step. Display only: it never changes the form's
 * values. The switches come from `GET /kill-switches`; the template's steps from the catalog,
 * read only when an action switch could refuse (as the backend's ledger open does).
 */
export function GoldenPathAvailability(props: { template: string }) {
  const goldenPaths = useApi(goldenPathsApiRef);
  const catalog = useApi(catalogApiRef);
  const links = useGoldenPathsLinks();
  const result = useAsyncResult(async () => {
    const ref = templateRefOf(props.template);
    const switches = await goldenPaths.getKillSwitches();
    let steps: TemplateStep[] | undefined;
    if (templateStepsDecide(switches, ref.name)) {
      const entity = await catalog.getEntityByRef(ref);
      if (!entity)
        throw new Error(
          `template ${stringifyEntityRef(ref)} is not in the catalog`,
        );
      steps = templateStepsOf(entity) ?? [];
    }
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
  const refused = availability.refusedBy.length > 0;
  if (!refused && !configError) return null;
  return (
    <Alert severity="warning" data-testid="golden-path-availability">
      <AlertTitle>
        {refused
          ? 'This golden path is switched off'
          : 'Golden-path runs are refused'}
      </AlertTitle>
      {availability.blocking.length > 0 && (
        <ul aria-label="Kill switches that stop this template">
          {availability.blocking.map(b => (
            <SwitchLine key={`${b.scope}/${b.id}`} blocking={b} />
          ))}
        </ul>
      )}
      {configError && <Typography variant="body2">{configError}</Typography>}
      <Typography variant="body2">
        A run started now is refused at its first golden-path checks, before
        anything is created; you can fill in the form, but it will not run until
        this is lifted.{' '}
        <Link to={links.killSwitches()}>See the kill switches</Link>
      </Typography>
      {refused && (
        // The rules only: validate refuses with every config switch's line, ledger:open with the
        // first of the merged ones, so the exact text depends on where each switch was set.
        <Typography
          variant="body2"
          data-testid="golden-path-availability-refusal"
        >
          The run will be refused ({availability.refusedBy.join(', ')}).
        </Typography>
      )}
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
