import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  normalizeEntityRef,
  templateStepsDecide,
  templateStepsOf,
  type KillSwitches,
  type TemplateStep,
  type TemplateStepsView,
} from '@internal/plugin-golden-paths-common';
import type { TemplateSteps } from './dryRuns/lastDryRun';

/** One step of a template as the kill switches see it (§4.7): its id and its action. */
export type OpenTemplateStep = TemplateStep;

/** The template a `ledger:open` is checked against: its name and, when known, its steps. */
export interface OpenTemplate {
  name: string;
  steps?: OpenTemplateStep[];
}

/** Which template an open runs: the body's `templateRef` when sent, else its name only. */
export interface WantedTemplate {
  name: string;
  /** `kind:namespace/name` (the open body's `templateRef`). */
  ref?: string;
}

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/** A catalog template's ref, lower-cased, with the catalog's defaults for kind and namespace. */
function refOf(t: TemplateStepsView): string {
  return lower(
    `${t.kind ?? 'Template'}:${t.metadata.namespace ?? 'default'}/${
      t.metadata.name
    }`,
  );
}

/**
 * The catalog template an open runs: the one whose ref (kind, namespace, name, normalized) is the
 * wanted `ref` when one is sent, so two templates of one name in two namespaces are told apart;
 * else the first named `name`. Names are compared lower-cased, as the template switch ids are
 * (`killSwitchId`).
 */
export function findTemplate(
  templates: readonly TemplateStepsView[],
  wanted: WantedTemplate,
): TemplateStepsView | undefined {
  if (wanted.ref) {
    const ref = normalizeEntityRef(wanted.ref, 'template') ?? lower(wanted.ref);
    return templates.find(t => refOf(t) === ref);
  }
  const name = lower(wanted.name);
  return templates.find(t => lower(t.metadata.name) === name);
}

/**
 * The template `POST /requests/:key/open` checks the kill switches on (§4.7): the name the body
 * sends, with the steps it sends, else those of the backend's cached catalog read of the
 * template (the one the lift dialog's coverage uses), so the scaffolder need not read the catalog
 * on every run. Steps in the body win: the caller read them for this run, while the cache may be
 * up to its TTL old. A template the cached read lacks (registered since) makes the source
 * `refresh` once, which it rate-limits, so an open names a new template's steps at once. The
 * catalog is read only when the steps can change the answer
 * (`templateStepsDecide`: an action switch is off, and neither `all` nor the template's switch is), so a
 * slow or failing catalog does not slow opens while no action switch is off. Without steps (the
 * read failed, the template is not among those read, or it lists none; each logged as a
 * warning) the open checks `all` and the template switch only; each step's claim still checks
 * its action.
 */
export async function templateForOpen(p: {
  template: { name: string; steps?: OpenTemplateStep[] };
  /** The open body's `templateRef`, which picks the catalog template (namespace included). */
  templateRef?: string;
  switches: KillSwitches | undefined;
  templateSteps: TemplateSteps;
  logger: LoggerService;
}): Promise<OpenTemplate> {
  const { name } = p.template;
  if (p.template.steps) return { name, steps: p.template.steps };
  if (!templateStepsDecide(p.switches, name)) return { name };
  const which = p.templateRef ?? `template "${name}"`;
  const checkedAtClaim =
    'the runtime action switches are checked at each step claim only';
  const wanted = { name, ref: p.templateRef };
  let entity: TemplateStepsView | undefined;
  try {
    entity = findTemplate(await p.templateSteps.templates(), wanted);
    // a template registered since the cached read: read once more (rate-limited by the source)
    if (!entity && p.templateSteps.refresh) {
      entity = findTemplate(await p.templateSteps.refresh(), wanted);
    }
  } catch (e) {
    p.logger.warn(
      `ledger open of ${which}: its steps could not be read (${
        (e as Error).message
      }); ${checkedAtClaim}`,
    );
    return { name };
  }
  const steps = entity && templateStepsOf(entity);
  if (!steps) {
    p.logger.warn(
      `ledger open of ${which}: ${
        entity
          ? 'the catalog template lists no steps'
          : 'no such template among the catalog templates read (the cached read may predate it)'
      }; ${checkedAtClaim}`,
    );
    return { name };
  }
  return { name, steps };
}
