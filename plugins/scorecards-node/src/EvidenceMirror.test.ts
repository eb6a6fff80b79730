import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import { readScorecardsConfig } from './readScorecardsConfig';
import { ConfigReader } from '@backstage/config';
import { EvidenceMirror, EvidenceMirrorOptions } from './EvidenceMirror';

const SVC = 'component:default/svc';
const TEAM = 'group:default/team';
const OTHER = 'component:default/other';
const config = readScorecardsConfig(new ConfigReader({}));

function fact(ref: string, kind: string, value: unknown) {
  return {
    id: `${ref}-${kind}`,
    entityRef: ref,
    subject: ref,
    resolution: 'resolved',
    source: 'repo-scanner',
    kind,
    key: '',
    value,
    observedAt: '2026-03-14T02:00:00Z',
    collectedAt: '2026-03-14T02:00:00Z',
    freshForSeconds: 86400,
  } as unknown as EntityEvidence['facts'][number];
}

const edge = {
  id: 'edge-1',
  dependentRef: SVC,
  dependencyRef: OTHER,
  client: 'svc',
  server: 'other',
  interaction: 'sync',
  lastSeen: '2026-03-14T02:00:00Z',
  source: 'mesh',
} as unknown as NonNullable<EntityEvidence['edges']>['outgoing'][number];

/** What a read asked for: every part, every part but ledgers, or ledgers only. */
function kindOf(include: string[]) {
  if (!include.includes('ledger')) return 'without ledgers' as const;
  return include.includes('facts') ? ('whole' as const) : ('ledgers' as const);
}

/** An evidence store fake: `store` is what it holds, `writtenSince` what the feed reports. */
function fakeStore() {
  const store = new Map<string, EntityEvidence>();
  const state = {
    down: false,
    until: 1000,
    writtenSince: [] as string[],
    /** The feed's marks of the writes behind `writtenSince` (none: an older store). */
    marks: undefined as Record<string, string[]> | undefined,
    polls: [] as (string | undefined)[],
    reads: [] as string[][],
    views: [] as unknown[],
    /** What each read asked for. */
    kinds: [] as ('whole' | 'without ledgers' | 'ledgers')[],
    health: [
      {
        source: 'repo-scanner',
        status: 'ok',
        since: '2026-03-01T00:00:00Z',
        lastSuccessAt: '2026-03-14T02:00:00Z',
      },
    ],
  };
  const evidence = {
    async changedEntities(since?: string) {
      state.polls.push(since);
      if (state.down) {
        return { available: false, cause: 'timeout', since: 'x' } as const;
      }
      return {
        available: true,
        asOf: 'x',
        data: {
          refs: since === undefined ? [...store.keys()] : state.writtenSince,
          until: String(state.until),
          ...(since !== undefined && state.marks ? { marks: state.marks } : {}),
        },
      } as const;
    },
    async readEntities(
      refs: string[],
      options?: {
        cache?: boolean;
        ledgerView?: unknown;
        include?: string[];
      },
    ) {
      expect(options?.cache).toBe(false);
      const include = options?.include ?? [
        'facts',
        'collection',
        'edges',
        'ledger',
      ];
      state.reads.push(refs);
      state.views.push(options?.ledgerView);
      state.kinds.push(kindOf(include));
      if (state.down) {
        return { available: false, cause: 'timeout', since: 'x' } as const;
      }
      // as the store answers: only what was asked for
      const answer = (r: string) => {
        const held: Partial<EntityEvidence> = store.get(r) ?? {
          facts: [],
          collection: [],
        };
        return Object.fromEntries(
          Object.entries(held).filter(([key]) => include.includes(key)),
        ) as unknown as EntityEvidence;
      };
      return {
        available: true,
        asOf: 'x',
        data: new Map(refs.map(r => [r, answer(r)])),
      } as const;
    },
    async sourceHealth() {
      return { available: true, asOf: 'x', data: state.health } as const;
    },
  } as unknown as EvidenceService;
  return { store, state, evidence };
}

/** A mirror loaded from a store holding one fact each for SVC and OTHER; `clock.now` moves it. */
async function loadedMirror(options: Partial<EvidenceMirrorOptions>) {
  const fake = fakeStore();
  fake.store.set(SVC, { facts: [fact(SVC, 'repo.files', 1)], collection: [] });
  fake.store.set(OTHER, {
    facts: [fact(OTHER, 'repo.files', 1)],
    collection: [],
  });
  const clock = { now: 0 };
  const mirror = new EvidenceMirror({
    evidence: fake.evidence,
    config,
    clock: () => clock.now,
    ...options,
  });
  await mirror.refresh();
  const read = () => ({
    svc: mirror.read([SVC])!,
    other: mirror.read([OTHER])!,
  });
  return { ...fake, mirror, clock, read };
}

