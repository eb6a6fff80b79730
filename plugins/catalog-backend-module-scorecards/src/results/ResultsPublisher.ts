import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { compactEvaluation } from '@internal/plugin-scorecards-common';
import type {
  EntityEvaluation,
  WireStandard,
} from '@internal/plugin-scorecards-common';
import type {
  ResultSetsReceiver,
  ScorecardsResultsHandoff,
} from '@internal/plugin-scorecards-node';
import { catalogEntityHash, resultKeyOf } from './resultKey';

/** Options of {@link ResultsPublisher}; every limit has a default. */
export interface ResultsPublisherOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  logger: LoggerService;
  /**
   * The standard the results were evaluated with: given, result sets are posted in their wire
   * form (`compactEvaluation`, ~⅓ smaller) to `/internal/results/compact`, and in full to
   * `/internal/results` once the backend answers 404 there (a version without that route).
   */
  standard?: WireStandard;
  /**
   * This process's results handoff: while a scorecards backend in this process has registered
   * its intake there, batches are handed to it as objects (no JSON, no HTTP); otherwise they
   * are posted.
   */
  handoff?: ScorecardsResultsHandoff;
  /** The HTTP client (tests pass a fake); default the global `fetch`. */
  fetch?: typeof fetch;
  clock?: () => number;
  /** Most results per request; the backend refuses more than 500. Default 500. */
  batchSize?: number;
  /** Most bytes of JSON per request (a 45-check result set is ~40 KB). Default 4 MiB. */
  maxBatchBytes?: number;
  /** How often queued results are posted. Default 2 s. */
  flushIntervalMs?: number;
  /** Most result sets held; beyond it the oldest are dropped. Default 1,000 (~26 MB of evaluations). */
  maxQueued?: number;
  /**
   * Most entities whose last queued key is remembered (the processor is not told about deleted
   * entities, so the memory is bounded instead): beyond it the least recently offered is
   * forgotten, which costs at most one repeated post the backend answers without writing.
   * Default 200,000.
   */
  maxRememberedKeys?: number;
  /** First and longest wait after a failed post; doubles in between. Default 1 s, 60 s. */
  retryMs?: { initial: number; max: number };
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
}

interface Queued {
  key: string;
  entityHash: string;
  /** The engine's answer, held as is (nothing mutates it after evaluation). */
  evaluation: EntityEvaluation;
  /** The item's JSON as UTF-8 bytes, built once when a batch first takes it. */
  json?: Buffer;
}

const BODY_OPEN = Buffer.from('{"results":[');
const BODY_COMMA = Buffer.from(',');
const BODY_CLOSE = Buffer.from(']}');

type SendOutcome =
  | { ok: true; accepted: number }
  | { ok: false; retry: boolean; problem: string; notFound?: boolean };

const LOG_EVERY_MS = 60_000;

/** No answer from the in-process intake within the publisher's timeout. */
class HandoffTimeoutError extends Error {
  constructor() {
    super('timed out');
    this.name = 'HandoffTimeoutError';
  }
}

/**
 * Posts the result sets the catalog module computes to the scorecards backend's
 * `POST /internal/results` (§7.5), so latest results and transitions follow the catalog instead
 * of the backend's next scheduled pass:
 *
 * - `offer` (synchronous, never throws) queues a result set only when its history snapshot
 *   differs from the last one queued for that entity; a newer set of a queued entity replaces
 *   the older one (the newest per entity is kept);
 * - every `flushIntervalMs` the queue is posted oldest first, in batches of ≤ `batchSize`
 *   results and ≤ `maxBatchBytes`, with the module's own service token for the scorecards
 *   plugin; a result set is serialized (~34 KB, the bulk of the cost) only when a batch takes
 *   it, so one replaced by a newer set or dropped from a full queue costs no serialization;
 * - a failed post (network, timeout, 401, 408, 429, 5xx) is retried with exponential backoff;
 *   its results go back to the front of the queue unless a newer set of the entity arrived;
 *   other answers (400, 403, 404, 413) drop the batch: retrying cannot help;
 * - at most `maxQueued` result sets are held; beyond it the oldest are dropped and counted in
 *   a log line (never the payload). The backend's scheduled pass records what is dropped;
 * - where the scorecards backend runs in the same process and registered its intake in the
 *   results handoff (scorecards-node), batches are handed to it as objects instead of posted:
 *   the same intake, without JSON and HTTP on the catalog's thread.
 *
 * Catalog processing never waits for the backend: stamping happens whether or not it is up.
 */
