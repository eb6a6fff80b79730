import type {
  BackstageCredentials,
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  allowedTransitions,
  declaredDependents,
  DEFAULT_GOLDEN_PATHS_CONFIG,
  DEFAULT_LEVELS,
  evaluateTransition,
  GP_KEYS,
  lifecycleOf,
  normalizeEntityRef,
  ownedResources,
  refOf,
  relationTargets,
  specRefs,
  TRANSITIONS,
  undeprecatedEntity,
  unseen,
  type Dependent,
  type GoldenPathsConfig,
  type LifecycleFacts,
  type LifecycleGateView,
  type LifecycleGatesAnswer,
  type Transition,
  type TransitionEvaluation,
} from '@internal/plugin-golden-paths-common';
import { z } from 'zod';
import type { ApprovalsConfig } from './approvals';
import type {
  LifecycleCaller,
  LifecycleGatesSources,
  ScorecardReading,
} from './lifecycleGatesSources';
import {
  FailureLog,
  fullRef,
  isIsoDate,
  oneOf,
  readConfigNumber,
  shown as shownValue,
} from '@internal/suite-node';

/** Query of `GET /lifecycle/gates` (§4.8); the T5 fields are optional inputs of G-D1. */
export const lifecycleGatesQuery = z
  .object({
    entityRef: fullRef('entityRef'),
    to: oneOf('to', TRANSITIONS),
    replacement: z
      .string({ error: 'replacement must be an entity ref or "none"' })
      .trim()
      .min(1, 'replacement must be an entity ref or "none"')
      .optional(),
    sunsetOn: z
      .string({ error: 'sunsetOn must be a date (YYYY-MM-DD)' })
      // a day that exists: 2027-02-31 would be read as 3 March
      .refine(isIsoDate, {
        error: iss =>
          `sunsetOn must be a date (YYYY-MM-DD) that exists (got ${shownValue(
            iss.input,
          )})`,
      })
      .optional(),
    reason: z
      .string({ error: 'reason must be text' })
      .max(500, 'reason must be at most 500 characters')
      .optional(),
  })
  .strict();

export type { LifecycleGateView, LifecycleGatesAnswer };

/** `goldenPaths.lifecycle` and `goldenPaths.levels` over the §9 defaults, with the approval routes. */
export function readLifecycleConfig(
  config: RootConfigService,
  approvals: ApprovalsConfig,
): GoldenPathsConfig {
  const defaults = DEFAULT_GOLDEN_PATHS_CONFIG;
  const d = defaults.lifecycle;
  // A staging deploy within 0 days cannot exist (G-P2 would refuse every promotion); 0 quiet
  // days or 0 days archived are settings: no quiet period, delete right after archiving.
  const days = (key: string, fallback: number, min?: 0) =>
    readConfigNumber(
      config,
      `goldenPaths.lifecycle.${key}`,
      fallback,
      min === 0 ? { min } : { above: 0 },
    );
  const levels = config.getOptionalStringArray('goldenPaths.levels') ?? [
    ...DEFAULT_LEVELS,
  ];
  const minLevel =
    config.getOptionalString('goldenPaths.lifecycle.promote.minLevel') ??
    d.promote.minLevel;
  // A level the list does not hold ranks below every level, so G-P1 would pass everything.
  if (!levels.includes(minLevel)) {
    throw new Error(
      `goldenPaths.lifecycle.promote.minLevel must be one of goldenPaths.levels (${levels.join(
        ', ',
      )}); got ${JSON.stringify(minLevel)}`,
    );
  }
  return {
    ...defaults,
    approvals,
    levels,
    lifecycle: {
      promote: {
        minLevel,
        stagingDeployWithinDays: days(
          'promote.stagingDeployWithinDays',
          d.promote.stagingDeployWithinDays,
        ),
      },
      archive: {
        quietDays: days('archive.quietDays', d.archive.quietDays, 0),
      },
      delete: {
        minArchivedDays: days(
          'delete.minArchivedDays',
          d.delete.minArchivedDays,
          0,
        ),
      },
    },
  };
}

const DAY_MS = 86_400_000;

function gateTitles(config: GoldenPathsConfig): Record<string, string> {
  const l = config.lifecycle;
  return {
    'G-P1': `Scorecard level ${l.promote.minLevel} or higher on fresh evidence`,
    'G-P2': `A successful staging deploy in the last ${l.promote.stagingDeployWithinDays} days`,
    'G-D1':
      'A replacement (or "none" with a reason) and a sunset date 30–365 days ahead',
    'G-A1': 'No declared dependents that are not archived',
    'G-A2': `No observed traffic in the last ${l.archive.quietDays} days`,
    'G-A3': 'Sunset date reached',
    'G-X1': 'No dependents in the catalog graph',
    'G-X2': `Archived for at least ${l.delete.minArchivedDays} days`,
    'G-X3': 'No owned resources or pending finalizers',
    'G-U1': 'The entity is still in the catalog',
    'golden-path': 'Created by a golden path',
    transition: 'Transition allowed from the current state',
  };
}

