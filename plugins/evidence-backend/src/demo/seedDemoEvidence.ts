import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  RESERVED_SOURCES,
  type FactInput,
} from '@internal/plugin-evidence-common';
import type { EvidenceStore, IngestOutcome } from '../database/EvidenceStore';
import { DemoRepository } from './DemoRepository';
import { demoTime, truncateToMinute } from './demoClock';
import { DEMO_EDGE_SOURCE, DEMO_EDGES, demoEdgeInput } from './demoEdges';
import { DEMO_FACTS, DemoFact } from './demoFacts';
import { DEMO_LEDGER, demoChangeInput } from './demoLedger';

import { DEMO_PRINCIPAL } from './demoPrincipal';

export { DEMO_PRINCIPAL };

/** Sources whose collector the demo stands in for when it is not configured (§7.1). */
export const DEMO_HEALTH_SOURCES = ['repo', 'prometheus'] as const;

/** What a seed or refresh did, for the log and the reseed route. */
export interface DemoSeedSummary {
  /** `T` of the seeded ledger (the first seed's minute). */
  anchor: string;
  /** `T` facts and edges are current for. */
  at: string;
  created: number;
  updated: number;
  unchanged: number;
  replayed: number;
  reconfirmed: number;
  failed: number;
}

/** Options of {@link seedDemoEvidence} and {@link refreshDemoEvidence}. */
export interface SeedDemoEvidenceOptions {
  store: EvidenceStore;
  now: Date;
  logger: LoggerService;
  /** Defaults to a repository over `store.db`. */
  repository?: DemoRepository;
  /** Sources to report healthy while the demo is on; default `repo` and `prometheus`. */
  healthSources?: readonly string[];
}

// Collector-owned sources cannot be pushed (§2.2), so their demo facts go through the store's
// collector sink, exactly as the collector the demo stands in for would write them.
const isCollectorSource = (source: string) =>
  (RESERVED_SOURCES as readonly string[]).includes(source);

// Re-sending a rolled-back target after its key expired is refused as a backward transition;
// that only confirms the rollback is already recorded.
const ROLLBACK_TARGETS = new Set(
  DEMO_LEDGER.flatMap(e => (e.rollbackOf ? [e.rollbackOf] : [])),
);

function emptySummary(anchor: number, at: number): DemoSeedSummary {
  return {
    anchor: new Date(anchor).toISOString(),
    at: new Date(at).toISOString(),
    created: 0,
    updated: 0,
    unchanged: 0,
    replayed: 0,
    reconfirmed: 0,
    failed: 0,
  };
}

function factInput(fact: DemoFact, t: number): FactInput {
  return {
    entityRef: fact.entityRef,
    source: fact.source,
    kind: fact.kind,
    ...(fact.key !== undefined ? { key: fact.key } : {}),
    value: fact.value(t),
    observedAt: demoTime(t, fact.observedOffset),
  };
}

/**
 * Seeds the demo evidence of evidence §7.1 relative to `T` = `now` truncated to the minute, all
 * through the store's ingestion path with idempotency keys `demo:<id>` (changes carry natural
 * keys `{system, externalId: 'demo-<id>'}`), so every row is a `demo` row and a reseed replays.
 * When a ledger was seeded before, its `T` is kept and facts and edges are re-confirmed at the
 * new `T` instead (see {@link refreshDemoEvidence}).
 */