export class ResultsPublisher {
  readonly #options: Required<
    Omit<
      ResultsPublisherOptions,
      'discovery' | 'auth' | 'logger' | 'fetch' | 'standard' | 'handoff'
    >
  >;
  /** The standard sets are compacted with, until the backend shows it lacks the route. */
  #wire: WireStandard | undefined;
  #queue = new Map<string, Queued>();
  /** The key last queued per entity: equal keys are not queued again. */
  readonly #queuedKeys = new Map<string, string>();
  #inFlight: Promise<void> | undefined;
  #failures = 0;
  #nextAttemptAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #dropped = 0;
  #lastLogAt = new Map<string, number>();
  #suppressed = new Map<string, number>();

  constructor(private readonly deps: ResultsPublisherOptions) {
    this.#options = {
      clock: deps.clock ?? Date.now,
      batchSize: Math.min(deps.batchSize ?? 500, 500),
      maxBatchBytes: deps.maxBatchBytes ?? 4 * 1024 * 1024,
      flushIntervalMs: deps.flushIntervalMs ?? 2000,
      maxQueued: deps.maxQueued ?? 1000,
      maxRememberedKeys: deps.maxRememberedKeys ?? 200_000,
      retryMs: deps.retryMs ?? { initial: 1000, max: 60_000 },
      timeoutMs: deps.timeoutMs ?? 30_000,
    };
    this.#wire = deps.standard;
  }

  /** Keeps `key` as the entity's last queued key, most recent last, within the bound. */
  #remember(ref: string, key: string): void {
    this.#queuedKeys.delete(ref);
    this.#queuedKeys.set(ref, key);
    if (this.#queuedKeys.size > this.#options.maxRememberedKeys) {
      const oldest = this.#queuedKeys.keys().next().value;
      if (oldest !== undefined && !this.#queue.has(oldest)) {
        this.#queuedKeys.delete(oldest);
      }
    }
  }

  /** Entities whose last queued key is remembered (bounded by `maxRememberedKeys`). */
  get remembered(): number {
    return this.#queuedKeys.size;
  }

  /** Result sets waiting to be posted. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Starts posting every `flushIntervalMs` (the timer does not keep the process alive). */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.flush().catch(() => {});
    }, this.#options.flushIntervalMs);
    this.#timer.unref?.();
  }

  /** Stops the timer; queued results are left to the backend's scheduled pass. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /**
   * The plugin's shutdown: stops the timer and posts what is queued, waiting at most
   * `deadlineMs`. Without it a rolling deploy dropped up to the last 2 s of changed result sets
   * (all of them while the backend was backing off), which the next pass then recorded with a
   * later time. Never rejects.
   */
  async shutdown(deadlineMs = 5_000): Promise<void> {
    this.stop();
    // One last attempt even while backing off: after this the queue is gone either way.
    this.#nextAttemptAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, deadlineMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Queues an entity's freshly computed result set if history would record something new.
   * Returns whether it was queued; never throws.
   */
  offer(entity: Entity, evaluation: EntityEvaluation): boolean {
    try {
      const ref = evaluation.entityRef;
      const key = resultKeyOf(entity, evaluation);
      if (this.#queuedKeys.get(ref) === key) {
        // still in the catalog: most recently offered, so the last one forgotten
        this.#remember(ref, key);
        return false;
      }
      // Hashed now: the entity is the catalog's object, which later processing may change.
      const entityHash = catalogEntityHash(entity);
      this.#remember(ref, key);
      this.#queue.delete(ref);
      this.#queue.set(ref, { key, entityHash, evaluation });
      this.#enforceCap();
      return true;
    } catch (error) {
      this.#log(
        'offer',
        `scorecards: could not queue a result set for the scorecards backend: ${String(
          error,
        )}`,
      );
      return false;
    }
  }

  /**
   * Posts everything queued, batch after batch, until the queue is empty or a post fails.
   * Waits out the backoff of an earlier failure (returns at once while it lasts). Never rejects.
   */
  flush(): Promise<void> {
    if (!this.#inFlight) {
      this.#inFlight = this.#drain().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  async #drain(): Promise<void> {
    try {
      this.#reportDropped();
      while (
        this.#queue.size > 0 &&
        this.#options.clock() >= this.#nextAttemptAt
      ) {
        // A scorecards backend in this process takes the sets as they are; checked per batch,
        // as it registers when its plugin starts, which may be after this module.
        const receiver = this.deps.handoff?.receiver();
        const batch = receiver ? this.#takeSets() : this.#takeBatch();
        if (batch.length === 0) continue; // all it took could not be serialized
        const outcome = receiver
          ? await this.#hand(batch, receiver)
          : await this.#send(
              batch as Array<Required<Queued> & { ref: string }>,
            );
        if (outcome.ok) {
          if (this.#failures > 0) {
            this.deps.logger.info(
              `scorecards: posting results to the scorecards backend works again (${outcome.accepted} of ${batch.length} accepted)`,
            );
          }
          this.#failures = 0;
          this.#nextAttemptAt = 0;
          continue;
        }
        if (outcome.notFound && this.#wire) {
          // An older backend: the same sets again, in full, now and from here on.
          this.#wire = undefined;
          this.deps.logger.info(
            `scorecards: the scorecards backend has no /internal/results/compact (${outcome.problem}); posting full result sets to /internal/results`,
          );
          for (const item of this.#queue.values()) item.json = undefined;
          this.#requeue(batch.map(({ json: _compact, ...item }) => item));
          continue;
        }
        if (!outcome.retry) {
          this.#log(
            'rejected',
            `scorecards: the scorecards backend refused ${batch.length} result set(s) (${outcome.problem}); dropped, its scheduled pass will record them`,
          );
          continue;
        }
        this.#requeue(batch);
        this.#failures++;
        const wait = Math.min(
          this.#options.retryMs.initial * 2 ** (this.#failures - 1),
          this.#options.retryMs.max,
        );
        this.#nextAttemptAt = this.#options.clock() + wait;
        this.#log(
          'retry',
          `scorecards: posting results to the scorecards backend failed (${
            outcome.problem
          }); ${
            this.#queue.size
          } result set(s) queued, next attempt in ${Math.round(wait / 1000)} s`,
        );
        return;
      }
    } catch (error) {
      // Nothing above should throw; if it does, the timer must keep running.
      this.#log(
        'flush',
        `scorecards: posting results failed: ${String(error)}`,
      );
    }
  }

  /**
   * The oldest queued results, ≤ batchSize and ≤ maxBatchBytes (at least one), serialized here
   * as UTF-8 bytes. A result set that does not fit keeps
   * its JSON for the next batch; one that cannot be serialized is dropped and logged.
   */
  #takeBatch(): Array<Required<Queued> & { ref: string }> {
    const batch: Array<Required<Queued> & { ref: string }> = [];
    let bytes = BODY_OPEN.length + BODY_CLOSE.length;
    for (const [ref, item] of this.#queue) {
      if (batch.length >= this.#options.batchSize) break;
      let json: Buffer;
      try {
        json = item.json ??= encodeResultItem(
          item.evaluation,
          item.entityHash,
          this.#wire,
        );
      } catch (error) {
        this.#queue.delete(ref);
        this.#queuedKeys.delete(ref);
        this.#log(
          'serialize',
          `scorecards: could not serialize the result set of ${ref} for the scorecards backend (${String(
            error,
          )}); dropped, its scheduled pass will record it`,
        );
        continue;
      }
      if (batch.length > 0 && bytes + json.length > this.#options.maxBatchBytes)
        break;
      batch.push({ ref, ...item, json });
      bytes += json.length + 1;
    }
    for (const item of batch) this.#queue.delete(item.ref);
    return batch;
  }

  /** The oldest queued results, ≤ batchSize, as they are (for the in-process receiver). */
  #takeSets(): Array<Queued & { ref: string }> {
    const batch: Array<Queued & { ref: string }> = [];
    for (const [ref, item] of this.#queue) {
      if (batch.length >= this.#options.batchSize) break;
      batch.push({ ref, ...item });
    }
    for (const item of batch) this.#queue.delete(item.ref);
    return batch;
  }

  /**
   * Hands a batch to the scorecards backend of this process. Its refusal of the sets (an
   * `InputError`, a 400 over HTTP, or an error of a 4xx `status`, e.g. a 413) drops them; any other
   * failure, or no answer within `timeoutMs` (as for a post), is retried: the intake is
   * idempotent, so a late answer to the first attempt writes nothing twice.
   */
  async #hand(
    batch: Array<Queued & { ref: string }>,
    receiver: ResultSetsReceiver,
  ): Promise<SendOutcome> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new HandoffTimeoutError()),
          this.#options.timeoutMs,
        );
      });
      const { accepted } = await Promise.race([
        receiver(
          batch.map(({ evaluation, entityHash }) => ({
            entityRef: evaluation.entityRef,
            evaluatedAt: evaluation.evaluatedAt,
            entityHash,
            evaluation,
          })),
        ),
        timeout,
      ]);
      return { ok: true, accepted };
    } catch (error) {
      const e = error as {
        name?: unknown;
        message?: unknown;
        status?: unknown;
      };
      // @backstage/errors' InputError carries no status (the error handler maps it by name).
      const refused =
        e?.name === 'InputError' ||
        (typeof e?.status === 'number' && e.status >= 400 && e.status < 500);
      return {
        ok: false,
        retry: !refused,
        problem: `in-process: ${
          typeof e?.message === 'string'
            ? e.message.slice(0, 300)
            : String(error)
        }`,
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Puts a failed batch back in front, except entities that have a newer set queued. */
  #requeue(batch: Array<Queued & { ref: string }>): void {
    const front = batch.filter(item => !this.#queue.has(item.ref));
    this.#queue = new Map([
      ...front.map(({ ref, ...item }) => [ref, item] as const),
      ...this.#queue,
    ]);
    this.#enforceCap();
  }

  #enforceCap(): void {
    while (this.#queue.size > this.#options.maxQueued) {
      const oldest = this.#queue.keys().next().value as string;
      this.#queue.delete(oldest);
      // Forget its key, so that the next evaluation of the entity is queued again.
      this.#queuedKeys.delete(oldest);
      this.#dropped++;
    }
  }

  #reportDropped(): void {
    if (this.#dropped === 0) return;
    const dropped = this.#dropped;
    this.#dropped = 0;
    this.#log(
      'dropped',
      `scorecards: results queue full (${
        this.#options.maxQueued
      }); dropped the ${dropped} oldest result set(s), the scorecards backend's scheduled pass will record them`,
    );
  }

  async #send(
    batch: Array<Required<Queued> & { ref: string }>,
  ): Promise<SendOutcome> {
    const { discovery, auth } = this.deps;
    const fetchFn = this.deps.fetch ?? fetch;
    const route = this.#wire
      ? '/internal/results/compact'
      : '/internal/results';
    let response: Response;
    try {
      const baseUrl = await discovery.getBaseUrl('scorecards');
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: 'scorecards',
      });
      response = await fetchFn(`${baseUrl}${route}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        // Bytes, not a string: fetch would check a string body for lone surrogates in JS
        // before encoding it (~25 % of the cost of a post, measured on 4 MB batches). Each set
        // is encoded on its own and the bytes concatenated: joining the sets into one string
        // first and encoding that was ~10× slower (a 4 MB rope flattened, then encoded).
        body: bodyOf(batch.map(item => item.json)),
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      return { ok: false, retry: true, problem: describeError(error) };
    }
    if (response.ok) {
      const body = (await response.json().catch(() => undefined)) as
        | { accepted?: unknown }
        | null
        | undefined;
      const accepted = body?.accepted;
      // Only the intake's own answer says the sets were stored. Any other 2xx (a proxy's or a
      // login page, another service on the route) is an outage: taken as delivered, the batch
      // would be dropped and its sets refused as already queued until their results change.
      if (
        typeof accepted !== 'number' ||
        !Number.isInteger(accepted) ||
        accepted < 0
      ) {
        return {
          ok: false,
          retry: true,
          problem: `${response.status} without the intake's answer ({ accepted }); is ${route} served by the scorecards backend?`,
        };
      }
      return { ok: true, accepted };
    }
    const status = response.status;
    const message = await errorMessageOf(response);
    return {
      ok: false,
      retry:
        status === 401 || status === 408 || status === 429 || status >= 500,
      problem: `${status}${message ? `: ${message}` : ''}`,
      notFound: status === 404,
    };
  }

  /** Logs a warning at most once a minute per kind, with the number of repeats left out. */
  #log(kind: string, message: string): void {
    const now = this.#options.clock();
    const last = this.#lastLogAt.get(kind);
    if (last !== undefined && now - last < LOG_EVERY_MS) {
      this.#suppressed.set(kind, (this.#suppressed.get(kind) ?? 0) + 1);
      return;
    }
    const suppressed = this.#suppressed.get(kind) ?? 0;
    this.#lastLogAt.set(kind, now);
    this.#suppressed.delete(kind);
    this.deps.logger.warn(
      suppressed > 0
        ? `${message} (${suppressed} similar message(s) in the last minute not logged)`
        : message,
    );
  }
}

