import { LoggerService } from '@backstage/backend-plugin-api';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { FailureLog } from '@internal/suite-node';
import { ReadinessReport } from './IncidentReadinessChecker';

/** Fact kind registered by the evidence layer for this module (evidence §2.2). */
export const READINESS_FACT_KIND = 'incident.readiness';
/** Source id of the facts this module writes. */
export const READINESS_FACT_SOURCE = 'incident-brief';

const MAX_BATCH = 500;

/**
 * Writes readiness reports as `incident.readiness` facts. Reports are queued and written in
 * batches; an unchanged report is written again only after `rewriteAfterMs` (the fact stays fresh
 * for 24 h), so the catalog's processing loop does not turn into a write per entity per pass.
 * A failed write is logged and retried on the entity's next pass; a report refused as invalid
 * (400) is logged once and not sent again before `rewriteAfterMs` unless it changes. Neither
 * reaches the catalog.
 */
export class ReadinessFactWriter {
  private readonly written = new Map<
    string,
    { fingerprint: string; at: number }
  >();
  /**
   * Reports the evidence layer refused (a 4xx per item): the same report would be refused again,
   * so it is neither sent nor logged again before `rewriteAfterMs` — each refusal used to be
   * sent and logged on every processing pass of the entity.
   */
  private readonly refused = new Map<
    string,
    { fingerprint: string; at: number }
  >();
  private queue = new Map<
    string,
    { report: ReadinessReport; fingerprint: string }
  >();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /**
   * Flushes run every 2 s while entities are processed: an evidence outage is logged as it
   * starts and every ten minutes, not on every flush (some 1,800 lines an hour).
   */
  private readonly failures: FailureLog;

  constructor(
    private readonly options: {
      evidence: EvidenceService;
      logger: LoggerService;
      rewriteAfterMs: number;
      flushDelayMs: number;
      now?: () => number;
    },
  ) {
    this.failures = new FailureLog(options.logger, { clock: options.now });
  }

  /** Queues a report unless the same gaps were written recently. */
  enqueue(report: ReadinessReport): void {
    this.forgetExpired();
    const fingerprint = JSON.stringify(
      report.gaps.map(g => [g.code, g.severity, g.message]),
    );
    const recent = (last?: { fingerprint: string; at: number }) =>
      last?.fingerprint === fingerprint &&
      this.now() - last.at < this.options.rewriteAfterMs;
    if (
      recent(this.written.get(report.entityRef)) ||
      recent(this.refused.get(report.entityRef))
    ) {
      return;
    }
    this.queue.set(report.entityRef, { report, fingerprint });
    if (this.queue.size >= MAX_BATCH) {
      this.flush();
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.options.flushDelayMs);
      this.timer.unref?.();
    }
  }

  /** Writes everything queued; resolves when the write (or its failure) is done. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.queue.values()];
    this.queue = new Map();
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing.then(() => this.write(batch));
    return this.flushing;
  }

  private async write(
    batch: { report: ReadinessReport; fingerprint: string }[],
  ): Promise<void> {
    const observedAt = new Date(this.now()).toISOString();
    try {
      const result = await this.options.evidence.writeFacts(
        batch.map(({ report }) => ({
          entityRef: report.entityRef,
          source: READINESS_FACT_SOURCE,
          kind: READINESS_FACT_KIND,
          value: {
            gaps: report.gaps.map(g => ({
              code: g.code,
              severity: g.severity,
              message: g.message,
            })),
          },
          observedAt,
          idempotencyKey: `incident-brief:readiness:${report.entityRef}:${observedAt}`,
        })),
      );
      for (const item of result.results) {
        const entry = batch[item.index];
        if (!entry) continue;
        if (item.status === 200 || item.status === 201) {
          this.refused.delete(entry.report.entityRef);
          remember(this.written, entry.report.entityRef, {
            fingerprint: entry.fingerprint,
            at: this.now(),
          });
        } else {
          // Only an invalid report (400) is refused again as it is; a 409 (a key or a field in
          // conflict) is state that changes, so it is tried on the next pass.
          if (item.status === 400) {
            remember(this.refused, entry.report.entityRef, {
              fingerprint: entry.fingerprint,
              at: this.now(),
            });
          }
          this.options.logger.warn(
            `incident.readiness fact for ${entry.report.entityRef} refused: ${
              item.error?.message ?? item.status
            }`,
          );
        }
      }
      this.failures.recovered(
        'write',
        'incident.readiness facts written again',
      );
    } catch (error) {
      this.options.logger.debug(
        `could not write ${batch.length} incident.readiness facts: ${error}`,
      );
      this.failures.failed(
        'write',
        `could not write incident.readiness facts; retried on the next pass: ${error}`,
      );
    }
  }

  /**
   * Forgets writes and refusals older than `rewriteAfterMs`, which hold nothing back any more:
   * without it both maps kept an entry for every entity ever processed (deleted and renamed
   * entities included) for as long as the catalog ran. Each map is in the order of `at`
   * ({@link remember}), so this stops at the first entry still recent: amortized constant work
   * per call.
   */
  private forgetExpired(): void {
    const cutoff = this.now() - this.options.rewriteAfterMs;
    for (const map of [this.written, this.refused]) {
      for (const [ref, { at }] of map) {
        if (at > cutoff) break;
        map.delete(ref);
      }
    }
  }

  private now() {
    return this.options.now?.() ?? Date.now();
  }
}

/** Sets an entry at the end of the map, keeping the map in the order its entries were last set. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
}
