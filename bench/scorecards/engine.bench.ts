/**
 * Engine throughput (scorecards §7.5, issue C item 6): `evaluateEntity` with the default
 * standard (45 checks, all in force at NOW) over N synthetic scored entities with realistic
 * evidence (deterministic seed). Inputs are assembled per entity beforehand the way the catalog
 * processor does (facts of the entity and its owner chain, its ledger, its observed edges in
 * both directions, source health, active waivers), so only `evaluateEntity` is timed. Each pass
 * evaluates every entity once; the first pass is a warm-up.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/engine.bench.ts
 *     [--quick] [--entities <n>] [--passes <n>] [--seed <n>] [--digest]
 *
 * `--digest` prints, after the timed passes, a digest of every evaluation: counts per level, state, reason
 * and attribution, and a SHA-256 over the JSON of every result (with `undefined`-valued keys kept
 * and key order significant), so an optimisation can be checked to change no output.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import {
  EvaluationInput,
  evaluateEntity,
  indexCatalog,
  loadStandard,
  defaultStandardFile,
  normalizeEntityRef,
} from '@internal/plugin-scorecards-common';
import { NOW, refOf, syntheticWorld } from './syntheticWorld';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes('--quick');
const DIGEST = process.argv.includes('--digest');
const ENTITIES = Number(arg('entities') ?? (quick ? 2_000 : 10_000));
const PASSES = Number(arg('passes') ?? (quick ? 3 : 6));
const SEED = Number(arg('seed') ?? 42);
const TARGET = 20_000;

const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' / ');

/** Keeps keys whose value is undefined, so dropping or adding such a key changes the digest. */
const keepUndefined = (_key: string, value: unknown) =>
  value === undefined ? '\u0000undefined' : value;

function digest(inputs: EvaluationInput[]) {
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
  console.log(
    `digest: results sha256 ${hash
      .digest('hex')
      .slice(0, 32)}, counts sha256 ${countsHash} (${(
      performance.now() - t
    ).toFixed(0)} ms)`,
  );
  console.log(
    `digest counts: ${JSON.stringify(Object.entries(counts).sort())}`,
  );
}

function main() {
  console.log(
    `machine: ${os.cpus().length} CPU (${os.cpus()[0]?.model}), Node ${
      process.version
    }, load average ${load()} (1/5/15 min)`,
  );
  let t = performance.now();
  const world = syntheticWorld(ENTITIES, SEED);
  const standard = loadStandard(defaultStandardFile, {
    fileName: 'default',
  });
  console.log(
    `world: ${world.scored.length} scored of ${
      world.entities.length
    } entities, ${standard.checks.length} checks, generated in ${(
      performance.now() - t
    ).toFixed(0)} ms`,
  );
  t = performance.now();
  const catalog = indexCatalog({
    entities: world.entities,
    refreshedAt: '2026-03-14T02:04:30Z',
  });
  console.log(
    `indexCatalog: ${(performance.now() - t).toFixed(
      0,
    )} ms (once per snapshot)`,
  );

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
  const inputs: EvaluationInput[] = world.scored.map(entity => {
    const ref = refOf(entity);
    const owner = normalizeEntityRef(
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
      now: NOW,
      entity,
      catalog,
      standard,
      facts,
      ledger: world.ledger.get(ref) ?? [],
      observedEdges: [
        ...(world.edges.get(ref) ?? []),
        ...(incoming.get(ref) ?? []),
      ],
      sourceHealth: world.sourceHealth,
      collection: [],
      waivers: world.waivers,
      firstSeenAt: '2025-06-01T00:00:00Z',
    };
  });
  const factsPer =
    inputs.reduce((n, i) => n + (i.facts?.length ?? 0), 0) / inputs.length;
  console.log(`inputs: ${factsPer.toFixed(1)} facts per entity on average`);

  // Sanity: a distribution of levels and states, so the bench is not timing a short-circuit.
  const levels: Record<string, number> = {};
  const states: Record<string, number> = {};
  for (const input of inputs) {
    const r = evaluateEntity(input);
    if (!r.scored) continue;
    levels[r.level] = (levels[r.level] ?? 0) + 1;
    for (const c of r.results) states[c.state] = (states[c.state] ?? 0) + 1;
  }
  console.log(`levels: ${JSON.stringify(levels)}`);
  console.log(`results: ${JSON.stringify(states)}`);

  const rates: number[] = [];
  const cpuRates: number[] = [];
  let sink = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    for (const input of inputs) {
      const r = evaluateEntity(input);
      if (r.scored) sink += r.results.length;
    }
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rate = inputs.length / (ms / 1000);
    rates.push(rate);
    cpuRates.push(inputs.length / (cpuMs / 1000));
    console.log(
      `pass ${pass + 1}: ${inputs.length} evaluations in ${ms.toFixed(
        0,
      )} ms wall = ${Math.round(rate).toLocaleString(
        'en-US',
      )}/s; ${cpuMs.toFixed(0)} ms CPU = ${Math.round(
        inputs.length / (cpuMs / 1000),
      ).toLocaleString('en-US')}/s per CPU-second (load ${load()})`,
    );
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const best = sorted[sorted.length - 1];
  const cpuMedian = [...cpuRates].sort((a, b) => a - b)[
    Math.floor(cpuRates.length / 2)
  ];
  console.log(
    `RESULT engine: median ${Math.round(median).toLocaleString(
      'en-US',
    )} evaluations/s, best ${Math.round(best).toLocaleString(
      'en-US',
    )}/s over ${PASSES} passes; ${Math.round(cpuMedian).toLocaleString(
      'en-US',
    )}/s per CPU-second (target ≥ ${TARGET.toLocaleString('en-US')}/s: ${
      median >= TARGET ? 'MET' : 'MISSED'
    }), load ${load()} [sink ${sink}]`,
  );
  // After timing, so a digest run measures the same as a plain one.
  if (DIGEST) digest(inputs);
}

main();
