/**
 * Engine throughput (scorecards §7.5, issue C item 6): `evaluateEntity` with the default
 * standard (45 checks, all in force at NOW) over N synthetic scored entities with realistic
 * evidence (deterministic seed). Inputs are assembled per entity beforehand the way the catalog
 * processor does (facts of the entity and its owner chain, its ledger, its observed edges in
 * both directions, source health, active waivers), so only `evaluateEntity` is timed. Each pass
 * evaluates every entity once; the first pass is a warm-up.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/engine.bench.ts
 *     [--quick] [--entities <n>] [--passes <n>] [--seed <n>] [--digest] [--moving-now]
 *     [--fresh-health] [--baseline <dir> [--current <dir>] [--swap]] [--lib <dir>]
 *
 * `--moving-now` gives every entity its own `now` (NOW + i ms) and `--fresh-health` its own
 * copy of the source-health list: together they are the catalog processor's case, which reads
 * the wall clock and builds a new health list per entity. Neither changes any result.
 *
 * `--baseline <dir>` (a copy of `plugins/scorecards-common/src` from before a change, e.g.
 * `git archive HEAD plugins/scorecards-common/src | tar -x -C bench/scorecards/.baseline`, then
 * `--baseline bench/scorecards/.baseline/plugins/scorecards-common/src`) loads that copy beside
 * the current one and alternates their passes in one process (AB, BA, AB, ...), so both see the
 * same machine state; it prints both medians, the median per-pair speed-up and both digests.
 *
 * `--isolated` (with `--baseline` and `--current`) runs each copy alone in its own worker thread
 * (its own V8 isolate), passes still alternated AB, BA, ... and timed by the worker's thread CPU.
 * Without it every copy after the first shares the hidden classes of the first copy's module
 * exports (same export names in the same order) with getters of its own, so the exports objects
 * of the later copies fall back to dictionary mode and every call into another module of the
 * library goes through a generic property load: the default run measures both copies slowed
 * that way (the workspace package is loaded first), a process that loads the library once
 * (the backend) does not pay it.
 *
 * `--digest` prints, after the timed passes, a digest of every evaluation: counts per level, state, reason
 * and attribution, and a SHA-256 over the JSON of every result (with `undefined`-valued keys kept
 * and key order significant), so an optimisation can be checked to change no output.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import {
  isMainThread,
  parentPort,
  Worker,
  workerData,
} from 'node:worker_threads';
import type * as ScorecardsCommon from '@internal/plugin-scorecards-common';
import type { EvaluationInput } from '@internal/plugin-scorecards-common';
import { NOW, refOf, syntheticWorld } from './syntheticWorld';
import { arg } from '../benchArgs';
import { loadAverage, machineLine } from '../machine';
import { median } from '../stats';

const quick = process.argv.includes('--quick');
const DIGEST = process.argv.includes('--digest');
const ENTITIES = Number(arg('entities') ?? (quick ? 2_000 : 10_000));
const PASSES = Number(arg('passes') ?? (quick ? 3 : 6));
const SEED = Number(arg('seed') ?? 42);
const TARGET = 20_000;
const BASELINE = arg('baseline');
/** With --baseline: load the "current" side from a copy too (both sides loaded the same way). */
const CURRENT_DIR = arg('current');
/**
 * A different `now` per evaluation (NOW + i ms), as the catalog processor passes the wall clock
 * for every entity; the default is one `now` for all (the digest `3631ca72…` is for that).
 */
const MOVING_NOW = process.argv.includes('--moving-now');
/**
 * A new (equal) source-health list per entity, as the catalog processor builds one per entity;
 * the default is one list for all. Results are the same either way.
 */
const FRESH_HEALTH = process.argv.includes('--fresh-health');
/** Without --baseline: run the library from this copy instead of the workspace package. */
const LIB_DIR = arg('lib');
/** With --baseline and --current: each copy alone in a worker thread (see the header). */
const ISOLATED = process.argv.includes('--isolated');

type Lib = typeof ScorecardsCommon;

/** The workspace package (loaded on first use; a worker of `--isolated` never loads it). */
const workspaceLib = (): Lib => require('@internal/plugin-scorecards-common');

