/**
 * What answering the blast radius of a shared service costs in-process, before HTTP, auth and
 * permissions: the search with and without the examined-edge steps (`computeBlastRadius(…,
 * { examinedEdges: false })`, what the API answers), then the page's JSON — serialized by the
 * backend, parsed by the client. Roots: the most depended-on entities of a heavy-tailed synthetic
 * catalog (shared databases and platform services with thousands of dependents), asked what the
 * blast-radius card asks (3 hops, a page of 1,000). Both searches alternate root by root, their
 * order swapped every pass, and must give the same answer. Then the page on the wire in each
 * form, their order rotated root by root: `inline` (every path in full), `shared`
 * (`paths=shared`: each path step once — sharePathSteps, JSON, parse, expandPathSteps) and
 * `table` (`paths=table`: the shared form with rows as arrays in named columns — tabulateRows,
 * JSON, parse, untabulateRows, as the card's client does). Each body is also gzipped once, as
 * Backstage's production root router does to every answer (`compression()`; `startTestBackend`
 * has no such middleware, so blastRadius.bench.ts adds it to part B).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/incident-brief/hubAnswer.bench.ts \
 *     [--entities 100000] [--roots 30] [--passes 8]
 */
import {
  buildGraphIndex,
  computeBlastRadius,
  expandPathSteps,
  sharePathSteps,
  tabulateRows,
  untabulateRows,
} from '@internal/plugin-incident-brief-common';
import { isDeepStrictEqual } from 'node:util';
import { gzipSync } from 'node:zlib';
import { arg } from '../benchArgs';
import { mean, median } from '../stats';
import { mostDependedOn, syntheticCatalog } from './syntheticCatalog';
import { machineLine } from '../machine';

const ENTITIES = Number(arg('entities') ?? 100_000);
const ROOTS = Number(arg('roots') ?? 30);
const PASSES = Number(arg('passes') ?? 8);
const QUERY = { hops: 3, limit: 1000 };

const ms = (x: number) => `${x.toFixed(2)} ms`;

function main() {
  console.log(machineLine());
  const entities = syntheticCatalog(ENTITIES, { shape: 'heavy-tailed' });
  const now = new Date().toISOString();
  const index = buildGraphIndex({
    entities,
    observedEdges: [],
    asOf: { catalog: now, observedEdges: '' },
  });
  const roots = mostDependedOn(entities, ROOTS, QUERY.hops).map(r => r.ref);

  // Same answer both ways, root by root (the unit test checks this on the spec's graphs).
  for (const root of roots) {
    const { examinedEdges, ...full } = computeBlastRadius(
      index,
      [root],
      QUERY,
      now,
    );
    const answer = computeBlastRadius(index, [root], QUERY, now, {
      examinedEdges: false,
    });
    if (!isDeepStrictEqual(full, answer) || examinedEdges.length === 0)
      throw new Error(`answers differ for ${root}`);
  }

  const times = { full: [] as number[], answer: [] as number[] };
  const FORMS = ['inline', 'shared', 'table'] as const;
  type Form = (typeof FORMS)[number];
  const wire = Object.fromEntries(
    FORMS.map(form => [
      form,
      {
        encode: [] as number[],
        decode: [] as number[],
        gzip: [] as number[],
        bytes: 0,
        gzipBytes: 0,
      },
    ]),
  ) as Record<
    Form,
    {
      encode: number[];
      decode: number[];
      gzip: number[];
      bytes: number;
      gzipBytes: number;
    }
  >;
  const encode = {
    inline: (a: object) => a,
    shared: sharePathSteps,
    table: tabulateRows,
  };
  const decode = {
    inline: (a: any) => a,
    shared: expandPathSteps,
    table: untabulateRows,
  };
  let impacted = 0;
  let rotation = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    for (const root of roots) {
      const order: ('full' | 'answer')[] =
        pass % 2 ? ['full', 'answer'] : ['answer', 'full'];
      for (const way of order) {
        const t0 = performance.now();
        const result =
          way === 'full'
            ? computeBlastRadius(index, [root], QUERY, now)
            : computeBlastRadius(index, [root], QUERY, now, {
                examinedEdges: false,
              });
        times[way].push(performance.now() - t0);
        if (way === 'answer') {
          impacted += result.counts.total;
          // each form first, second and third equally often
          rotation++;
          const forms = FORMS.map(
            (_, i) => FORMS[(i + rotation) % FORMS.length],
          );
          for (const form of forms) {
            const t1 = performance.now();
            const body = JSON.stringify(encode[form](result));
            const t2 = performance.now();
            const back = decode[form](JSON.parse(body));
            wire[form].decode.push(performance.now() - t2);
            wire[form].encode.push(t2 - t1);
            wire[form].bytes += body.length;
            // what Backstage's root router adds in production (backend-defaults applies
            // `compression()`, gzip level 6, to every answer a client accepts gzip for): the
            // backend's gzip of the body
            const t3 = performance.now();
            wire[form].gzipBytes += gzipSync(body).length;
            wire[form].gzip.push(performance.now() - t3);
            if (back.impacted.length !== result.impacted.length)
              throw new Error(`${form}: the page did not read back`);
          }
        }
      }
    }
  }
  const n = PASSES * roots.length;
  console.log(
    `${ENTITIES.toLocaleString('en-US')} entities (heavy-tailed), ${
      roots.length
    } most depended-on roots (mean radius ${(impacted / n).toFixed(
      0,
    )}), ${PASSES} passes, page of ${QUERY.limit}`,
  );
  console.log(
    `  search with examined-edge steps: mean ${ms(
      mean(times.full),
    )}, median ${ms(median(times.full))}`,
  );
  console.log(
    `  search as the API answers it:    mean ${ms(
      mean(times.answer),
    )}, median ${ms(median(times.answer))}`,
  );
  console.log(
    `  ratio of means (answer / full): ${(
      mean(times.answer) / mean(times.full)
    ).toFixed(3)}; of medians ${(
      median(times.answer) / median(times.full)
    ).toFixed(3)}`,
  );
  const both = (w: typeof wire.inline) => mean(w.encode) + mean(w.decode);
  for (const form of FORMS) {
    const w = wire[form];
    console.log(
      `  page on the wire, paths=${form}: ${(w.bytes / n / 1000).toFixed(
        0,
      )} kB; backend encode mean ${ms(mean(w.encode))}, client decode mean ${ms(
        mean(w.decode),
      )}; both ${ms(both(w))}; gzip (production) ${ms(mean(w.gzip))} → ${(
        w.gzipBytes /
        n /
        1000
      ).toFixed(0)} kB`,
    );
  }
  for (const [a, b] of [
    ['shared', 'inline'],
    ['table', 'inline'],
    ['table', 'shared'],
  ] as const) {
    console.log(
      `  ratio ${a} / ${b}: bytes ${(wire[a].bytes / wire[b].bytes).toFixed(
        3,
      )}, encode + decode ${(both(wire[a]) / both(wire[b])).toFixed(
        3,
      )}, gzip ${(mean(wire[a].gzip) / mean(wire[b].gzip)).toFixed(3)}`,
    );
  }
}

main();
