import { LoggerService } from '@backstage/backend-plugin-api';
import type { EventParams } from '@backstage/plugin-events-node';
import type { StoredChange } from '@internal/plugin-evidence-common';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import type { BriefService } from '../brief/BriefService';

/** The topic evidence-backend publishes after each committed ledger write (evidence §3.5). */
export const EVIDENCE_CHANGES_TOPIC = 'evidence.changes';

const HOUR = 3600_000;
/**
 * How far back an event's ids are looked for first. The evidence client has no read by id, so
 * they are found among the changes of the indexed entities whose `[effectiveAt, finishedAt ??
 * now]` reaches into this window: every change that is not `LATE` (finished ≤ 24 h before it
 * was received), plus an hour of margin. Ids not found there (a LATE backfill) are looked for
 * once more over the sweep's lookback.
 */
export const EVENT_LOOKUP_MS = 25 * HOUR;
/** Refs per `queryChanges` call (the route takes at most 5,000). */
const REFS_PER_QUERY = 1000;

/** What one pass (an event batch or a sweep) did. */
export interface RiskPassSummary {
  /** changes without risk that the pass tried to score */
  pending: number;
  /** risks stored by this pass */
  written: number;
  /** risks another writer had set first (409: write-once, counts as done) */
  alreadySet: number;
  /** changes the brief cannot score either (subject unresolved or not in the catalog) */
  unscorable: number;
  /** scoring or writing failed; left for the next sweep */
  failed: number;
  /** event ids not found in the ledger of the indexed entities (left for the sweep) */
  notFound: number;
  /**
   * scored with SLO health unknown while the change is younger than the health grace: not
   * stored yet, left for a later sweep (its SLO evidence may still arrive)
   */
  deferred: number;
}

const emptySummary = (): RiskPassSummary => ({
  pending: 0,
  written: 0,
  alreadySet: 0,
  unscorable: 0,
  failed: 0,
  notFound: 0,
  deferred: 0,
});

/** Dependencies of {@link ChangeRiskWriter}. */
export interface ChangeRiskWriterOptions {
  evidence: EvidenceService;
  briefs: Pick<BriefService, 'scoreChanges'>;
  /** the entities whose ledger is searched (the catalog refs of the graph index) */
  catalogRefs: () => Promise<string[]>;
  logger: LoggerService;
  /** how far back the sweep looks for changes without risk */
  sweepLookbackMs: number;
  /**
   * How long after a change's receipt a risk whose SLO health (D5) is unknown is held back
   * (`incidentBrief.risk.healthGrace`). A collector delivers SLO evidence on its own schedule (the
   * demo seeds its facts after its ledger), and a stored risk is never rewritten; past the grace
   * the unknown is stored. Default 0 (store at once).
   */
  healthGraceMs?: number;
  now?: () => number;
}

/**
 * Writes change risk back to evidence (evidence §3.5, §11 R-13): evidence stores risk write-once,
 * incident-brief computes it.
 *
 * - {@link onEvent} is the `evidence.changes` subscriber. It only queues the ids and returns, so
 *   it never delays evidence's write response and never throws into the events service; a single
 *   background loop drains the queue (ids arriving meanwhile are coalesced into its next round).
 * - {@link sweep} (scheduled, one runner across replicas) scores every change still without risk
 *   within the lookback, catching what an event missed (incident-brief down, a failed write, a
 *   change whose entity was registered later).
 *
 * Risk is scored by `BriefService.scoreChanges`, i.e. by the brief's own read-time assembly, so the
 * stored risk equals the one the brief shows for a change without it. A 409 from evidence (risk
 * already set) is success; any other failure is logged without its request details and left for
 * the sweep.
 */
