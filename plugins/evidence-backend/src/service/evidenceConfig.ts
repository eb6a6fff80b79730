import { Config } from '@backstage/config';
import { readConfigDurationMs, readConfigNumber } from '@internal/suite-node';
import {
  BUILTIN_EVIDENCE_KINDS,
  DEFAULT_EDGE_FRESH_SECONDS,
  DEFAULT_EDGE_RETAIN_SECONDS,
  DEFAULT_MAX_BATCH_ITEMS,
  DEFAULT_MAX_SKEW_SECONDS,
  DEFAULT_MAX_VALUE_BYTES,
  EvidenceKindDefinition,
  MAX_INTEGER_COLUMN,
  SECONDS_PER_DAY,
} from '@internal/plugin-evidence-common';
import {
  durationSeconds,
  entryEntityRef,
  entryName,
  entryObject,
  optionalBoolean,
  readConfigMap,
} from './configMaps';

/** Settings of the evidence backend, read once from `evidence.*` (§10); all durations in seconds. */
export interface EvidenceOptions {
  maxSkewSeconds: number;
  ingest: {
    maxBodyBytes: number;
    maxBatchBodyBytes: number;
    maxBatchItems: number;
    maxValueBytes: number;
    idempotencyRetentionSeconds: number;
  };
  kinds: EvidenceKindDefinition[];
  edges: { freshForSeconds: number; retainForSeconds: number };
  retention: {
    factHistoryRawSeconds: number;
    factHistorySeconds: number;
    changesSeconds: number;
    ciRunsSeconds: number;
    healthLogSeconds: number;
    unresolvedFactsSeconds: number;
    tombstonesSeconds: number;
    collectionStatusSeconds: number;
    /** Rows deleted per statement (§2.7: chunks of 5,000). */
    chunkSize: number;
  };
  /** Platform-curated `telemetry name → entity ref` (§2.1 level 1). */
  aliases: Record<string, string>;
  /** `evidence.sources.<id>.expectEvery` for push sources (§2.6). */
  expectEverySeconds: Record<string, number>;
  demo: { enabled: boolean };
}

const DAY = SECONDS_PER_DAY;

/**
 * A source's `expectEvery` in seconds, or undefined when it has none. Source ids are sender text
 * (`POST /facts` takes any `source` of its pattern, `constructor` included): looked up as an own
 * property, since a plain object answers such a name from its prototype (a function, whose
 * arithmetic reached SQL as NaN).
 */
export function expectEverySecondsOf(
  options: Pick<EvidenceOptions, 'expectEverySeconds'>,
  source: string,
): number | undefined {
  return Object.hasOwn(options.expectEverySeconds, source)
    ? options.expectEverySeconds[source]
    : undefined;
}

/** A duration under `evidence.` in seconds; zero or a negative part stops start-up (`allowZero` aside). */
function seconds(
  root: Config,
  key: string,
  fallback: number,
  options: { allowZero?: boolean } = {},
): number {
  return (
    readConfigDurationMs(root, `evidence.${key}`, fallback * 1000, options) /
    1000
  );
}

/** A positive whole number under `evidence.` (sizes and counts). */
function count(root: Config, key: string, fallback: number): number {
  return readConfigNumber(root, `evidence.${key}`, fallback, {
    integer: true,
    min: 1,
  });
}

/**
 * A kind's configured window: whole seconds that its facts' integer `fresh_for_s` column holds.
 * A fact sent without `freshForSeconds` is stored with the window, so a longer or fractional one
 * failed every such write on PostgreSQL (a 500); it is refused at start-up instead.
 */
function kindWindowSeconds(value: unknown, name: string): number {
  const window = durationSeconds(value, name);
  if (!Number.isInteger(window) || window > MAX_INTEGER_COLUMN) {
    throw new Error(
      `${name} must be whole seconds of at most ${MAX_INTEGER_COLUMN} (about 68 years; got ${window} s)`,
    );
  }
  return window;
}

