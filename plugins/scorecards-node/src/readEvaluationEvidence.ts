import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import type {
  ChangeExposure,
  EntityCollectionStatus,
  EvidenceFact,
  LedgerRecord,
  ObservedEdge,
  ScorecardsConfig,
  SourceHealth,
} from '@internal/plugin-scorecards-common';
import {
  compactLedger,
  type LedgerNeeds,
  plainObject,
} from '@internal/plugin-scorecards-common';

/** The evidence part of an `EvaluationInput` for a set of entities. */
export interface EvaluationEvidence {
  facts: EvidenceFact[];
  ledger: LedgerRecord[];
  observedEdges: ObservedEdge[];
  sourceHealth: SourceHealth[];
  collection: EntityCollectionStatus[];
}

// On-call providers are sources named by the route prefix (scorecards-common decision 3).
const ONCALL_SOURCES = ['pagerduty', 'opsgenie', 'static'];

type StoreEdge = NonNullable<EntityEvidence['edges']>['outgoing'][number];
type StoreChange = NonNullable<EntityEvidence['ledger']>[number];

/** How strings are kept: pooled by the evidence mirror, as they are otherwise. */
export interface StringInterning {
  intern<S extends string | null>(s: S): S;
  internDeep(value: unknown): unknown;
}

const AS_THEY_ARE: StringInterning = {
  intern: <S extends string | null>(s: S) => s,
  internDeep: v => v,
};

function toFact(
  f: EntityEvidence['facts'][number],
  { intern, internDeep }: StringInterning,
): EvidenceFact {
  return {
    entityRef: intern(f.entityRef),
    source: intern(f.source),
    kind: intern(f.kind),
    // The store keys unkeyed kinds with an empty string; the engine expects no key.
    ...(f.key ? { key: intern(f.key) } : {}),
    value: internDeep(f.value),
    observedAt: intern(f.observedAt),
    collectedAt: intern(f.collectedAt),
    freshForSeconds: f.freshForSeconds,
  };
}

function toEdge(e: StoreEdge, { intern }: StringInterning): ObservedEdge {
  // Messaging edges point consumer → producer, i.e. the dependent is the server (evidence §2.4).
  const async = e.interaction === 'async';
  return {
    from: intern(e.dependentRef),
    to: intern(e.dependencyRef),
    fromName: intern(async ? e.server : e.client),
    toName: intern(async ? e.client : e.server),
    interaction: intern(e.interaction),
    lastSeen: intern(e.lastSeen),
    source: intern(e.source),
  };
}

function toLedger(
  c: StoreChange,
  { intern, internDeep }: StringInterning,
): LedgerRecord {
  const attributes = (c.attributes ?? {}) as {
    artifactDigest?: string;
    exposure?: ChangeExposure;
  };
  return {
    // Every string kept goes through `intern`: one the client cut out of its response text
    // keeps that whole text alive (`StringPool`).
    id: intern(c.id),
    entityRef: intern(c.entityRef),
    kind: intern(c.kind),
    environment: intern(c.environment),
    status: intern(c.status),
    ...(c.version ? { version: intern(c.version) } : {}),
    startedAt: intern(c.startedAt),
    // The store's clock-corrected time: a start that ran ahead is kept as sent (SKEWED).
    effectiveAt: intern(c.effectiveAt),
    ...(c.finishedAt ? { finishedAt: intern(c.finishedAt) } : {}),
    ...(c.rollbackOf ? { rollbackOf: internDeep(c.rollbackOf) as string } : {}),
    attributes: ledgerAttributes(attributes, internDeep),
  };
}

/**
 * The attributes the engine reads, built by stores into a `plainObject` (three shapes, a class
 * each, whatever else the process holds; conditional spreads gave every record a class of its
 * own once the process's shared tables were full). `exposure` is copied as fact values are
 * (`StringPool.internDeep`), not kept as the client parsed it.
 */
function ledgerAttributes(
  attributes: { artifactDigest?: string; exposure?: ChangeExposure },
  internDeep: StringInterning['internDeep'],
): LedgerRecord['attributes'] {
  const out = plainObject() as NonNullable<LedgerRecord['attributes']>;
  if (attributes.artifactDigest)
    out.artifactDigest = internDeep(attributes.artifactDigest) as string;
  if (attributes.exposure) {
    out.exposure = internDeep(attributes.exposure) as ChangeExposure;
  }
  return out;
}

/** One entity's evidence in the engine's shapes, converted once (kept by the evidence mirror). */
export interface ConvertedEvidence {
  facts: EvidenceFact[];
  collection: EntityCollectionStatus[];
  /** Observed edges with the store's edge id, so edges seen from both ends count once. */
  edges: { id: string; edge: ObservedEdge }[];
  ledger: LedgerRecord[];
}

/**
 * Converts one entity's evidence from the store's read shape to the engine's. `interning` pools
 * the strings kept (the evidence mirror keeps what this returns for as long as it runs);
 * `ledgerNeeds` keeps of the ledger what `compactLedger` keeps, judged on the engine's shape
 * and pooled only if kept, so that a long history leaves no strings in the pool.
 */
