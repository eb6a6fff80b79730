import { TestDatabases } from '@backstage/backend-test-utils';
import type {
  LedgerView,
  StoredChange,
} from '@internal/plugin-evidence-common';
import { T } from '../__testUtils__/startEvidenceTestBackend';
import { checkoutLedgerStore } from '../__testUtils__/checkoutLedgerStore';
import { EvidenceReader } from './EvidenceReader';
import { EvidenceStore } from './EvidenceStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});
const CHECKOUT = 'component:default/checkout-service';
const VIEW: LedgerView = { perClass: 2, artifacts: 2 };
const minutesAgo = (minutes: number) =>
  new Date(Date.parse(T) - minutes * 60_000).toISOString();

/** A small deterministic PRNG (mulberry32). */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) =>
    lo + Math.floor(next() * (hi - lo + 1));
  const pick = <V>(items: readonly V[]): V => items[int(0, items.length - 1)];
  return { next, int, pick };
}

/** What a reader keeps of `changes` (scorecards' `compactLedger`, on the API's shape). */
function keptByReader(changes: readonly StoredChange[], view: LedgerView) {
  const time = (c: StoredChange) => Date.parse(c.finishedAt ?? c.effectiveAt);
  const sorted = [...changes].sort(
    (a, b) => time(b) - time(a) || (b.id < a.id ? -1 : Number(b.id > a.id)),
  );
  const perClass = new Map<string, number>();
  const artifacts = new Map<string, Set<string>>();
  const kept = new Set<string>();
  for (const c of sorted) {
    const cls = `${c.environment}|${c.kind}|${c.status}|${Boolean(
      c.rollbackOf,
    )}`;
    const n = perClass.get(cls) ?? 0;
    if (n < view.perClass) {
      perClass.set(cls, n + 1);
      kept.add(c.id);
    }
    if (c.kind !== 'deploy' || c.status !== 'succeeded') continue;
    const digest = (c.attributes as { artifactDigest?: string }).artifactDigest;
    const artifact = digest || `version:${c.version || c.id}`;
    const seen = artifacts.get(c.environment) ?? new Set<string>();
    artifacts.set(c.environment, seen);
    if (!seen.has(artifact) && seen.size < view.artifacts) {
      seen.add(artifact);
      kept.add(c.id);
    }
  }
  return kept;
}

describe.each(databases.eachSupportedId())(
  'a ledger read with a view (compactLedgerRows) on %s',
  databaseId => {
    let store: EvidenceStore;
    let reader: EvidenceReader;

    beforeEach(async () => {
      ({ store, reader } = await checkoutLedgerStore(
        await databases.init(databaseId),
      ));
    });

    /** Posts a random history of `count` changes, some updated later and some rolled back. */
    async function postHistory(seed: number, count: number) {
      const r = random(seed);
      const posted: { externalId: string; body: Record<string, unknown> }[] =
        [];
      for (let i = 0; i < count; i++) {
        const externalId = `x${seed}-${i}`;
        const kind = r.pick(['deploy', 'deploy', 'deploy', 'config']);
        const startedMinutes = r.next() < 0.2 ? 600 : r.int(10, 20_000);
        const status = r.pick([
          'succeeded',
          'succeeded',
          'succeeded',
          'failed',
          'started',
        ]);
        const target =
          posted.length > 0 && r.next() < 0.15 ? r.pick(posted) : undefined;
        const body: Record<string, unknown> = {
          ...(r.next() < 0.3 ? { alias: 'checkout' } : { entityRef: CHECKOUT }),
          kind,
          environment: r.pick(['production', 'production', 'staging']),
          ref: externalId,
          summary: `change ${externalId}`,
          actor: { type: 'bot', id: 'ci' },
          source: { system: 'gha', externalId },
          startedAt: minutesAgo(startedMinutes),
          ...(status === 'started'
            ? {}
            : { finishedAt: minutesAgo(startedMinutes - r.int(0, 5)) }),
          status,
          ...(r.next() < 0.7 ? { version: `1.${r.int(0, 6)}.0` } : {}),
          ...(target
            ? { rollbackOf: { system: 'gha', externalId: target.externalId } }
            : {}),
          attributes:
            kind === 'deploy'
              ? // the store requires one; a few, so artifacts repeat
                { artifactDigest: `sha256:${String(r.int(0, 4)).repeat(64)}` }
              : { keys: ['a'] },
        };
        const result = await store.ingest('changes', externalId, body, 'ci');
        expect(result.ok ? 'ok' : JSON.stringify(result)).toBe('ok');
        posted.push({ externalId, body });
        // a started deploy finishing later: its time and status move
        if (status === 'started' && kind === 'deploy' && r.next() < 0.5) {
          const update = {
            ...body,
            status: 'succeeded',
            finishedAt: minutesAgo(startedMinutes - 3),
          };
          const updated = await store.ingest(
            'changes',
            `${externalId}-done`,
            update,
            'ci',
          );
          expect(updated.ok ? 'ok' : JSON.stringify(updated)).toBe('ok');
        }
      }
    }

    const read = async (view?: LedgerView) =>
      (
        await reader.ledgerRead([CHECKOUT], {
          asOf: T,
          windowFrom: minutesAgo(14_000),
          summary: false,
          ...(view ? { view } : {}),
        })
      ).ledger.get(CHECKOUT)!;

    it.each([1, 2, 3, 4, 5, 6])(
      'answers a part of the window that holds everything a reader keeps (seed %i)',
      async seed => {
        await postHistory(seed, 60);
        const whole = await read();
        const viewed = await read(VIEW);
        const ids = new Set(viewed.map(c => c.id));
        expect(viewed.length).toBeLessThan(whole.length);
        // nothing outside the window, nothing the whole read lacks
        expect(viewed.filter(c => !whole.some(w => w.id === c.id))).toEqual([]);
        // everything the reader keeps of the whole window, and the same kept of it
        expect(
          [...keptByReader(whole, VIEW)].filter(id => !ids.has(id)),
        ).toEqual([]);
        expect(keptByReader(viewed, VIEW)).toEqual(keptByReader(whole, VIEW));
        // the answer is in the ledger's order, as the whole read's
        expect(viewed.map(c => c.id)).toEqual(
          whole.filter(c => ids.has(c.id)).map(c => c.id),
        );
      },
    );

    it('keeps nothing of a class for a view of zero', async () => {
      await postHistory(7, 20);
      expect(await read({ perClass: 0, artifacts: 0 })).toEqual([]);
    });
  },
);