function describeError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: unknown };
  if (e?.name === 'TimeoutError') return 'timed out';
  const cause = (e?.cause as { code?: string } | undefined)?.code;
  return `${e?.message ?? String(error)}${cause ? ` (${cause})` : ''}`;
}

/** The backend's `error.message` (names the field or limit), never the request payload. */
async function errorMessageOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    const message = body?.error?.message;
    return typeof message === 'string' ? message.slice(0, 300) : '';
  } catch {
    return response.statusText;
  }
}

/**
 * One item of `POST /internal/results` as UTF-8 JSON; with `wire`, the evaluation in its wire
 * form (for `/internal/results/compact`).
 */
export function encodeResultItem(
  evaluation: EntityEvaluation,
  entityHash: string,
  wire?: WireStandard,
): Buffer {
  return Buffer.from(
    JSON.stringify({
      entityRef: evaluation.entityRef,
      evaluatedAt: evaluation.evaluatedAt,
      entityHash,
      evaluation: wire ? compactEvaluation(evaluation, wire) : evaluation,
    }),
    'utf8',
  );
}

/** `{"results":[set,set,…]}` from the sets' JSON bytes. */
export function bodyOf(sets: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [BODY_OPEN];
  sets.forEach((json, i) => {
    if (i > 0) parts.push(BODY_COMMA);
    parts.push(json);
  });
  parts.push(BODY_CLOSE);
  return Buffer.concat(parts);
}
