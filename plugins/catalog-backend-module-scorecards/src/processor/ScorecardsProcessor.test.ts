import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorCache } from '@backstage/plugin-catalog-node';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  defaultStandardFile,
  indexCatalog,
  loadStandard,
  someCatalogRead,
  Waiver,
  CompiledStandard,
} from '@internal/plugin-scorecards-common';
import {
  convertEntityEvidence,
  mergeEntityEvidence,
} from '@internal/plugin-scorecards-node';
import { mutableCatalog } from '../__testUtils__/mutableCatalog';
import { LEGACY_STATE_KEY, STATE_KEY, encodeState } from './cachedState';
import { CatalogChanges, EvaluationReuse } from './EvaluationReuse';
import {
  ScorecardsProcessor,
  ScorecardsProcessorOptions,
} from './ScorecardsProcessor';
import { ResultsPublisher } from '../results/ResultsPublisher';
import { CatalogSnapshotCache } from '../catalog/CatalogSnapshotCache';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

const NOW = '2026-03-14T02:05:00.000Z';
const HOUR = 3600_000;
const ago = (ms: number) => new Date(Date.parse(NOW) - ms).toISOString();
const REF = 'component:default/checkout-service';
const LEVEL = 'ops.example.com/maturity-level';
const SCORE = 'ops.example.com/scorecard-score';
const STANDARD = 'ops.example.com/scorecard-standard';

// L0 owner/system/lifecycle, L1 tier, L2 branch protection (repository evidence).
const standardFile = {
  ...defaultStandardFile,
  checks: defaultStandardFile.checks.filter(c =>
    [
      'owner-resolves',
      'system-assigned',
      'lifecycle-valid',
      'tier-declared',
      'branch-protection',
    ].includes(c.id),
  ),
};
const standard = loadStandard(standardFile);

function component(over: Partial<Entity['metadata']> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-service',
      labels: { 'ops.example.com/tier': '2' },
      annotations: {
        'backstage.io/source-location':
          'url:https://github.com/example/checkout-service/',
      },
      ...over,
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
    },
  };
}

const catalogEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'checkout-team', namespace: 'default' },
    spec: { type: 'team', children: [], members: ['ana'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: 'group:default/checkout-team' },
  },
  component(),
];

function repoSettings(observedAt: string, value: Record<string, unknown>) {
  return {
    id: `f-${observedAt}`,
    entityRef: REF,
    subject: REF,
    resolution: 'resolved' as const,
    source: 'repo-host',
    kind: 'repo.settings',
    key: '',
    value: value as any,
    valueFingerprint: 'x',
    observedAt,
    collectedAt: observedAt,
    freshForSeconds: 7 * 86400,
    expiresAt: NOW,
    provenance: {},
    flags: [],
    demo: false,
  };
}

const PROTECTED = {
  protected: true,
  requiredReviews: 1,
  requiredStatusChecks: true,
};

/**
 * A fake evidence client: `available: false` models the store being down; `broken` a client
 * that fails otherwise (a rejected read, or items in a shape the conversion cannot read).
 */
function fakeEvidence(
  state: {
    facts: EntityEvidence['facts'];
    down?: boolean;
    broken?: 'rejects' | 'malformed';
  },
  calls: string[][] = [],
): EvidenceService {
  return {
    async readEntities(refs) {
      calls.push(refs);
      if (state.broken === 'rejects') throw new Error('socket hang up');
      if (state.down)
        return { available: false, cause: 'circuit-open', since: ago(HOUR) };
      const data = new Map<string, EntityEvidence>();
      for (const ref of refs) {
        if (state.broken === 'malformed') {
          data.set(ref, { facts: null, collection: null } as any);
          continue;
        }
        data.set(ref, {
          facts: state.facts.filter(f => f.entityRef === ref),
          collection: [],
          edges: { outgoing: [], incoming: [] },
          ledger: [],
        });
      }
      return { available: true, asOf: NOW, data };
    },
    async sourceHealth() {
      if (state.down)
        return { available: false, cause: 'circuit-open', since: ago(HOUR) };
      return { available: true, asOf: NOW, data: [] };
    },
  } as Partial<EvidenceService> as EvidenceService;
}

function memoryCache(): CatalogProcessorCache & { store: Map<string, any> } {
  const store = new Map<string, any>();
  return {
    store,
    async get(key: string) {
      return store.get(key);
    },
    async set(key: string, value: any) {
      store.set(key, JSON.parse(JSON.stringify(value)));
    },
  } as CatalogProcessorCache & { store: Map<string, any> };
}

/**
 * The cache of an entity the catalog has processed before: what the catalog's own processing of a
 * stored entity brings (a dry run, `POST /validate-entity`, brings none).
 */
function visitedCache() {
  const cache = memoryCache();
  cache.store.set(STATE_KEY, encodeState({ firstSeenAt: NOW }));
  return cache;
}

/** A snapshot read before the catalog's System arrived (an import in flight), and that System. */
async function snapshotWithoutSystem() {
  const system = catalogEntities.find(e => e.kind === 'System')!;
  const snapshot = new CatalogSnapshotCache({
    catalog: catalogServiceMock({
      entities: catalogEntities.filter(e => e !== system),
    }),
    auth: mockServices.auth(),
    clock: () => new Date(NOW),
  });
  await snapshot.refresh();
  return { system, snapshot };
}

