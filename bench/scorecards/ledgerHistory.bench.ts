/**
 * A year of change history per entity, in the catalog module's evidence mirror and in the engine:
 * the whole ledger against what `compactLedger` keeps for the default standard's checks
 * (`ledgerNeedsOf`: the 3 newest records of a kind, environment and status, the 2 newest
 * artifacts). The synthetic world of the pipeline bench (`syntheticWorld.ts`) gets, per scored
 * Component, `--days` of history at `--per-day` changes a day (production and staging deploys,
 * config changes; a new artifact per deploy, one in twenty failed).
 *
 * - **heap**: the mirror's heap per ref after a full read from an in-process fake of the store
 *   (each ref's answer serialized once and parsed per read, as `DefaultEvidenceService` parses
 *   `POST /read`), each measurement in its own process (`whole`, `compact`, `compact`, `whole`
 *   per round), and the full read's time.
 * - **engine**: `evaluateEntity` of every scored entity with the default standard, the whole
 *   ledger against the kept records, passes alternated in one process (after a warm-up of each);
 *   the results are compared (equal, or the bench fails).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/ledgerHistory.bench.ts
 *     [--quick] [--entities <n>] [--days <n>] [--per-day <n>] [--rounds <n>]
 */
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConfigReader } from '@backstage/config';
import { parseJsonApart } from '@internal/plugin-evidence-common';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  EvaluationInput,
  LedgerRecord,
  compactLedger,
  defaultStandardFile,
  evaluateEntity,
  indexCatalog,
  ledgerNeedsOf,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import { EvidenceMirror } from '@internal/plugin-scorecards-node/src/EvidenceMirror';
import { readScorecardsConfig } from '@internal/plugin-scorecards-node/src/readScorecardsConfig';
import { arg } from '../benchArgs';
import { machineLine } from '../machine';
import { median } from '../stats';
import { evidenceAnswers } from './evidenceServer';
import { NOW, refOf, syntheticWorld } from './syntheticWorld';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 200 : 2000));
const DAYS = Number(arg('days') ?? (quick ? 90 : 365));
const PER_DAY = Number(arg('per-day') ?? 2.8);
const ROUNDS = Number(arg('rounds') ?? (quick ? 1 : 2));
const SEED = 42;
const DAY_MS = 86_400_000;

const standard = loadStandard(defaultStandardFile, { fileName: 'default' });
const needs = ledgerNeedsOf(standard)!;

/** The synthetic world with `DAYS` of history added to every ledger it has. */
function worldWithHistory() {
  const world = syntheticWorld(ENTITIES, SEED);
  const nowMs = Date.parse(NOW);
  let n = 0;
  for (const [ref, ledger] of world.ledger) {
    const count = Math.round(DAYS * PER_DAY);
    for (let i = 0; i < count; i++) {
      const at = new Date(nowMs - 50 * DAY_MS - (i / PER_DAY) * DAY_MS);
      const kind = i % 3 === 2 ? 'config' : 'deploy';
      const record: LedgerRecord = {
        id: `H${++n}`,
        entityRef: ref,
        kind,
        environment: i % 3 === 1 ? 'staging' : 'production',
        status: i % 20 === 7 ? 'failed' : 'succeeded',
        version: `0.${Math.floor(i / 100)}.${i % 100}`,
        startedAt: at.toISOString(),
        finishedAt: new Date(at.getTime() + 600_000).toISOString(),
        attributes:
          kind === 'deploy'
            ? {
                artifactDigest: `sha256:${n.toString(16).padStart(64, '0')}`,
                exposure: {
                  from: 0,
                  to: 100,
                  strategy: 'canary',
                  analysis: true,
                },
              }
            : {},
      };
      ledger.push(record);
    }
  }
  return world;
}

type Variant = 'whole' | 'compact';

async function measureHeap(variant: Variant) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const world = worldWithHistory();
  const answer = evidenceAnswers(world);
  const json = new Map(
    answer.refs.map(ref => [ref, JSON.stringify(answer(ref))]),
  );
  const evidence = {
    async changedEntities() {
      return {
        available: true,
        asOf: NOW,
        data: { refs: answer.refs, until: String(Date.now()) },
      } as const;
    },
    async readEntities(refs: string[]) {
      const data = new Map<string, EntityEvidence>(
        parseJsonApart(
          `[${refs
            .map(r => `[${JSON.stringify(r)},${json.get(r)}]`)
            .join(',')}]`,
        ) as [string, EntityEvidence][],
      );
      return { available: true, asOf: NOW, data } as const;
    },
    async sourceHealth() {
      return { available: true, asOf: NOW, data: [] } as const;
    },
  } as Partial<EvidenceService> as EvidenceService;
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const t = performance.now();
  const mirror = new EvidenceMirror({
    evidence,
    config: readScorecardsConfig(new ConfigReader({})),
    ...(variant === 'compact' ? { ledgerNeeds: needs } : {}),
  });
  await mirror.refresh();
  const readMs = performance.now() - t;
  // The last text a regular expression ran on (V8 keeps it for RegExp.lastMatch) is a cut of the
  // last response, which keeps that whole response until the next match anywhere in the
  // process: in a running catalog a moment, whichever side; not the mirror's.
  /x/.exec('x');
  gc();
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  const records = answer.refs.reduce(
    (sum, ref) => sum + mirror.read([ref])!.evidence.ledger.length,
    0,
  );
  return {
    variant,
    refs: mirror.size,
    bytesPerRef: bytes / mirror.size,
    readMs,
    records,
  };
}