/** Keeps keys whose value is undefined, so dropping or adding such a key changes the digest. */
const keepUndefined = (_key: string, value: unknown) =>
  value === undefined ? '\u0000undefined' : value;

function digest(
  inputs: EvaluationInput[],
  evaluateEntity: Lib['evaluateEntity'],
  label = '',
): string {
  const t = performance.now();
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  const count = (k: string) => {
    counts[k] = (counts[k] ?? 0) + 1;
  };
  for (const input of inputs) {
    const r = evaluateEntity(input);
    hash.update(JSON.stringify(r, keepUndefined));
    hash.update('\n');
    if (!r.scored) {
      count('unscored');
      continue;
    }
    count(`level:${r.level}`);
    count(`blockers:${r.blockers.length}`);
    for (const c of r.results) {
      count(`state:${c.state}`);
      count(`reason:${c.reason}`);
      count(`attribution:${c.attribution}`);
    }
  }
  const countsHash = createHash('sha256')
    .update(JSON.stringify(Object.entries(counts).sort()))
    .digest('hex')
    .slice(0, 16);
  return `digest${label}: results sha256 ${hash
    .digest('hex')
    .slice(0, 32)}, counts sha256 ${countsHash} (${(
    performance.now() - t
  ).toFixed(0)} ms)\ndigest${label} counts: ${JSON.stringify(
    Object.entries(counts).sort(),
  )}`;
}

/** The inputs of every scored entity, built with one copy of the library. */
function prepare(lib: Lib, world: ReturnType<typeof syntheticWorld>) {
  let t = performance.now();
  const standard = lib.loadStandard(lib.defaultStandardFile, {
    fileName: 'default',
  });
  const catalog = lib.indexCatalog({
    entities: world.entities,
    refreshedAt: '2026-03-14T02:04:30Z',
  });
  const indexMs = performance.now() - t;
  t = performance.now();
  // Incoming edges too: the processor reads edges in both directions.
  const incoming = new Map<
    string,
    typeof world.edges extends Map<any, infer V> ? V : never
  >();
  for (const list of world.edges.values())
    for (const e of list) {
      if (!e.to) continue;
      const l = incoming.get(e.to);
      if (l) l.push(e);
      else incoming.set(e.to, [e]);
    }
  const nowMs = Date.parse(NOW);
  const inputs: EvaluationInput[] = world.scored.map((entity, i) => {
    const ref = refOf(entity);
    const owner = lib.normalizeEntityRef(
      (entity.spec as any).owner,
      'group',
      'default',
    );
    const chain = owner ? [owner] : [];
    for (let p = owner && catalog.parentOf(owner); p; p = catalog.parentOf(p))
      if (!chain.includes(p)) chain.push(p);
      else break;
    const facts = [ref, ...chain].flatMap(r => world.facts.get(r) ?? []);
    return {
      now: MOVING_NOW ? new Date(nowMs + i).toISOString() : NOW,
      entity,
      catalog,
      standard,
      facts,
      ledger: world.ledger.get(ref) ?? [],
      observedEdges: [
        ...(world.edges.get(ref) ?? []),
        ...(incoming.get(ref) ?? []),
      ],
      sourceHealth: FRESH_HEALTH
        ? world.sourceHealth.map(h => ({ ...h }))
        : world.sourceHealth,
      collection: [],
      waivers: world.waivers,
      firstSeenAt: '2025-06-01T00:00:00Z',
    } as EvaluationInput;
  });
  return { standard, inputs, indexMs };
}

/** CPU time of this thread only (GC helper threads excluded), where the runtime has it. */
const threadCpu = (): number => {
  const u = (process as any).threadCpuUsage?.() ?? process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * One pass: every entity evaluated once. Rates by wall time, by process CPU time (all threads,
 * incl. GC helpers) and by this thread's CPU time (the least disturbed by other processes on a
 * shared machine: time spent descheduled is not counted).
 */
