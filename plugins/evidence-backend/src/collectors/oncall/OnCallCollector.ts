import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  OnCallAnswer,
  OnCallProvider,
} from '@internal/plugin-evidence-node';
import type { CollectorEntity, EntityLister } from '../catalogEntities';
import type { CollectionStatusUpdate, CollectorSink } from '../CollectorSink';

/** Source id of the on-call collector (§2.2, §4.4). */
export const ONCALL_SOURCE = 'oncall';
export const ONCALL_SCHEDULE_KIND = 'oncall.schedule';

/** The on-call annotation of incident-brief §2.2 (Group rotation, Component override). */
export const ONCALL_ANNOTATION = 'ops.example.com/oncall';
export const PAGERDUTY_SERVICE_ANNOTATION = 'pagerduty.com/service-id';
export const OPSGENIE_TEAM_ANNOTATION = 'opsgenie.com/team';

/** Kinds whose routing annotations the collector reads. */
export const ONCALL_KINDS = ['Component', 'Resource', 'Group'];

const DEFAULT_PROVIDER_TIMEOUT_MS = 2_000;

/**
 * The on-call providers of incident-brief §2.2 whose health consumers read under their own
 * source id. Only these get a `disabled` row when a route names them and they are not
 * configured: the prefix of a route is catalog data, and must not be able to write the health
 * of any other source (`prometheus:x`, `oncall:x`).
 */
export const KNOWN_ONCALL_PROVIDERS: readonly string[] = [
  'pagerduty',
  'opsgenie',
  'static',
];

const TIMED_OUT = Symbol('timed out');

