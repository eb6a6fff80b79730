/**
 * The wire form of result sets (`compactEvaluation`, scorecards-common) against full result
 * sets, side by side in one run: what the catalog module's ResultsPublisher does per set
 * (its own `encodeResultItem`: the item as UTF-8 JSON, for `compact` after
 * `compactEvaluation`; its `bodyOf` per batch) and what the
 * scorecards backend's `POST /internal/results[/compact]` does with a body before its store
 * (`JSON.parse` of batches of 500, for `compact` `expandEvaluation`, then per item the
 * validation fast path and the history snapshot and hash — the same for both forms).
 * Result sets are the engine's own (default standard, 45 checks, synthetic world), in rounds
 * of order full-compact-compact-full; medians of the rounds per form.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/wireForm.bench.ts
 *     [--quick] [--entities <n>] [--rounds <n>]
 */
import {
  bodyOf,
  encodeResultItem,
} from '@internal/plugin-catalog-backend-module-scorecards/src/results/ResultsPublisher';
import {
  EntityEvaluation,
  compactEvaluation,
  CompactEvaluation,
  defaultStandardFile,
  expandEvaluation,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import { historyOf } from '@internal/plugin-scorecards-backend/src/evaluation/recordEvaluation';
import { isWellFormedEvaluation } from '@internal/plugin-scorecards-backend/src/service/internalResultsRouter';
import { arg } from '../benchArgs';
import { median } from '../stats';
import { resultSets } from './resultSets';
import { machineLine } from '../machine';

const quick = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (quick ? 500 : 5000));
const ROUNDS = Number(arg('rounds') ?? (quick ? 1 : 5));
const BATCH = 500;

type Form = 'full' | 'compact';
const ORDER: Form[] = ['full', 'compact', 'compact', 'full'];

interface Measure {
  bytes: number;
  sendMs: number;
  receiveMs: number;
}

const standard = loadStandard(defaultStandardFile, { fileName: 'default' });

function send(
  form: Form,
  sets: ReturnType<typeof resultSets>,
): { bodies: Buffer[]; ms: number } {
  const t = performance.now();
  const wire = form === 'compact' ? standard : undefined;
  const items = sets.map(s =>
    encodeResultItem(s.evaluation, s.entityHash, wire),
  );
  const bodies: Buffer[] = [];
  for (let i = 0; i < items.length; i += BATCH) {
    bodies.push(bodyOf(items.slice(i, i + BATCH)));
  }
  return { bodies, ms: performance.now() - t };
}

function receive(form: Form, bodies: Buffer[]): number {
  const t = performance.now();
  let accepted = 0;
  for (const body of bodies) {
    const { results } = JSON.parse(body.toString('utf8')) as {
      results: {
        entityHash: string;
        evaluation: EntityEvaluation | CompactEvaluation;
      }[];
    };
    for (const item of results) {
      const evaluation =
        form === 'compact'
          ? expandEvaluation(item.evaluation as CompactEvaluation, standard)
          : (item.evaluation as EntityEvaluation);
      if (!isWellFormedEvaluation(evaluation)) {
        throw new Error(`${evaluation.entityRef}: not well formed`);
      }
      historyOf(evaluation, item.entityHash);
      accepted++;
    }
  }
  if (accepted === 0) throw new Error('nothing received');
  return performance.now() - t;
}

async function main() {
  console.log(machineLine());
  const sets = resultSets(ENTITIES, false, '2026-03-14T02:05:00.000Z');
  // Both forms carry the same sets: checked once, outside the timings.
  for (const s of sets.slice(0, 50)) {
    const back = expandEvaluation(
      JSON.parse(JSON.stringify(compactEvaluation(s.evaluation, standard))),
      standard,
    );
    if (
      historyOf(back, s.entityHash).resultHash !==
      historyOf(s.evaluation, s.entityHash).resultHash
    ) {
      throw new Error(`${s.evaluation.entityRef}: the wire form changed it`);
    }
  }
  console.log(
    `${
      sets.length
    } result sets (default standard, 45 checks), batches of ${BATCH}; ${ROUNDS} round(s) of ${ORDER.join(
      '-',
    )}`,
  );
  const measured: Record<Form, Measure[]> = { full: [], compact: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const form of ORDER) {
      const sent = send(form, sets);
      const receiveMs = receive(form, sent.bodies);
      const bytes = sent.bodies.reduce((n, b) => n + b.length, 0);
      measured[form].push({ bytes, sendMs: sent.ms, receiveMs });
      console.log(
        `  round ${round + 1} ${form}: ${(bytes / sets.length / 1024).toFixed(
          1,
        )} KB per set, send ${sent.ms.toFixed(
          0,
        )} ms, receive ${receiveMs.toFixed(0)} ms`,
      );
    }
  }
  const row = (form: Form) => {
    const m = measured[form];
    return {
      kb: median(m.map(x => x.bytes)) / sets.length / 1024,
      send: (median(m.map(x => x.sendMs)) / sets.length) * 1000,
      receive: (median(m.map(x => x.receiveMs)) / sets.length) * 1000,
    };
  };
  const full = row('full');
  const compact = row('compact');
  console.log('');
  console.log(
    '| per result set (median of rounds) | full | compact | compact / full |',
  );
  console.log('| --- | --- | --- | --- |');
  const line = (name: string, a: number, b: number, unit: string) =>
    console.log(
      `| ${name} | ${a.toFixed(1)} ${unit} | ${b.toFixed(1)} ${unit} | ${(
        b / a
      ).toFixed(2)} |`,
    );
  line('JSON posted', full.kb, compact.kb, 'KB');
  line('module: serialize (+ compact)', full.send, compact.send, 'µs');
  line(
    'backend: parse (+ expand), validate, snapshot + hash',
    full.receive,
    compact.receive,
    'µs',
  );
  line(
    'both sides',
    full.send + full.receive,
    compact.send + compact.receive,
    'µs',
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