function timedPass(lib: Lib, inputs: EvaluationInput[]) {
  let sink = 0;
  const cpu0 = process.cpuUsage();
  const thread0 = threadCpu();
  const start = performance.now();
  for (const input of inputs) {
    const r = lib.evaluateEntity(input);
    if (r.scored) sink += r.results.length;
  }
  const ms = performance.now() - start;
  const threadMs = threadCpu() - thread0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    ms,
    cpuMs,
    threadMs,
    rate: inputs.length / (ms / 1000),
    cpuRate: inputs.length / (cpuMs / 1000),
    threadRate: inputs.length / (threadMs / 1000),
    sink,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
// the mean of the two middle values for an even count (the upper one, until 2026-12-06,
// overstated throughput and B/A ratios by a few per cent)
const medianOf = median;

function main() {
  if (ISOLATED && BASELINE && CURRENT_DIR) {
    compareIsolated(BASELINE, CURRENT_DIR).catch(e => {
      console.error(e);
      process.exitCode = 1;
    });
    return;
  }
  // Loaded first, as always: every copy loaded after it runs with the exports slowdown of the
  // header, so runs stay comparable with earlier ones.
  const workspace = workspaceLib();
  console.log(machineLine());
  let t = performance.now();
  const world = syntheticWorld(ENTITIES, SEED);
  console.log(
    `world: ${world.scored.length} scored of ${
      world.entities.length
    } entities, generated in ${(performance.now() - t).toFixed(0)} ms`,
  );
  console.log(
    `inputs: ${MOVING_NOW ? 'a new now per entity' : 'one now'}, ${
      FRESH_HEALTH
        ? 'a new source-health list per entity'
        : 'one source-health list'
    }`,
  );
  if (BASELINE) {
    compare(world, BASELINE, workspace);
    return;
  }
  const lib: Lib = LIB_DIR
    ? require(path.resolve(LIB_DIR, 'index.ts'))
    : workspace;
  if (LIB_DIR) console.log(`library: ${LIB_DIR}`);
  t = performance.now();
  const { standard, inputs, indexMs } = prepare(lib, world);
  console.log(
    `standard: ${
      standard.checks.length
    } checks; indexCatalog + loadStandard: ${indexMs.toFixed(
      0,
    )} ms (once per snapshot)`,
  );
  const factsPer =
    inputs.reduce((n, i) => n + (i.facts?.length ?? 0), 0) / inputs.length;
  console.log(`inputs: ${factsPer.toFixed(1)} facts per entity on average`);

  // Sanity: a distribution of levels and states, so the bench is not timing a short-circuit.
  const levels: Record<string, number> = {};
  const states: Record<string, number> = {};
  for (const input of inputs) {
    const r = lib.evaluateEntity(input);
    if (!r.scored) continue;
    levels[r.level] = (levels[r.level] ?? 0) + 1;
    for (const c of r.results) states[c.state] = (states[c.state] ?? 0) + 1;
  }
  console.log(`levels: ${JSON.stringify(levels)}`);
  console.log(`results: ${JSON.stringify(states)}`);

  const rates: number[] = [];
  const cpuRates: number[] = [];
  const threadRates: number[] = [];
  let sink = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const r = timedPass(lib, inputs);
    sink += r.sink;
    rates.push(r.rate);
    cpuRates.push(r.cpuRate);
    threadRates.push(r.threadRate);
    console.log(
      `pass ${pass + 1}: ${inputs.length} evaluations in ${r.ms.toFixed(
        0,
      )} ms wall = ${fmt(r.rate)}/s; ${r.cpuMs.toFixed(0)} ms CPU = ${fmt(
        r.cpuRate,
      )}/s per CPU-second; ${fmt(
        r.threadRate,
      )}/s per main-thread CPU-second (load ${loadAverage()})`,
    );
  }
  const median = medianOf(rates);
  const best = Math.max(...rates);
  console.log(
    `RESULT engine: median ${fmt(median)} evaluations/s, best ${fmt(
      best,
    )}/s over ${PASSES} passes; ${fmt(
      medianOf(cpuRates),
    )}/s per CPU-second, ${fmt(
      medianOf(threadRates),
    )}/s per main-thread CPU-second (target ≥ ${fmt(TARGET)}/s: ${
      median >= TARGET ? 'MET' : 'MISSED'
    }), load ${loadAverage()} [sink ${sink}]`,
  );
  // After timing, so a digest run measures the same as a plain one.
  if (DIGEST) console.log(digest(inputs, lib.evaluateEntity));
}