async function withTimeout<T>(
  call: Promise<T>,
  timeoutMs: number,
): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>(resolve => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface OnCallCollectorOptions {
  sink: CollectorSink;
  logger: LoggerService;
  listEntities: EntityLister;
  /** Providers by route prefix (`static`, `pagerduty`, `opsgenie`); a missing one is `unsupported-host`. */
  providers: Record<string, OnCallProvider>;
  /** Per provider call (§4.4: 2 s). */
  providerTimeoutMs?: number;
  now?: () => Date;
}

/** The `oncall.schedule` value (evidence §2.2), as scorecards' oncall-route and owner-group checks read it. */
export type OnCallScheduleValue = {
  provider: string;
  exists: boolean;
  onCallNow: { userRef: string; level: number }[];
  until: string | null;
  escalationLevels: number | null;
  url: string | null;
};

export interface OnCallRunSummary {
  outcome: 'ok' | 'degraded' | 'unavailable';
  routes: number;
  factsWritten: number;
  errors: Partial<Record<NonNullable<CollectionStatusUpdate['error']>, number>>;
}

/** One route as an entity declares it. */
export interface DeclaredRoute {
  route: string;
  provider: string;
}

/**
 * The routes an entity declares itself (incident-brief §2.2 step 1 for Components and Resources,
 * the rotation of step 2/3 for Groups): `pagerduty.com/service-id` (else `opsgenie.com/team`) on
 * Components and Resources, and `ops.example.com/oncall` on any of them. Deduplicated, in order.
 */
export function declaredRoutes(entity: CollectorEntity): DeclaredRoute[] {
  const routes: string[] = [];
  const a = entity.annotations;
  if (entity.kind.toLowerCase() !== 'group') {
    const pd = a[PAGERDUTY_SERVICE_ANNOTATION]?.trim();
    const og = a[OPSGENIE_TEAM_ANNOTATION]?.trim();
    if (pd) routes.push(`pagerduty:service/${pd}`);
    else if (og) routes.push(`opsgenie:team/${og}`);
  }
  const own = a[ONCALL_ANNOTATION]?.trim();
  if (own) routes.push(own);
  return [...new Set(routes)].map(route => ({
    route,
    provider: providerOf(route),
  }));
}

/** The `<provider>` of a `<provider>:<id>` route; '' when the route names none. */
function providerOf(route: string): string {
  const colon = route.indexOf(':');
  return colon > 0 ? route.slice(0, colon) : '';
}

type RouteResult =
  | { kind: 'fact'; value: OnCallScheduleValue }
  | {
      kind: 'error';
      error: NonNullable<CollectionStatusUpdate['error']>;
      detail: string;
      /** a provider call failed (counts against the source), vs. an entity-side problem */
      providerFailure: boolean;
    };

/**
 * Collects `oncall.schedule` (evidence §4.4): for every entity that declares an on-call route,
 * asks the route's `OnCallProvider` who is on call now and writes the answer as a keyed fact
 * (key = route) on the declaring entity, so a group's rotation is collected once. A route whose
 * provider is not configured is the entity's `unsupported-host` and writes nothing; a provider
 * error or timeout is `server-error`/`timeout`, keeps the previous fact and makes the run
 * `degraded` (`unavailable` when every call failed). `run` never rejects.
 */
export class OnCallCollector {
  private readonly now: () => Date;
  /** A Map, not the options object: a route `constructor:x` must not find Object's builtins. */
  private readonly providers: ReadonlyMap<string, OnCallProvider>;

  constructor(private readonly options: OnCallCollectorOptions) {
    this.now = options.now ?? (() => new Date());
    this.providers = new Map(Object.entries(options.providers));
  }

  /** Runs one collection; stops asking providers once `signal` aborts (the run is `degraded`). */
  async run(signal?: AbortSignal): Promise<OnCallRunSummary> {
    const { sink, logger } = this.options;
    const summary: OnCallRunSummary = {
      outcome: 'ok',
      routes: 0,
      factsWritten: 0,
      errors: {},
    };
    let entities: CollectorEntity[];
    try {
      const kinds = new Set(ONCALL_KINDS.map(k => k.toLowerCase()));
      entities = (await this.options.listEntities()).filter(e =>
        kinds.has(e.kind.toLowerCase()),
      );
    } catch (error) {
      summary.outcome = 'unavailable';
      logger.error('on-call collector could not list catalog entities', {
        error: String((error as Error)?.message ?? error),
      });
      await this.recordRun(summary, `catalog: ${String(error)}`);
      return summary;
    }

    let providerCalls = 0;
    let providerFailures = 0;
    let writeFailures = 0;
    // A route declared by several entities is asked once per run.
    const answers = new Map<string, Promise<RouteResult>>();
    const unconfigured = new Set<string>();
    let visited = 0;

    for (const entity of entities) {
      // Each entity may wait 2 s per provider call: stop when the scheduler gives up.
      if (signal?.aborted) break;
      visited += 1;
      const routes = declaredRoutes(entity);
      if (routes.length === 0) continue;
      const at = this.now();
      let failure: Extract<RouteResult, { kind: 'error' }> | undefined;
      for (const { route, provider } of routes) {
        summary.routes++;
        let pending = answers.get(route);
        if (!pending) {
          if (this.providers.has(provider)) providerCalls++;
          else if (KNOWN_ONCALL_PROVIDERS.includes(provider)) {
            unconfigured.add(provider);
          }
          pending = this.resolve(route, provider, at);
          answers.set(route, pending);
        }
        const result = await pending;
        if (result.kind === 'error') {
          failure ??= result;
          summary.errors[result.error] =
            (summary.errors[result.error] ?? 0) + 1;
          continue;
        }
        try {
          await sink.writeFact({
            entityRef: entity.ref,
            source: ONCALL_SOURCE,
            kind: ONCALL_SCHEDULE_KIND,
            key: route,
            value: result.value,
            observedAt: at,
            collectedAt: at,
            ...(result.value.url
              ? { provenance: { url: result.value.url } }
              : {}),
          });
          summary.factsWritten++;
        } catch (error) {
          writeFailures++;
          failure ??= {
            kind: 'error',
            error: 'server-error',
            detail: `writing ${route}: ${String(
              (error as Error)?.message ?? error,
            )}`,
            providerFailure: false,
          };
          summary.errors['server-error'] =
            (summary.errors['server-error'] ?? 0) + 1;
        }
      }
      try {
        await sink.recordCollectionStatus({
          entityRef: entity.ref,
          source: ONCALL_SOURCE,
          at,
          succeeded: !failure,
          ...(failure ? { error: failure.error, detail: failure.detail } : {}),
        });
      } catch (error) {
        logger.warn(
          `on-call collector could not record collection status of ${entity.ref}: ${error}`,
        );
      }
    }

    for (const pending of answers.values()) {
      const result = await pending;
      if (result.kind === 'error' && result.providerFailure) providerFailures++;
    }
    const problems: string[] = [];
    if (providerFailures > 0) {
      summary.outcome =
        providerFailures === providerCalls ? 'unavailable' : 'degraded';
      problems.push(
        `${providerFailures} of ${providerCalls} provider calls failed`,
      );
    }
    if (writeFailures > 0) {
      // Units that failed with server-error make the run degraded (§2.6), whatever failed:
      // the store refusing the write leaves the fact ageing as surely as a provider would.
      if (summary.outcome === 'ok') summary.outcome = 'degraded';
      problems.push(`${writeFailures} on-call facts could not be written`);
    }
    if (visited < entities.length) {
      // Cut short like a rate-limit pause (§2.6): what was asked is written, the rest ages.
      if (summary.outcome === 'ok') summary.outcome = 'degraded';
      problems.push(
        `aborted by the scheduler after ${visited} of ${entities.length} entities`,
      );
    }
    await this.recordRun(
      summary,
      problems.length > 0 ? problems.join('; ') : undefined,
    );
    await this.recordUnconfiguredProviders(unconfigured);
    return summary;
  }

  /**
   * Routes name known providers ({@link KNOWN_ONCALL_PROVIDERS}) this installation has not
   * configured (a PagerDuty service id with no PagerDuty provider): their health is `disabled`,
   * so consumers skip those routes and try the next on-call source (incident-brief §2.2)
   * instead of waiting for evidence that never comes.
   */
  private async recordUnconfiguredProviders(unconfigured: Set<string>) {
    for (const provider of [...unconfigured].sort()) {
      try {
        await this.options.sink.recordSourceRun({
          source: provider,
          outcome: 'disabled',
          at: this.now(),
          error: `on-call provider ${provider} is not configured`,
        });
      } catch (e) {
        this.options.logger.warn(
          `on-call collector could not record ${provider} as disabled: ${e}`,
        );
      }
    }
  }

  private async resolve(
    route: string,
    provider: string,
    at: Date,
  ): Promise<RouteResult> {
    if (!provider) {
      return {
        kind: 'error',
        error: 'unsupported-host',
        detail: `route ${route} names no provider (expected <provider>:<id>)`,
        providerFailure: false,
      };
    }
    const impl = this.providers.get(provider);
    if (!impl) {
      return {
        kind: 'error',
        error: 'unsupported-host',
        detail: `on-call provider ${provider} is not configured (route ${route})`,
        providerFailure: false,
      };
    }
    const timeoutMs =
      this.options.providerTimeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
    try {
      const answer = await withTimeout(
        impl.currentOnCall(route, at),
        timeoutMs,
      );
      const timedOut = (): RouteResult => ({
        kind: 'error',
        error: 'timeout',
        detail: `${provider} gave no answer for ${route} within ${timeoutMs} ms`,
        providerFailure: true,
      });
      if (answer === TIMED_OUT) return timedOut();
      if (answer.status === 'unavailable') {
        return {
          kind: 'error',
          error: 'server-error',
          detail: `${provider}: ${answer.reason}`,
          providerFailure: true,
        };
      }
      const levels = impl.escalationLevels
        ? await withTimeout(
            impl.escalationLevels(route).catch(() => undefined),
            timeoutMs,
          )
        : undefined;
      const escalationLevels = typeof levels === 'number' ? levels : null;
      // Nobody on call: is that a quiet rotation or one that does not exist? Asked under the
      // same bound as the other calls, so a hanging provider cannot hold the run.
      const exists =
        answer.status === 'none' && impl.scheduleExists
          ? await withTimeout(impl.scheduleExists(route), timeoutMs)
          : true;
      if (exists === TIMED_OUT) return timedOut();
      return {
        kind: 'fact',
        value: toValue(provider, answer, escalationLevels, exists),
      };
    } catch (error) {
      return {
        kind: 'error',
        error: 'server-error',
        detail: `${provider}: ${String((error as Error)?.message ?? error)}`,
        providerFailure: true,
      };
    }
  }

  private async recordRun(summary: OnCallRunSummary, error?: string) {
    try {
      await this.options.sink.recordSourceRun({
        source: ONCALL_SOURCE,
        outcome: summary.outcome,
        at: this.now(),
        ...(error ? { error } : {}),
      });
    } catch (e) {
      this.options.logger.warn(
        `on-call collector could not record its source run: ${e}`,
      );
    }
  }
}

function toValue(
  providerId: string,
  answer: Exclude<OnCallAnswer, { status: 'unavailable' }>,
  escalationLevels: number | null,
  exists: boolean,
): OnCallScheduleValue {
  if (answer.status === 'none') {
    return {
      provider: providerId,
      exists,
      onCallNow: [],
      until: null,
      escalationLevels,
      url: null,
    };
  }
  const onCallNow = [{ userRef: answer.primary, level: 1 }];
  if (answer.secondary) onCallNow.push({ userRef: answer.secondary, level: 2 });
  return {
    provider: providerId,
    exists: true,
    onCallNow,
    until: answer.until,
    escalationLevels,
    url: answer.url ?? null,
  };
}
