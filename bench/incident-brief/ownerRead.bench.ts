/**
 * What the Owner & on-call card reads: `GET …/owner` (the brief's owner section alone, since
 * 42c4c90) against `GET …/brief` (what it read before), through the real plugin over HTTP, side by
 * side. Roots: the most depended-on entities of a heavy-tailed synthetic catalog (shared services,
 * whose brief carries a blast radius of thousands) and random roots. Each root asks both routes,
 * in an order that alternates root by root; both answers must name the same owner section. Times
 * are the client's (request, body, JSON parse); bytes are the JSON body before compression, and
 * gzipped once at level 6 as production's root router would.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/incident-brief/ownerRead.bench.ts \
 *     [--entities 10000] [--roots 30] [--passes 3] [--quick]
 */
import { isDeepStrictEqual } from 'node:util';
import { gzipSync } from 'node:zlib';
import { arg } from '../benchArgs';
import { machineLine } from '../machine';
import { median } from '../stats';
import {
  mostDependedOn,
  prng,
  refOf,
  syntheticCatalog,
} from './syntheticCatalog';
import { startStubBriefBackend } from './stubBriefBackend';

const QUICK = process.argv.includes('--quick');
const ENTITIES = Number(arg('entities') ?? (QUICK ? 2_000 : 10_000));
const ROOTS = Number(arg('roots') ?? (QUICK ? 5 : 30));
const PASSES = Number(arg('passes') ?? (QUICK ? 1 : 3));

type Route = 'brief' | 'owner';

interface Sample {
  ms: number;
  bytes: number;
  gzipBytes: number;
  body: any;
}

async function main() {
  console.log(machineLine());
  const entities = syntheticCatalog(ENTITIES, { shape: 'heavy-tailed' });
  const shared = mostDependedOn(entities, ROOTS, 3).map(r => r.ref);
  const random = prng(7);
  const randomRoots: string[] = [];
  while (randomRoots.length < ROOTS) {
    const ref = refOf(Math.floor(random() * ENTITIES));
    if (!shared.includes(ref) && !randomRoots.includes(ref))
      randomRoots.push(ref);
  }
  const backend = await startStubBriefBackend(entities);
  try {
    const ask = async (root: string, route: Route): Promise<Sample> => {
      const [kind, rest] = root.split(':');
      const [namespace, name] = rest.split('/');
      const started = performance.now();
      const res = await fetch(
        `${backend.baseUrl}/api/incident-brief/entities/${kind}/${namespace}/${name}/${route}`,
        { headers: { authorization: backend.authorization } },
      );
      const text = await res.text();
      const body = JSON.parse(text);
      const ms = performance.now() - started;
      if (res.status !== 200)
        throw new Error(`${route} of ${root}: ${res.status} ${text}`);
      return {
        ms,
        bytes: Buffer.byteLength(text),
        gzipBytes: gzipSync(text, { level: 6 }).length,
        body,
      };
    };
    // the index is built on the first read; warm both routes before timing
    await ask(shared[0], 'brief');
    await ask(shared[0], 'owner');

    console.log(
      `\n${ENTITIES} entities (heavy-tailed), ${ROOTS} roots a set, ${PASSES} pass(es), each root asks both routes in turn\n`,
    );
    console.log(
      '| roots | impacted (mean) | brief: median ms / KB / gzip KB | owner: median ms / KB / gzip KB | brief/owner time | brief/owner bytes |',
    );
    console.log('| --- | ---: | --- | --- | ---: | ---: |');
    for (const [label, roots] of [
      ['shared services (most depended on)', shared],
      ['random roots', randomRoots],
    ] as const) {
      const samples: Record<Route, Sample[]> = { brief: [], owner: [] };
      let impacted = 0;
      for (let pass = 0; pass < PASSES; pass++) {
        for (let i = 0; i < roots.length; i++) {
          const order: Route[] =
            (i + pass) % 2 ? ['owner', 'brief'] : ['brief', 'owner'];
          const got = {} as Record<Route, Sample>;
          for (const route of order) got[route] = await ask(roots[i], route);
          const { brief, owner } = got;
          if (
            !isDeepStrictEqual(owner.body.owner, brief.body.owner) ||
            owner.body.confidence.owner !== brief.body.confidence.owner
          )
            throw new Error(`owner sections differ for ${roots[i]}`);
          if (pass === 0) impacted += brief.body.blastRadius.counts.total;
          samples.brief.push(brief);
          samples.owner.push(owner);
        }
      }
      const of = (route: Route) => {
        const s = samples[route];
        return {
          ms: median(s.map(x => x.ms)),
          kb: median(s.map(x => x.bytes)) / 1024,
          gz: median(s.map(x => x.gzipBytes)) / 1024,
        };
      };
      const b = of('brief');
      const o = of('owner');
      const cell = (x: typeof b) =>
        `${x.ms.toFixed(2)} / ${x.kb.toFixed(1)} / ${x.gz.toFixed(1)}`;
      console.log(
        `| ${label} | ${(impacted / roots.length).toFixed(1)} | ${cell(
          b,
        )} | ${cell(o)} | ×${(b.ms / o.ms).toFixed(1)} | ×${(
          b.kb / o.kb
        ).toFixed(1)} |`,
      );
    }
  } finally {
    await backend.stop();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
