/**
 * What the HTTP client alone costs each side of the blast-radius comparison
 * (`blastRadius.bench.ts`): Node's global `fetch` (undici) against node-fetch through
 * `cross-fetch` (what `CatalogClient` uses in Node when it is given no `fetchApi`), each reading
 * the same gzipped JSON answer from a local server and parsing it (`res.json()`), alternated
 * request by request. Two bodies: a shared service's blast-radius page in the table form
 * (~200 kB of JSON: 1,200 rows of the columns the API sends) and one catalog entity (~0.5 kB,
 * what the one-by-one traversal reads per request). The server answers prebuilt gzip bytes, so
 * only the clients differ.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/incident-brief/httpClients.bench.ts \
 *     [--rows 1200] [--requests 300]
 */
import crossFetch from 'cross-fetch';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { arg } from '../benchArgs';
import { mean, median } from '../stats';
import { machineLine } from '../machine';

const ROWS = Number(arg('rows') ?? 1200);
const REQUESTS = Number(arg('requests') ?? 300);

const page = JSON.stringify({
  columns: { impacted: ['ref', 'kind', 'title', 'hop', 'path', 'tier'] },
  impacted: Array.from({ length: ROWS }, (_, i) => [
    `component:default/svc-${i}`,
    'component',
    `Service ${i}`,
    2,
    [i, i + 1, i + 2],
    1,
    true,
    'group:default/team-244',
    'system:default/system-1744',
    'production',
    true,
    true,
    false,
    null,
  ]),
});
const entity = JSON.stringify({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'svc-1',
    namespace: 'default',
    annotations: { 'ops.example.com/tier': '1', note: 'x'.repeat(300) },
  },
  spec: { type: 'service', owner: 'team-244', dependsOn: ['svc-2', 'svc-3'] },
});

const CLIENTS: Record<string, typeof fetch> = {
  undici: globalThis.fetch,
  'node-fetch': crossFetch as typeof fetch,
};

async function main() {
  const bodies: Record<string, Buffer> = {
    page: gzipSync(page),
    entity: gzipSync(entity),
  };
  const server = http.createServer((req, res) => {
    const body = bodies[(req.url ?? '').slice(1)];
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-encoding': 'gzip',
      'content-length': body.length,
    });
    res.end(body);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.log(machineLine());
  const names = Object.keys(CLIENTS);
  for (const [what, json] of [
    ['page', page],
    ['entity', entity],
  ] as const) {
    const n = what === 'page' ? REQUESTS : REQUESTS * 5;
    const url = `${base}/${what}`;
    const read = async (name: string) => (await CLIENTS[name](url)).json();
    for (const name of names) {
      if (JSON.stringify(await read(name)) !== json)
        throw new Error(`${name} read a different ${what}`);
    }
    for (let i = 0; i < 100; i++) for (const name of names) await read(name); // JIT warm-up
    const times = new Map(names.map(name => [name, [] as number[]]));
    for (let i = 0; i < n; i++) {
      for (const name of i % 2 ? [...names].reverse() : names) {
        const t = performance.now();
        await read(name);
        times.get(name)!.push(performance.now() - t);
      }
    }
    const stats = names.map(name => {
      const xs = times.get(name)!;
      return {
        name,
        mean: mean(xs),
        median: median(xs),
      };
    });
    console.log(
      `${what}: ${(json.length / 1000).toFixed(1)} kB of JSON, ${(
        bodies[what].length / 1000
      ).toFixed(1)} kB gzipped, ${n} requests per client, alternated: ${stats
        .map(
          s =>
            `${s.name} mean ${s.mean.toFixed(3)} ms (median ${s.median.toFixed(
              3,
            )})`,
        )
        .join(', ')}; undici / node-fetch ×${(
        stats[0].mean / stats[1].mean
      ).toFixed(2)} (+${(stats[0].mean - stats[1].mean).toFixed(3)} ms)`,
    );
  }
  server.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