export class ChangeRiskWriter {
  /** ids from events, waiting for the next round */
  private readonly queued = new Set<string>();
  /** ids of the event round being looked up, so a concurrent sweep leaves them alone */
  private readonly claimed = new Set<string>();
  /** ids being scored and written */
  private readonly inFlight = new Set<string>();
  private draining: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: ChangeRiskWriterOptions) {}

  /** The `evidence.changes` handler: queues `eventPayload.ids`; resolves at once, never rejects. */
  onEvent = async (params: EventParams): Promise<void> => {
    try {
      if (this.stopped) return;
      const ids = idsOf(params.eventPayload);
      if (ids.length === 0) return;
      for (const id of ids) this.queued.add(id);
      this.kick();
    } catch (error) {
      this.options.logger.warn(
        `incident-brief could not queue an evidence.changes event: ${describeError(
          error,
        )}`,
      );
    }
  };

  /** Resolves once every queued id has been handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** Stops taking events and waits for the current round. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queued.clear();
    await this.idle();
  }

  /**
   * Scores and writes every change without risk whose interval reaches into the lookback.
   * Never rejects; the summary says what happened.
   */
  async sweep(): Promise<RiskPassSummary> {
    const summary = emptySummary();
    try {
      const now = this.now();
      const listed = await this.listChanges(
        now - this.options.sweepLookbackMs,
        now,
      );
      if (!listed.available) {
        this.options.logger.warn(
          `incident-brief risk sweep skipped: evidence ledger unavailable (${listed.cause})`,
        );
        return summary;
      }
      const pending = listed.changes.filter(
        c =>
          c.risk === null &&
          !this.inFlight.has(c.id) &&
          !this.queued.has(c.id) &&
          !this.claimed.has(c.id),
      );
      await this.scoreAndWrite(pending, summary);
      if (summary.pending > 0) {
        this.options.logger.info(
          `incident-brief risk sweep: ${summary.pending} changes without risk, ${summary.written} written, ${summary.alreadySet} already set, ${summary.unscorable} unscorable, ${summary.deferred} held back (SLO health unknown, within the health grace), ${summary.failed} failed`,
        );
      }
    } catch (error) {
      this.options.logger.warn(
        `incident-brief risk sweep failed: ${describeError(error)}`,
      );
    }
    return summary;
  }

  /** Handles one batch of event ids (exposed for tests; the queue calls it). */
  async processIds(ids: string[]): Promise<RiskPassSummary> {
    const summary = emptySummary();
    for (const id of ids) this.claimed.add(id);
    try {
      const now = this.now();
      const listed = await this.listChanges(now - EVENT_LOOKUP_MS, now);
      if (!listed.available) {
        summary.failed = ids.length;
        this.options.logger.warn(
          `incident-brief could not read ${ids.length} changes of an evidence.changes event: evidence ledger unavailable (${listed.cause}); left for the risk sweep`,
        );
        return summary;
      }
      const wanted = new Set(ids);
      const found = listed.changes.filter(c => wanted.has(c.id));
      if (
        found.length < wanted.size &&
        this.options.sweepLookbackMs > EVENT_LOOKUP_MS
      ) {
        const seen = new Set(found.map(c => c.id));
        const older = await this.listChanges(
          now - this.options.sweepLookbackMs,
          now,
        );
        if (older.available) {
          found.push(
            ...older.changes.filter(c => wanted.has(c.id) && !seen.has(c.id)),
          );
        }
      }
      summary.notFound = wanted.size - found.length;
      if (summary.notFound > 0) {
        // unresolved subjects (R7), entities not indexed yet, changes beyond the lookback
        this.options.logger.debug(
          `incident-brief: ${summary.notFound} changes of an evidence.changes event are not in the ledger of the indexed entities within the risk lookback; left for the risk sweep`,
        );
      }
      // a change whose risk is already stored (an update, a rollback target) needs nothing
      await this.scoreAndWrite(
        found.filter(c => c.risk === null),
        summary,
      );
    } catch (error) {
      summary.failed = ids.length;
      this.options.logger.warn(
        `incident-brief could not score ${
          ids.length
        } changes of an evidence.changes event: ${describeError(
          error,
        )}; left for the risk sweep`,
      );
    } finally {
      for (const id of ids) this.claimed.delete(id);
    }
    return summary;
  }

  private kick(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // ids queued between the loop's last check and this callback start the next loop
      if (this.queued.size > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queued.size > 0 && !this.stopped) {
      const ids = [...this.queued];
      this.queued.clear();
      await this.processIds(ids);
    }
  }

  private async scoreAndWrite(
    changes: StoredChange[],
    summary: RiskPassSummary,
  ): Promise<void> {
    const todo = changes.filter(c => !this.inFlight.has(c.id));
    if (todo.length === 0) return;
    summary.pending += todo.length;
    for (const c of todo) this.inFlight.add(c.id);
    const scoreFailures: { id: string; error: unknown }[] = [];
    const writeFailures: { id: string; error: unknown }[] = [];
    try {
      const outcomes = await this.options.briefs.scoreChanges(todo);
      let outage = false;
      for (const change of todo) {
        const outcome = outcomes.get(change.id);
        if (!outcome || outcome.status === 'unscorable') {
          summary.unscorable++;
          this.options.logger.debug(
            `incident-brief cannot score change ${change.id} yet: ${
              outcome?.reason ?? 'no outcome'
            }`,
          );
        } else if (outcome.status === 'failed') {
          scoreFailures.push({ id: change.id, error: outcome.error });
        } else if (this.holdBack(change, outcome.risk)) {
          summary.deferred++;
          this.options.logger.debug(
            `incident-brief holds back the risk of change ${change.id}: SLO health unknown within the health grace; left for the risk sweep`,
          );
        } else if (outage) {
          // evidence is unwell: the rest of this pass waits for the next sweep
          writeFailures.push({ id: change.id, error: undefined });
        } else {
          const error = await this.write(change.id, outcome.risk, summary);
          if (error !== undefined) {
            writeFailures.push({ id: change.id, error });
            outage = isOutage(error);
          }
        }
      }
    } finally {
      for (const c of todo) this.inFlight.delete(c.id);
      summary.failed += scoreFailures.length + writeFailures.length;
      this.warnOnce('could not score', scoreFailures);
      this.warnOnce('could not store the risk of', writeFailures);
    }
  }

  /** True when the risk's D5 is unknown and the change is younger than the health grace. */
  private holdBack(
    change: StoredChange,
    risk: Parameters<EvidenceService['setChangeRisk']>[1],
  ): boolean {
    const grace = this.options.healthGraceMs ?? 0;
    if (grace <= 0) return false;
    const d5 = risk.dimensions.find(d => d.id === 'D5');
    if (!d5?.unknown) return false;
    const received = Date.parse(change.receivedAt);
    return Number.isFinite(received) && this.now() - received < grace;
  }

  /** Writes one risk; returns the error of a failed write (a 409 is success: write-once). */
  private async write(
    id: string,
    risk: Parameters<EvidenceService['setChangeRisk']>[1],
    summary: RiskPassSummary,
  ): Promise<unknown> {
    try {
      await this.options.evidence.setChangeRisk(id, risk);
      summary.written++;
      return undefined;
    } catch (error) {
      if (statusOf(error) === 409) {
        // another replica (or an earlier run) set it first; evidence keeps the first
        summary.alreadySet++;
        this.options.logger.debug(
          `incident-brief: risk of change ${id} was already set; kept`,
        );
        return undefined;
      }
      return error ?? new Error('unknown error');
    }
  }

  /** One warning per pass and kind of failure, naming the first ids and the first error. */
  private warnOnce(what: string, failures: { id: string; error: unknown }[]) {
    if (failures.length === 0) return;
    const ids = failures.slice(0, 10).map(f => f.id);
    const more = failures.length > ids.length ? ', …' : '';
    const first = failures.find(f => f.error !== undefined)?.error;
    this.options.logger.warn(
      `incident-brief ${what} ${failures.length} change${
        failures.length === 1 ? '' : 's'
      } (${ids.join(', ')}${more}): ${describeError(
        first,
      )}; left for the risk sweep`,
    );
  }

  /** Changes of the indexed entities in `[fromMs, toMs]`, deduplicated by id. */
  private async listChanges(
    fromMs: number,
    toMs: number,
  ): Promise<
    | { available: true; changes: StoredChange[] }
    | { available: false; cause: string }
  > {
    const refs = await this.options.catalogRefs();
    const from = new Date(fromMs).toISOString();
    const to = new Date(toMs).toISOString();
    const byId = new Map<string, StoredChange>();
    for (let i = 0; i < refs.length; i += REFS_PER_QUERY) {
      const read = await this.options.evidence.queryChanges({
        entityRefs: refs.slice(i, i + REFS_PER_QUERY),
        from,
        to,
      });
      if (!read.available) return { available: false, cause: read.cause };
      for (const change of read.data) byId.set(change.id, change);
    }
    return { available: true, changes: [...byId.values()] };
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}

/** The string ids of an `evidence.changes` payload (`{ ids }`); anything else is ignored. */
function idsOf(payload: unknown): string[] {
  const ids = (payload as { ids?: unknown } | null | undefined)?.ids;
  if (!Array.isArray(ids)) return [];
  return [
    ...new Set(
      ids.filter((id): id is string => typeof id === 'string' && id.length > 0),
    ),
  ];
}

/** Timeouts, network errors, 5xx and 429: evidence is unwell, more calls would not help. */
function isOutage(error: unknown): boolean {
  const status = statusOf(error);
  return status === undefined || status >= 500 || status === 429;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * A failure as one log line: name, HTTP status and the first 300 characters of the message, with
 * anything that looks like a credential removed (the client's messages carry the response body,
 * never the request's headers, but a transport error may quote more than it should).
 */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const status = statusOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const redacted = message
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]')
    .replace(
      /\b(token|access_token|password|secret|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi,
      '$1$2[redacted]',
    )
    .replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//[redacted]@');
  return `${name}${status === undefined ? '' : ` ${status}`}: ${redacted.slice(
    0,
    300,
  )}`;
}