/**
 * Baseline (A) and current (B) copies in one process, passes alternated AB, BA, AB, ... Rates by
 * wall time and by main-thread CPU time; the speed-up is the median of the per-pair ratios.
 * Which side is prepared first is alternated too (`--swap` prepares the current side first).
 */
function compare(
  world: ReturnType<typeof syntheticWorld>,
  dir: string,
  workspace: Lib,
) {
  const baseline: Lib = require(path.resolve(dir, 'index.ts'));
  const current: Lib = CURRENT_DIR
    ? require(path.resolve(CURRENT_DIR, 'index.ts'))
    : workspace;
  const swap = process.argv.includes('--swap');
  const b0 = swap ? prepare(current, world) : undefined;
  const a = prepare(baseline, world);
  const b = b0 ?? prepare(current, world);
  // Warm-up of both (one untimed pass each).
  timedPass(baseline, a.inputs);
  timedPass(current, b.inputs);
  const wall = { a: [] as number[], b: [] as number[], ratio: [] as number[] };
  const thread = {
    a: [] as number[],
    b: [] as number[],
    ratio: [] as number[],
  };
  for (let pass = 0; pass < PASSES; pass++) {
    const order = pass % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    const got: Record<string, ReturnType<typeof timedPass>> = {};
    for (const which of order)
      got[which] =
        which === 'A'
          ? timedPass(baseline, a.inputs)
          : timedPass(current, b.inputs);
    wall.a.push(got.A.rate);
    wall.b.push(got.B.rate);
    wall.ratio.push(got.B.rate / got.A.rate);
    thread.a.push(got.A.threadRate);
    thread.b.push(got.B.threadRate);
    thread.ratio.push(got.B.threadRate / got.A.threadRate);
    console.log(
      `pair ${pass + 1} (${order.join('')}): wall ${fmt(got.A.rate)} vs ${fmt(
        got.B.rate,
      )}/s ×${(got.B.rate / got.A.rate).toFixed(2)}; main-thread CPU ${fmt(
        got.A.threadRate,
      )} vs ${fmt(got.B.threadRate)}/s ×${(
        got.B.threadRate / got.A.threadRate
      ).toFixed(2)} (load ${loadAverage()})`,
    );
  }
  console.log(
    `RESULT engine A/B: ${
      a.inputs.length
    } entities, ${PASSES} pairs; wall: baseline median ${fmt(
      medianOf(wall.a),
    )}/s, current ${fmt(medianOf(wall.b))}/s, median pair ×${medianOf(
      wall.ratio,
    ).toFixed(2)}; main-thread CPU: baseline ${fmt(
      medianOf(thread.a),
    )}/s, current ${fmt(medianOf(thread.b))}/s, median pair ×${medianOf(
      thread.ratio,
    ).toFixed(2)}; load ${loadAverage()}`,
  );
  if (DIGEST) {
    console.log(digest(a.inputs, baseline.evaluateEntity, ' baseline'));
    console.log(digest(b.inputs, current.evaluateEntity, ' current'));
  }
}

/** The per-pair rates of one side, as a worker of `--isolated` reports them. */
type PassResult = ReturnType<typeof timedPass>;

/** A worker of `--isolated`: one copy of the library, its own world and inputs. */
class IsolatedSide {
  private readonly worker: Worker;
  private readonly replies: ((value: any) => void)[] = [];
  /** The worker's line once its inputs are prepared and warmed up. */
  readonly ready: Promise<string>;

  constructor(dir: string, label: string) {
    // The bench itself, required in the worker through the same TypeScript hook as here.
    this.worker = new Worker(
      "require(require('node:worker_threads').workerData.file)",
      {
        eval: true,
        argv: process.argv.slice(2),
        workerData: { role: 'side', file: __filename, dir, label },
      },
    );
    this.ready = this.next<string>();
    this.worker.on('message', value => this.replies.shift()?.(value));
    this.worker.on('error', e => {
      console.error(e);
      process.exit(1);
    });
  }

