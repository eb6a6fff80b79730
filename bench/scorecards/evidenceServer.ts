/**
 * A local fake of the evidence backend's read API for the scorecards benchmarks, answering the
 * calls `DefaultEvidenceService` (plugins/evidence-node) makes for the scorecards processor:
 * `POST /read` (facts, collection, edges both ways, ledger per ref), `GET /sources` and the change
 * feed `GET /entities/changed` (what the module's evidence mirror polls), from a
 * synthetic world (`syntheticWorld.ts`), each answer after `latencyMs`. Timestamps are shifted so
 * that the world's clock (`NOW`) is the wall clock: evidence ages are what the world intended.
 *
 * In-process: `startEvidenceServer(world, { latencyMs })`. As a separate process (so its CPU is
 * not charged to the catalog's event loop, as with a real evidence backend elsewhere):
 * `forkEvidenceServer({ entities, seed, latencyMs })`.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { NOW, ScoredWorld, syntheticWorld } from './syntheticWorld';

export interface EvidenceServerStats {
  reads: number;
  refs: number;
  sources: number;
  /** `GET /entities/changed` polls (the scorecards module's evidence mirror). */
  feedPolls: number;
  /** CPU time of the process the server runs in (user + system), in ms. */
  cpuMs: number;
}

export interface EvidenceServerHandle {
  port: number;
  /** Number of `POST /read` calls and refs asked for so far, and the server's CPU time. */
  stats(): Promise<EvidenceServerStats>;
  close(): Promise<void>;
}

/** The store's answer per lower-case ref, in the evidence backend's record format. */
export function evidenceAnswers(world: ScoredWorld) {
  // Fixed when the store is created, as a real store's records are: evidence then ages with
  // the wall clock, and a record read twice is the same record.
  const shiftMs = Date.now() - Date.parse(NOW);
  const shift = () => shiftMs;
  const incoming = new Map<string, any[]>();
  for (const list of world.edges.values())
    for (const e of list) {
      if (!e.to) continue;
      const l = incoming.get(e.to);
      if (l) l.push(e);
      else incoming.set(e.to, [e]);
    }
  const answer = (ref: string) => {
    const s = shift();
    const at = (iso: string) => new Date(Date.parse(iso) + s).toISOString();
    const storeEdge = (e: any, n: number) => ({
      id: `${e.from}>${e.to}#${n}`,
      dependentRef: e.from,
      dependencyRef: e.to,
      client: e.fromName,
      server: e.toName,
      interaction: e.interaction,
      lastSeen: at(e.lastSeen),
      source: e.source,
    });
    return {
      facts: (world.facts.get(ref) ?? []).map((f, n) => ({
        id: `${ref}#${n}`,
        entityRef: f.entityRef,
        subject: f.entityRef,
        resolution: 'resolved',
        source: f.source,
        kind: f.kind,
        key: f.key ?? '',
        value: f.value,
        valueFingerprint: 'x',
        observedAt: at(f.observedAt),
        collectedAt: at(f.collectedAt),
        freshForSeconds: f.freshForSeconds,
        expiresAt: at(f.observedAt),
        provenance: {},
        flags: [],
        demo: false,
      })),
      collection: [],
      edges: {
        outgoing: (world.edges.get(ref) ?? []).map(storeEdge),
        incoming: (incoming.get(ref) ?? []).map(storeEdge),
      },
      ledger: (world.ledger.get(ref) ?? []).map(c => ({
        ...c,
        startedAt: at(c.startedAt),
        finishedAt: c.finishedAt ? at(c.finishedAt) : undefined,
      })),
    };
  };
  // Every ref the store holds evidence for (what `GET /entities/changed` lists without `since`).
  const refs = [
    ...new Set([
      ...world.facts.keys(),
      ...world.edges.keys(),
      ...incoming.keys(),
      ...world.ledger.keys(),
    ]),
  ].sort();
  return Object.assign(answer, { refs });
}

/** Starts the fake evidence API on 127.0.0.1 in this process. */
export async function startEvidenceServer(
  world: ScoredWorld,
  options: { latencyMs: number },
): Promise<EvidenceServerHandle> {
  const answer = evidenceAnswers(world);
  const counters = { reads: 0, refs: 0, sources: 0, feedPolls: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        if (req.url?.startsWith('/sources')) {
          counters.sources++;
          res.end(
            JSON.stringify({
              items: world.sourceHealth.map(h => ({
                ...h,
                lastSuccessAt: new Date().toISOString(),
              })),
            }),
          );
          return;
        }
        if (req.url?.startsWith('/entities/changed')) {
          // The world does not change while the bench runs: after the full list, nothing.
          counters.feedPolls++;
          const since = new URL(req.url, 'http://x').searchParams.get('since');
          res.end(
            JSON.stringify({
              until: String(Date.now()),
              refs: since === null ? answer.refs : [],
            }),
          );
          return;
        }
        if (req.method === 'POST' && req.url?.startsWith('/read')) {
          counters.reads++;
          const { entityRefs } = JSON.parse(body) as { entityRefs: string[] };
          counters.refs += entityRefs.length;
          const entities: Record<string, unknown> = {};
          for (const ref of entityRefs) entities[ref] = answer(ref);
          res.end(JSON.stringify({ entities }));
          return;
        }
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { message: `no ${req.url}` } }));
      }, options.latencyMs);
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    stats: async () => {
      const cpu = process.cpuUsage();
      return { ...counters, cpuMs: (cpu.user + cpu.system) / 1000 };
    },
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

/** Starts the fake evidence API in a child process over the same seeded world. */
export async function forkEvidenceServer(options: {
  entities: number;
  seed: number;
  latencyMs: number;
}): Promise<EvidenceServerHandle> {
  const child = fork(
    __filename,
    [
      '--evidence-child',
      String(options.entities),
      String(options.seed),
      String(options.latencyMs),
    ],
    {
      execArgv: [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  // The child's TypeScript loader also sends messages (`{ type: 'watch' }`); match by key.
  const next = <T>(key: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: any) => {
        if (!m || typeof m !== 'object' || !(key in m)) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(m[key]);
      };
      const onExit = (code: number | null) =>
        reject(new Error(`evidence server exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const port = await next<number>('port');
  return {
    port,
    stats: () => {
      const answer = next<EvidenceServerStats>('stats');
      child.send('stats');
      return answer;
    },
    close: async () => {
      child.kill();
    },
  };
}

if (process.argv[2] === '--evidence-child') {
  const [entities, seed, latencyMs] = process.argv.slice(3).map(Number);
  startEvidenceServer(syntheticWorld(entities, seed), { latencyMs }).then(
    handle => {
      process.on('message', async () =>
        process.send!({ stats: await handle.stats() }),
      );
      process.send!({ port: handle.port });
    },
  );
}
