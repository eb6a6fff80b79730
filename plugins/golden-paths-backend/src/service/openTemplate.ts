import type { LoggerService } from '@backstage/backend-plugin-api';
import type { TemplateStepsView } from '@internal/plugin-golden-paths-common';
import type { TemplateSteps } from './dryRuns/lastDryRun';

/** One step of a template as the kill switches see it (§4.7): its id and its action. */
export interface OpenTemplateStep {
  id: string;
  action: string;
}

/** The template a `ledger:open` is checked against: its name and, when known, its steps. */
export interface OpenTemplate {
  name: string;
  steps?: OpenTemplateStep[];
}

/**
 * The steps the catalog lists for the template `name` (`spec.steps`; a step without an id is
 * named by its position, `step-<n>`, as the scaffolder module names it), or undefined when the
 * catalog has no such template or it lists no steps. Names are compared lower-cased, as the
 * template switch ids are (`killSwitchId`).
 */
export function stepsOfTemplate(
  templates: readonly TemplateStepsView[],
  name: string,
): OpenTemplateStep[] | undefined {
  const wanted = name.toLocaleLowerCase('en-US');
  const entity = templates.find(
    t => t.metadata.name.toLocaleLowerCase('en-US') === wanted,
  );
  const raw = entity?.spec?.steps;
  if (!Array.isArray(raw)) return undefined;
  return raw
    .filter(
      (s): s is { id?: unknown; action: string } =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as { action?: unknown }).action === 'string',
    )
    .map((s, i) => ({
      id: typeof s.id === 'string' ? s.id : `step-${i + 1}`,
      action: s.action,
    }));
}

/**
 * The template `POST /requests/:key/open` checks the kill switches on (§4.7): the name the body
 * sends, with the steps it sends, else those of the backend's cached catalog read of the
 * template (the one the lift dialog's coverage uses), so the scaffolder need not read the catalog
 * on every run. Steps in the body win: the caller read them for this run, while the cache may be
 * up to its TTL old. Without steps (the catalog read failed or lists none) the open checks `all`
 * and the template switch only; each step's claim still checks its action.
 */
export async function templateForOpen(
  template: { name: string; steps?: OpenTemplateStep[] },
  templateSteps: TemplateSteps,
  logger: LoggerService,
): Promise<OpenTemplate> {
  const { name } = template;
  if (template.steps) return { name, steps: template.steps };
  let steps: OpenTemplateStep[] | undefined;
  try {
    steps = stepsOfTemplate(await templateSteps.templates(), name);
  } catch (e) {
    logger.warn(
      `ledger open of template "${name}": its steps could not be read (${
        (e as Error).message
      }); the runtime action switches are checked at each step's claim only`,
    );
    return { name };
  }
  return steps ? { name, steps } : { name };
}