/** An approved exception on branch-protection that expires `expiresInMs` after NOW. */
function activeWaiver(expiresInMs: number): Waiver {
  return {
    id: 'w1',
    entityRef: REF,
    checkId: 'branch-protection',
    kind: 'exception',
    reason: 'Repository migration to the new host is in progress.',
    owner: 'group:default/checkout-team',
    requestedBy: 'user:default/ana',
    approvedBy: 'user:default/ben',
    createdAt: ago(24 * HOUR),
    expiresAt: new Date(Date.parse(NOW) + expiresInMs).toISOString(),
    status: 'active',
  };
}

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function setup(
  options: {
    facts?: EntityEvidence['facts'];
    down?: boolean;
    /** The list, or the cache's answer at each visit (undefined: not read yet). */
    waivers?: Waiver[] | (() => Waiver[] | undefined);
    catalog?: () => ReturnType<typeof indexCatalog> | undefined;
    noteProcessed?: (entity: Entity) => void;
    awaitReferences?: boolean;
    results?: ScorecardsProcessorOptions['results'];
  } = {},
) {
  const state: Parameters<typeof fakeEvidence>[0] = {
    facts: options.facts ?? [],
    down: options.down,
  };
  const logger = mockServices.logger.mock();
  const calls: string[][] = [];
  const index = indexCatalog({
    entities: catalogEntities,
    refreshedAt: ago(30_000),
  });
  const processor = new ScorecardsProcessor({
    standard,
    evidence: fakeEvidence(state, calls),
    catalog: options.catalog ?? (() => index),
    noteProcessed: options.noteProcessed,
    waivers: () =>
      typeof options.waivers === 'function'
        ? options.waivers()
        : options.waivers ?? [],
    logger,
    clock: () => new Date(NOW),
    awaitReferences: options.awaitReferences,
    results: options.results,
  });
  const cache = memoryCache();
  const run = (entity: Entity = component(), emit = jest.fn()) =>
    processor.preProcessEntity(entity, location, emit, location, cache);
  return { processor, state, logger, calls, cache, run };
}

