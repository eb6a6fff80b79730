import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  dryRunFromRecord,
  templateNameOf,
  templatesUsingAction,
  type DryRunCoverage,
  type KillSwitchScope,
  type KillSwitchView,
  type LastDryRunAnswer,
  type TemplateStepsView,
} from '@internal/plugin-golden-paths-common';
import type { Knex } from 'knex';
import { dryRunOpenEventsNewestFirst } from '../../database/dryRunEvents';

/**
 * The Template entities of the catalog with their steps: which golden paths an action switch
 * covers (§4.7: validate checks every action id in the template entity's `spec.steps`).
 */
export interface TemplateSteps {
  templates(): Promise<TemplateStepsView[]>;
}

/** A fixed list (tests, or adopters with their own source). */
export function staticTemplateSteps(
  templates: TemplateStepsView[],
): TemplateSteps {
  return { templates: async () => templates };
}

/**
 * Reads Template entities (name and steps only) from the catalog REST API with the plugin's own
 * service token, cached for `ttlMs` (default 30 s), as the group directory reads groups.
 */
export function catalogTemplateSteps(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  ttlMs?: number;
}): TemplateSteps {
  let cached: { at: number; templates: TemplateStepsView[] } | undefined;
  const ttl = options.ttlMs ?? 30_000;
  return {
    async templates() {
      if (cached && Date.now() - cached.at < ttl) return cached.templates;
      const base = await options.discovery.getBaseUrl('catalog');
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: await options.auth.getOwnServiceCredentials(),
        targetPluginId: 'catalog',
      });
      const res = await fetch(
        `${base}/entities?filter=kind=template&fields=metadata.name,spec.steps`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (!res.ok) {
        throw new Error(
          `catalog answered ${res.status} when reading templates`,
        );
      }
      cached = {
        at: Date.now(),
        templates: (await res.json()) as TemplateStepsView[],
      };
      return cached.templates;
    },
  };
}

/** Since when the switch being lifted is off: its runtime row, else the merged (config) state. */
export function switchedOffSince(
  view: KillSwitchView,
  scope: KillSwitchScope,
  id: string,
  now: string,
): string | undefined {
  const row = view.sources.runtime.find(
    r =>
      r.scope === scope &&
      r.id === id &&
      r.disabled &&
      !(r.until && r.until <= now),
  );
  if (row) return row.setAt;
  let state = view.all;
  if (scope === 'template') state = view.templates[id];
  else if (scope === 'action') state = view.actions[id];
  return state?.disabled ? state.since : undefined;
}

/**
 * The last dry run of the golden paths a kill switch covers (§4.7), for the operator who lifts
 * it: `all` covers every template, a template switch that template, an action switch the
 * templates whose steps use the action. A dry run leaves its trace when ledger:open runs in it
 * (§4.6); one that stopped at validate leaves none and is not shown.
 */
export class LastDryRunService {
  constructor(
    private readonly deps: {
      db: Knex;
      killSwitches: { current(now: string): Promise<KillSwitchView> };
      templateSteps: TemplateSteps;
    },
  ) {}

  async forSwitch(
    scope: KillSwitchScope,
    id: string,
    now: string,
  ): Promise<LastDryRunAnswer> {
    const covers = await this.coverage(scope, id);
    const since = switchedOffSince(
      await this.deps.killSwitches.current(now),
      scope,
      id,
      now,
    );
    const answer: LastDryRunAnswer = {
      scope,
      id,
      covers,
      ...(since ? { switchedOffSince: since } : {}),
    };
    if (covers.kind === 'unknown') return answer;
    if (covers.kind === 'templates' && covers.templates.length === 0) {
      return answer;
    }
    const wanted =
      covers.kind === 'templates' ? new Set(covers.templates) : undefined;
    for await (const event of dryRunOpenEventsNewestFirst(this.deps.db)) {
      const ref = event.record.templateRef;
      if (
        wanted &&
        !(typeof ref === 'string' && wanted.has(templateNameOf(ref)))
      ) {
        continue;
      }
      const view = dryRunFromRecord(event, since);
      if (view) return { ...answer, lastDryRun: view };
    }
    return answer;
  }

  private async coverage(
    scope: KillSwitchScope,
    id: string,
  ): Promise<DryRunCoverage> {
    if (scope === 'all') return { kind: 'all' };
    if (scope === 'template') return { kind: 'templates', templates: [id] };
    try {
      return {
        kind: 'templates',
        templates: templatesUsingAction(
          await this.deps.templateSteps.templates(),
          id,
        ),
      };
    } catch (e) {
      return {
        kind: 'unknown',
        message: `the templates that use ${id} could not be read from the catalog (${
          (e as Error).message
        }), so no dry run can be matched to the switch`,
      };
    }
  }
}
