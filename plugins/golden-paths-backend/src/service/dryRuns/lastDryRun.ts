import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  dryRunFromRecord,
  isKillSwitchRefusal,
  switchLifted,
  templateNameOf,
  templatesNamed,
  templatesUsingAction,
  withoutRequestDetails,
  type DryRunCoverage,
  type DryRunView,
  type KillSwitchScope,
  type KillSwitchView,
  type LastDryRunAnswer,
  type TemplateStepsView,
} from '@internal/plugin-golden-paths-common';
import type { Knex } from 'knex';
import { cachedCatalogRead } from '../catalogRead';
import {
  DRY_RUN_MAX_PAGES,
  DRY_RUN_PAGE_SIZE,
  dryRunOpenEventsNewestFirst,
} from '../../database/dryRunEvents';

/**
 * The Template entities of the catalog with their steps: which golden paths an action switch
 * covers (§4.7: validate checks every action id in the template entity's `spec.steps`).
 */
export interface TemplateSteps {
  templates(): Promise<TemplateStepsView[]>;
  /**
   * Reads the templates anew past any cache, for a caller that did not find the template it
   * looks for (registered since the cached read); a source without a cache leaves it out.
   */
  refresh?(): Promise<TemplateStepsView[]>;
}

/** A fixed list (tests, or adopters with their own source). */
export function staticTemplateSteps(
  templates: TemplateStepsView[],
): TemplateSteps {
  return { templates: async () => templates };
}

/**
 * Reads Template entities (kind, namespace, name and steps only) from the catalog REST API with the plugin's own
 * service token, cached for `ttlMs` (default 30 s), as the group directory reads groups. The
 * read gives up after `timeoutMs` (default 5 s): the lift dialog waits for it, and a catalog
 * that does not answer makes the coverage unknown rather than the dialog spin. `refresh` reads
 * anew at most once per `refreshIntervalMs` (default 30 s; `cachedCatalogRead`).
 */
export function catalogTemplateSteps(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  ttlMs?: number;
  timeoutMs?: number;
  refreshIntervalMs?: number;
}): TemplateSteps {
  const read = cachedCatalogRead({
    ...options,
    timeoutMs: options.timeoutMs ?? 5_000,
    query:
      'filter=kind=template&fields=kind,metadata.name,metadata.namespace,spec.steps',
    what: 'templates',
    toValue: entities => entities as TemplateStepsView[],
  });
  return { templates: read, refresh: read.refresh };
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
      !switchLifted(r.until, Date.parse(now)),
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
 *
 * A dry run runs through the kill switches (§4.7: the operator SHOULD prove a no-op before
 * lifting): its record has the mode a real run would take and `wouldBeRefusedBy`, the refusal a
 * real run got then, so a dry run made while the switch is on is `lastDryRun`, after the switch.
 * Records written before that change are refusals (GP-K01/K02/K03 at ledger:open) that show
 * nothing of what would run: `lastDryRun` is the newest dry run a switch did not refuse and
 * `latestSwitchRefusal` the newest such refusal after it. The walk reads at
 * most `search.maxPages` pages of `search.pageSize` records and says in `searched` whether it
 * stopped there.
 */
export class LastDryRunService {
  constructor(
    private readonly deps: {
      db: Knex;
      /**
       * The operator's view (`KillSwitchService.operatorView`): a malformed reloaded config is
       * named in its `configError` instead of failing the answer, as GET /kill-switches does.
       */
      killSwitches: { operatorView(now: string): Promise<KillSwitchView> };
      templateSteps: TemplateSteps;
      search?: { pageSize: number; maxPages: number };
    },
  ) {}

  /**
   * `requestDetails: false` (a caller without `goldenpaths.request.read`) leaves out the
   * request-level fields of the dry runs and says so in `withheld`.
   */
  async forSwitch(
    scope: KillSwitchScope,
    id: string,
    now: string,
    options: { requestDetails: boolean },
  ): Promise<LastDryRunAnswer> {
    const answer = await this.search(scope, id, now);
    return options.requestDetails ? answer : withoutRequestDetails(answer);
  }

  private async search(
    scope: KillSwitchScope,
    id: string,
    now: string,
  ): Promise<LastDryRunAnswer> {
    const covers = await this.coverage(scope, id);
    const switches = await this.deps.killSwitches.operatorView(now);
    const since = switchedOffSince(switches, scope, id, now);
    const answer: LastDryRunAnswer = {
      scope,
      id,
      covers,
      ...(since ? { switchedOffSince: since } : {}),
      ...(switches.configError ? { configError: switches.configError } : {}),
    };
    if (covers.kind === 'unknown') return answer;
    if (covers.kind === 'templates' && covers.templates.length === 0) {
      return answer;
    }
    const wanted =
      covers.kind === 'templates' ? new Set(covers.templates) : undefined;
    const { pageSize, maxPages } = this.deps.search ?? {
      pageSize: DRY_RUN_PAGE_SIZE,
      maxPages: DRY_RUN_MAX_PAGES,
    };
    let records = 0;
    let refusal: DryRunView | undefined;
    const found = (lastDryRun: DryRunView | undefined, complete: boolean) => ({
      ...answer,
      ...(lastDryRun ? { lastDryRun } : {}),
      ...(refusal ? { latestSwitchRefusal: refusal } : {}),
      searched: { records, complete },
    });
    for await (const event of dryRunOpenEventsNewestFirst(
      this.deps.db,
      pageSize,
      maxPages,
    )) {
      records += 1;
      const ref = event.record.templateRef;
      if (
        wanted &&
        !(typeof ref === 'string' && wanted.has(templateNameOf(ref)))
      ) {
        continue;
      }
      const view = dryRunFromRecord(event, since);
      if (!view) continue;
      if (!isKillSwitchRefusal(view)) return found(view, true);
      refusal ??= view;
    }
    // The walk ended at the oldest record, or at its bound, past which older ones may exist
    // (with exactly `pageSize * maxPages` records it cannot tell, and says it stopped).
    return found(undefined, records < pageSize * maxPages);
  }

  /**
   * The catalog's templates the switch covers: a template switch the Template entities of that
   * name, an action switch those whose steps use the action. None means the switch stops
   * nothing (a typo, or a template not registered yet), which the operator is told before
   * throwing it; a cached read that finds none is read anew, as a template may have been
   * registered since.
   */
  private async coverage(
    scope: KillSwitchScope,
    id: string,
  ): Promise<DryRunCoverage> {
    if (scope === 'all') return { kind: 'all' };
    const covered = (templates: TemplateStepsView[]) =>
      scope === 'template'
        ? templatesNamed(templates, id)
        : templatesUsingAction(templates, id);
    try {
      const { templateSteps } = this.deps;
      let templates = covered(await templateSteps.templates());
      if (templates.length === 0 && templateSteps.refresh) {
        templates = covered(await templateSteps.refresh());
      }
      return { kind: 'templates', templates };
    } catch (e) {
      // A template switch matches its name whatever the catalog says: its dry runs are still
      // found by that name.
      if (scope === 'template') return { kind: 'templates', templates: [id] };
      return {
        kind: 'unknown',
        message: `the templates that use ${id} could not be read from the catalog (${
          (e as Error).message
        }), so no dry run can be matched to the switch`,
      };
    }
  }
}