describe('ScorecardsProcessor', () => {
  it.each([
    {
      name: 'fresh repository evidence passes every check',
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      level: 'L2',
      score: '5/5',
    },
    {
      name: 'stale evidence is unknown, never pass',
      facts: [repoSettings(ago(8 * 24 * HOUR), PROTECTED)],
      level: 'L1',
      score: '4/5',
    },
    {
      name: 'fresh evidence of an unprotected branch fails',
      facts: [repoSettings(ago(HOUR), { ...PROTECTED, protected: false })],
      level: 'L1',
      score: '4/5',
    },
    {
      name: 'no repository evidence at all is unknown',
      facts: [],
      level: 'L1',
      score: '4/5',
    },
  ])('$name → $level ($score)', async ({ facts, level, score }) => {
    const { run } = setup({ facts });
    const out = await run();
    expect(out.metadata.labels?.[LEVEL]).toBe(level);
    expect(out.metadata.annotations?.[SCORE]).toBe(score);
    expect(out.metadata.annotations?.[STANDARD]).toBe('default@7');
    // Labels and annotations the entity declared survive.
    expect(out.metadata.labels?.['ops.example.com/tier']).toBe('2');
    expect(out.metadata.annotations?.['backstage.io/source-location']).toBe(
      'url:https://github.com/example/checkout-service/',
    );
  });

  it.each([
    {
      name: 'owner group missing',
      owner: 'group:default/ghost',
      level: 'none',
    },
    { name: 'owner is a user', owner: 'user:default/ana', level: 'none' },
  ])('$name → $level', async ({ owner, level }) => {
    const { run } = setup({ facts: [repoSettings(ago(HOUR), PROTECTED)] });
    const entity = component();
    entity.spec = { ...entity.spec, owner };
    expect((await run(entity)).metadata.labels?.[LEVEL]).toBe(level);
  });

  it('an evidence outage yields unknown results, not a processing error', async () => {
    const { run, logger } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      down: true,
    });
    const out = await run();
    expect(out.metadata.labels?.[LEVEL]).toBe('L1');
    expect(out.metadata.annotations?.[SCORE]).toBe('4/5');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it.each(['malformed', 'rejects'] as const)(
    'an evidence client that fails (%s) yields unknown results, never the previous pass',
    async broken => {
      const { run, state, logger } = setup({
        facts: [repoSettings(ago(HOUR), PROTECTED)],
      });
      expect((await run()).metadata.labels?.[LEVEL]).toBe('L2');
      state.broken = broken;
      const out = await run();
      expect(out.metadata.labels?.[LEVEL]).toBe('L1');
      expect(out.metadata.annotations?.[SCORE]).toBe('4/5');
      // An outage, not an engine error: nothing to log.
      expect(logger.warn).not.toHaveBeenCalled();
    },
  );

  it('changes the level label when the evidence changes', async () => {
    const { run, state } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
    });
    expect((await run()).metadata.labels?.[LEVEL]).toBe('L2');
    state.facts = [
      repoSettings(ago(HOUR / 2), { ...PROTECTED, protected: false }),
    ];
    expect((await run()).metadata.labels?.[LEVEL]).toBe('L1');
    state.facts = [repoSettings(ago(HOUR / 4), PROTECTED)];
    expect((await run()).metadata.labels?.[LEVEL]).toBe('L2');
  });

  it('an active waiver covers a failing check; an expired one does not', async () => {
    const waiver = activeWaiver(24 * HOUR);
    const failing = [
      repoSettings(ago(HOUR), { ...PROTECTED, protected: false }),
    ];
    expect(
      (await setup({ facts: failing, waivers: [waiver] }).run()).metadata
        .labels?.[LEVEL],
    ).toBe('L2');
    expect(
      (
        await setup({
          facts: failing,
          waivers: [{ ...waiver, expiresAt: NOW }],
        }).run()
      ).metadata.labels?.[LEVEL],
    ).toBe('L1');
  });

  /**
   * A processor whose waiver list is `list()` at each visit (undefined: not read yet), branch
   * protection failing; `visit` processes the component with the cache of an entity the catalog
   * processed before (no dry run) and answers its level.
   */
  function visitsWithWaivers(list: () => Waiver[] | undefined) {
    const offer = jest.fn();
    const { processor } = setup({
      facts: [repoSettings(ago(HOUR), { ...PROTECTED, protected: false })],
      waivers: list,
      results: { offer },
    });
    const cache = visitedCache();
    const visit = async () => {
      const out = await processor.preProcessEntity(
        component(),
        location,
        jest.fn(),
        location,
        cache,
      );
      await processor.postProcessEntity(out, location, jest.fn(), cache);
      return out.metadata.labels?.[LEVEL];
    };
    return { offer, visit };
  }

  it('until the waivers are read, keeps the stamp a waiver earned, and offers nothing', async () => {
    const waiver = activeWaiver(24 * HOUR);
    let list: Waiver[] | undefined = [waiver];
    const { offer, visit } = visitsWithWaivers(() => list);
    expect(await visit()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(1);
    // a restart: the cache has not read the backend yet (a failed read keeps it unknown)
    list = undefined;
    expect(await visit()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(1);
    list = [waiver];
    expect(await visit()).toBe('L2');
    expect(offer.mock.calls.map(([, e]) => e.level)).toEqual(['L2', 'L2']);
  });

  it('stamps a never-stamped entity without waivers until they are read (a lower bound), offered only once they are', async () => {
    let list: Waiver[] | undefined = undefined;
    const { offer, visit } = visitsWithWaivers(() => list);
    expect(await visit()).toBe('L1');
    expect(offer).not.toHaveBeenCalled();
    list = [activeWaiver(24 * HOUR)];
    expect(await visit()).toBe('L2');
    expect(offer.mock.calls.map(([, e]) => e.level)).toEqual(['L2']);
  });

  it('reads the entity and its owner group in one batched call', async () => {
    const { run, calls } = setup();
    await run();
    expect(calls).toEqual([[REF, 'group:default/checkout-team']]);
  });

  it.each(['Group', 'User', 'Domain', 'Location', 'Template'])(
    'leaves %s entities untouched',
    async kind => {
      const { run, calls } = setup();
      const entity: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: { name: 'x' },
        spec: {},
      };
      expect(await run(entity)).toBe(entity);
      expect(calls).toHaveLength(0);
    },
  );

  it.each(['Group', 'User', 'Domain', 'Location', 'Template'])(
    'strips a hand-written stamp from %s entities (SR34), keeping everything else',
    async kind => {
      const { run, calls } = setup();
      const entity: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind,
        metadata: {
          name: 'x',
          labels: { team: 'payments', [LEVEL]: 'L3' },
          annotations: {
            'backstage.io/view-url': 'https://example.com/x',
            [SCORE]: '41/41',
            [STANDARD]: 'default@7',
          },
        },
        spec: {},
      };
      const out = await run(entity);
      // Filtering by level must return evaluated entities only (SR35).
      expect(out.metadata.labels).toEqual({ team: 'payments' });
      expect(out.metadata.annotations).toEqual({
        'backstage.io/view-url': 'https://example.com/x',
      });
      expect(calls).toHaveLength(0);
    },
  );

  it('stamps a scored kind outside the rated lifecycles as not-rated, over a hand-written stamp', async () => {
    const { run } = setup({ facts: [repoSettings(ago(HOUR), PROTECTED)] });
    const entity = component({
      labels: { 'ops.example.com/tier': '2', [LEVEL]: 'L3' },
    });
    entity.spec = { ...entity.spec, lifecycle: 'deprecated' };
    const out = await run(entity);
    expect(out.metadata.labels?.[LEVEL]).toBe('not-rated');
    expect(out.metadata.annotations?.[STANDARD]).toBe('default@7');
  });

  it('replaces a hand-written stamp with the evaluated one', async () => {
    const { run } = setup({ facts: [repoSettings(ago(HOUR), PROTECTED)] });
    const out = await run(
      component({
        labels: { 'ops.example.com/tier': '2', [LEVEL]: 'L3' },
        annotations: {
          'backstage.io/source-location':
            'url:https://github.com/example/checkout-service/',
          [SCORE]: '99/99',
        },
      }),
    );
    expect(out.metadata.labels?.[LEVEL]).toBe('L2');
    expect(out.metadata.annotations?.[SCORE]).toBe('5/5');
  });

  it('an import in flight: a System processed after the snapshot was read counts for the Components processed after it', async () => {
    const { system, snapshot } = await snapshotWithoutSystem();
    const { run, processor } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      catalog: () => snapshot.current(),
      noteProcessed: entity => snapshot.noteProcessed(entity),
    });
    // Processed before its System: system-assigned fails, so the level is L0's `none`.
    expect((await run()).metadata.labels?.[LEVEL]).toBe('none');
    expect(await processor.postProcessEntity(system)).toBe(system);
    const out = await run();
    // The same stamp the full snapshot gives (first test of this file).
    expect(out.metadata.labels?.[LEVEL]).toBe('L2');
    expect(out.metadata.annotations?.[SCORE]).toBe('5/5');
  });

  it('registers a refresh key for each named entity the snapshot lacks, and keeps it after the entity arrived', async () => {
    const { system, snapshot } = await snapshotWithoutSystem();
    const { run, processor } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      catalog: () => snapshot.current(),
      noteProcessed: entity => snapshot.noteProcessed(entity),
      awaitReferences: true,
    });
    const keys = async () => {
      const emit = jest.fn();
      const out = await run(component(), emit);
      return {
        level: out.metadata.labels?.[LEVEL],
        keys: emit.mock.calls.map(([result]) => result),
      };
    };
    const awaitsSystem = [
      { type: 'refresh', key: 'scorecards:awaits:system:default/checkout' },
    ];
    expect(await keys()).toEqual({ level: 'none', keys: awaitsSystem });
    await processor.postProcessEntity(system);
    // Processed again once the System is known: a new stamp, the same keys, so the catalog
    // writes it for the stamp alone.
    expect(await keys()).toEqual({ level: 'L2', keys: awaitsSystem });
  });

  it('registers the last keys again while it cannot evaluate: no snapshot, or an evaluation error', async () => {
    const { snapshot } = await snapshotWithoutSystem();
    let mode: 'ok' | 'no snapshot' | 'broken' = 'ok';
    const { run } = setup({
      catalog: () => {
        if (mode === 'broken') throw new Error('index corrupted');
        return mode === 'ok' ? snapshot.current() : undefined;
      },
      awaitReferences: true,
    });
    const keysOf = async () => {
      const emit = jest.fn();
      await run(component(), emit);
      return emit.mock.calls.map(([result]) => result.key);
    };
    const awaitsSystem = ['scorecards:awaits:system:default/checkout'];
    expect(await keysOf()).toEqual(awaitsSystem);
    mode = 'no snapshot';
    expect(await keysOf()).toEqual(awaitsSystem);
    mode = 'broken';
    expect(await keysOf()).toEqual(awaitsSystem);
  });

  it('registers no refresh keys unless asked to, and none for entities the snapshot holds', async () => {
    const { system, snapshot } = await snapshotWithoutSystem();
    const off = setup({ catalog: () => snapshot.current() });
    const emit = jest.fn();
    await off.run(component(), emit);
    expect(emit).not.toHaveBeenCalled();
    const on = setup({ awaitReferences: true });
    await on.run(component(), emit);
    expect(emit).not.toHaveBeenCalled();
    expect(system.kind).toBe('System');
  });

  it('before the first catalog snapshot, processes the entity without a stamp', async () => {
    const { run, calls } = setup({ catalog: () => undefined });
    const entity = component();
    const out = await run(entity);
    expect(out.metadata.labels?.[LEVEL]).toBeUndefined();
    expect(calls).toHaveLength(0);
  });

  it('an evaluation error is caught and logged once; the entity keeps its previous stamp', async () => {
    let broken = false;
    const index = indexCatalog({
      entities: catalogEntities,
      refreshedAt: ago(30_000),
    });
    const { run, logger } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      catalog: () => {
        if (broken) throw new Error('index corrupted');
        return index;
      },
    });
    expect((await run()).metadata.labels?.[LEVEL]).toBe('L2');
    broken = true;
    const out = await run();
    expect(out.metadata.labels?.[LEVEL]).toBe('L2');
    expect(out.metadata.annotations?.[SCORE]).toBe('5/5');
    await run();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain('index corrupted');
  });

  it.each([
    ['with a snapshot', true],
    ['before the first snapshot', false],
  ])(
    'a cache entry of another shape is taken as absent, never a processing error (%s)',
    async (_, loaded) => {
      const index = indexCatalog({
        entities: catalogEntities,
        refreshedAt: ago(30_000),
      });
      const { run, cache } = setup({
        facts: [repoSettings(ago(HOUR), PROTECTED)],
        catalog: () => (loaded ? index : undefined),
        awaitReferences: true,
      });
      const malformed: [string, unknown][] = [
        [LEGACY_STATE_KEY, { awaits: 5 }],
        [
          LEGACY_STATE_KEY,
          { firstSeenAt: ago(HOUR), awaits: 'system:default/checkout' },
        ],
        [
          LEGACY_STATE_KEY,
          {
            firstSeenAt: ago(HOUR),
            awaits: [5, 'system:default/x'.repeat(40)],
          },
        ],
        [LEGACY_STATE_KEY, 'scorecard'],
        [LEGACY_STATE_KEY, [1, 2]],
        [STATE_KEY, { firstSeenAt: ago(HOUR) }],
        [STATE_KEY, ['not a time', '', '', '', '']],
        [
          STATE_KEY,
          [ago(HOUR), '', '', '', '', 5, 'system:default/x'.repeat(40)],
        ],
        [STATE_KEY, 'scorecard'],
        [STATE_KEY, [1, 2]],
      ];
      for (const [key, cached] of malformed) {
        cache.store.clear();
        cache.store.set(key, cached);
        const emit = jest.fn();
        const out = await run(component(), emit);
        expect(out.metadata.labels?.[LEVEL]).toBe(loaded ? 'L2' : undefined);
        expect(emit).not.toHaveBeenCalled();
      }
    },
  );

  it.each([
    [
      'current',
      STATE_KEY,
      (level: string, extra: string) => [
        ago(HOUR),
        level,
        extra === 'x' ? '5/5 x' : '5/5',
        'default@7',
        '',
      ],
    ],
    [
      'legacy',
      LEGACY_STATE_KEY,
      (level: string, extra: string) => ({
        firstSeenAt: ago(HOUR),
        stamp: {
          labels: { [LEVEL]: level, [extra]: 'x' },
          annotations: { [SCORE]: '5/5', [STANDARD]: 'default@7' },
        },
      }),
    ],
  ] as const)(
    'a cached stamp the catalog would refuse is not written back; only the stamp keys of a valid one are (%s form)',
    async (_, key, cachedStamp) => {
      const { run, cache } = setup({ catalog: () => undefined });
      cache.store.set(key, cachedStamp('L9 bogus value!!', 'not a key!!'));
      const refused = await run();
      expect(refused.metadata.labels?.[LEVEL]).toBeUndefined();
      expect(refused.metadata.annotations?.[SCORE]).toBeUndefined();
      cache.store.clear();
      cache.store.set(key, cachedStamp('L2', 'not a key!!'));
      const kept = await run();
      expect(kept.metadata.labels).toEqual({
        'ops.example.com/tier': '2',
        [LEVEL]: 'L2',
      });
      expect(kept.metadata.annotations?.[SCORE]).toBe('5/5');
    },
  );

  it('reads a cache entry of the form written before 2026-12-06 and writes it back in the current form, keeping when the entity was first seen', async () => {
    const { run, cache } = setup({ catalog: () => undefined });
    cache.store.set(LEGACY_STATE_KEY, {
      firstSeenAt: ago(HOUR),
      stamp: {
        labels: { [LEVEL]: 'L1' },
        annotations: { [SCORE]: '3/5', [STANDARD]: 'default@7' },
      },
      awaits: ['system:default/checkout'],
    });
    const emit = jest.fn();
    // No snapshot yet: the visit keeps the cached stamp and evaluates nothing, and still
    // writes the entry in the current form.
    const out = await run(component(), emit);
    expect(out.metadata.labels?.[LEVEL]).toBe('L1');
    expect(cache.store.get(STATE_KEY)).toEqual([
      ago(HOUR),
      'L1',
      '3/5',
      'default@7',
      '',
      'system:default/checkout',
    ]);
    expect(cache.store.get(LEGACY_STATE_KEY)).toEqual({
      firstSeenAt: ago(HOUR),
    });
  });

  it('writes the state as one flat array: first seen, the stamp, the last error log, the awaited refs', async () => {
    const { run, cache } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      catalog: () =>
        indexCatalog({
          entities: catalogEntities.filter(e => e.kind !== 'System'),
          refreshedAt: ago(30_000),
        }),
      awaitReferences: true,
    });
    await run();
    const [firstSeenAt, level, score, standardVersion, loggedAt, ...awaits] =
      cache.store.get(STATE_KEY);
    expect(firstSeenAt).toBe(NOW);
    expect([level, score, loggedAt]).toEqual([
      expect.stringMatching(/^(L\d|none)$/),
      expect.stringMatching(/^\d+\/5$/),
      '',
    ]);
    expect(standardVersion).toMatch(/@\d+$/);
    expect(awaits).toContain('system:default/checkout');
    // What a build before 2026-12-06 reads (a rolling deploy, a rollback): when it was first seen.
    expect(cache.store.get(LEGACY_STATE_KEY)).toEqual({ firstSeenAt: NOW });
  });

  it('an evaluation error on a never-stamped entity leaves it unstamped but processed', async () => {
    const { run } = setup({
      catalog: () => {
        throw new Error('boom');
      },
    });
    const entity = component();
    const out = await run(entity);
    expect(out).toBe(entity);
    expect(out.metadata.labels?.[LEVEL]).toBeUndefined();
  });
});