/** Reads `evidence.*` with the defaults of §10 (all `ours`). */
export function readEvidenceOptions(root: Config): EvidenceOptions {
  const config = root.getOptionalConfig('evidence');
  const kinds: EvidenceKindDefinition[] = readConfigMap(
    root,
    'evidence.kinds',
    'a map of kind id to { freshFor, keyed }',
  ).map(([id, value]) => {
    const name = entryName('evidence.kinds', id);
    const kind = entryObject(value, name, 'an object with freshFor and keyed');
    // A built-in kind named here keeps what the entry leaves out (its window, being keyed):
    // `oncall.schedule: { keyed: true }` must not reset its 24 h window to 7 days.
    const builtin = BUILTIN_EVIDENCE_KINDS.find(k => k.id === id);
    const keyed =
      optionalBoolean(kind.keyed, `${name}.keyed`) ?? builtin?.keyed;
    return {
      id,
      freshForSeconds:
        kind.freshFor === undefined || kind.freshFor === null
          ? builtin?.freshForSeconds ?? 7 * DAY
          : kindWindowSeconds(kind.freshFor, `${name}.freshFor`),
      ...(keyed === undefined ? {} : { keyed }),
    };
  });
  const aliases: Record<string, string> = {};
  for (const [alias, ref] of readConfigMap(
    root,
    'evidence.aliases',
    'a map of telemetry name to entity ref',
  )) {
    aliases[alias.toLowerCase()] = entryEntityRef(
      ref,
      entryName('evidence.aliases', alias),
    );
  }
  const expectEverySeconds: Record<string, number> = {};
  for (const [id, value] of readConfigMap(
    root,
    'evidence.sources',
    'a map of source id to { expectEvery }',
  )) {
    const name = entryName('evidence.sources', id);
    const source = entryObject(value, name, 'an object with expectEvery');
    if (source.expectEvery !== undefined && source.expectEvery !== null) {
      expectEverySeconds[id] = durationSeconds(
        source.expectEvery,
        `${name}.expectEvery`,
      );
    }
  }
  return {
    maxSkewSeconds: seconds(root, 'clock.maxSkew', DEFAULT_MAX_SKEW_SECONDS, {
      allowZero: true,
    }),
    ingest: {
      maxBodyBytes: count(root, 'ingest.maxBodyBytes', 1048576),
      maxBatchBodyBytes: count(root, 'ingest.maxBatchBodyBytes', 8388608),
      maxBatchItems: count(
        root,
        'ingest.maxBatchItems',
        DEFAULT_MAX_BATCH_ITEMS,
      ),
      maxValueBytes: count(
        root,
        'ingest.maxValueBytes',
        DEFAULT_MAX_VALUE_BYTES,
      ),
      idempotencyRetentionSeconds: seconds(
        root,
        'ingest.idempotencyRetention',
        7 * DAY,
      ),
    },
    kinds,
    edges: {
      freshForSeconds: seconds(
        root,
        'edges.freshFor',
        DEFAULT_EDGE_FRESH_SECONDS,
      ),
      retainForSeconds: seconds(
        root,
        'edges.retainFor',
        DEFAULT_EDGE_RETAIN_SECONDS,
      ),
    },
    retention: {
      factHistoryRawSeconds: seconds(
        root,
        'retention.factHistoryRaw',
        90 * DAY,
      ),
      factHistorySeconds: seconds(root, 'retention.factHistory', 400 * DAY),
      changesSeconds: seconds(root, 'retention.changes', 730 * DAY),
      ciRunsSeconds: seconds(root, 'retention.ciRuns', 90 * DAY),
      healthLogSeconds: seconds(root, 'retention.healthLog', 90 * DAY),
      unresolvedFactsSeconds: seconds(
        root,
        'retention.unresolvedFacts',
        90 * DAY,
      ),
      tombstonesSeconds: seconds(root, 'retention.tombstones', 7 * DAY),
      collectionStatusSeconds: seconds(
        root,
        'retention.collectionStatus',
        7 * DAY,
      ),
      chunkSize: count(root, 'retention.chunkSize', 5000),
    },
    aliases,
    expectEverySeconds,
    demo: { enabled: config?.getOptionalBoolean('demo.enabled') ?? false },
  };
}
