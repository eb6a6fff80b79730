/**
 * Memory of the scorecards module's evidence mirror (`EvidenceMirror`, scorecards-node) per
 * mirrored ref, side by side in one run with what it is built from: the evidence store's answers
 * as the client parses them (`JSON.parse` of each bulk read's JSON, kept as parsed). The mirror
 * holds its copy for as long as the catalog runs, so this is the module's resident cost per
 * entity with evidence.
 *
 * The synthetic world of the pipeline bench (`syntheticWorld.ts`, same seed) is served by an
 * in-process fake of the store: `changedEntities()` lists every ref with evidence, and
 * `readEntities()` parses the JSON of the refs asked for (serialized once up front), as
 * `DefaultEvidenceService` parses the response of `POST /read`. Each measurement runs in its
 * own child process (a heap baseline taken after another measurement in the same process still
 * holds parts of it): full GC twice, `heapUsed`, build, full GC twice, `heapUsed`; the
 * difference over the refs held. For the mirror, a second full read follows (every ref read
 * again, the store unchanged), measured the same way against the first baseline, since the mirror
 * keeps entries across full reads. Measurements alternate (`raw`, `mirror`, `mirror`, `raw`, …);
 * medians per variant.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/mirrorMemory.bench.ts
 *     [--quick] [--entities <n>] [--rounds <n>] [--module <path to an EvidenceMirror.ts>]
 *
 * `--module` adds a third variant, another implementation of the mirror on the same world, e.g.
 * the previous commit's (`git archive HEAD plugins | tar -x -C /tmp/orig`, /tmp/orig/node_modules
 * linked to the repository's, then `--module /tmp/orig/plugins/scorecards-node/src/EvidenceMirror.ts`).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ConfigReader } from '@backstage/config';
import type { EntityEvidence } from '@internal/plugin-evidence-node';
import { EvidenceMirror } from '@internal/plugin-scorecards-node/src/EvidenceMirror';
import { readScorecardsConfig } from '@internal/plugin-scorecards-node/src/readScorecardsConfig';
import { arg } from '../benchArgs';
import { median } from '../stats';
import { fakeEvidenceStore } from './fakeEvidenceStore';
import { machineLine } from '../machine';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 500 : 5000));
const ROUNDS = Number(arg('rounds') ?? (quick ? 1 : 3));
const OTHER_MODULE = arg('module');
const SEED = 42;

type Variant = 'raw' | 'mirror' | 'other';

interface Measurement {
  variant: Variant;
  refs: number;
  /** Heap held per ref after the first full read. */
  bytesPerRef: number;
  /** Heap held per ref after a second full read of the unchanged store (mirror variants). */
  bytesPerRefAfterSecondRead?: number;
  /** Wall time of the first full read (parse included), ms. */
  readMs: number;
}

/** A full GC, callable without `--expose-gc` on the command line (the CI smoke runs none). */
function fullGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

async function measure(variant: Variant): Promise<Measurement> {
  const gc = fullGc();
  const store = fakeEvidenceStore(ENTITIES, SEED);
  gc();
  const before = process.memoryUsage().heapUsed;
  const t = performance.now();
  if (variant === 'raw') {
    // What a cache of the client's answers would hold: the parsed answers, 1,000 refs a read.
    const held: Map<string, EntityEvidence>[] = [];
    for (let i = 0; i < store.refs.length; i += 1000) {
      held.push(store.parse(store.refs.slice(i, i + 1000)));
    }
    const readMs = performance.now() - t;
    gc();
    const bytes = process.memoryUsage().heapUsed - before;
    const refs = held.reduce((n, m) => n + m.size, 0);
    return { variant, refs, bytesPerRef: bytes / refs, readMs };
  }
  const Mirror: typeof EvidenceMirror =
    variant === 'other'
      ? (
          require(path.resolve(
            OTHER_MODULE!,
          )) as typeof import('@internal/plugin-scorecards-node/src/EvidenceMirror')
        ).EvidenceMirror
      : EvidenceMirror;
  const mirror = new Mirror({
    evidence: store.evidence,
    config: readScorecardsConfig(new ConfigReader({})),
    // every refresh a full read
    fullEveryMs: 0,
  });
  await mirror.refresh();
  const readMs = performance.now() - t;
  gc();
  const first = process.memoryUsage().heapUsed - before;
  await mirror.refresh();
  gc();
  const second = process.memoryUsage().heapUsed - before;
  return {
    variant,
    refs: mirror.size,
    bytesPerRef: first / mirror.size,
    bytesPerRefAfterSecondRead: second / mirror.size,
    readMs,
  };
}

function measureInChild(variant: Variant): Measurement {
  const out = execFileSync(
    process.execPath,
    [
      ...process.execArgv,
      __filename,
      '--measure',
      variant,
      '--entities',
      String(ENTITIES),
      ...(OTHER_MODULE ? ['--module', OTHER_MODULE] : []),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Measurement;
}

async function main() {
  console.log(machineLine());
  const variants: Variant[] = OTHER_MODULE
    ? ['raw', 'mirror', 'other']
    : ['raw', 'mirror'];
  console.log(
    `world: ${ENTITIES} scored entities (seed ${SEED}); ${ROUNDS} round(s) of ${[
      ...variants,
      ...[...variants].reverse(),
    ].join(', ')}, each in its own process${
      OTHER_MODULE ? `; other = ${OTHER_MODULE}` : ''
    }`,
  );
  const all: Measurement[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of [...variants, ...[...variants].reverse()]) {
      const m = measureInChild(variant);
      all.push(m);
      console.log(
        `  ${variant}: ${m.refs} refs, ${m.bytesPerRef.toFixed(0)} B/ref${
          m.bytesPerRefAfterSecondRead === undefined
            ? ''
            : ` (${m.bytesPerRefAfterSecondRead.toFixed(
                0,
              )} B/ref after a second full read)`
        }, read in ${m.readMs.toFixed(0)} ms`,
      );
    }
  }
  const of = (v: Variant, f: (m: Measurement) => number | undefined) =>
    median(
      all
        .filter(m => m.variant === v)
        .map(f)
        .filter((x): x is number => x !== undefined),
    );
  const raw = of('raw', m => m.bytesPerRef);
  console.log(
    '\n| variant | refs | B per ref | after a second full read | ×raw | first full read |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const v of variants) {
    const bytes = of(v, m => m.bytesPerRef);
    const second =
      v === 'raw' ? undefined : of(v, m => m.bytesPerRefAfterSecondRead);
    console.log(
      `| ${v} | ${of(v, m => m.refs)} | ${bytes.toFixed(0)} | ${
        second === undefined ? '—' : second.toFixed(0)
      } | ×${(bytes / raw).toFixed(2)} | ${of(v, m => m.readMs).toFixed(
        0,
      )} ms |`,
    );
  }
}

const measureArg = arg('measure') as Variant | undefined;
if (measureArg) {
  measure(measureArg).then(
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