describe('EvidenceMirror', () => {
  it('answers nothing before the first full read, then every ref from memory', async () => {
    const { store, state, evidence } = fakeStore();
    store.set(SVC, {
      facts: [fact(SVC, 'repo.files', { paths: ['README.md'] })],
      collection: [],
      edges: { outgoing: [edge], incoming: [] },
      ledger: [],
    });
    store.set(TEAM, {
      facts: [fact(TEAM, 'oncall.route', { provider: 'static' })],
      collection: [],
    });
    store.set(OTHER, {
      facts: [],
      collection: [],
      edges: { outgoing: [], incoming: [edge] },
    });
    const mirror = new EvidenceMirror({ evidence, config, chunkSize: 2 });
    expect(mirror.read([SVC])).toBeUndefined();

    expect(await mirror.refresh()).toEqual({
      full: true,
      refs: 3,
      ledgers: { read: 3, left: 0 },
    });
    expect(state.polls).toEqual([undefined]);
    // every ref without its ledger, then the ledgers (the first round)
    expect(state.reads.map(r => r.length)).toEqual([2, 1, 2, 1]);
    expect(state.kinds).toEqual([
      'without ledgers',
      'without ledgers',
      'ledgers',
      'ledgers',
    ]);

    const read = mirror.read([SVC, TEAM, OTHER])!;
    expect(read.evidence.facts.map(f => [f.entityRef, f.kind])).toEqual([
      [SVC, 'repo.files'],
      [TEAM, 'oncall.route'],
    ]);
    // The edge is stored at both ends and counted once.
    expect(read.evidence.observedEdges).toEqual([
      expect.objectContaining({ from: SVC, to: OTHER, interaction: 'sync' }),
    ]);
    expect(read.evidence.sourceHealth).toEqual(state.health);
    // A ref without evidence answers empty, as the store would.
    const unknown = mirror.read(['component:default/new'])!;
    expect(unknown.evidence.facts).toEqual([]);
    expect(unknown.version).not.toEqual(read.version);
  });

  it('re-reads only the refs written since the last poll, keeping versions of unchanged data', async () => {
    const { store, state, clock, mirror, read } = await loadedMirror({
      overlapMs: 300,
    });
    const before = read();

    clock.now = 5000;
    state.until = 6000;
    state.writtenSince = [SVC, OTHER];
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 2)], collection: [] });
    // Health moves only its lastSuccessAt: not a change for the evaluation.
    state.health = [
      { ...state.health[0], lastSuccessAt: '2026-03-14T03:00:00Z' },
    ];
    expect(await mirror.refresh()).toEqual({ full: false, refs: 2 });
    expect(state.polls).toEqual([undefined, '700']);

    const after = read();
    expect(after.svc.evidence.facts[0].value).toBe(2);
    expect(after.svc.version).not.toEqual(before.svc.version);
    expect(after.other.version).toEqual(before.other.version);
  });

  it('does not read a ref again for writes it read, which overlapping polls list again; a write it has not read (a slow commit) is read', async () => {
    const { store, state, clock, mirror, read } = await loadedMirror({
      overlapMs: 30_000,
    });
    clock.now = 5000;
    state.until = 60_000;
    state.writtenSince = [SVC];
    state.marks = { [SVC]: ['f:F1@50000'] };
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 2)], collection: [] });
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });
    expect(read().svc.evidence.facts[0].value).toBe(2);

    // the next polls overlap it: the same write listed, SVC not read again
    for (const until of [65_000, 70_000]) {
      clock.now += 5000;
      state.until = until;
      state.reads = [];
      expect(await mirror.refresh()).toEqual({ full: false, refs: 0 });
      expect(state.reads).toEqual([]);
    }
    // a row stamped before the last answer, committed after it: a mark not read yet
    clock.now += 5000;
    state.until = 75_000;
    state.marks = { [SVC]: ['f:F1@50000', 'c:C9@49000'] };
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 3)], collection: [] });
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });
    expect(state.reads.at(-1)).toEqual([SVC]);
    expect(state.kinds.at(-1)).toBe('whole');
    expect(read().svc.evidence.facts[0].value).toBe(3);
    // the same row written again: a new stamp, read again
    clock.now += 5000;
    state.until = 80_000;
    state.marks = { [SVC]: ['f:F1@50000', 'c:C9@79500'] };
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 4)], collection: [] });
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });
    expect(read().svc.evidence.facts[0].value).toBe(4);
    // stamped within 1 s of the answer that listed it: read once more by the next poll
    // (since 50,000: F1 is no longer listed), which a write of the same row in the same
    // millisecond would otherwise slip past
    clock.now += 5000;
    state.until = 85_000;
    state.marks = { [SVC]: ['c:C9@79500'] };
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });
    clock.now += 5000;
    state.until = 90_000;
    expect(await mirror.refresh()).toEqual({ full: false, refs: 0 });
    // a store without marks: every named ref is read, as before
    clock.now += 5000;
    state.until = 95_000;
    state.marks = undefined;
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });
  });

  it('reads a ref again while the feed lists rows moved to or from it (re-resolution), which a replica whose alias map lags answers wrong', async () => {
    const { state, clock, mirror } = await loadedMirror({ overlapMs: 30_000 });
    state.writtenSince = [SVC, OTHER];
    state.marks = { [SVC]: ['c:C1@50000', 'd:@50000'], [OTHER]: ['d:@50000'] };
    for (const until of [60_000, 65_000, 70_000]) {
      clock.now += 5000;
      state.until = until;
      expect(await mirror.refresh()).toEqual({ full: false, refs: 2 });
    }
  });

  it('forgets read writes once no poll can list them, and reads a ref it holds no more whatever its marks', async () => {
    const { store, state, clock, mirror } = await loadedMirror({
      overlapMs: 30_000,
    });
    clock.now = 5000;
    state.until = 60_000;
    state.writtenSince = [SVC];
    state.marks = { [SVC]: ['f:F1@50000'] };
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });
    // a poll from 80,000 − 30,000 no longer lists a write stamped 50,000: forgotten, so a
    // store listing it anyway (its clock set back) gets SVC read
    clock.now += 5000;
    state.until = 80_000;
    state.writtenSince = [];
    state.marks = {};
    expect(await mirror.refresh()).toEqual({ full: false, refs: 0 });
    clock.now += 5000;
    state.until = 85_000;
    state.writtenSince = [SVC];
    state.marks = { [SVC]: ['f:F1@50000'] };
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });

    // a full read finds SVC gone: a write listed after is read, though marked as read
    store.delete(SVC);
    clock.now += 11 * 60_000;
    state.until = 90_000;
    state.writtenSince = [];
    expect((await mirror.refresh()).full).toBe(true);
    expect(mirror.size).toBe(1);
    clock.now += 5000;
    state.until = 95_000;
    state.writtenSince = [SVC];
    state.marks = { [SVC]: ['f:F1@50000'] };
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 5)], collection: [] });
    expect(await mirror.refresh()).toEqual({ full: false, refs: 1 });
    expect(mirror.read([SVC])!.evidence.facts[0].value).toBe(5);
  });

  it('reads a ref named since the last poll without its ledger in a full read when it read the writes named', async () => {
    const { state, clock, mirror } = await loadedMirror({ overlapMs: 30_000 });
    clock.now = 5000;
    state.until = 60_000;
    state.writtenSince = [SVC];
    state.marks = { [SVC]: ['c:C1@50000'] };
    await mirror.refresh();
    // the full read's ask since the last poll lists the same write: SVC without its ledger
    clock.now += 10 * 60_000;
    state.until = 62_000;
    state.reads = [];
    state.kinds = [];
    expect((await mirror.refresh()).full).toBe(true);
    expect(state.kinds).toEqual(['without ledgers']);
    expect(state.reads).toEqual([[SVC, OTHER]]);
    // and whole when it lists a write not read
    clock.now += 10 * 60_000;
    state.until = 64_000;
    state.marks = { [SVC]: ['c:C1@50000', 'c:C2@61000'] };
    state.reads = [];
    state.kinds = [];
    expect((await mirror.refresh()).full).toBe(true);
    expect(state.kinds).toEqual(['whole', 'without ledgers']);
    expect(state.reads).toEqual([[SVC], [OTHER]]);
  });

  it('keeps of each ledger the records the standard’s checks read, when told what they read', async () => {
    // a year of daily production deploys, each a new artifact
    const ledger = Array.from({ length: 365 }, (_, i) => {
      const at = new Date(
        Date.parse('2026-03-14T00:00:00Z') - i * 86400_000,
      ).toISOString();
      return {
        id: `D${i}`,
        entityRef: SVC,
        subject: SVC,
        resolution: 'resolved',
        kind: 'deploy',
        environment: 'production',
        status: 'succeeded',
        version: `1.0.${i}`,
        startedAt: at,
        effectiveAt: at,
        finishedAt: at,
        attributes: { artifactDigest: `sha256:${String(i).padStart(64, '0')}` },
      };
    }) as unknown as NonNullable<EntityEvidence['ledger']>;
    const views: unknown[] = [];
    const idsKept = async (options: Partial<EvidenceMirrorOptions>) => {
      const { store, state, evidence } = fakeStore();
      store.set(SVC, { facts: [], collection: [], ledger });
      const mirror = new EvidenceMirror({ evidence, config, ...options });
      await mirror.refresh();
      views.push(...state.views);
      return mirror.read([SVC])!.evidence.ledger.map(r => r.id);
    };
    expect(
      await idsKept({ ledgerNeeds: { perClass: 3, artifacts: 2 } }),
    ).toEqual(['D0', 'D1', 'D2']);
    // a custom check type that does not say what it reads: every record
    expect(await idsKept({})).toHaveLength(365);
    // the store is asked for that view (a store that ignores it is compacted here anyway)
    expect(views).toEqual([
      undefined,
      { perClass: 3, artifacts: 2 },
      undefined,
      undefined,
    ]);
  });

  describe('request sizes', () => {
    /**
     * A store whose reads cost `perRefMs` of `clock` per ref (reads with ledgers
     * `ledgerPerRefMs`), answering `timeout` past 2 s as the client does; `sizes` lists each
     * request's refs.
     */
    /** `component:default/svc-<i>` for i in [from, from + count). */
    const svcRefs = (count: number, from = 0) =>
      [...Array(count).keys()].map(i => `component:default/svc-${i + from}`);

    function slowStore(
      count: number,
      perRefMs: number,
      ledgerPerRefMs: number,
    ) {
      const cost = {
        perRefMs,
        ledgerPerRefMs,
        /** Refs whose ledger alone takes 2.5 s. */
        heavy: new Set<string>(),
        /** Every request's own cost, and the next request's once. */
        fixedMs: 0,
        spikeMs: 0,
        timeoutMs: 2000,
        /** Reads without ledgers fail (a server error) while set. */
        plainDown: false,
      };
      const fake = fakeStore();
      for (let i = 0; i < count; i++) {
        fake.store.set(`component:default/svc-${i}`, {
          facts: [],
          collection: [],
        });
      }
      const clock = { now: 0 };
      const sizes: { refs: number; ledger: boolean; timedOut: boolean }[] = [];
      const readEntities = fake.evidence.readEntities.bind(fake.evidence);
      fake.evidence.readEntities = (async (
        refs: string[],
        options?: { include?: string[] },
      ) => {
        const ledger = options?.include?.includes('ledger') ?? true;
        const took =
          cost.fixedMs +
          cost.spikeMs +
          refs.reduce((sum, ref) => {
            if (!ledger) return sum + cost.perRefMs;
            return sum + (cost.heavy.has(ref) ? 2500 : cost.ledgerPerRefMs);
          }, 0);
        cost.spikeMs = 0;
        clock.now += Math.min(took, cost.timeoutMs);
        const timedOut = took > cost.timeoutMs;
        sizes.push({ refs: refs.length, ledger, timedOut });
        if (timedOut) {
          return { available: false, cause: 'timeout', since: 'x' } as const;
        }
        if (!ledger && cost.plainDown) {
          return {
            available: false,
            cause: 'server-error',
            since: 'x',
          } as const;
        }
        return readEntities(refs, options as never);
      }) as typeof fake.evidence.readEntities;
      const mirror = new EvidenceMirror({
        evidence: fake.evidence,
        config,
        clock: () => clock.now,
        fullEveryMs: 60_000,
        maxAgeMs: 3600_000,
        ledgerNeeds: { perClass: 3, artifacts: 2 },
      });
      /** Moves time on by `ms` (a poll's interval by default), the store's feed with it. */
      const later = (ms = 5000) => {
        clock.now += ms;
        fake.state.until += ms;
      };
      return { ...fake, clock, cost, sizes, mirror, later };
    }

    it('reads 100 refs a call when it asks for a ledger view, 1,000 without', async () => {
      const chunks = async (options: Partial<EvidenceMirrorOptions>) => {
        const { store, state, evidence } = fakeStore();
        for (let i = 0; i < 250; i++)
          store.set(`component:default/svc-${i}`, {
            facts: [],
            collection: [],
          });
        await new EvidenceMirror({ evidence, config, ...options }).refresh();
        return state.reads.map(r => r.length);
      };
      expect(
        await chunks({ ledgerNeeds: { perClass: 3, artifacts: 2 } }),
      ).toEqual([250, 100, 100, 50]);
      expect(await chunks({})).toEqual([250, 250]);
    });

    it('stops a slice at a timeout, then reads the refs of that request alone and the rest in halved requests', async () => {
      // 30 ms per ref with its ledger: 100 refs would take 3 s, past the client's timeout
      const { sizes, mirror, later } = slowStore(120, 1, 30);
      expect(await mirror.refresh()).toEqual({
        full: true,
        refs: 120,
        ledgers: {
          read: 0,
          left: 120,
          failure: 'evidence store unavailable (timeout)',
        },
      });
      expect(sizes).toEqual([
        { refs: 120, ledger: false, timedOut: false },
        // the slice stops at its timeout (timeouts in a row open the client's breaker)
        { refs: 100, ledger: true, timedOut: true },
      ]);
      expect(mirror.read(['component:default/svc-0'])).toBeUndefined();
      sizes.length = 0;
      later();
      expect((await mirror.refresh()).ledgers).toEqual({ read: 120, left: 0 });
      // which of the 100 timed out is not known: each alone, then the 20 others at once
      expect(sizes.map(s => s.refs)).toEqual([...Array(100).fill(1), 20]);
      expect(sizes.every(s => !s.timedOut)).toBe(true);
      expect(mirror.read(['component:default/svc-0'])).toBeDefined();
    });

    it('sizes requests towards 500 ms once a store answers slowly', async () => {
      // 30 ms per ref: a poll of 120 refs after the first round
      const { sizes, mirror, state, cost, later } = slowStore(300, 1, 0);
      await mirror.refresh();
      expect(mirror.loaded).toBe(true);
      cost.ledgerPerRefMs = 30;
      cost.timeoutMs = 60_000;
      sizes.length = 0;
      state.writtenSince = svcRefs(300);
      later();
      await mirror.refresh();
      // 100 refs took 3 s (this client waits longer): half as many at a time, down to what
      // takes about 750 ms
      expect(sizes.map(s => s.refs)).toEqual([100, 50, 25, 25, 25, 25, 25, 25]);
    });

    it('reads a ref whose ledger the store cannot answer alone in time as an outage of its entity, and completes the round', async () => {
      const { sizes, mirror, cost, later } = slowStore(3, 1, 30);
      cost.heavy.add('component:default/svc-1');
      let timeoutsPerRefresh = 0;
      for (let n = 0; n < 10 && !mirror.loaded; n++) {
        const before = sizes.filter(s => s.timedOut).length;
        await mirror.refresh();
        timeoutsPerRefresh = Math.max(
          timeoutsPerRefresh,
          sizes.filter(s => s.timedOut).length - before,
        );
        later();
      }
      expect(mirror.loaded).toBe(true);
      expect(timeoutsPerRefresh).toBe(1);
      expect(mirror.read(['component:default/svc-1'])!.version).toMatch(
        /^outage@/,
      );
      expect(mirror.read(['component:default/svc-0'])!.version).not.toMatch(
        /^outage@/,
      );
      expect(mirror.read(['component:default/svc-2'])!.version).not.toMatch(
        /^outage@/,
      );
    });

    it('reads ledgers for at most ledgerBudgetMs a refresh, and answers once every one was read', async () => {
      // 300 refs at 30 ms: ~11 s of ledger reads, past the 10 s a refresh spends on them
      const { mirror, later } = slowStore(300, 1, 30);
      const first = await mirror.refresh();
      expect(first.ledgers!.left).toBeGreaterThan(0);
      expect(first.ledgers!.read + first.ledgers!.left).toBe(300);
      expect(mirror.read(['component:default/svc-0'])).toBeUndefined();
      later();
      expect((await mirror.refresh()).ledgers).toEqual({
        read: first.ledgers!.left,
        left: 0,
      });
      expect(mirror.read(['component:default/svc-299'])).toBeDefined();
    });

    it('times out at most once in a poll: after a request with ledgers timed out, the rest are read without them', async () => {
      const { sizes, mirror, state, cost, later } = slowStore(300, 1, 0);
      await mirror.refresh();
      expect(mirror.loaded).toBe(true);
      // the store cannot rank ledgers for a while: 30 ms a ref, 100 refs take 3 s
      cost.ledgerPerRefMs = 30;
      sizes.length = 0;
      state.writtenSince = svcRefs(280);
      later();
      await mirror.refresh();
      expect(sizes.filter(s => s.timedOut)).toHaveLength(1);
      expect(sizes.slice(0, 2)).toEqual([
        { refs: 100, ledger: true, timedOut: true },
        { refs: 280, ledger: false, timedOut: false },
      ]);
      // no entity reads as an outage: they keep the ledgers the mirror holds meanwhile
      expect(mirror.unreadable).toEqual([]);
    });

    it('grows a store with a fixed cost per request back after the request that held a heavy ledger, whatever a ref read alone does', async () => {
      const { sizes, mirror, state, cost, later } = slowStore(400, 0, 0);
      // 600 ms a request; svc-5's ledger alone takes 2.5 s more
      cost.fixedMs = 600;
      cost.heavy.add('component:default/svc-5');
      for (let n = 0; n < 40 && !mirror.loaded; n++) {
        await mirror.refresh();
        later();
      }
      expect(mirror.loaded).toBe(true);
      expect(mirror.unreadable).toEqual(['component:default/svc-5']);
      sizes.length = 0;
      state.writtenSince = svcRefs(200, 100).filter(
        ref => ref !== 'component:default/svc-5',
      );
      await mirror.refresh();
      // halved by the request that held svc-5, then a tenth more a request (600 ms each)
      expect(sizes.map(s => s.refs)).toEqual([72, 79, 49]);
    });

    it('shrinks requests only by what a request of at least half their size took', async () => {
      const { sizes, mirror, state, cost, later } = slowStore(300, 0, 0);
      await mirror.refresh();
      cost.fixedMs = 600;
      // a poll of 2 refs answering in 1.8 s once, and a ref read alone in 1.2 s, say nothing
      // of a request of 100
      cost.spikeMs = 1200;
      state.writtenSince = svcRefs(2);
      later();
      await mirror.refresh();
      sizes.length = 0;
      state.writtenSince = svcRefs(200, 100);
      later();
      await mirror.refresh();
      expect(sizes.map(s => s.refs)).toEqual([100, 100]);
      // one of 100 answering in 1.8 s does: half as many, then a tenth more (600 ms each)
      cost.spikeMs = 1200;
      later();
      await mirror.refresh();
      expect(sizes.slice(2).map(s => s.refs)).toEqual([100, 50, 50]);
    });

    it('reads first the ledger of a ref new to the mirror whose whole read timed out', async () => {
      const { store, state, cost, mirror, later, sizes } = slowStore(50, 0, 0);
      await mirror.refresh();
      sizes.length = 0;
      const N = 'component:default/new-1';
      const heavy = 'component:default/svc-7';
      store.set(N, { facts: [], collection: [] });
      cost.heavy.add(heavy);
      state.writtenSince = [N, heavy];
      state.reads.length = 0;
      later();
      await mirror.refresh();
      // the request of both timed out; both read without ledgers, then each ledger alone
      expect(sizes).toEqual([
        { refs: 2, ledger: true, timedOut: true },
        { refs: 2, ledger: false, timedOut: false },
        { refs: 1, ledger: true, timedOut: false },
        { refs: 1, ledger: true, timedOut: true },
      ]);
      // N's ledger alone first (the store answered it), then the suspect that timed out
      expect(state.reads.slice(-1)).toEqual([[N]]);
      expect(mirror.unreadable).toEqual([]);
      expect(mirror.read([N])!.version).not.toMatch(/^outage@/);
    });

    it('queues the refs of a timed-out request for their ledgers even when the refresh then fails', async () => {
      const { sizes, mirror, state, cost, later } = slowStore(20, 1, 0);
      await mirror.refresh();
      cost.heavy.add('component:default/svc-3');
      cost.plainDown = true;
      state.writtenSince = ['component:default/svc-3'];
      later();
      await expect(mirror.refresh()).rejects.toThrow('server-error');
      cost.plainDown = false;
      cost.heavy.clear();
      state.writtenSince = [];
      sizes.length = 0;
      later();
      await mirror.refresh();
      // the round's slice reads svc-3's ledger, alone (polls would read it without one)
      expect(sizes).toEqual([{ refs: 1, ledger: true, timedOut: false }]);
    });

    it('tries a ledger that timed out alone again 30 s later, then, missing, 5 minutes later; the entity answers again once it can be read', async () => {
      const { mirror, state, cost, later } = slowStore(20, 1, 0);
      await mirror.refresh();
      const X = 'component:default/svc-3';
      cost.heavy.add(X);
      state.writtenSince = [X];
      for (let n = 0; n < 4; n++) {
        later();
        await mirror.refresh();
        state.writtenSince = [];
      }
      // timed out alone once: its entity keeps the ledger the mirror holds meanwhile
      expect(mirror.unreadable).toEqual([]);
      later(15_000);
      await mirror.refresh();
      // and again 30 s after that: missing, its entity reads as an outage
      expect(mirror.unreadable).toEqual([X]);
      // a moment's slowness: cheap again, read again at the first refresh 5 minutes on
      cost.heavy.clear();
      later(240_000);
      await mirror.refresh();
      expect(mirror.unreadable).toEqual([X]);
      later(60_000);
      await mirror.refresh();
      expect(mirror.unreadable).toEqual([]);
      expect(mirror.read([X])!.version).not.toMatch(/^outage@/);
    });

    it('goes on doubling the wait of a missing ledger through a new round', async () => {
      const { mirror, state, cost, later, sizes } = slowStore(20, 1, 0);
      await mirror.refresh();
      const X = 'component:default/svc-3';
      cost.heavy.add(X);
      state.writtenSince = [X];
      later();
      await mirror.refresh();
      state.writtenSince = [];
      later(35_000);
      await mirror.refresh();
      expect(mirror.unreadable).toEqual([X]);
      // an hour on: the round tries it (and its 5-minute retry is due), then waits 10 min
      later(3600_000);
      await mirror.refresh();
      sizes.length = 0;
      later(35_000);
      await mirror.refresh();
      later(240_000);
      await mirror.refresh();
      expect(sizes.filter(s => s.timedOut)).toEqual([]);
      later(360_000);
      await mirror.refresh();
      expect(sizes.filter(s => s.timedOut)).toHaveLength(1);
    });

    it('sizes reads without ledgers apart: slow ledger reads do not make them smaller', async () => {
      const { sizes, mirror, clock, later } = slowStore(120, 1, 30);
      await mirror.refresh();
      later();
      await mirror.refresh();
      expect(mirror.loaded).toBe(true);
      sizes.length = 0;
      clock.now += 60_000;
      await mirror.refresh();
      expect(sizes).toEqual([{ refs: 120, ledger: false, timedOut: false }]);
    });

    it('grows the requests back, twice as many at a time up to 100, once the store answers quickly', async () => {
      const { sizes, mirror, cost, state, later } = slowStore(300, 1, 30);
      for (let n = 0; n < 5 && !mirror.loaded; n++) {
        await mirror.refresh();
        later();
      }
      expect(mirror.loaded).toBe(true);
      sizes.length = 0;
      cost.ledgerPerRefMs = 0;
      state.writtenSince = svcRefs(300);
      expect(await mirror.refresh()).toEqual({ full: false, refs: 300 });
      const [first, ...rest] = sizes.map(s => s.refs);
      expect(first).toBe(25);
      expect(rest.slice(0, 2)).toEqual([first * 2, first * 4]);
      expect(rest[2]).toBe(Math.min(100, first * 8));
      expect(first + rest.reduce((a, b) => a + b, 0)).toBe(300);
    });

    it('halves at most after one slow answer, and grows back when each request carries a fixed cost (a remote store)', async () => {
      const { sizes, mirror, cost, state, later } = slowStore(400, 1, 0);
      await mirror.refresh();
      expect(mirror.loaded).toBe(true);
      // 150 ms a request and 3 ms a ref; one answer of 50 s (a client with a long timeout)
      cost.fixedMs = 150;
      cost.ledgerPerRefMs = 3;
      cost.timeoutMs = 60_000;
      cost.spikeMs = 50_000;
      sizes.length = 0;
      state.writtenSince = svcRefs(400);
      later();
      await mirror.refresh();
      expect(sizes.map(s => s.refs)).toEqual([100, 50, 83, 100, 67]);
    });
  });

  it('merges an answer when its evidence is first read, as it stood when it was answered', async () => {
    const { store, state, clock, mirror } = await loadedMirror({});
    const answered = mirror.read([SVC])!;

    clock.now = 5000;
    state.until = 6000;
    state.writtenSince = [SVC];
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 2)], collection: [] });
    state.health = [{ ...state.health[0], status: 'down' }];
    await mirror.refresh();

    // merged only now, after the refresh: still the data and health of its version
    expect(answered.evidence.facts[0].value).toBe(1);
    expect(answered.evidence.sourceHealth[0].status).toBe('ok');
    expect(answered.evidence).toBe(answered.evidence); // merged once
    expect(mirror.read([SVC])!.evidence.facts[0].value).toBe(2);
  });

  /**
   * Makes the next `readEntities` answer only when released (with what the store held when it
   * was made, or `failing`'s failure); `started` resolves once it was made.
   */
  function gateNextRead(evidence: EvidenceService, failing = false) {
    const readEntities = evidence.readEntities.bind(evidence);
    let release!: () => void;
    const gate = new Promise<void>(resolve => (release = resolve));
    let called!: () => void;
    const started = new Promise<void>(resolve => (called = resolve));
    evidence.readEntities = (async (
      ...args: Parameters<typeof readEntities>
    ) => {
      const answer = readEntities(...args);
      called();
      const answered = await answer;
      await gate;
      if (failing) throw new Error('the store did not answer');
      return answered;
    }) as typeof evidence.readEntities;
    return {
      started: started.then(() => {
        evidence.readEntities = readEntities;
      }),
      release,
    };
  }

  it('applies nothing from a refresh another one overtook (a read answering after its caller moved on)', async () => {
    const { store, state, clock, mirror, evidence } = await loadedMirror({});
    clock.now = 5000;
    state.until = 6000;
    state.writtenSince = [SVC];
    const slow = gateNextRead(evidence);
    const overtaken = mirror.refresh();
    await slow.started;
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 2)], collection: [] });
    clock.now = 10_000;
    state.until = 11_000;
    await mirror.refresh();
    const held = mirror.read([SVC])!;
    expect(held.evidence.facts[0].value).toBe(2);
    slow.release();
    expect(await overtaken).toEqual({
      full: false,
      refs: 0,
      overtaken: true,
    });
    expect(mirror.read([SVC])!.evidence.facts[0].value).toBe(2);
    expect(mirror.read([SVC])!.version).toBe(held.version);
  });

  it('dates an outage from the last success, not from an overtaken refresh that failed', async () => {
    const { state, clock, mirror, evidence } = await loadedMirror({
      maxAgeMs: 60_000,
    });
    clock.now = 5000;
    state.writtenSince = [SVC];
    const slow = gateNextRead(evidence, true);
    const overtaken = mirror.refresh();
    await slow.started;
    clock.now = 10_000;
    await mirror.refresh();
    slow.release();
    await expect(overtaken).rejects.toThrow('the store did not answer');
    clock.now = 10_000 + 60_001;
    expect(mirror.read([SVC])!.version).toBe('outage@10000');
  });

  it('reads everything again after fullEveryMs and forgets refs the store no longer has', async () => {
    const { store, state, clock, mirror } = await loadedMirror({
      fullEveryMs: 60_000,
    });
    expect(mirror.size).toBe(2);
    store.delete(OTHER);
    clock.now = 60_000;
    expect(await mirror.refresh()).toEqual({ full: true, refs: 1 });
    // the list of every ref, then the refs written since the last poll (none)
    expect(state.polls).toEqual([undefined, undefined, '0']);
    expect(mirror.size).toBe(1);
    expect(mirror.read([OTHER])!.evidence.facts).toEqual([]);
  });

  describe('rounds of ledgers', () => {
    /** A change of SVC's ledger (one deploy); `n` tells them apart. */
    const change = (n: number) =>
      ({
        id: `L${n}`,
        entityRef: SVC,
        subject: SVC,
        resolution: 'resolved',
        kind: 'deploy',
        environment: 'production',
        status: 'succeeded',
        version: `1.0.${n}`,
        startedAt: '2026-03-14T01:00:00Z',
        effectiveAt: '2026-03-14T01:00:00Z',
        finishedAt: '2026-03-14T01:00:00Z',
        attributes: {},
      } as unknown as NonNullable<EntityEvidence['ledger']>[number]);
    const withLedger = (n: number, value = 1): EntityEvidence => ({
      facts: [fact(SVC, 'repo.files', value)],
      collection: [],
      ledger: [change(n)],
    });
    const ledgerIds = (mirror: EvidenceMirror, ref = SVC) =>
      mirror.read([ref])!.evidence.ledger.map(r => r.id);

    it('reads every ledger again every ledgerFullEveryMs; full reads keep the ledger each ref has', async () => {
      const { store, state, clock, mirror, read } = await loadedMirror({
        fullEveryMs: 60_000,
        ledgerFullEveryMs: 180_000,
      });
      expect(state.kinds).toEqual(['without ledgers', 'ledgers']);
      const before = read().other.version;
      store.set(SVC, withLedger(2, 5));
      clock.now = 60_000;
      expect(await mirror.refresh()).toEqual({ full: true, refs: 2 });
      expect(state.kinds.slice(2)).toEqual(['without ledgers']);
      // the facts are read again; the ledger is the one the mirror held (empty)
      expect(mirror.read([SVC])!.evidence.facts[0].value).toBe(5);
      expect(ledgerIds(mirror)).toEqual([]);
      clock.now = 180_000;
      expect(await mirror.refresh()).toEqual({
        full: true,
        refs: 2,
        ledgers: { read: 2, left: 0 },
      });
      expect(state.kinds.slice(3)).toEqual(['without ledgers', 'ledgers']);
      expect(ledgerIds(mirror)).toEqual(['L2']);
      // an unchanged ledger read again keeps its ref's version (evaluations are reused)
      expect(read().other.version).toBe(before);
    });

    it('keeps the ledger a poll read through the full reads between rounds', async () => {
      const { store, state, clock, mirror, read } = await loadedMirror({
        fullEveryMs: 60_000,
        ledgerFullEveryMs: 600_000,
      });
      store.set(SVC, withLedger(1));
      clock.now = 5000;
      state.writtenSince = [SVC];
      await mirror.refresh();
      expect(ledgerIds(mirror)).toEqual(['L1']);
      const before = read().svc.version;
      clock.now = 60_000;
      state.writtenSince = [];
      await mirror.refresh();
      expect(state.kinds.slice(2)).toEqual(['whole', 'without ledgers']);
      expect(ledgerIds(mirror)).toEqual(['L1']);
      expect(read().svc.version).toBe(before);
    });

    it('reads whole in a full read the refs written since the last poll, whose writes no poll will read', async () => {
      const { store, state, clock, mirror } = await loadedMirror({
        fullEveryMs: 60_000,
        ledgerFullEveryMs: 600_000,
      });
      // written after the last poll's list; the full read's cursor moves past it
      store.set(SVC, withLedger(6));
      state.writtenSince = [SVC];
      clock.now = 60_000;
      state.until = 61_000;
      expect(await mirror.refresh()).toEqual({ full: true, refs: 2 });
      expect(state.polls).toEqual([undefined, undefined, '0']);
      expect(state.reads.slice(2)).toEqual([[SVC], [OTHER]]);
      expect(state.kinds.slice(2)).toEqual(['whole', 'without ledgers']);
      expect(ledgerIds(mirror)).toEqual(['L6']);
    });

    it('reads a ref new to a loaded mirror whole in a full read', async () => {
      const { store, state, clock, mirror } = await loadedMirror({
        fullEveryMs: 60_000,
        ledgerFullEveryMs: 600_000,
      });
      store.set(TEAM, { ...withLedger(3), facts: [] });
      clock.now = 60_000;
      expect(await mirror.refresh()).toEqual({ full: true, refs: 3 });
      expect(state.reads.slice(2)).toEqual([[TEAM], [SVC, OTHER]]);
      expect(state.kinds.slice(2)).toEqual(['whole', 'without ledgers']);
      expect(ledgerIds(mirror, TEAM)).toEqual(['L3']);
    });

    it('takes the ledger a refresh applied during its reads, not the one held when they began', async () => {
      const { store, state, clock, mirror, evidence } = await loadedMirror({
        fullEveryMs: 60_000,
        ledgerFullEveryMs: 600_000,
      });
      store.set(SVC, withLedger(2));
      clock.now = 59_000;
      state.until = 60_000;
      state.writtenSince = [SVC];
      const pollGate = gateNextRead(evidence);
      const polling = mirror.refresh();
      await pollGate.started;
      state.writtenSince = [];
      clock.now = 60_000;
      const fullGate = gateNextRead(evidence);
      const full = mirror.refresh();
      await fullGate.started;
      pollGate.release();
      expect(await polling).toEqual({ full: false, refs: 1 });
      expect(ledgerIds(mirror)).toEqual(['L2']);
      fullGate.release();
      expect(await full).toEqual({ full: true, refs: 2 });
      expect(state.kinds.slice(2)).toEqual(['whole', 'without ledgers']);
      expect(ledgerIds(mirror)).toEqual(['L2']);
    });

    it('leaves out a ref read without its ledger that left the mirror meanwhile, until a read names it', async () => {
      const { store, state, clock, mirror, evidence } = await loadedMirror({
        fullEveryMs: 60_000,
        ledgerFullEveryMs: 600_000,
      });
      const other = {
        ...store.get(OTHER)!,
        ledger: [{ ...change(4), entityRef: OTHER }],
      };
      // a full read that finds OTHER gone, answering late
      store.delete(OTHER);
      clock.now = 60_000;
      const firstGate = gateNextRead(evidence);
      const first = mirror.refresh();
      await firstGate.started;
      // a second one, started before the first applied, reads OTHER without its ledger
      store.set(OTHER, other);
      const secondGate = gateNextRead(evidence);
      const second = mirror.refresh();
      await secondGate.started;
      firstGate.release();
      await first;
      secondGate.release();
      await second;
      // never OTHER's facts with an empty ledger standing for one it did not read
      expect(mirror.read([OTHER])!.evidence.facts).toEqual([]);
      expect(mirror.size).toBe(1);
      clock.now = 120_000;
      await mirror.refresh();
      expect(state.kinds.at(-2)).toBe('whole');
      expect(ledgerIds(mirror, OTHER)).toEqual(['L4']);
    });
  });

  it('keeps the versions of unchanged refs through a full read', async () => {
    const { store, clock, mirror, read } = await loadedMirror({
      fullEveryMs: 60_000,
    });
    const before = read();
    store.set(OTHER, { facts: [fact(OTHER, 'repo.files', 2)], collection: [] });
    clock.now = 60_000;
    expect(await mirror.refresh()).toEqual({ full: true, refs: 2 });
    const after = read();
    expect(after.svc.version).toEqual(before.svc.version);
    expect(after.svc.evidence).toEqual(before.svc.evidence);
    // Kept as the fresh copy, whose strings are in the new pool (the old one can go).
    expect(after.svc.evidence.facts[0]).not.toBe(before.svc.evidence.facts[0]);
    expect(after.other.version).not.toEqual(before.other.version);
    expect(after.other.evidence.facts[0].value).toBe(2);
  });

  it('keeps its data through failed refreshes and answers an outage after maxAgeMs', async () => {
    const { store, state, evidence } = fakeStore();
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 1)], collection: [] });
    let now = 0;
    const mirror = new EvidenceMirror({
      evidence,
      config,
      maxAgeMs: 120_000,
      clock: () => now,
    });
    await mirror.refresh();
    state.down = true;
    now = 10_000;
    await expect(mirror.refresh()).rejects.toThrow(
      'evidence store unavailable (timeout)',
    );
    expect(mirror.read([SVC])!.evidence.facts).toHaveLength(1);

    now = 120_001;
    const outage = mirror.read([SVC])!;
    expect(outage.evidence.facts).toEqual([]);
    expect(outage.evidence.sourceHealth.length).toBeGreaterThan(3);
    expect(
      outage.evidence.sourceHealth.every(
        h =>
          h.status === 'unavailable' &&
          h.since === new Date(10_000).toISOString(),
      ),
    ).toBe(true);

    state.down = false;
    await mirror.refresh();
    expect(mirror.read([SVC])!.evidence.facts).toHaveLength(1);
  });

  it('ages on a monotonic clock: a wall clock set back does not keep a failing mirror fresh', async () => {
    const { store, state, evidence } = fakeStore();
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 1)], collection: [] });
    const wall = jest
      .spyOn(Date, 'now')
      .mockReturnValue(Date.UTC(2026, 2, 14, 3));
    const monotonic = jest.spyOn(performance, 'now').mockReturnValue(1_000);
    try {
      const mirror = new EvidenceMirror({
        evidence,
        config,
        maxAgeMs: 120_000,
      });
      await mirror.refresh();
      state.down = true;
      // Three minutes pass; meanwhile the wall clock is set back an hour (NTP, a VM resumed).
      wall.mockReturnValue(Date.UTC(2026, 2, 14, 2, 3));
      monotonic.mockReturnValue(1_000 + 180_000);
      await expect(mirror.refresh()).rejects.toThrow(
        'evidence store unavailable',
      );
      const outage = mirror.read([SVC])!;
      expect(outage.evidence.facts).toEqual([]);
      expect(
        outage.evidence.sourceHealth.every(h => h.status === 'unavailable'),
      ).toBe(true);
    } finally {
      wall.mockRestore();
      monotonic.mockRestore();
    }
  });

  it('finds a ref in any case, keyed as the en-US lower case of the ref the store lists', async () => {
    const { store, evidence } = fakeStore();
    // Refs as the store lists them; the mirror keys them `toLocaleLowerCase('en-US')`.
    const listed = [
      SVC,
      'component:default/Straße-ÄÖ',
      'component:default/kelvin',
      'group:default/İstanbul',
    ];
    for (const ref of listed) {
      store.set(ref, { facts: [fact(ref, 'repo.files', ref)], collection: [] });
    }
    const mirror = new EvidenceMirror({ evidence, config });
    await mirror.refresh();
    const valueOf = (ref: string) =>
      mirror.read([ref])!.evidence.facts.map(f => f.value);
    for (const [asked, stored] of [
      ['COMPONENT:Default/SVC', SVC], // ASCII upper case
      ['component:default/STRAßE-äÖ', listed[1]], // non-ASCII upper case
      ['component:default/\u212Aelvin', listed[2]], // KELVIN SIGN lower-cases to k
      ['GROUP:DEFAULT/İSTANBUL', listed[3]], // İ lower-cases to i + U+0307
      ['group:default/i\u0307stanbul', listed[3]],
    ]) {
      expect(valueOf(asked)).toEqual([stored]);
      expect(mirror.read([asked])!.version).toBe(
        mirror.read([asked.toLocaleLowerCase('en-US')])!.version,
      );
    }
    // Not the same letters in the en-US lower case: nothing mirrored.
    expect(valueOf('component:default/strasse-äö')).toEqual([]);
    expect(valueOf('group:default/istanbul')).toEqual([]);
  });

  it('reads a ref named twice once', async () => {
    const { mirror } = await loadedMirror({});
    expect(mirror.read([SVC, SVC])!.version).toBe(mirror.read([SVC])!.version);
    expect(mirror.read([SVC, SVC])!.evidence.facts).toHaveLength(1);
    expect(mirror.read([SVC, OTHER, SVC])!.version).toBe(
      mirror.read([SVC, OTHER])!.version,
    );
    expect(mirror.read([SVC, OTHER])!.version).not.toBe(
      mirror.read([OTHER, SVC])!.version,
    );
  });

  it('skips entities the store answers as restricted', async () => {
    const { store, evidence } = fakeStore();
    store.set(SVC, { restricted: true } as unknown as EntityEvidence);
    const mirror = new EvidenceMirror({ evidence, config });
    await mirror.refresh();
    expect(mirror.size).toBe(0);
  });

  it("keeps refreshing the others when one entity's evidence cannot be converted, and reads that one as an outage", async () => {
    const { store, state, mirror, read } = await loadedMirror({});
    // the store answers SVC in a shape the mirror does not know (no facts list)
    store.set(SVC, { collection: [] } as unknown as EntityEvidence);
    store.set(OTHER, {
      facts: [fact(OTHER, 'repo.files', 2)],
      collection: [],
    });
    state.writtenSince = [SVC, OTHER];
    state.until = 2000;
    await expect(mirror.refresh()).resolves.toMatchObject({
      unconvertible: [SVC],
    });
    // never its older data as if current (a pass nothing backs any more), as readEvaluationEvidence
    expect(read().svc.evidence.facts).toEqual([]);
    expect(read().svc.evidence.sourceHealth.length).toBeGreaterThan(0);
    expect(
      read().svc.evidence.sourceHealth.every(h => h.status === 'unavailable'),
    ).toBe(true);
    expect(read().other.evidence.facts[0].value).toBe(2);

    // converted again: read as usual
    store.set(SVC, { facts: [fact(SVC, 'repo.files', 3)], collection: [] });
    state.writtenSince = [SVC];
    state.until = 3000;
    await mirror.refresh();
    expect(read().svc.evidence.facts[0].value).toBe(3);
  });
});

