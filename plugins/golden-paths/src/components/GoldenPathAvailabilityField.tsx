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
  /** The template to check: its name (`service-node-http`) or entity ref. */
  template?: string;
}

/** The template ref a `ui:options.template` names (kind template, namespace default). */
function templateRefOf(template: string): CompoundEntityRef {
  return parseEntityRef(template, {
    defaultKind: 'template',
    defaultNamespace: 'default',
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
    return {
      availability: goldenPathAvailability(switches, { name: ref.name, steps }),
      configError: switches.configError,
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
  if (!availability.refusal && !configError) return null;
  return (
    <Alert severity="warning" data-testid="golden-path-availability">
      <AlertTitle>
        {availability.refusal
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
      {availability.refusal && (
        <Typography variant="body2" component="div">
          The run would stop with:{' '}
          <code data-testid="golden-path-availability-refusal">
            {availability.refusal.message}
          </code>
        </Typography>
      )}
    </Alert>
  );
}

/**
 * The `GoldenPathAvailability` scaffolder field: {@link GoldenPathAvailability} for the template
 * named in `ui:options.template`. It never calls `onChange`, so the form's values (which the
 * golden-path templates pass to validate, whose request schemas are strict) never hold it.
 */
export function GoldenPathAvailabilityField(
  props: FieldExtensionComponentProps<unknown, GoldenPathAvailabilityUiOptions>,
) {
  const template = props.uiSchema?.['ui:options']?.template;
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