describe('ScorecardsProcessor results: offered once the catalog accepted the entity', () => {
  // The catalog (DefaultCatalogProcessingOrchestrator) runs postProcessEntity only after
  // pre-processing, policies and validation all passed; a refused entity gets no call.
  const payments = () =>
    component({
      name: 'payments-service',
      annotations: {
        'backstage.io/source-location':
          'url:https://github.com/example/payments-service/',
      },
    });
  const offered = (offer: jest.Mock) =>
    offer.mock.calls.map(([entity, evaluation]) => [
      entity.metadata.name,
      evaluation.entityRef,
      evaluation.level,
    ]);

  function withResults() {
    const offer = jest.fn();
    const { processor, state } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      results: { offer },
    });
    const pre = (entity: Entity, cache = visitedCache()) =>
      processor.preProcessEntity(entity, location, jest.fn(), location, cache);
    return { processor, state, offer, pre };
  }

  it('offers nothing for a processing that stops after pre-processing, nor its evaluation later', async () => {
    const { processor, state, offer, pre } = withResults();
    const cache = memoryCache();
    // Evaluated and stamped, then refused by the catalog (policy or validation): no post.
    expect((await pre(component(), cache)).metadata.labels?.[LEVEL]).toBe('L2');
    // Another entity's accepted processing does not offer it either.
    await processor.postProcessEntity(await pre(payments()));
    expect(offered(offer)).toEqual([
      ['payments-service', 'component:default/payments-service', 'L1'],
    ]);
    // The next visit is accepted: only its own evaluation is offered, once.
    state.facts = [repoSettings(ago(HOUR), { ...PROTECTED, protected: false })];
    await processor.postProcessEntity(await pre(component(), cache));
    await processor.postProcessEntity(component());
    expect(offered(offer)).toEqual([
      ['payments-service', 'component:default/payments-service', 'L1'],
      ['checkout-service', REF, 'L1'],
    ]);
  });

  it('offers an accepted processing exactly once, from postProcessEntity, with the entity as evaluated', async () => {
    const { processor, offer, pre } = withResults();
    const entity = component();
    const stamped = await pre(entity);
    expect(stamped.metadata.labels?.[LEVEL]).toBe('L2');
    expect(offer).not.toHaveBeenCalled(); // nothing before the catalog accepted it
    // What the policies return is a copy; post-processing gets that copy.
    const accepted = {
      ...stamped,
      metadata: { ...stamped.metadata, namespace: 'default' },
    };
    expect(await processor.postProcessEntity(accepted)).toBe(accepted);
    expect(offer).toHaveBeenCalledTimes(1);
    expect(offer.mock.calls[0][0]).toBe(entity);
    expect(offer.mock.calls[0][1]).toMatchObject({
      entityRef: REF,
      scored: true,
      level: 'L2',
    });
    // A second post-processing without a new evaluation offers nothing.
    await processor.postProcessEntity(accepted);
    expect(offer).toHaveBeenCalledTimes(1);
  });

  it('offers each of two interleaved processings its own evaluation', async () => {
    const { processor, offer, pre } = withResults();
    const checkout = await pre(component());
    const other = await pre(payments());
    expect(offer).not.toHaveBeenCalled();
    await processor.postProcessEntity(other);
    expect(offered(offer)).toEqual([
      ['payments-service', 'component:default/payments-service', 'L1'],
    ]);
    await processor.postProcessEntity(checkout);
    expect(offered(offer)).toEqual([
      ['payments-service', 'component:default/payments-service', 'L1'],
      ['checkout-service', REF, 'L2'],
    ]);
  });

  it('offers nothing from a visit without its cache of an entity the catalog holds (a dry run), and leaves what another visit holds', async () => {
    const { processor, offer, pre } = withResults();
    // The catalog hands pre- and post-processing of one processing the same cache object.
    const visit = async (entity: Entity, cache = visitedCache()) =>
      processor.postProcessEntity(
        await pre(entity, cache),
        location,
        jest.fn(),
        cache,
      );
    // POST /validate-entity of checkout-service as a branch would change it: no cache of ours.
    const variant = component({ labels: { 'ops.example.com/tier': '3' } });
    variant.spec = { ...variant.spec, owner: 'group:default/ghost' };
    const dry = await visit(variant, memoryCache());
    expect(dry.metadata.labels?.[LEVEL]).toBe('none'); // stamped as any visit
    expect(offer).not.toHaveBeenCalled();

    // Overlapping the catalog's own processing of the stored entity: only that one offers it.
    const storedCache = visitedCache();
    const stored = await pre(component(), storedCache);
    await visit(variant, memoryCache());
    expect(offer).not.toHaveBeenCalled();
    await processor.postProcessEntity(stored, location, jest.fn(), storedCache);
    expect(offered(offer)).toEqual([['checkout-service', REF, 'L2']]);
    expect(offer.mock.calls[0][0]).not.toBe(variant);

    // An entity the catalog does not hold yet has no cache on its first visit either: offered.
    await visit(payments(), memoryCache());
    expect(offered(offer)).toEqual([
      ['checkout-service', REF, 'L2'],
      ['payments-service', 'component:default/payments-service', 'L1'],
    ]);
  });

  it('a dry run never offers what a refused processing of the stored entity left held', async () => {
    const { processor, offer, pre } = withResults();
    // The catalog's processing of a new version: evaluated, then refused (no post-processing).
    await pre(component({ labels: { 'ops.example.com/tier': '3' } }));
    // A CI job validates the fixed version: accepted, but nothing of it is stored.
    const cache = memoryCache();
    await processor.postProcessEntity(
      await pre(component(), cache),
      location,
      jest.fn(),
      cache,
    );
    expect(offer).not.toHaveBeenCalled();
  });

  it('offers the visit after a first one without the cache (the module just installed): that one wrote it', async () => {
    const { processor, offer, pre } = withResults();
    const cache = memoryCache();
    await processor.postProcessEntity(await pre(component(), cache));
    expect(offer).not.toHaveBeenCalled();
    await processor.postProcessEntity(await pre(component(), cache));
    expect(offered(offer)).toEqual([['checkout-service', REF, 'L2']]);
  });

  it('holds a bounded number of evaluations: the oldest unfinished one is dropped first', async () => {
    const { processor, offer, pre } = withResults();
    const names = Array.from({ length: 201 }, (_, i) => `svc-${i}`);
    const stamped: Entity[] = [];
    for (const name of names) stamped.push(await pre(component({ name })));
    await processor.postProcessEntity(stamped[0]); // dropped: held longest
    expect(offer).not.toHaveBeenCalled();
    await processor.postProcessEntity(stamped[1]);
    await processor.postProcessEntity(stamped[200]);
    expect(offer.mock.calls.map(([entity]) => entity.metadata.name)).toEqual([
      'svc-1',
      'svc-200',
    ]);
  });

  it('never fails post-processing, whatever the results queue does', async () => {
    const { processor } = setup({
      facts: [repoSettings(ago(HOUR), PROTECTED)],
      results: {
        offer() {
          throw new Error('queue broke');
        },
      },
    });
    const stamped = await processor.preProcessEntity(
      component(),
      location,
      jest.fn(),
      location,
      memoryCache(),
    );
    await expect(processor.postProcessEntity(stamped)).resolves.toBe(stamped);
  });
});