/*
 * Against a store fake whose feed is written by the clock, as the evidence backend's is (found
 * by a review of the rounds of ledgers): every write stamped when made, `changedEntities(since)`
 * the refs written after `since` and those whose changes took effect since, a ledger read the
 * changes in effect by now.
 */
function clockedChange(n: number, effectiveMs: number) {
  const at = new Date(effectiveMs).toISOString();
  return {
    id: `L${n}`,
    entityRef: SVC,
    subject: SVC,
    resolution: 'resolved',
    kind: 'deploy',
    environment: 'production',
    status: 'succeeded',
    version: `1.0.${n}`,
    startedAt: at,
    effectiveAt: at,
    finishedAt: at,
    attributes: {},
  } as unknown as NonNullable<EntityEvidence['ledger']>[number];
}

function feedStore(clock: { now: number }) {
  const facts = new Map<string, unknown>();
  const ledger = new Map<string, ReturnType<typeof clockedChange>[]>();
  const writes: { ref: string; at: number }[] = [];
  const state = {
    down: false,
    readCostMs: 0,
    onRead: undefined as undefined | (() => void),
  };
  const write = (ref: string) => writes.push({ ref, at: clock.now });
  const evidence = {
    async changedEntities(since?: string) {
      if (state.down)
        return { available: false, cause: 'timeout', since: 'x' } as const;
      const refs =
        since === undefined
          ? [...new Set([...facts.keys(), ...ledger.keys()])]
          : [
              ...new Set([
                ...writes.filter(w => w.at > Number(since)).map(w => w.ref),
                // as the store's feed: changes that took effect since (dated ahead)
                ...[...ledger]
                  .filter(([, changes]) =>
                    changes.some(c => {
                      const at = Date.parse(c.effectiveAt);
                      return at > Number(since) && at <= clock.now;
                    }),
                  )
                  .map(([ref]) => ref),
              ]),
            ];
      return {
        available: true,
        asOf: 'x',
        data: { refs, until: String(clock.now) },
      } as const;
    },
    async readEntities(refs: string[], options?: { include?: string[] }) {
      if (state.down)
        return { available: false, cause: 'timeout', since: 'x' } as const;
      const withLedger = options?.include?.includes('ledger') ?? true;
      clock.now += state.readCostMs * refs.length;
      state.onRead?.();
      const answer = (r: string): EntityEvidence => {
        const base = {
          facts: facts.has(r) ? [fact(r, 'repo.files', facts.get(r))] : [],
          collection: [],
        } as EntityEvidence;
        if (!withLedger) return base;
        return {
          ...base,
          // asOf = now: a change taking effect later is not in the window yet
          ledger: (ledger.get(r) ?? []).filter(
            c => Date.parse(c.effectiveAt) <= clock.now,
          ),
        };
      };
      return {
        available: true,
        asOf: 'x',
        data: new Map(refs.map(r => [r, answer(r)])),
      } as const;
    },
    async sourceHealth() {
      return { available: true, asOf: 'x', data: [] } as const;
    },
  } as unknown as EvidenceService;
  return { facts, ledger, write, state, evidence };
}