  private next<T>(): Promise<T> {
    return new Promise(resolve => this.replies.push(resolve));
  }

  pass(): Promise<PassResult> {
    const reply = this.next<PassResult>();
    this.worker.postMessage('pass');
    return reply;
  }

  digest(): Promise<string> {
    const reply = this.next<string>();
    this.worker.postMessage('digest');
    return reply;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

/** The worker side of `--isolated`: loads one copy, prepares its inputs, runs passes on request. */
function runSide() {
  const { dir, label } = workerData as { dir: string; label: string };
  const lib: Lib = require(path.resolve(dir, 'index.ts'));
  const world = syntheticWorld(ENTITIES, SEED);
  const { inputs } = prepare(lib, world);
  timedPass(lib, inputs); // warm-up
  parentPort!.on('message', (message: string) => {
    if (message === 'pass') parentPort!.postMessage(timedPass(lib, inputs));
    else if (message === 'digest')
      parentPort!.postMessage(digest(inputs, lib.evaluateEntity, label));
  });
  parentPort!.postMessage(
    `${label.trim()}: ${dir}, ${
      inputs.length
    } scored entities, load ${loadAverage()}`,
  );
}

/** `compare` with each copy alone in a worker thread (`--isolated`). */
async function compareIsolated(baselineDir: string, currentDir: string) {
  console.log(machineLine());
  console.log(
    `isolated: each copy in its own worker thread; inputs: ${
      MOVING_NOW ? 'a new now per entity' : 'one now'
    }, ${
      FRESH_HEALTH
        ? 'a new source-health list per entity'
        : 'one source-health list'
    }`,
  );
  // Prepared one after the other, so the two world builds do not compete.
  const a = new IsolatedSide(baselineDir, ' baseline');
  console.log(await a.ready);
  const b = new IsolatedSide(currentDir, ' current');
  console.log(await b.ready);
  const wall = { a: [] as number[], b: [] as number[], ratio: [] as number[] };
  const thread = {
    a: [] as number[],
    b: [] as number[],
    ratio: [] as number[],
  };
  for (let pass = 0; pass < PASSES; pass++) {
    const order = pass % 2 === 0 ? ['A', 'B'] : ['B', 'A'];
    const got: Record<string, PassResult> = {};
    for (const which of order)
      got[which] = await (which === 'A' ? a : b).pass();
    wall.a.push(got.A.rate);
    wall.b.push(got.B.rate);
    wall.ratio.push(got.B.rate / got.A.rate);
    thread.a.push(got.A.threadRate);
    thread.b.push(got.B.threadRate);
    thread.ratio.push(got.B.threadRate / got.A.threadRate);
    console.log(
      `pair ${pass + 1} (${order.join('')}): wall ${fmt(got.A.rate)} vs ${fmt(
        got.B.rate,
      )}/s ×${(got.B.rate / got.A.rate).toFixed(2)}; thread CPU ${fmt(
        got.A.threadRate,
      )} vs ${fmt(got.B.threadRate)}/s ×${(
        got.B.threadRate / got.A.threadRate
      ).toFixed(2)} (load ${loadAverage()})`,
    );
  }
  console.log(
    `RESULT engine A/B isolated: ${ENTITIES} entities, ${PASSES} pairs; wall: baseline median ${fmt(
      medianOf(wall.a),
    )}/s, current ${fmt(medianOf(wall.b))}/s, median pair ×${medianOf(
      wall.ratio,
    ).toFixed(2)}; thread CPU: baseline ${fmt(
      medianOf(thread.a),
    )}/s, current ${fmt(medianOf(thread.b))}/s, median pair ×${medianOf(
      thread.ratio,
    ).toFixed(2)}; load ${loadAverage()}`,
  );
  if (DIGEST) {
    console.log(await a.digest());
    console.log(await b.digest());
  }
  await Promise.all([a.close(), b.close()]);
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === 'side')
  runSide();
else main();