export function convertEntityEvidence(
  item: EntityEvidence,
  interning: StringInterning = AS_THEY_ARE,
  ledgerNeeds?: LedgerNeeds,
): ConvertedEvidence {
  const { intern } = interning;
  const edges: ConvertedEvidence['edges'] = [];
  for (const e of [
    ...(item.edges?.outgoing ?? []),
    ...(item.edges?.incoming ?? []),
  ]) {
    // interned too: an id the client cut out of its response would keep all of it
    edges.push({ id: intern(e.id), edge: toEdge(e, interning) });
  }
  return {
    facts: item.facts.map(f => toFact(f, interning)),
    collection: item.collection.map(c => ({
      entityRef: intern(c.entityRef),
      source: intern(c.source),
      lastAttemptAt: intern(c.lastAttemptAt),
      lastSuccessAt: intern(c.lastSuccessAt),
      ...(c.error ? { error: intern(c.error) } : {}),
    })),
    edges,
    ledger: convertLedger(item.ledger ?? [], interning, ledgerNeeds),
  };
}

function convertLedger(
  changes: readonly StoreChange[],
  interning: StringInterning,
  needs: LedgerNeeds | undefined,
): LedgerRecord[] {
  if (!needs) return changes.map(c => toLedger(c, interning));
  const plain = changes.map(c => toLedger(c, AS_THEY_ARE));
  const kept = new Set(compactLedger(plain, needs));
  const out: LedgerRecord[] = [];
  plain.forEach((record, i) => {
    if (kept.has(record)) out.push(toLedger(changes[i], interning));
  });
  return out;
}

/**
 * The evidence of several entities (the evaluated one, its owner group and parents) as one
 * engine input; an edge between two of them or a change read twice counts once.
 */
export function mergeEntityEvidence(
  items: Iterable<ConvertedEvidence>,
  sourceHealth: SourceHealth[],
): EvaluationEvidence {
  const out: EvaluationEvidence = {
    facts: [],
    ledger: [],
    observedEdges: [],
    collection: [],
    sourceHealth,
  };
  const seenEdges = new Set<string>();
  const seenChanges = new Set<string>();
  for (const item of items) {
    for (const f of item.facts) out.facts.push(f);
    for (const c of item.collection) out.collection.push(c);
    for (const { id, edge } of item.edges) {
      if (seenEdges.has(id)) continue;
      seenEdges.add(id);
      out.observedEdges.push(edge);
    }
    for (const c of item.ledger) {
      if (seenChanges.has(c.id)) continue;
      seenChanges.add(c.id);
      out.ledger.push(c);
    }
  }
  return out;
}

/** Every source an evidence-store outage takes down, as unavailable health entries. */
export function outageHealth(
  config: ScorecardsConfig,
  since: string,
): SourceHealth[] {
  const sources = new Set([
    ...Object.values(config.evidenceSources),
    'ledger',
    ...ONCALL_SOURCES,
  ]);
  return [...sources].sort().map(source => ({
    source,
    status: 'unavailable' as const,
    since,
    lastSuccessAt: null,
  }));
}

/**
 * Reads what the engine needs about `refs` (the evaluated entities plus related ones such as
 * the owner group, whose keyed on-call facts the engine reads) through the batched, cached
 * evidence client. Never rejects: an unavailable store becomes "every source unavailable",
 * which the engine turns into `unknown` results with platform attribution (SR20). `now` dates
 * an outage the store could not date itself (a rejected read); it defaults to the clock.
 */
export async function readEvaluationEvidence(
  evidence: EvidenceService,
  refs: readonly string[],
  config: ScorecardsConfig,
  now?: string,
): Promise<EvaluationEvidence> {
  const unique = [...new Set(refs)];
  // The health read is optional (below): its failure must not take the facts down with it.
  const health = settle(() => evidence.sourceHealth());
  try {
    const read = await evidence.readEntities(unique, {
      include: ['facts', 'collection', 'edges', 'ledger'],
    });
    if (!read.available) return outage(config, read.since);
    const items = [...read.data.values()].map(item =>
      convertEntityEvidence(item),
    );
    const healthRead = await health;
    return mergeEntityEvidence(
      items,
      // Without health the facts still decide; a source without an entry counts as healthy.
      healthRead?.available ? healthRead.data.map(toSourceHealth) : [],
    );
  } catch {
    // A rejected read (or one that threw before returning a promise) or an item the store
    // answered in a shape we cannot read: what the store knows is unknown, exactly as in an
    // outage it reported itself. Passing the error on would let callers keep an older answer
    // (the processor keeps the previous stamp on errors), i.e. a pass nothing backs any more.
    return outage(config, now ?? new Date().toISOString());
  }
}

function outage(config: ScorecardsConfig, since: string): EvaluationEvidence {
  return {
    facts: [],
    ledger: [],
    observedEdges: [],
    collection: [],
    sourceHealth: outageHealth(config, since),
  };
}

/** The call's answer, or undefined when it rejects or throws; never rejects. */
async function settle<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch {
    return undefined;
  }
}

/** A source-health entry of the store in the engine's shape. */
export function toSourceHealth(h: SourceHealth): SourceHealth {
  return {
    source: h.source,
    status: h.status,
    since: h.since,
    lastSuccessAt: h.lastSuccessAt,
  };
}