const ledgerIdsOf = (mirror: EvidenceMirror) =>
  mirror.read([SVC])!.evidence.ledger.map(r => r.id);

async function poll(mirror: EvidenceMirror) {
  try {
    return await mirror.refresh();
  } catch {
    return 'failed';
  }
}

describe('EvidenceMirror against a feed written by the clock', () => {
  for (const ledgerFullEveryMs of [3600_000]) {
    it(`a ledger write during a 70 s store outage that ends with a full read (ledgerFullEveryMs ${ledgerFullEveryMs})`, async () => {
      const clock = { now: 1_000_000 };
      const store = feedStore(clock);
      store.facts.set(SVC, 1);
      store.write(SVC);
      const mirror = new EvidenceMirror({
        evidence: store.evidence,
        config,
        clock: () => clock.now,
        ledgerNeeds: { perClass: 3, artifacts: 3 },
        ledgerFullEveryMs,
      });
      await mirror.refresh(); // first full read, with ledgers
      // polls every 5 s; the store goes down for 70 s around the 10-minute full read
      const start = clock.now;
      let wrote = false;
      // until a minute after the full read, well before the next round of ledgers
      for (let t = 5_000; t <= 700_000; t += 5_000) {
        clock.now = start + t;
        store.state.down = t >= 560_000 && t < 630_000;
        if (t === 570_000 && !wrote) {
          // a deploy recorded while the mirror cannot reach the store
          store.ledger.set(SVC, [clockedChange(1, clock.now - 60_000)]);
          store.write(SVC);
          wrote = true;
        }
        await poll(mirror);
      }
      // the store has had the deploy all along
      expect(ledgerIdsOf(mirror)).toEqual(['L1']);
    });
  }

  for (const ledgerFullEveryMs of [3600_000]) {
    it(`a change dated 90 s ahead (clock drift within clock.maxSkew 5 min) (ledgerFullEveryMs ${ledgerFullEveryMs})`, async () => {
      const clock = { now: 1_000_000 };
      const store = feedStore(clock);
      store.facts.set(SVC, 1);
      store.write(SVC);
      const mirror = new EvidenceMirror({
        evidence: store.evidence,
        config,
        clock: () => clock.now,
        ledgerNeeds: { perClass: 3, artifacts: 3 },
        ledgerFullEveryMs,
      });
      await mirror.refresh();
      const start = clock.now;
      // until a few minutes after it took effect, well before the next round of ledgers
      for (let t = 5_000; t <= 400_000; t += 5_000) {
        clock.now = start + t;
        if (t === 100_000) {
          // a CI runner whose clock is 90 s ahead posts a finished deploy
          store.ledger.set(SVC, [clockedChange(2, clock.now + 90_000)]);
          store.write(SVC);
        }
        await poll(mirror);
      }
      expect(ledgerIdsOf(mirror)).toEqual(['L2']);
    });
  }

  it('a ledger write during a 40 s poll (a collector burst) when the next refresh is the full read', async () => {
    const clock = { now: 1_000_000 };
    const store = feedStore(clock);
    store.facts.set(SVC, 1);
    store.write(SVC);
    const mirror = new EvidenceMirror({
      evidence: store.evidence,
      config,
      clock: () => clock.now,
      ledgerNeeds: { perClass: 3, artifacts: 3 },
    });
    await mirror.refresh();
    const start = clock.now;
    // polls every 5 s until just before the 10-minute full read
    for (let t = 5_000; t <= 555_000; t += 5_000) {
      clock.now = start + t;
      await poll(mirror);
    }
    // a collector wrote facts for 3,000 other entities: this poll reads them, 40 s in all
    for (let i = 0; i < 3000; i++) {
      store.facts.set(`component:default/c${i}`, 1);
      store.write(`component:default/c${i}`);
    }
    clock.now = start + 560_000;
    // per ref: 40 s for the 3,000
    store.state.readCostMs = 40_000 / 3000;
    let reads = 0;
    store.state.onRead = () => {
      // 5 s into the poll's reads a deploy of SVC is recorded
      if (++reads === 4) {
        store.ledger.set(SVC, [clockedChange(3, clock.now)]);
        store.write(SVC);
      }
    };
    await mirror.refresh();
    store.state.onRead = undefined;
    store.state.readCostMs = 0;
    // the next refresh is the 10-minute full read; then polls for a minute
    for (let t = clock.now - start + 5_000; t <= 700_000; t += 5_000) {
      clock.now = start + t;
      await poll(mirror);
    }
    expect(ledgerIdsOf(mirror)).toEqual(['L3']);
  });

  it('a ledger write while the store is out of reach during the first round of ledgers', async () => {
    const clock = { now: 1_000_000 };
    const store = feedStore(clock);
    const others = [...Array(39).keys()].map(i => `component:default/o${i}`);
    for (const ref of [SVC, ...others]) {
      store.facts.set(ref, 1);
      store.write(ref);
    }
    store.state.readCostMs = 80;
    const mirror = new EvidenceMirror({
      evidence: store.evidence,
      config,
      clock: () => clock.now,
      ledgerNeeds: { perClass: 3, artifacts: 3 },
      ledgerChunkSize: 5,
      ledgerBudgetMs: 1000,
    });
    const start = clock.now;
    const first = await mirror.refresh();
    // SVC's ledger (empty then) is among the first read; the round is not done
    expect(first.ledgers!.read).toBeGreaterThan(0);
    expect(mirror.loaded).toBe(false);
    for (let t = 5_000; t <= 700_000; t += 5_000) {
      clock.now = Math.max(clock.now, start + t);
      // the catalog cannot reach the store for 10 minutes; collectors still write
      store.state.down = t < 620_000;
      if (t === 300_000) {
        store.ledger.set(SVC, [clockedChange(1, clock.now - 1000)]);
        store.write(SVC);
      }
      await poll(mirror);
    }
    expect(mirror.loaded).toBe(true);
    expect(ledgerIdsOf(mirror)).toEqual(['L1']);
  });
});