export async function seedDemoEvidence(
  options: SeedDemoEvidenceOptions,
): Promise<DemoSeedSummary> {
  const { store, now, logger } = options;
  if (!store.options.demo.enabled) {
    throw new Error('evidence.demo.enabled is not true; nothing is seeded');
  }
  const repository = options.repository ?? new DemoRepository(store.db);
  const t = truncateToMinute(now);
  const anchor = (await repository.findAnchor()) ?? t;
  const summary = emptySummary(anchor, t);
  const healthBefore = await repository.healthSources();

  const tally = (id: string, outcome: IngestOutcome) => {
    if (outcome.ok) {
      if (outcome.replayed) summary.replayed += 1;
      else if (outcome.status === 201) summary.created += 1;
      else if (outcome.unchanged) summary.unchanged += 1;
      else summary.updated += 1;
    } else if (
      outcome.error.code === 'INVALID_TRANSITION' &&
      ROLLBACK_TARGETS.has(id)
    ) {
      summary.unchanged += 1;
    } else {
      summary.failed += 1;
      logger.warn(
        `evidence demo item ${id} was refused: ${outcome.error.code} ${outcome.error.message}`,
      );
    }
  };

  // The ledger is written once, in startedAt order, relative to the first seed's T.
  for (const entry of DEMO_LEDGER) {
    tally(
      entry.id,
      await store.ingest(
        'changes',
        `demo:${entry.id}`,
        demoChangeInput(entry, anchor),
        DEMO_PRINCIPAL,
      ),
    );
  }

  if (anchor === t) {
    for (const fact of DEMO_FACTS) {
      if (isCollectorSource(fact.source)) {
        await writeCollectorFact(store, fact, t, now);
        summary.reconfirmed += 1;
      } else {
        tally(
          fact.id,
          await store.ingest(
            'facts',
            `demo:${fact.id}`,
            factInput(fact, t),
            DEMO_PRINCIPAL,
          ),
        );
      }
    }
    for (const edge of DEMO_EDGES) {
      tally(
        edge.id,
        await store.ingest(
          'edges',
          `demo:${edge.id}`,
          demoEdgeInput(edge, t),
          DEMO_PRINCIPAL,
        ),
      );
    }
  } else {
    summary.reconfirmed += await reconfirm(store, t, now);
  }

  await repository.confirmDemoHealth(
    options.healthSources ?? DEMO_HEALTH_SOURCES,
    now.getTime(),
  );
  await repository.markHealthDemo(healthBefore);
  logger.info(
    `evidence demo seeded: T=${summary.at}, ledger T=${
      summary.anchor
    }; ${JSON.stringify(summary)}`,
  );
  return summary;
}

/**
 * Re-confirms the demo facts and edges at `T` = `now` truncated to the minute (observedAt and
 * lastSeen advanced by the time elapsed, offsets kept) through the store's collector sink; the
 * ledger is left alone. Does nothing when no demo ledger is seeded (e.g. after `DELETE /demo`).
 */
export async function refreshDemoEvidence(
  options: SeedDemoEvidenceOptions,
): Promise<DemoSeedSummary | undefined> {
  const { store, now, logger } = options;
  const repository = options.repository ?? new DemoRepository(store.db);
  const anchor = await repository.findAnchor();
  if (anchor === undefined) {
    logger.info('evidence demo refresh skipped: no demo evidence is seeded');
    return undefined;
  }
  const t = truncateToMinute(now);
  const summary = emptySummary(anchor, t);
  summary.reconfirmed = await reconfirm(store, t, now);
  await repository.confirmDemoHealth(
    options.healthSources ?? DEMO_HEALTH_SOURCES,
    now.getTime(),
  );
  logger.info(`evidence demo re-confirmed at T=${summary.at}`);
  return summary;
}

async function writeCollectorFact(
  store: EvidenceStore,
  fact: DemoFact,
  t: number,
  now: Date,
): Promise<void> {
  await store.writeFact({
    entityRef: fact.entityRef,
    source: fact.source,
    kind: fact.kind,
    key: fact.key,
    value: fact.value(t),
    observedAt: new Date(t + fact.observedOffset),
    collectedAt: now,
  });
}

async function reconfirm(
  store: EvidenceStore,
  t: number,
  now: Date,
): Promise<number> {
  for (const fact of DEMO_FACTS) {
    await writeCollectorFact(store, fact, t, now);
  }
  await store.writeEdges(
    DEMO_EDGE_SOURCE,
    DEMO_EDGES.map(edge => demoEdgeInput(edge, t)),
    now,
  );
  return DEMO_FACTS.length + DEMO_EDGES.length;
}