describe('ScorecardsProcessor with the evidence mirror and reuse', () => {
  const MIN = 60_000;

  function mirrored(
    options: {
      reuseForMs?: number;
      waivers?: Waiver[];
      results?: ScorecardsProcessorOptions['results'];
      snapshot?: CatalogSnapshotCache;
      awaitReferences?: boolean;
      standard?: CompiledStandard;
    } = {},
  ) {
    const state = {
      facts: [repoSettings(ago(HOUR), PROTECTED)] as EntityEvidence['facts'],
      version: 'v1',
      loaded: true,
      nowMs: Date.parse(NOW),
    };
    const calls: string[][] = [];
    const reads: string[][] = [];
    const index = indexCatalog({
      entities: catalogEntities,
      refreshedAt: ago(30_000),
    });
    // Without a snapshot cache: catalog changes are told by hand (`changeCatalog`).
    let generation = 1;
    const changedAt = new Map<string, number>();
    const changeCatalog = (...changed: string[]) => {
      generation += 1;
      for (const read of changed) changedAt.set(read, generation);
    };
    const catalogChanges: CatalogChanges = options.snapshot ?? {
      generation: () => generation,
      changedSince: (evaluationReads, since) =>
        someCatalogRead(evaluationReads, read => changedAt.get(read)! > since),
    };
    const processor = new ScorecardsProcessor({
      standard: options.standard ?? standard,
      evidence: fakeEvidence({ facts: [] }, calls),
      catalog: options.snapshot
        ? () => options.snapshot!.current()
        : () => index,
      noteProcessed: entity => options.snapshot?.noteProcessed(entity),
      waivers: () => options.waivers ?? [],
      logger: mockServices.logger.mock(),
      clock: () => new Date(state.nowMs),
      mirror: {
        read(refs) {
          reads.push([...refs]);
          if (!state.loaded) return undefined;
          return {
            evidence: mergeEntityEvidence(
              refs.map(ref =>
                convertEntityEvidence({
                  facts: state.facts.filter(f => f.entityRef === ref),
                  collection: [],
                }),
              ),
              [],
            ),
            version: state.version,
          };
        },
      },
      versions: { waivers: () => 'w' },
      catalogChanges,
      reuse: new EvaluationReuse({
        reuseForMs: options.reuseForMs ?? 5 * MIN,
        catalogFreshForMs: 10 * MIN,
      }),
      results: options.results,
      awaitReferences: options.awaitReferences,
    });
    const cache = visitedCache();
    /** Pre-processing only: a processing the catalog then refuses (no `postProcessEntity`). */
    const pre = (entity: Entity = component(), emit = jest.fn()) =>
      processor.preProcessEntity(entity, location, emit, location, cache);
    /** A processing the catalog accepts: pre- and then post-processing of the same entity. */
    const run = async (entity: Entity = component(), emit = jest.fn()) => {
      const out = await processor.postProcessEntity(await pre(entity, emit));
      return out.metadata.labels?.[LEVEL];
    };
    return { state, calls, reads, run, pre, processor, changeCatalog };
  }

  it('an arrival changes an answer the evaluation read, so a stamp computed without it is not reused', async () => {
    const { system, snapshot } = await snapshotWithoutSystem();
    const { run, processor } = mirrored({ snapshot });
    expect(await run()).toBe('none');
    expect(await run()).toBe('none'); // reused: nothing changed
    await processor.postProcessEntity(system);
    expect(await run()).toBe('L2');
  });

  it('offers an evaluation a refused processing held once a processing that reuses it is accepted, and only once', async () => {
    const offer = jest.fn();
    const { run, pre } = mirrored({ results: { offer } });
    // Evaluated, then refused by the catalog: stamped, not offered.
    expect((await pre()).metadata.labels?.[LEVEL]).toBe('L2');
    expect(offer).not.toHaveBeenCalled();
    // The next visit reuses that evaluation and is accepted: it reaches the backend now…
    expect(await run()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(1);
    // …and never again while it is reused.
    expect(await run()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(1);
  });

  it('a reused stamp registers the refresh keys of the evaluation it reuses', async () => {
    const { snapshot } = await snapshotWithoutSystem();
    const offer = jest.fn();
    const { run } = mirrored({
      snapshot,
      awaitReferences: true,
      results: { offer },
    });
    const first = jest.fn();
    const second = jest.fn();
    expect(await run(component(), first)).toBe('none');
    expect(await run(component(), second)).toBe('none');
    // Reused: only the first run evaluated (and offered its result set).
    expect(offer).toHaveBeenCalledTimes(1);
    expect(second.mock.calls).toEqual(first.mock.calls);
    expect(first.mock.calls).toEqual([
      [{ type: 'refresh', key: 'scorecards:awaits:system:default/checkout' }],
    ]);
  });

  it('reuses nothing computed on a snapshot past its freshness window: a refresh with unchanged content counts at once', async () => {
    let nowMs = Date.parse(NOW);
    const snapshot = new CatalogSnapshotCache({
      catalog: catalogServiceMock({ entities: catalogEntities }),
      auth: mockServices.auth(),
      clock: () => new Date(nowMs),
    });
    await snapshot.refresh();
    const generation = snapshot.generation();
    const { run, state } = mirrored({ snapshot });
    const at = (sinceRefreshMs: number) => {
      nowMs = state.nowMs = Date.parse(NOW) + sinceRefreshMs;
    };
    expect(await run()).toBe('L2');
    // Every refresh fails from here on. At 10 min the engine still counts the snapshot fresh
    // (the boundary is inclusive)…
    at(10 * MIN);
    expect(await run()).toBe('L2');
    // …half a second later it does not (its age is judged to the millisecond): checks on other
    // entities are unknown (SR23), and the stamp computed half a second ago is not reused.
    at(10 * MIN + 500);
    expect(await run()).toBe('none');
    at(11 * MIN);
    expect(await run()).toBe('none');
    at(11 * MIN + 10_000);
    await snapshot.refresh();
    // The same content, so the same answers: only the freshness changed.
    expect(snapshot.generation()).toBe(generation);
    expect(await run()).toBe('L2');
  });

  it('keeps reusing across a catalog change the evaluation did not read, not across one it did', async () => {
    const { service, state } = mutableCatalog(catalogEntities);
    const snapshot = new CatalogSnapshotCache({
      catalog: service,
      auth: mockServices.auth(),
      clock: () => new Date(NOW),
    });
    await snapshot.refresh();
    const offer = jest.fn();
    const { run } = mirrored({ snapshot, results: { offer } });
    expect(await run()).toBe('L2');
    // Another team and its service join the catalog: a new snapshot, nothing this read.
    state.entities = [
      ...catalogEntities,
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'search-team', namespace: 'default' },
        spec: { type: 'team', children: [], members: ['cy'] },
      },
      component({ name: 'search-service' }),
    ];
    await snapshot.refresh();
    expect(await run()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(1);
    // The System goes: system-assigned read it, so the entity is evaluated again.
    state.entities = state.entities.filter(e => e.kind !== 'System');
    await snapshot.refresh();
    expect(await run()).toBe('none');
    expect(offer).toHaveBeenCalledTimes(2);
  });

  it('evaluates from the mirror without reading through the client', async () => {
    const { run, calls, reads } = mirrored();
    expect(await run()).toBe('L2');
    expect(reads).toEqual([[REF, 'group:default/checkout-team']]);
    expect(calls).toEqual([]);
  });

  it('reuses the stamp while every input keeps its version, and only then', async () => {
    const { run, state, changeCatalog } = mirrored();
    expect(await run()).toBe('L2');
    // Content changed behind an unchanged version: the reuse is visible as the old level.
    state.facts = [repoSettings(ago(HOUR), { ...PROTECTED, protected: false })];
    expect(await run()).toBe('L2');
    state.version = 'v2';
    expect(await run()).toBe('L1');

    state.facts = [repoSettings(ago(HOUR), PROTECTED)];
    expect(await run()).toBe('L1');
    // A catalog change elsewhere: nothing the evaluation looked up, so still reused.
    changeCatalog(
      'gcomponent:default/elsewhere',
      'dcomponent:default/elsewhere',
    );
    expect(await run()).toBe('L1');
    // The owner group changed: evaluated again.
    changeCatalog('ggroup:default/checkout-team');
    expect(await run()).toBe('L2');

    state.facts = [repoSettings(ago(HOUR), { ...PROTECTED, protected: false })];
    const retiered = component({ labels: { 'ops.example.com/tier': '3' } });
    expect(await run(retiered)).toBe('L1');
  });

  it('reuses the stamp on a later visit: the entity record its field checks read never turns stale', async () => {
    // owner-resolves, lifecycle-valid and tier-declared read the entity's own record, which is
    // evidence with a window of 0 s; the catalog's next visit comes seconds to minutes later.
    const offer = jest.fn();
    const { run, state } = mirrored({ results: { offer } });
    expect(await run()).toBe('L2');
    state.nowMs += 1_000;
    expect(await run()).toBe('L2');
    state.nowMs += 2 * MIN;
    expect(await run()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(1);
    // The reuse still ends with the window (5 min here).
    state.nowMs += 3 * MIN;
    expect(await run()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(2);
  });

  it('reuses the stamp for as long as no window it depends on closes, within reuseFor', async () => {
    const offer = jest.fn();
    const { run, state } = mirrored({ reuseForMs: HOUR, results: { offer } });
    expect(await run()).toBe('L2');
    // Past the 5 minutes of the fixed reuse before 2026-12-05 evening: nothing the evaluation
    // compared with now has changed (the evidence is fresh for 7 days; this test's snapshot,
    // read 30 s before, stays fresh until 9.5 min).
    state.nowMs += 9 * MIN;
    expect(await run()).toBe('L2');
    expect(offer).toHaveBeenCalledTimes(1);
    // Past the snapshot's freshness nothing is reused: every check on other entities is
    // unknown now (SR23).
    state.nowMs += MIN;
    expect(await run()).toBe('none');
    expect(offer).toHaveBeenCalledTimes(2);
  });

  it('stops reusing when a window inside fresh evidence closes, long before reuseFor', async () => {
    // L2 also needs a review within the last day, read from the repository settings (fresh
    // for 7 days): the window closes while the evidence stays fresh, which the stamp does not
    // show. Before 2026-12-05 evening only a fixed 5-minute reuse covered such windows.
    const branch = defaultStandardFile.checks.find(
      c => c.id === 'branch-protection',
    )!;
    const { run, state } = mirrored({
      reuseForMs: HOUR,
      standard: loadStandard({
        ...standardFile,
        checks: [
          ...standardFile.checks,
          {
            ...branch,
            id: 'reviewed-recently',
            type: 'fact',
            params: {
              kind: 'repo.settings',
              path: 'lastReviewedAt',
              op: 'within',
              value: 86400,
            },
          },
        ],
      }),
    });
    state.facts = [
      repoSettings(ago(HOUR), {
        ...PROTECTED,
        lastReviewedAt: ago(86400_000 - 2 * 60_000),
      }),
    ];
    expect(await run()).toBe('L2');
    state.nowMs += MIN;
    expect(await run()).toBe('L2');
    state.nowMs += 90_000;
    expect(await run()).toBe('L1');
  });

  it('stops reusing when the evidence it used turns stale: unknown, never pass', async () => {
    const { run, state } = mirrored({ reuseForMs: 24 * HOUR });
    // Fresh for 7 days; one minute left.
    state.facts = [repoSettings(ago(7 * 24 * HOUR - MIN), PROTECTED)];
    expect(await run()).toBe('L2');
    state.nowMs += MIN / 2;
    expect(await run()).toBe('L2');
    state.nowMs += MIN;
    expect(await run()).toBe('L1');
  });

  it('stops reusing at the first millisecond the evidence is stale, even when evaluated on its last fresh one', async () => {
    const { run, state } = mirrored({ reuseForMs: 24 * HOUR });
    // Fresh for 7 days, boundary inclusive: exactly 7 days old at NOW is still fresh.
    state.facts = [repoSettings(ago(7 * 24 * HOUR), PROTECTED)];
    expect(await run()).toBe('L2');
    state.nowMs += 1;
    expect(await run()).toBe('L1');
  });

  it('stops reusing when a waiver it counted expires', async () => {
    const waiver = activeWaiver(MIN);
    const { run, state } = mirrored({
      reuseForMs: 24 * HOUR,
      waivers: [waiver],
    });
    state.facts = [repoSettings(ago(HOUR), { ...PROTECTED, protected: false })];
    expect(await run()).toBe('L2');
    state.nowMs += MIN + 1;
    expect(await run()).toBe('L1');
  });

  it('queues a changed result set for the scorecards backend, never a reused or unchanged one; stamps while the backend is down', async () => {
    const posts: unknown[] = [];
    const publisher = new ResultsPublisher({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      fetch: (async (_url: unknown, init?: RequestInit) => {
        posts.push(init?.body);
        throw new TypeError('fetch failed'); // the backend is down
      }) as typeof fetch,
    });
    const offer = jest.spyOn(publisher, 'offer');
    const { run, state } = mirrored({ results: publisher });

    expect(await run()).toBe('L2'); // first evaluation: queued
    expect(offer.mock.results.map(r => r.value)).toEqual([true]);
    expect(await run()).toBe('L2'); // reused: not even offered
    expect(offer).toHaveBeenCalledTimes(1);
    state.version = 'v2'; // evaluated again, same results: offered, not queued
    expect(await run()).toBe('L2');
    expect(offer.mock.results.map(r => r.value)).toEqual([true, false]);

    await publisher.flush(); // fails: the queue keeps the set
    expect(posts).toHaveLength(1);
    expect(publisher.queued).toBe(1);
    // Branch protection removed: the stamp changes although the backend is down, and the
    // changed set replaces the queued one.
    state.facts = [repoSettings(ago(HOUR), { ...PROTECTED, protected: false })];
    state.version = 'v3';
    expect(await run()).toBe('L1');
    expect(offer.mock.results.map(r => r.value)).toEqual([true, false, true]);
    expect(publisher.queued).toBe(1);
  });

  it('leaves nothing to reuse from a visit without its cache of a stored entity: the next one evaluates and offers', async () => {
    const offer = jest.fn();
    const { processor } = mirrored({ results: { offer } });
    const cache = memoryCache();
    const visit = async () =>
      processor.postProcessEntity(
        await processor.preProcessEntity(
          component(),
          location,
          jest.fn(),
          location,
          cache,
        ),
      );
    expect((await visit()).metadata.labels?.[LEVEL]).toBe('L2');
    expect(offer).not.toHaveBeenCalled();
    await visit(); // with the cache the first visit wrote: evaluated, not reused, and offered
    expect(offer).toHaveBeenCalledTimes(1);
    await visit(); // now reused
    expect(offer).toHaveBeenCalledTimes(1);
  });

  it('reads through the client until the mirror is loaded', async () => {
    const { run, state, calls } = mirrored();
    state.loaded = false;
    expect(await run()).toBe('L1'); // the client fake holds no evidence
    expect(calls).toEqual([[REF, 'group:default/checkout-team']]);
  });
});