function engineSide() {
  const world = worldWithHistory();
  const catalog = indexCatalog({
    entities: world.entities,
    refreshedAt: '2026-03-14T02:04:30Z',
  });
  const inputs = (compact: boolean): EvaluationInput[] =>
    world.scored.map(entity => {
      const ref = refOf(entity);
      const ledger = world.ledger.get(ref) ?? [];
      return {
        now: NOW,
        entity,
        catalog,
        standard,
        facts: world.facts.get(ref) ?? [],
        ledger: compact ? compactLedger(ledger, needs) : ledger,
        observedEdges: world.edges.get(ref) ?? [],
        sourceHealth: world.sourceHealth,
        collection: [],
        waivers: world.waivers,
        firstSeenAt: '2025-06-01T00:00:00Z',
      };
    });
  const sides = { whole: inputs(false), compact: inputs(true) };
  const pass = (variant: Variant) => {
    const t = performance.now();
    const results = sides[variant].map(input => evaluateEntity(input));
    return { ms: performance.now() - t, results };
  };
  const a = pass('whole');
  const b = pass('compact');
  if (!isDeepStrictEqual(a.results, b.results))
    throw new Error(
      'the kept records gave other results than the whole ledger',
    );
  const times: Record<Variant, number[]> = { whole: [], compact: [] };
  for (let round = 0; round < 2 * ROUNDS + 1; round++) {
    for (const v of (round % 2
      ? ['compact', 'whole']
      : ['whole', 'compact']) as Variant[])
      times[v].push(pass(v).ms);
  }
  return {
    entities: world.scored.length,
    whole: median(times.whole),
    compact: median(times.compact),
  };
}

function inChild(variant: Variant) {
  const out = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      __filename,
      ...process.argv.slice(2),
      '--measure',
      variant,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Awaited<
    ReturnType<typeof measureHeap>
  >;
}

async function main() {
  console.log(machineLine());
  console.log(
    `world: ${ENTITIES} scored entities (seed ${SEED}), ${DAYS} days of history at ${PER_DAY} changes a day per Component with a ledger; needs ${JSON.stringify(
      needs,
    )}`,
  );
  const heap: ReturnType<typeof inChild>[] = [];
  for (let round = 0; round < ROUNDS; round++)
    for (const v of ['whole', 'compact', 'compact', 'whole'] as Variant[]) {
      const m = inChild(v);
      heap.push(m);
      console.log(
        `  mirror ${v}: ${m.refs} refs, ${m.records} ledger records kept, ${(
          m.bytesPerRef / 1024
        ).toFixed(1)} KB/ref, full read ${m.readMs.toFixed(0)} ms`,
      );
    }
  const engine = engineSide();
  const of = (v: Variant, f: (m: ReturnType<typeof inChild>) => number) =>
    median(heap.filter(m => m.variant === v).map(f));
  console.log('');
  console.log('| measure | whole ledger | kept records | ratio |');
  console.log('| --- | --- | --- | --- |');
  const row = (name: string, a: number, b: number, unit: string, digits = 0) =>
    console.log(
      `| ${name} | ${a.toFixed(digits)} ${unit} | ${b.toFixed(
        digits,
      )} ${unit} | ×${(a / b).toFixed(1)} |`,
    );
  row(
    'ledger records in the mirror',
    of('whole', m => m.records),
    of('compact', m => m.records),
    '',
  );
  row(
    'mirror heap per ref',
    of('whole', m => m.bytesPerRef) / 1024,
    of('compact', m => m.bytesPerRef) / 1024,
    'KB',
    1,
  );
  row(
    'mirror full read',
    of('whole', m => m.readMs),
    of('compact', m => m.readMs),
    'ms',
  );
  row(
    `engine, ${engine.entities} evaluations (same results)`,
    engine.whole,
    engine.compact,
    'ms',
  );
}

const measureArg = arg('measure') as Variant | undefined;
if (measureArg) {
  measureHeap(measureArg).then(
    m => console.log(JSON.stringify(m)),
    e => {
      console.error(e);
      process.exit(1);
    },
  );
} else {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}