/** `4 min`, `3 h`, `5 d`: ages in GP-L03. */
export function formatAge(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/**
 * G-P1's facts from a scorecard (§2.3, §7.1): the blockers of every level up to `minLevel`
 * (fail or unknown: an unknown required check counts as not met), and the unknown ones whose
 * evidence exists but is too old (GP-L03).
 */
export function scorecardFacts(
  reading: ScorecardReading,
  config: GoldenPathsConfig,
): LifecycleFacts['scorecard'] {
  const levels = config.levels ?? DEFAULT_LEVELS;
  const max = levels.indexOf(config.lifecycle.promote.minLevel);
  const relevant = (reading.blockers ?? []).filter(b => {
    const rank = levels.indexOf(b.level);
    return rank >= 0 && rank <= max;
  });
  const blockers = [...new Set(relevant.map(b => b.checkId))];
  const unknown = relevant.flatMap(b => {
    if (b.state !== 'unknown') return [];
    const stale = (b.missing ?? []).find(
      m =>
        m.cause === 'stale' &&
        m.ageSeconds !== undefined &&
        m.freshForSeconds !== undefined,
    );
    return stale
      ? [
          {
            check: b.checkId,
            age: formatAge(stale.ageSeconds!),
            limit: formatAge(stale.freshForSeconds!),
          },
        ]
      : [];
  });
  return {
    level: reading.level ?? 'none',
    blockers,
    ...(unknown.length ? { unknown } : {}),
  };
}

/** G-X3's holds as the caller may read them: a hidden one counted, not named. */
function ownedAsSeenBy(
  refs: readonly string[],
  hidden: ReadonlySet<string>,
): string[] {
  const named = refs.filter(r => !hidden.has(r));
  const count = refs.length - named.length;
  if (count === 0) return named;
  return [...named, unseen(count, 'owned resource', 'owned resources')];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether the entity has a repository of its own: every golden-path entity but a database
 * Resource, which is one file of the shared infrastructure repository (§3.3), where no
 * `repository` finalizer runs (the scaffolder module's `descriptorHome`).
 */
function hasOwnRepository(entity: Entity): boolean {
  return !(
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    (entity.spec as { type?: unknown } | undefined)?.type === 'database'
  );
}

/**
 * The dry evaluation of §7 behind the Lifecycle card: reads the entity (as the caller), its
 * one-hop graph (catalog), the scorecard level, staging deploys, observed traffic and the
 * finalizers its archive left pending (our ledger, delete only) only when the transition needs
 * them, and runs the pure `evaluateTransition`. A source that cannot answer makes its gates
 * `unknown`, and the answer's decision with them.
 */
export class LifecycleGatesService {
  private readonly titles: Record<string, string>;
  private readonly failures: FailureLog;

  constructor(
    private readonly sources: LifecycleGatesSources,
    private readonly config: GoldenPathsConfig,
    private readonly logger: LoggerService,
  ) {
    this.titles = gateTitles(config);
    this.failures = new FailureLog(logger);
  }

  /** A source a gate reads answered: if its failure was logged, say it works again. */
  private sourceWorked(source: string) {
    this.failures.recovered(
      source,
      `lifecycle gates: the ${source} can be read again`,
    );
  }

  /**
   * A source a gate reads failed: the card says so (the gate is unknown); the log says it once
   * when it starts and every 10 minutes while it lasts, whichever entity's card is opened, with
   * each entity at debug (a card opened every few seconds during an outage wrote a warning each
   * time).
   */
  private sourceFailed(source: string, ref: string, error: unknown) {
    const text = error instanceof Error ? error.message : String(error);
    this.logger.debug(`lifecycle gates: ${source} of ${ref}: ${text}`);
    this.failures.failed(
      source,
      `lifecycle gates: the ${source} could not be read: ${text}`,
    );
  }

  async evaluate(
    p: z.output<typeof lifecycleGatesQuery> & {
      credentials: BackstageCredentials;
    },
    now: string,
  ): Promise<LifecycleGatesAnswer> {
    const entity = await this.sources.catalog.getEntity(
      p.entityRef,
      p.credentials,
    );
    if (!entity) {
      throw new NotFoundError(`entity ${p.entityRef} is not in the catalog`);
    }
    const from = lifecycleOf(entity);
    const transition = p.to;
    const unknown = new Map<string, string>();
    const facts: LifecycleFacts = { dependents: [], telemetryCovered: true };
    const request = {
      replacement: p.replacement,
      sunsetOn: p.sunsetOn,
      reason: p.reason,
    };
    const gated =
      !!entity.metadata.annotations?.[GP_KEYS.requestKey] &&
      allowedTransitions(from).includes(transition);
    if (gated) {
      await this.gatherFacts(
        entity,
        transition,
        request,
        facts,
        unknown,
        now,
        p.credentials,
      );
    }
    const evaluation = evaluateTransition({
      entity,
      transition,
      request,
      facts,
      config: this.config,
      now,
    });
    const gates = this.present(evaluation, unknown);
    let decision: LifecycleGatesAnswer['decision'] = evaluation.decision;
    if (gates.some(g => g.status === 'fail')) decision = 'deny';
    else if (gates.some(g => g.status === 'unknown')) decision = 'unknown';
    return {
      entityRef: p.entityRef,
      from,
      transition,
      ...(evaluation.to ? { to: evaluation.to } : {}),
      allowed: allowedTransitions(from),
      decision,
      gates,
      evaluation,
    };
  }

  private async gatherFacts(
    entity: Entity,
    transition: Transition,
    request: { replacement?: string; sunsetOn?: string; reason?: string },
    facts: LifecycleFacts,
    unknown: Map<string, string>,
    now: string,
    credentials: BackstageCredentials,
  ) {
    const ref = normalizeEntityRef(
      `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
        entity.metadata.name
      }`,
    )!;
    const lc = this.config.lifecycle;
    const needsGraph = transition === 'archive' || transition === 'delete';
    const tasks: Promise<void>[] = [];

    if (transition === 'promote' || transition === 'undeprecate') {
      // A deprecated entity is not rated (scorecards SR13): an undeprecation is gated on the
      // level the entity would have back in production, evaluated as a dry run.
      const scorecard =
        transition === 'undeprecate'
          ? this.sources.scorecards.evaluate(undeprecatedEntity(entity))
          : this.sources.scorecards.read(ref);
      tasks.push(
        scorecard.then(
          reading => {
            this.sourceWorked('scorecards backend');
            if (!reading.scored) {
              unknown.set(
                'G-P1',
                `The scorecards backend does not score ${ref}, so its level is unknown; this gate does not pass.`,
              );
              return;
            }
            facts.scorecard = scorecardFacts(reading, this.config);
          },
          error => {
            this.sourceFailed('scorecards backend', ref, error);
            unknown.set(
              'G-P1',
              `The scorecard level of ${ref} is unknown: the scorecards backend could not be read (${message(
                error,
              )}). This gate does not pass until it answers.`,
            );
          },
        ),
      );
    }
    if (transition === 'promote') {
      // The ledger's `from` filters on when a change took effect, while G-P2 judges when it
      // finished: a day earlier, so a deploy that started before the window and finished inside
      // it is read too (evaluateTransition keeps only those finished in the window).
      const from = new Date(
        Date.parse(now) - (lc.promote.stagingDeployWithinDays + 1) * DAY_MS,
      ).toISOString();
      tasks.push(
        this.sources.evidence
          .deploys(ref, { environment: 'staging', from })
          .then(
            changes => {
              this.sourceWorked('change ledger');
              facts.changes = changes;
            },
            error => {
              this.sourceFailed('change ledger', ref, error);
              unknown.set(
                'G-P2',
                `Staging deploys of ${ref} are unknown: the change ledger could not be read (${message(
                  error,
                )}). This gate does not pass until it answers.`,
              );
            },
          ),
      );
    }
    if (transition === 'archive') {
      const since = new Date(
        Date.parse(now) - lc.archive.quietDays * DAY_MS,
      ).toISOString();
      let telemetry: string | undefined;
      let scorecardError: string | undefined;
      let callersError: string | undefined;
      tasks.push(
        Promise.all([
          this.sources.scorecards.read(ref).then(
            reading => {
              telemetry = reading.results?.find(
                r => r.checkId === 'telemetry-present',
              )?.state;
            },
            error => {
              scorecardError = message(error);
            },
          ),
          this.sources.evidence.observedCallers(ref, { since }).then(
            async callers => {
              facts.observedCallers = await this.callersAsSeenBy(
                credentials,
                callers,
                ref,
              );
            },
            error => {
              callersError = message(error);
            },
          ),
        ]).then(() => {
          // Telemetry presence is the scorecard's `telemetry-present` result; an observed
          // caller proves coverage on its own.
          const seen = (facts.observedCallers ?? []).length > 0;
          facts.telemetryCovered = seen || telemetry === 'pass';
          if (!callersError) {
            this.sourceWorked('evidence backend (observed traffic)');
          }
          if (!scorecardError)
            this.sourceWorked('scorecards backend (telemetry)');
          if (callersError) {
            this.sourceFailed(
              'evidence backend (observed traffic)',
              ref,
              callersError,
            );
            unknown.set(
              'G-A2',
              `Observed traffic into ${ref} is unknown: the evidence backend could not be read (${callersError}). This gate does not pass until it answers.`,
            );
          } else if (scorecardError && !seen) {
            this.sourceFailed(
              'scorecards backend (telemetry)',
              ref,
              scorecardError,
            );
            unknown.set(
              'G-A2',
              `Whether telemetry covers ${ref} is unknown: the scorecards backend could not be read (${scorecardError}). This gate does not pass until it answers.`,
            );
          }
        }),
      );
    }
    if (needsGraph) {
      tasks.push(
        this.graph(entity).then(
          async entities => {
            const dependents = declaredDependents(entity, entities);
            const owned = ownedResources(entity, entities);
            const hidden = await this.hiddenFrom(
              credentials,
              [...dependents.map(d => d.ref), ...owned],
              ref,
            );
            this.sourceWorked('catalog graph');
            facts.dependents = dependents.map(d =>
              hidden.has(d.ref) ? { ...d, hidden: true } : d,
            );
            facts.ownedResources = ownedAsSeenBy(owned, hidden);
          },
          error => {
            this.sourceFailed('catalog graph', ref, error);
            const why = `The catalog graph around ${ref} could not be read (${message(
              error,
            )}); dependents are unknown, so this gate does not pass.`;
            for (const g of transition === 'archive'
              ? ['G-A1']
              : ['G-X1', 'G-X3'])
              unknown.set(g, why);
          },
        ),
      );
    }
    // G-X3's other half: what the entity's archive left undone, from our own ledger.
    let ledgerError: string | undefined;
    if (transition === 'delete') {
      tasks.push(
        this.sources.ledger
          .pendingFinalizers(ref, {
            ownRepository: hasOwnRepository(entity),
            archived: lifecycleOf(entity) === 'archived',
          })
          .then(
            holds => {
              this.sourceWorked('golden-paths ledger');
              facts.pendingFinalizers = holds;
            },
            error => {
              this.sourceFailed('golden-paths ledger', ref, error);
              ledgerError = `Pending finalizers of ${ref} are unknown: the golden-paths ledger could not be read (${message(
                error,
              )}). This gate does not pass until it answers.`;
            },
          ),
      );
    }
    if (transition === 'deprecate') {
      if (request.sunsetOn === undefined || request.replacement === undefined) {
        unknown.set(
          'G-D1',
          'Decided by the replacement and the sunset date entered in the lifecycle template.',
        );
      } else if (request.replacement !== 'none') {
        const replacement = normalizeEntityRef(request.replacement);
        // Read as the caller, as the entity is: an entity the caller may not see counts as
        // missing, so G-D1 cannot tell anyone whether a hidden entity exists.
        tasks.push(
          (replacement
            ? this.sources.catalog.getEntity(replacement, credentials)
            : Promise.resolve(undefined)
          ).then(
            found => {
              facts.replacementExists = found !== undefined;
            },
            error => {
              unknown.set(
                'G-D1',
                `Whether ${
                  request.replacement
                } exists is unknown: the catalog could not be read (${message(
                  error,
                )}).`,
              );
            },
          ),
        );
      }
    }
    await Promise.all(tasks);
    if (ledgerError) {
      // after the graph's reason when both are down, so the text does not depend on timing
      const graphError = unknown.get('G-X3');
      unknown.set(
        'G-X3',
        graphError ? `${graphError} ${ledgerError}` : ledgerError,
      );
    }
  }

  /**
   * Which of `refs` the caller may not read. The gates count every dependent, read with the
   * plugin's own credentials (a hidden one must still block a delete), but their messages reach
   * the caller: the Lifecycle card, and the scaffolder's task log, which asks on behalf of the
   * task's initiator. A service caller sees the graph as the gates do. When the caller's read
   * fails, every name is withheld: the gates still decide, only the names are missing.
   */
  private async hiddenFrom(
    credentials: BackstageCredentials,
    refs: readonly string[],
    ref: string,
  ): Promise<Set<string>> {
    if (
      refs.length === 0 ||
      (credentials.principal as { type?: string }).type === 'service'
    ) {
      return new Set();
    }
    try {
      const visible = new Set(
        (await this.sources.catalog.getEntitiesByRefs(refs, credentials)).map(
          refOf,
        ),
      );
      this.sourceWorked('catalog (who may read neighbours)');
      return new Set(refs.filter(r => !visible.has(r)));
    } catch (error) {
      this.sourceFailed('catalog (who may read neighbours)', ref, error);
      return new Set(refs);
    }
  }

  /**
   * Observed callers as GP-L07 may name them: a caller resolved to an entity the caller of the
   * gates may not read (`hiddenFrom`) is "an entity you cannot see"; it still counts as traffic.
   * A client name evidence could not resolve to an entity is no catalog entity and is shown as
   * observed.
   */
  private async callersAsSeenBy(
    credentials: BackstageCredentials,
    callers: LifecycleCaller[],
    ref: string,
  ): Promise<LifecycleCaller[]> {
    const refOfCaller = (c: LifecycleCaller) => normalizeEntityRef(c.client);
    const refs = [
      ...new Set(
        callers.map(refOfCaller).filter((r): r is string => r !== undefined),
      ),
    ];
    const hidden = await this.hiddenFrom(credentials, refs, ref);
    if (hidden.size === 0) return callers;
    return callers.map(c => {
      const callerRef = refOfCaller(c);
      return callerRef && hidden.has(callerRef)
        ? { ...c, client: 'an entity you cannot see' }
        : c;
    });
  }

  /**
   * The declared dependents of an entity, one hop, as G-A1 reads them (§7.1): whom its
   * deprecation tells. Undefined when the entity is not in the catalog.
   */
  async dependentsOf(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Dependent[] | undefined> {
    const entity = await this.sources.catalog.getEntity(entityRef, credentials);
    if (!entity) return undefined;
    return declaredDependents(entity, await this.graph(entity));
  }

  /**
   * The entity and its one-hop neighbourhood in two batched reads: the targets of its relations
   * (dependents, parts, provided APIs, dependencies — owned Resources are among them), then the
   * consumers of the APIs it provides, so every dependent's lifecycle is known.
   */
  private async graph(entity: Entity): Promise<Entity[]> {
    const first = new Set([
      ...relationTargets(entity, 'dependencyOf'),
      ...relationTargets(entity, 'hasPart'),
      ...relationTargets(entity, 'providesApi'),
      ...relationTargets(entity, 'dependsOn'),
      ...specRefs(entity, 'dependencyOf'),
      ...specRefs(entity, 'providesApis'),
      ...specRefs(entity, 'dependsOn'),
    ]);
    const hop = await this.sources.catalog.getEntitiesByRefs([...first]);
    const consumers = new Set(
      hop
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'api')
        .flatMap(e => relationTargets(e, 'apiConsumedBy'))
        .filter(r => !first.has(r)),
    );
    const more = consumers.size
      ? await this.sources.catalog.getEntitiesByRefs([...consumers])
      : [];
    return [entity, ...hop, ...more];
  }

  private present(
    evaluation: TransitionEvaluation,
    unknown: Map<string, string>,
  ): LifecycleGateView[] {
    const title = (gate: string) => this.titles[gate] ?? gate;
    if (evaluation.gates.length === 0) {
      return evaluation.errors.map(e => {
        const gate = e.id === 'GP-L12' ? 'golden-path' : 'transition';
        return {
          gate,
          title: title(gate),
          status: 'fail' as const,
          ruleId: e.id,
          message: e.message ?? e.id,
        };
      });
    }
    const out: LifecycleGateView[] = [];
    const shown = new Set<string>();
    for (const g of evaluation.gates) {
      const why = unknown.get(g.gate);
      if (why !== undefined) {
        // One line per unknown gate, whatever the fail-closed evaluation made of it.
        if (!shown.has(g.gate))
          out.push({
            gate: g.gate,
            title: title(g.gate),
            status: 'unknown',
            message: why,
          });
        shown.add(g.gate);
        continue;
      }
      out.push(
        g.passed
          ? {
              gate: g.gate,
              title: title(g.gate),
              status: 'pass',
              message: title(g.gate),
            }
          : {
              gate: g.gate,
              title: title(g.gate),
              status: 'fail',
              ruleId: g.result!.id,
              message: g.result!.message ?? g.result!.id,
              ...(g.waivable ? { waivable: true } : {}),
            },
      );
    }
    return out;
  }
}
