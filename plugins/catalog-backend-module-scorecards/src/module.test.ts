import {
  ServiceFactory,
  coreServices,
  createBackendModule,
  createBackendPlugin,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  EntityProviderConnection,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import {
  EntityEvidence,
  EvidenceService,
  evidenceServiceRef,
} from '@internal/plugin-evidence-node';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import {
  defineCheckType,
  evaluateEntity,
  hashEntity,
  indexCatalog,
  outcome,
} from '@internal/plugin-scorecards-common';
import { createScorecardsCheckTypesModules } from '@internal/plugin-scorecards-node';
import { z } from 'zod';
import { DEFAULT_REPO_PATHS } from '@internal/plugin-evidence-common';
import { catalogModuleScorecards } from './module';
import { ScorecardsProcessor } from './processor/ScorecardsProcessor';

const FIXTURES = path.resolve(__dirname, '__fixtures__');

/** Fresh repository settings for every entity: branch protection passes. */
function fakeEvidence(): EvidenceService {
  return {
    async readEntities(refs: string[]) {
      const now = new Date().toISOString();
      const data = new Map<string, EntityEvidence>();
      for (const ref of refs) {
        data.set(ref, {
          facts: [
            {
              id: `f-${ref}`,
              entityRef: ref,
              subject: ref,
              resolution: 'resolved',
              source: 'repo-host',
              kind: 'repo.settings',
              key: '',
              value: { protected: true },
              valueFingerprint: 'x',
              observedAt: now,
              collectedAt: now,
              freshForSeconds: 86400,
              expiresAt: now,
              provenance: {},
              flags: [],
              demo: false,
            },
          ],
          collection: [],
        });
      }
      return { available: true, asOf: now, data };
    },
    async sourceHealth() {
      return { available: true, asOf: new Date().toISOString(), data: [] };
    },
    collectedRepoPaths() {
      return [...DEFAULT_REPO_PATHS];
    },
  } as Partial<EvidenceService> as EvidenceService;
}

/**
 * A stand-in scorecards backend: no active waivers, and records what the module posts to
 * `POST /internal/results` (full sets) and `/internal/results/compact` (wire form) with the
 * route and the caller's service subject.
 */
function fakeScorecardsBackend() {
  const posts: { subject: string; route: string; results: any[] }[] = [];
  const plugin = createBackendPlugin({
    pluginId: 'scorecards',
    register(env) {
      env.registerInit({
        deps: {
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
        },
        async init({ httpRouter, httpAuth }) {
          httpRouter.use((req, res, next) => {
            if (req.method === 'GET' && req.path === '/waivers') {
              res.json({ items: [] });
            } else if (
              req.method === 'POST' &&
              (req.path === '/internal/results' ||
                req.path === '/internal/results/compact')
            ) {
              (async () => {
                const credentials = await httpAuth.credentials(req, {
                  allow: ['service'],
                });
                let text = '';
                for await (const chunk of req) text += chunk;
                const { results } = JSON.parse(text);
                posts.push({
                  subject: credentials.principal.subject,
                  route: req.path,
                  results,
                });
                res.json({ accepted: results.length });
              })().catch(next);
            } else {
              next();
            }
          });
        },
      });
    },
  });
  return { plugin, posts };
}

const evidenceFactory = createServiceFactory({
  service: evidenceServiceRef,
  deps: {},
  factory: fakeEvidence,
});

describe('catalogModuleScorecards', () => {
  it('registers the processor through the catalog processing extension point', async () => {
    const extensionPoint = {
      addProcessor: jest.fn(),
      addEntityProvider: jest.fn(),
    };
    const backend = await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [catalogModuleScorecards, evidenceFactory],
    });
    expect(extensionPoint.addProcessor).toHaveBeenCalledTimes(1);
    expect(extensionPoint.addProcessor.mock.calls[0][0]).toBeInstanceOf(
      ScorecardsProcessor,
    );
    await backend.stop();
  });

  /** The module's load warnings over an evidence store that collects `repoPaths`. */
  async function loadWarnings(repoPaths: string[]): Promise<string[]> {
    const logger = mockServices.logger.mock();
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          { addProcessor: jest.fn(), addEntityProvider: jest.fn() },
        ],
      ],
      features: [
        catalogModuleScorecards,
        logger.factory,
        createServiceFactory({
          service: evidenceServiceRef,
          deps: {},
          factory: () => ({
            ...fakeEvidence(),
            collectedRepoPaths: () => repoPaths,
          }),
        }),
      ],
    });
    await backend.stop();
    return logger.warn.mock.calls.map(([message]) => message);
  }

  it('warns at load about repo-file paths the evidence store does not collect', async () => {
    const warnings = await loadWarnings(['CODEOWNERS', 'README.md']);
    // default@7: runbook-present looks for docs/runbook.md or RUNBOOK.md (nested in any-of)
    expect(warnings).toContain(
      'scorecards: check "runbook-present" (repo-file) looks for docs/runbook.md, RUNBOOK.md, which no evidence.repo glob collects, so repo.files never lists them; add them to evidence.repo.extraPaths',
    );
    // only the paths not collected: CODEOWNERS is
    expect(warnings.filter(w => w.includes('"codeowners-present"'))).toEqual([
      'scorecards: check "codeowners-present" (repo-file) looks for .github/CODEOWNERS, docs/CODEOWNERS, which no evidence.repo glob collects, so repo.files never lists them; add them to evidence.repo.extraPaths',
    ]);
  });

  it('does not warn about repo-file paths when the repository collector is off (listings come from pushes)', async () => {
    // what evidence-node answers for `evidence.repo.enabled: false`
    const warnings = await loadWarnings([]);
    expect(warnings.filter(w => w.includes('(repo-file)'))).toEqual([]);
  });

  /**
   * The module with a mock logger and scheduler over `fakeEvidence()` as `evidence` changes it;
   * `runMirror(n)` runs the evidence mirror's task n times, `lines(level)` what it logged.
   */
  async function startWithEvidence(
    evidence: (working: EvidenceService) => Partial<EvidenceService>,
  ) {
    const logger = mockServices.logger.mock();
    // The instance is a MockSchedulerService; its factory() is not in the public type.
    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & { factory(): ServiceFactory };
    const backend = await startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          { addProcessor: jest.fn(), addEntityProvider: jest.fn() },
        ],
      ],
      features: [
        catalogModuleScorecards,
        logger.factory,
        scheduler.factory(),
        createServiceFactory({
          service: evidenceServiceRef,
          deps: {},
          factory: () => {
            const working = fakeEvidence();
            return { ...working, ...evidence(working) } as EvidenceService;
          },
        }),
      ],
    });
    return {
      backend,
      runMirror: async (times: number) => {
        for (let run = 0; run < times; run++) {
          await scheduler.triggerTask('scorecards-evidence-mirror');
        }
      },
      lines: (level: 'warn' | 'info') =>
        logger[level].mock.calls.map(([m]) => String(m)),
    };
  }

  /** An answer of the evidence client when the store cannot be read. */
  const unavailable = (cause: 'timeout' | 'circuit-open') =>
    Promise.resolve({
      available: false as const,
      cause,
      since: new Date().toISOString(),
    });

  /** The change feed listing `refs` on a full read and nothing since. */
  const feedOf = (refs: string[]) => async (since?: string) => ({
    available: true,
    asOf: new Date().toISOString(),
    data: { refs: since ? [] : refs, until: String(Date.now()) },
  });

  /**
   * The working store, with reads it answers `unavailable(cause)` while `fails` says so and a
   * change feed listing `refs` (what `startWithEvidence` takes).
   */
  const failingReads =
    (
      fails: (
        refs: string[],
        options?: Parameters<EvidenceService['readEntities']>[1],
      ) => boolean,
      cause: 'timeout' | 'circuit-open',
      refs: string[],
    ) =>
    (working: EvidenceService) =>
      ({
        readEntities: (
          entityRefs: string[],
          options?: Parameters<EvidenceService['readEntities']>[1],
        ) =>
          fails(entityRefs, options)
            ? unavailable(cause)
            : working.readEntities(entityRefs, options),
        changedEntities: feedOf(refs),
      } as unknown as Partial<EvidenceService>);

  it('logs an evidence outage of the mirror as it starts, not on every refresh, and its end once', async () => {
    let down = true;
    const outage = async () => ({
      available: false as const,
      asOf: new Date().toISOString(),
      reason: 'evidence answered 503',
    });
    const { backend, runMirror, lines } = await startWithEvidence(
      working =>
        ({
          readEntities: (
            ...args: Parameters<EvidenceService['readEntities']>
          ) => (down ? outage() : working.readEntities(...args)),
          changedEntities: async () =>
            down
              ? outage()
              : {
                  available: true,
                  asOf: new Date().toISOString(),
                  data: { refs: [], until: new Date().toISOString() },
                },
        } as unknown as Partial<EvidenceService>),
    );
    const mirrorLines = (level: 'warn' | 'info') =>
      lines(level).filter(m => m.includes('evidence mirror'));
    // Every 5 s by default: a minute of outage.
    await runMirror(12);
    expect(mirrorLines('warn')).toHaveLength(1);
    expect(mirrorLines('warn')[0]).toContain(
      'then read as an evidence outage (unknown)',
    );
    down = false;
    await runMirror(1);
    expect(mirrorLines('info')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^scorecards: evidence mirror refreshed again \(after \d+ s\)$/,
        ),
      ]),
    );
    await backend.stop();
  });

  it('logs ledgers the mirror cannot read once, and their end once, without calling the mirror down', async () => {
    let ledgersDown = true;
    const { backend, runMirror, lines } = await startWithEvidence(
      failingReads(
        (_refs, options) => ledgersDown && !options?.include?.includes('facts'),
        'circuit-open',
        ['component:default/svc', 'component:default/api'],
      ),
    );
    const mirrorLines = (level: 'warn' | 'info') =>
      lines(level).filter(m => m.includes('evidence mirror'));
    await runMirror(6);
    expect(mirrorLines('warn')).toEqual([
      'scorecards: reading ledgers for the evidence mirror failed (evidence store unavailable (circuit-open)); the ledgers of 2 entities are read from the next refresh on; until then evaluations read evidence through the evidence client',
    ]);
    ledgersDown = false;
    await runMirror(1);
    expect(mirrorLines('info')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^scorecards: the evidence mirror reads ledgers again \(after \d+ s\)$/,
        ),
        'scorecards: evidence mirror answers from memory (its first round of ledgers is read)',
      ]),
    );
    await backend.stop();
  });

  it('keeps logging an entity whose ledger the store cannot answer in time as unreadable, not as recovered', async () => {
    const heavy = 'component:default/api';
    const { backend, runMirror, lines } = await startWithEvidence(
      failingReads(
        (refs, options) =>
          Boolean(options?.include?.includes('ledger') && refs.includes(heavy)),
        'timeout',
        ['component:default/svc', heavy],
      ),
    );
    await runMirror(8);
    const logged = [...lines('warn'), ...lines('info')];
    expect(logged).toContain(
      'scorecards: evidence of 1 entities could not be read (a shape the mirror cannot convert, or a ledger the evidence store cannot answer in time); they read as an evidence outage (unknown) until it can be (component:default/api)',
    );
    expect(logged.filter(l => l.includes('could be read again'))).toEqual([]);
    await backend.stop();
  });

  /** The module alone, started with `scorecards` config (to see what start-up refuses). */
  const startWithScorecardsConfig = (scorecards: object) =>
    startTestBackend({
      extensionPoints: [
        [
          catalogProcessingExtensionPoint,
          { addProcessor: jest.fn(), addEntityProvider: jest.fn() },
        ],
      ],
      features: [
        catalogModuleScorecards,
        evidenceFactory,
        mockServices.rootConfig.factory({ data: { scorecards } }),
      ],
    });

  it('fails startup when the configured standard is invalid', async () => {
    await expect(
      startWithScorecardsConfig({ standardFile: '/nonexistent.yaml' }),
    ).rejects.toThrow(/scorecards.standardFile: cannot read/);
  });

  it.each([
    [
      { snapshotInterval: '0s' },
      'scorecards.processor.snapshotInterval must be a positive duration',
    ],
    [
      { evidenceInterval: { seconds: -5 } },
      'scorecards.processor.evidenceInterval must be a positive duration',
    ],
    [
      { reuseFor: { minutes: -1 } },
      'scorecards.processor.reuseFor must be a non-negative duration',
    ],
  ])(
    'fails startup on %j instead of running a task back to back',
    async (processor, message) => {
      await expect(startWithScorecardsConfig({ processor })).rejects.toThrow(
        message,
      );
    },
  );

  it('stamps levels on entities processed by the real catalog', async () => {
    // The mock scheduler runs tasks once at startup; the test triggers the snapshot refresh.
    // The instance is a MockSchedulerService; its factory() is not in the public type.
    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & { factory(): ServiceFactory };
    const scorecards = fakeScorecardsBackend();
    const backend = await startTestBackend({
      features: [
        scheduler.factory(),
        scorecards.plugin,
        catalogPlugin,
        catalogModuleScorecards,
        evidenceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                { allow: ['Component', 'System', 'Group', 'User', 'Location'] },
              ],
              locations: [
                { type: 'file', target: path.join(FIXTURES, 'catalog.yaml') },
              ],
              processingInterval: { seconds: 1 },
            },
            scorecards: {
              // default processor options: the wire form is posted
              standardFile: path.join(FIXTURES, 'small-standard.yaml'),
            },
          },
        }),
      ],
    });
    try {
      const { port } = backend.server.address() as AddressInfo;
      const get = async (name: string) => {
        const res = await fetch(
          `http://localhost:${port}/api/catalog/entities/by-name/${name}`,
          { headers: { authorization: mockCredentials.user.header() } },
        );
        return res.status === 200 ? ((await res.json()) as any) : undefined;
      };
      let checkout: any;
      let orphan: any;
      for (let i = 0; i < 160; i++) {
        await scheduler.triggerTask('scorecards-catalog-snapshot');
        checkout = await get('component/default/checkout-service');
        orphan = await get('component/default/orphan-service');
        // The first passes may run before the snapshot holds the owner group: eventually L2.
        if (
          checkout?.metadata.labels?.['ops.example.com/maturity-level'] ===
            'L2' &&
          orphan?.metadata.labels?.['ops.example.com/maturity-level']
        )
          break;
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      expect(checkout.metadata.labels['ops.example.com/maturity-level']).toBe(
        'L2',
      );
      expect(checkout.metadata.annotations).toMatchObject({
        'ops.example.com/scorecard-score': '3/3',
        'ops.example.com/scorecard-standard': 'small@3',
      });
      // Owned by a user: L0 not met.
      expect(orphan.metadata.labels['ops.example.com/maturity-level']).toBe(
        'none',
      );
      const group = await get('group/default/checkout-team');
      expect(group.metadata.labels?.['ops.example.com/maturity-level']).toBe(
        undefined,
      );
      for (const entity of [checkout, orphan, group]) {
        expect(
          (entity.status?.items ?? []).filter((s: any) => s.level === 'error'),
        ).toEqual([]);
      }

      // The L2 result set reaches the scorecards backend (flushed every 2 s), posted as the
      // catalog plugin, with the hash of the entity as the catalog stores it — the hash the
      // backend's own pass computes, so its transitions get the right cause.
      const posted = () =>
        scorecards.posts
          .flatMap(p =>
            p.results.map(r => ({ ...r, subject: p.subject, route: p.route })),
          )
          .filter(
            r =>
              r.entityRef === 'component:default/checkout-service' &&
              r.evaluation.level === 'L2',
          );
      for (let i = 0; i < 60 && posted().length === 0; i++) {
        await new Promise(resolve => setTimeout(resolve, 250));
      }
      expect(posted()[0]).toMatchObject({
        subject: 'plugin:catalog',
        // In the wire form (compactResults, on by default): what the standard holds is left out.
        route: '/internal/results/compact',
        entityHash: hashEntity(checkout),
        evaluation: { scored: true, standard: { id: 'small', version: 3 } },
      });
      expect(checkout.metadata.namespace).toBe('default');
    } finally {
      await backend.stop();
    }
  }, 60_000);

  it('processes an entity again when an entity it names arrives, not a catalog loop later', async () => {
    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & { factory(): ServiceFactory };
    let connection: EntityProviderConnection | undefined;
    const provider = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-provider',
      register(env) {
        env.registerInit({
          deps: { processing: catalogProcessingExtensionPoint },
          async init({ processing }) {
            processing.addEntityProvider({
              getProviderName: () => 'test-provider',
              connect: async c => {
                connection = c;
              },
            });
          },
        });
      },
    });
    const entity = (kind: string, name: string, spec: object): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: {
        name,
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': 'url:https://example.com/x',
          'backstage.io/managed-by-origin-location':
            'url:https://example.com/x',
        },
      },
      spec,
    });
    const group = entity('Group', 'checkout-team', {
      type: 'team',
      children: [],
    });
    const component = entity('Component', 'checkout-service', {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
    });
    const system = entity('System', 'checkout', {
      owner: 'group:default/checkout-team',
    });
    const backend = await startTestBackend({
      features: [
        scheduler.factory(),
        fakeScorecardsBackend().plugin,
        catalogPlugin,
        catalogModuleScorecards,
        provider,
        evidenceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'System', 'Group'] }],
              // No catalog loop comes round during the test.
              processingInterval: { hours: 1 },
            },
            scorecards: {
              standardFile: path.join(FIXTURES, 'arrivals-standard.yaml'),
            },
          },
        }),
      ],
    });
    try {
      const { port } = backend.server.address() as AddressInfo;
      const levelOf = async () => {
        const res = await fetch(
          `http://localhost:${port}/api/catalog/entities/by-name/component/default/checkout-service`,
          { headers: { authorization: mockCredentials.user.header() } },
        );
        return res.status === 200
          ? ((await res.json()) as Entity).metadata.labels?.[
              'ops.example.com/maturity-level'
            ]
          : undefined;
      };
      const eventually = async (level: string) => {
        let seen: string | undefined;
        for (let i = 0; i < 120 && seen !== level; i++) {
          await new Promise(resolve => setTimeout(resolve, 250));
          seen = await levelOf();
        }
        return seen;
      };
      const locationKey = 'test';
      // The startup snapshot is empty: owner and System are unknown to the first evaluation.
      await connection!.applyMutation({
        type: 'full',
        entities: [group, component].map(e => ({ entity: e, locationKey })),
      });
      expect(await eventually('none')).toBe('none');
      // A snapshot that first reads the group announces it (groups are never held as
      // arrivals): the component is processed again and its owner resolves.
      await scheduler.triggerTask('scorecards-catalog-snapshot');
      expect(await eventually('L0')).toBe('L0');
      // Its System arrives, without a snapshot refresh: held as an arrival and announced.
      await connection!.applyMutation({
        type: 'delta',
        added: [{ entity: system, locationKey }],
        removed: [],
      });
      expect(await eventually('L1')).toBe('L1');
    } finally {
      await backend.stop();
    }
  }, 60_000);

  /**
   * The real catalog with the module, a fake scorecards backend recording posts, and an entity
   * provider the test applies mutations through; the catalog processes every
   * `processingIntervalSeconds` (1).
   */
  async function catalogWithProvider(processingIntervalSeconds = 1) {
    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & { factory(): ServiceFactory };
    const scorecards = fakeScorecardsBackend();
    let connection: EntityProviderConnection | undefined;
    const provider = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-provider',
      register(env) {
        env.registerInit({
          deps: { processing: catalogProcessingExtensionPoint },
          async init({ processing }) {
            processing.addEntityProvider({
              getProviderName: () => 'test-provider',
              connect: async c => {
                connection = c;
              },
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        scheduler.factory(),
        scorecards.plugin,
        catalogPlugin,
        catalogModuleScorecards,
        provider,
        evidenceFactory,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: ['Component', 'Group'] }],
              processingInterval: { seconds: processingIntervalSeconds },
            },
            scorecards: {
              standardFile: path.join(FIXTURES, 'small-standard.yaml'),
            },
          },
        }),
      ],
    });
    const { port } = backend.server.address() as AddressInfo;
    const posted = () => scorecards.posts.flatMap(p => p.results);
    const postedRefs = () => new Set(posted().map(r => r.entityRef));
    return {
      backend,
      scheduler,
      url: `http://localhost:${port}/api/catalog`,
      connection: () => connection!,
      posted,
      postedRefs,
      /** Waits until a result set of `ref` was posted. */
      async postedFor(ref: string) {
        for (let i = 0; i < 120 && !postedRefs().has(ref); i++) {
          await new Promise(resolve => setTimeout(resolve, 250));
        }
        expect(postedRefs()).toContain(ref);
      },
    };
  }

  const providedEntity = (
    kind: string,
    name: string,
    spec: object,
    labels: Record<string, string> = {},
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name,
      namespace: 'default',
      labels,
      annotations: {
        'backstage.io/managed-by-location': 'url:https://example.com/x',
        'backstage.io/managed-by-origin-location': 'url:https://example.com/x',
      },
    },
    spec,
  });
  const serviceSpec = {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
  };

  it('posts no result set for an entity the catalog refuses after pre-processing', async () => {
    const c = await catalogWithProvider();
    try {
      const status = async (name: string) =>
        (
          await fetch(`${c.url}/entities/by-name/component/default/${name}`, {
            headers: { authorization: mockCredentials.user.header() },
          })
        ).status;
      await c.connection().applyMutation({
        type: 'full',
        entities: [
          providedEntity('Group', 'checkout-team', {
            type: 'team',
            children: [],
          }),
          providedEntity('Component', 'checkout-service', serviceSpec),
          // Pre-processed (and evaluated) like the other, then refused by the catalog's
          // FieldFormatEntityPolicy: a label value may not hold spaces or '!'.
          providedEntity('Component', 'refused-service', serviceSpec, {
            'ops.example.com/note': 'not a label value!',
          }),
        ].map(e => ({ entity: e, locationKey: 'test' })),
      });
      await c.scheduler.triggerTask('scorecards-catalog-snapshot');
      await c.postedFor('component:default/checkout-service');
      // Both are processed every second and results are posted every 2 s: a few more seconds
      // cover several processings of the refused entity and the posts after them.
      await new Promise(resolve => setTimeout(resolve, 4_000));
      expect(await status('checkout-service')).toBe(200);
      expect(await status('refused-service')).toBe(404);
      expect(c.postedRefs()).not.toContain('component:default/refused-service');
    } finally {
      await c.backend.stop();
    }
  }, 60_000);

  it("posts no result set from POST /validate-entity of an entity the catalog holds: its stored results stay the catalog's", async () => {
    // Processed once, then not again within the test: the publisher keeps one queued set per
    // ref, so a processing soon after would replace a dry run's set before it was posted.
    const c = await catalogWithProvider(60);
    const REF = 'component:default/checkout-service';
    try {
      await c.connection().applyMutation({
        type: 'full',
        entities: [
          providedEntity('Group', 'checkout-team', {
            type: 'team',
            children: [],
          }),
          providedEntity('Component', 'checkout-service', serviceSpec),
        ].map(e => ({ entity: e, locationKey: 'test' })),
      });
      await c.scheduler.triggerTask('scorecards-catalog-snapshot');
      await c.postedFor(REF);
      const tiers = () =>
        c
          .posted()
          .filter(r => r.entityRef === REF)
          .map(r => r.evaluation.tier);
      expect(tiers()).not.toContain(1);

      // A branch's version of the same entity, validated through the catalog's API: every
      // processor runs for it, nothing is stored.
      const res = await fetch(`${c.url}/validate-entity`, {
        method: 'POST',
        headers: {
          authorization: mockCredentials.user.header(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          location: 'url:https://example.com/branch/catalog-info.yaml',
          entity: providedEntity('Component', 'checkout-service', serviceSpec, {
            'ops.example.com/tier': '1',
          }),
        }),
      });
      expect(res.status).toBe(200);
      // Results are posted every 2 s.
      await new Promise(resolve => setTimeout(resolve, 4_000));
      expect(tiers().length).toBeGreaterThan(0);
      expect(tiers()).not.toContain(1);
    } finally {
      await c.backend.stop();
    }
  }, 60_000);

  describe('custom check types (scorecardsCatalogCheckTypesExtensionPoint)', () => {
    const namePrefix = defineCheckType({
      id: 'name-prefix',
      description: 'The entity name starts with a prefix.',
      paramsSchema: z.object({ prefix: z.string().min(1) }),
      needs: () => [],
      evaluate(ctx, params) {
        const ok = ctx.entity.metadata.name.startsWith(params.prefix);
        return outcome(
          ok ? 'pass' : 'fail',
          ok ? 'PASS' : 'FIELD_INVALID',
          ok
            ? 'Named as required.'
            : `Name does not start with ${params.prefix}.`,
          `a name starting with ${params.prefix}`,
          ctx.entity.metadata.name,
          [ctx.ownCatalogEvidence()],
        );
      },
    });
    const config = mockServices.rootConfig.factory({
      data: {
        scorecards: {
          standardFile: path.join(FIXTURES, 'custom-type-standard.yaml'),
        },
      },
    });

    it('fails startup naming the check type when no module adds it', async () => {
      await expect(
        startTestBackend({
          extensionPoints: [
            [
              catalogProcessingExtensionPoint,
              { addProcessor: jest.fn(), addEntityProvider: jest.fn() },
            ],
          ],
          features: [catalogModuleScorecards, evidenceFactory, config],
        }),
      ).rejects.toThrow(/unknown check type "name-prefix"/);
    });

    it('evaluates a standard that uses a type added by a module', async () => {
      const extensionPoint = {
        addProcessor: jest.fn(),
        addEntityProvider: jest.fn(),
      };
      const [, catalogModule] = createScorecardsCheckTypesModules({
        moduleId: 'naming',
        checkTypes: [namePrefix],
      });
      const backend = await startTestBackend({
        extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
        features: [
          catalogModuleScorecards,
          catalogModule,
          evidenceFactory,
          config,
        ],
      });
      try {
        const processor = extensionPoint.addProcessor.mock
          .calls[0][0] as ScorecardsProcessor;
        const standard = (
          processor as unknown as { options: { standard: any } }
        ).options.standard;
        const check = standard.checks.find(
          (c: { id: string }) => c.id === 'payments-naming',
        );
        expect(check.call.type.id).toBe('name-prefix');
        expect(check.call.params).toEqual({ prefix: 'payments-' });
        // The engine runs it like a built-in: checkout-service fails the custom L2 check.
        const entity = {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'checkout-service', namespace: 'default' },
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'group:default/t',
          },
        };
        const evaluation = evaluateEntity({
          now: new Date().toISOString(),
          entity,
          catalog: indexCatalog({
            entities: [entity],
            refreshedAt: new Date().toISOString(),
          }),
          standard,
          facts: [],
          ledger: [],
          observedEdges: [],
          sourceHealth: [],
          collection: [],
          waivers: [],
        });
        if (!evaluation.scored) throw new Error('not scored');
        expect(
          evaluation.results.find(r => r.checkId === 'payments-naming'),
        ).toMatchObject({
          state: 'fail',
          message: 'Name does not start with payments-.',
        });
      } finally {
        await backend.stop();
      }
    });
  });
});
