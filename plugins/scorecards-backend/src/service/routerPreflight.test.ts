import { PermissionsService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  CheckDefinitionInput,
  defaultStandardFile,
} from '@internal/plugin-scorecards-common';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startScorecardsTestBackend } from '../__testUtils__/startScorecardsTestBackend';
import { initScorecards } from './initScorecards';
import { markLatestRewritten } from '../database/latestWrites';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

// The incident-brief `T` of the design note's vectors (§6).
const T = '2026-03-14T02:05:00.000Z';
const DAY = 86400000;
const ref = (name: string) => `component:default/${name}`;

/**
 * The built-in default standard (default@7, 45 checks) with the rollouts of the note's demo
 * standard and vectors: owner-resolves in `gate` since 2026-01-01 (§6.3), prod-deploy-protected
 * observe → gate 2026-03-10 (SC21), branch-protection observe → enforce-new 2026-03-01 (SC20);
 * plus an inactive, an observe-with-next and a retired check for the checks page.
 */
const OVERRIDES: Record<string, Partial<CheckDefinitionInput>> = {
  'owner-resolves': { rollout: [{ phase: 'gate', from: '2026-01-01' }] },
  'prod-deploy-protected': {
    rollout: [
      { phase: 'observe', from: '2026-01-01' },
      { phase: 'gate', from: '2026-03-10' },
    ],
  },
  'branch-protection': {
    rollout: [
      { phase: 'observe', from: '2026-01-01' },
      { phase: 'enforce-new', from: '2026-03-01' },
    ],
  },
  'ci-flake-rate': { rollout: [{ phase: 'observe', from: '2026-04-01' }] },
  'dashboard-linked': {
    rollout: [
      { phase: 'observe', from: '2026-01-01' },
      { phase: 'remediate', from: '2026-04-01' },
    ],
  },
  'budget-signal': { retiresAt: '2026-03-01' },
};
const STANDARD = JSON.parse(
  JSON.stringify({
    ...defaultStandardFile,
    checks: defaultStandardFile.checks.map(c => ({
      ...c,
      ...OVERRIDES[c.id],
    })),
    changelog: [
      {
        version: 6,
        date: '2026-01-05',
        entries: [
          {
            checkId: 'deploy-recent',
            change: 'Deploys must be at most 90 days old.',
            actionRequired: 'Deploy services idle since the autumn.',
            effectiveFrom: '2026-02-01',
          },
        ],
      },
      {
        version: 7,
        date: '2026-02-20',
        entries: [
          {
            checkId: 'budget-signal',
            change: 'Retired on 2026-03-01.',
            actionRequired: 'None.',
            effectiveFrom: '2026-03-01',
          },
        ],
      },
    ],
  }),
);

const ana = mockCredentials.user.header('user:default/ana'); // payments-team member
const mallory = mockCredentials.user.header('user:default/mallory'); // not a member
const eve = mockCredentials.user.header('user:default/eve'); // may not read the catalog
const gina = mockCredentials.user.header('user:default/gina'); // may read no Group
const ci = mockCredentials.service.header();

const component = (
  name: string,
  spec: Record<string, unknown> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    labels: { 'ops.example.com/tier': '2' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments-team',
    system: 'system:default/payments',
    ...spec,
  },
});

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'payments-team', namespace: 'default' },
    spec: { type: 'team', children: [], members: ['ana', 'ben'] },
  },
  ...['ana', 'dara.singh'].map(
    (name): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: { memberOf: name === 'ana' ? ['payments-team'] : [] },
    }),
  ),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'commerce', namespace: 'default' },
    spec: { owner: 'group:default/payments-team' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { owner: 'group:default/payments-team', domain: 'commerce' },
  },
  // allow: protected branch and production environment
  component('payment-service'),
  // warn: no ci.security evidence → prod-deploy-protected (gate) unknown
  component('ledger-service'),
  // block: a User owner fails owner-resolves, in gate since 2026-01-01 (demo notification-worker)
  component('notification-worker', { owner: 'user:default/dara.singh' }),
  // block: production environment unprotected, prod-deploy-protected in gate (SC21)
  component('checkout-api'),
  // enforce-new: default branch unprotected (SC20)
  component('legacy-service'),
  // depends on a component that is not registered (what a dry run of `old-ledger` finds)
  component('billing-client', {
    dependsOn: ['component:default/old-ledger'],
  }),
];

const repoSettings = (isProtected: boolean) => ({
  source: 'repo-host',
  kind: 'repo.settings',
  value: {
    defaultBranch: 'main',
    protected: isProtected,
    requiredReviews: isProtected ? 1 : 0,
    requiredStatusChecks: isProtected,
  },
});
const ciSecurity = (isProtected: boolean) => ({
  source: 'ci-security',
  kind: 'ci.security',
  value: {
    oidc: true,
    staticKeySecretNames: [],
    productionEnvironment: {
      exists: true,
      protected: isProtected,
      requiredReviewers: isProtected ? 1 : 0,
    },
    deployWorkflow: {
      ref: 'example/platform-workflows/.github/workflows/deploy.yml@v3.2.0',
      pinned: true,
    },
  },
});

/** Evidence per entity, observed 1 h before T (fresh for 7 d); everything else was never collected. */
const EVIDENCE: Record<string, { source: string; kind: string; value: any }[]> =
  {
    [ref('payment-service')]: [repoSettings(true), ciSecurity(true)],
    [ref('ledger-service')]: [repoSettings(true)],
    [ref('notification-worker')]: [repoSettings(true), ciSecurity(true)],
    [ref('checkout-api')]: [repoSettings(true), ciSecurity(false)],
    [ref('legacy-service')]: [repoSettings(false), ciSecurity(true)],
    [ref('billing-client')]: [repoSettings(true), ciSecurity(true)],
  };

/** The refs of every evidence read, in order. */
const evidenceReads: string[][] = [];

const evidence = {
  async readEntities(refs: string[]) {
    evidenceReads.push([...refs]);
    const observedAt = new Date(Date.parse(T) - 3600_000).toISOString();
    const data = new Map<string, EntityEvidence>();
    for (const r of refs) {
      data.set(r, {
        facts: (EVIDENCE[r] ?? []).map(f => ({
          entityRef: r,
          key: '',
          observedAt,
          collectedAt: observedAt,
          freshForSeconds: 7 * 86400,
          ...f,
        })) as any,
        collection: [],
      });
    }
    return { available: true, asOf: T, data };
  },
  async sourceHealth() {
    return { available: true, asOf: T, data: [] };
  },
} as Partial<EvidenceService> as EvidenceService;

/** eve may not read catalog entities, gina no Group; everyone else may do everything. */
const permissions: PermissionsService = {
  async authorize(requests, { credentials }) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    const denied = (r: (typeof requests)[number]) =>
      r.permission.name === 'catalog.entity.read' &&
      (user === 'user:default/eve' ||
        (user === 'user:default/gina' &&
          String((r as { resourceRef?: string }).resourceRef).startsWith(
            'group:',
          )));
    return requests.map(r => ({
      result: denied(r) ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    }));
  },
  async authorizeConditional(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any;
  },
};

describe.each(databases.eachSupportedId())(
  'scorecards dry run, gate and checks routes on %s',
  databaseId => {
    const clock = { now: new Date(T) };
    const audit = recordingAuditor();
    let server: any;
    let stop: () => Promise<void>;
    let handles: Awaited<ReturnType<typeof initScorecards>>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server, stop, handles } = await startScorecardsTestBackend({
        knex,
        services: {
          permissions,
          auditor: audit.auditor,
          catalog: catalogServiceMock({ entities }),
          evidence,
        },
        clock: () => clock.now,
        scorecards: { standard: STANDARD },
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    beforeEach(() => {
      audit.events.length = 0;
    });

    const api = (p: string) => `/api/scorecards${p}`;
    const result = (body: any, checkId: string) =>
      body.results.find((r: any) => r.checkId === checkId);
    const gate = (query: string, auth: string = ana) =>
      request(server)
        .get(api(`/gate?${query}`))
        .set('authorization', auth);
    const newService = (over: Record<string, unknown> = {}) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'fraud-scoring',
        namespace: 'default',
        annotations: {
          'backstage.io/source-location':
            'url:https://github.com/example/fraud-scoring/',
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'group:default/payments-team',
        system: 'payments',
      },
      ...over,
    });

    it('refuses calls without credentials (401)', async () => {
      const calls = [
        request(server).post(api('/evaluate')).send({ entity: newService() }),
        request(server).get(
          api(`/gate?entityRef=${ref('payment-service')}&stage=deploy`),
        ),
        request(server).get(api('/checks')),
        request(server).get(api('/checks/owner-resolves')),
        request(server).get(api('/standard')),
        request(server)
          .get(api('/checks'))
          .set('authorization', mockCredentials.user.invalidHeader()),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(401);
      }
      expect(audit.events).toEqual([]);
    });

    // ---- POST /evaluate ----

    it('POST /evaluate dry-runs an entity that is not in the catalog: catalog checks decide, missing evidence is unknown, nothing is stored', async () => {
      const res = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ci)
        .send({ entity: newService() });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/fraud-scoring',
        scored: true,
        evaluatedAt: T,
        standard: { id: 'default', version: 7 },
        lifecycle: 'experimental',
        level: 'L0',
        nextLevel: 'L1',
        waivers: [],
      });
      // Without history: no trend, regressions or catalog label.
      expect(res.body).not.toHaveProperty('trend');
      expect(res.body).not.toHaveProperty('regressions');
      expect(result(res.body, 'owner-resolves')).toMatchObject({
        state: 'pass',
        phase: 'gate',
      });
      expect(result(res.body, 'branch-protection')).toMatchObject({
        state: 'unknown',
        reason: 'EVIDENCE_MISSING',
      });
      expect(result(res.body, 'ci-present').state).toBe('unknown');
      // Never pass without evidence: every passing check reads the catalog.
      const byId = new Map(
        (STANDARD.checks as { id: string; evidence: string[] }[]).map(c => [
          c.id,
          c,
        ]),
      );
      const passing = res.body.results.filter((r: any) => r.state === 'pass');
      expect(passing.length).toBeGreaterThan(0);
      for (const r of passing) {
        expect(byId.get(r.checkId)!.evidence).toContain('catalog');
      }
      expect(
        await handles.store.getLatest('component:default/fraud-scoring'),
      ).toBeUndefined();
    });

    it('POST /evaluate reads a catalog-info.yaml (text/yaml, application/yaml) with ?now=', async () => {
      const yaml = [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: fraud-scoring',
        '  labels:',
        '    ops.example.com/tier: "3"',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: user:default/ana',
        '  system: payments',
        '',
      ].join('\n');
      for (const type of ['text/yaml', 'application/yaml']) {
        const res = await request(server)
          .post(api('/evaluate?now=2026-03-14T02:00:00Z'))
          .set('authorization', ana)
          .set('content-type', type)
          .send(yaml);
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({
          entityRef: 'component:default/fraud-scoring',
          evaluatedAt: '2026-03-14T02:00:00.000Z',
          tier: 3,
          level: 'none',
        });
        expect(result(res.body, 'owner-resolves')).toMatchObject({
          state: 'fail',
          reason: 'OWNER_IS_USER',
        });
      }
    });

    it('POST /evaluate takes its YAML also when express matches the path loosely (/evaluate/)', async () => {
      const res = await request(server)
        .post(api('/evaluate/?now=2026-03-14T02:00:00Z'))
        .set('authorization', ana)
        .set('content-type', 'text/yaml')
        .send(
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: fraud-scoring\nspec:\n  type: service\n  lifecycle: production\n  owner: user:default/ana\n',
        );
      expect(res.status).toBe(200);
      expect(res.body.entityRef).toBe('component:default/fraud-scoring');
    });

    it('POST /evaluate of a change to a registered entity uses its stored evidence, the same way GET /entities does', async () => {
      const card = await request(server)
        .get(api('/entities/component/default/checkout-api'))
        .set('authorization', ana);
      const registered = entities.find(
        e => e.metadata.name === 'checkout-api',
      )!;
      const same = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ana)
        .send({ entity: registered });
      expect(same.status).toBe(200);
      expect(same.body.results).toEqual(card.body.results);
      expect(same.body.level).toBe(card.body.level);

      const changed = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ana)
        .send({
          entity: {
            ...registered,
            spec: { ...registered.spec, owner: 'group:default/ghost-team' },
          },
        });
      expect(result(changed.body, 'owner-resolves')).toMatchObject({
        state: 'fail',
        reason: 'OWNER_NOT_FOUND',
      });
      expect(result(changed.body, 'prod-deploy-protected').state).toBe('fail');
      expect(result(changed.body, 'branch-protection').state).toBe('pass');
      expect(changed.body.level).toBe('none');
    });

    it('POST /evaluate answers { scored: false } for a kind that is never scored', async () => {
      const res = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ana)
        .send({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'fraud-team' },
          spec: { type: 'team', children: [] },
        });
      expect(res.body).toEqual({
        entityRef: 'group:default/fraud-team',
        scored: false,
      });
    });

    it('POST /evaluate of a registered entity needs catalog.entity.read on it (403); an unregistered one does not', async () => {
      const registered = await request(server)
        .post(api('/evaluate'))
        .set('authorization', eve)
        .send({
          entity: entities.find(e => e.metadata.name === 'ledger-service'),
        });
      expect(registered.status).toBe(403);
      expect(registered.body.error.message).toBe(
        `catalog.entity.read is not allowed on ${ref('ledger-service')}`,
      );
      const fresh = await request(server)
        .post(api('/evaluate'))
        .set('authorization', eve)
        .send({ entity: newService() });
      expect(fresh.status).toBe(200);
    });

    it('POST /evaluate of an unregistered entity reads its owner group’s evidence only for a caller who may read the group', async () => {
      const dryRun = async (auth: string) => {
        evidenceReads.length = 0;
        const res = await request(server)
          .post(api('/evaluate'))
          .set('authorization', auth)
          .send({ entity: newService() });
        expect(res.status).toBe(200);
        return evidenceReads.flat();
      };
      expect(await dryRun(ana)).toContain('group:default/payments-team');
      // eve may read no catalog entity: naming payments-team as owner reads none of its
      // on-call or escalation evidence (the checks that need it see none: unknown)
      const outsider = await dryRun(eve);
      expect(outsider).not.toContain('group:default/payments-team');
      expect(outsider).toContain('component:default/fraud-scoring');
    });

    it('POST /evaluate shows a caller nothing of entities it may not read: the results of entities that do not exist', async () => {
      const dryRun = async (auth: string, owner: string, system: string) => {
        const entity = newService();
        const res = await request(server)
          .post(api('/evaluate'))
          .set('authorization', auth)
          .send({
            entity: { ...entity, spec: { ...entity.spec, owner, system } },
          });
        expect(res.status).toBe(200);
        // The refs as written are named in messages; the rest must not differ.
        return JSON.stringify({
          level: res.body.level,
          results: res.body.results.map((r: any) => [
            r.checkId,
            r.state,
            r.reason,
            r.message,
          ]),
        })
          .replaceAll(owner, '<owner>')
          .replaceAll(system, '<system>');
      };
      const absent = await dryRun(
        eve,
        'group:default/no-such-team',
        'system:default/no-such-system',
      );
      // eve may read no catalog entity: payments-team and the payments System are to her as
      // entities that do not exist (their members, annotations and existence not shown)
      expect(
        await dryRun(
          eve,
          'group:default/payments-team',
          'system:default/payments',
        ),
      ).toBe(absent);
      // ana may read them: they count
      expect(
        await dryRun(
          ana,
          'group:default/payments-team',
          'system:default/payments',
        ),
      ).not.toBe(absent);
    });

    it('POST /evaluate shows a caller nothing of entities it may not read that a lookup answers: the dependents of a deprecated entity', async () => {
      const remaining = async (auth: string) => {
        const entity = newService();
        const res = await request(server)
          .post(api('/evaluate'))
          .set('authorization', auth)
          .send({
            entity: {
              ...entity,
              metadata: {
                ...entity.metadata,
                name: 'old-ledger',
                annotations: {
                  'ops.example.com/retire-by': '2026-06-30',
                  'ops.example.com/replaced-by':
                    'component:default/ledger-service',
                },
              },
              spec: { ...entity.spec, lifecycle: 'deprecated' },
            },
          });
        expect(res.status).toBe(200);
        return result(res.body, 'retirement-on-track').message;
      };
      // billing-client depends on old-ledger: named to ana, who may read it ...
      expect(await remaining(ana)).toContain(
        '1 consumer remains: billing-client',
      );
      // ... and to eve, who may not, as if it did not exist (found by `dependentsOf`, not `get`)
      const outsider = await remaining(eve);
      expect(outsider).toContain('No consumer remains');
      expect(outsider).not.toContain('billing-client');
    });

    it('POST /evaluate of a registered entity posted with another owner reads that owner’s evidence only for a caller who may read it; its own owner’s as its card does', async () => {
      const ledger = entities.find(e => e.metadata.name === 'ledger-service')!;
      const dryRun = async (auth: string, owner: string) => {
        evidenceReads.length = 0;
        const res = await request(server)
          .post(api('/evaluate'))
          .set('authorization', auth)
          .send({ entity: { ...ledger, spec: { ...ledger.spec, owner } } });
        expect(res.status).toBe(200);
        return evidenceReads.flat();
      };
      const foreign = 'group:default/security-team';
      expect(await dryRun(ana, foreign)).toContain(foreign);
      expect(await dryRun(gina, foreign)).not.toContain(foreign);
      // the catalog's own owner of ledger-service: read, as GET /entities shows it to gina
      expect(await dryRun(gina, 'group:default/payments-team')).toContain(
        'group:default/payments-team',
      );
    });

    it.each([
      [
        { entity: newService({ metadata: { namespace: 'default' } }) },
        'entity.metadata.name is required',
      ],
      [{ entity: newService({ kind: undefined }) }, 'entity.kind is required'],
      [
        { entity: newService({ metadata: { name: 'Fraud Scoring!' } }) },
        'entity.metadata.name must be 1-63 characters of [a-zA-Z0-9] separated by [-_.] (got "Fraud Scoring!")',
      ],
      [
        {
          entity: newService({
            metadata: {
              name: 'fraud-scoring',
              labels: { 'ops.example.com/tier': 1 },
            },
          }),
        },
        'entity.metadata.labels["ops.example.com/tier"] must be a string (got number)',
      ],
      [
        { entity: newService({ spec: { owner: 5 } }) },
        'entity.spec.owner must be a string (got number)',
      ],
      [
        { entity: newService({ spec: { dependsOn: 'resource:default/db' } }) },
        'entity.spec.dependsOn must be a list (got string)',
      ],
      [{ entity: null }, 'entity must be an object (got null)'],
      [{ entity: { kind: 'Component' } }, 'entity.apiVersion is required'],
      [
        { entity: newService(), now: 'yesterday' },
        'now must be an ISO-8601 UTC timestamp (got "yesterday")',
      ],
      [
        { entity: newService(), dryRun: true },
        'body has unknown field "dryRun"; send an entity, or { entity, now }',
      ],
      [
        { ...newService(), now: T },
        'now goes next to the entity, not inside it: send { entity, now }, or ?now= in the query',
      ],
      [
        [newService()],
        'body must be an entity or { entity, now } (got a list)',
      ],
    ])('POST /evaluate %j → 400 naming the field', async (body, message) => {
      const res = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ana)
        .send(body as object);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
    });

    it('POST /evaluate refuses YAML with several documents, broken YAML or JSON, and other content types', async () => {
      const post = (type: string, body: string) =>
        request(server)
          .post(api('/evaluate'))
          .set('authorization', ana)
          .set('content-type', type)
          .send(body);
      const two = await post(
        'text/yaml',
        'kind: Component\nmetadata: { name: a }\n---\nkind: Component\nmetadata: { name: b }\n',
      );
      expect(two.status).toBe(400);
      expect(two.body.error.message).toBe(
        'body holds 2 YAML documents; send one entity per request',
      );
      const broken = await post('application/yaml', 'metadata: { name: a\n');
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toMatch(/^body is not valid YAML: /);
      // Aliases that would expand to millions of nodes ("billion laughs"): refused, not a 500.
      const laughs = [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        ...'bcdefgh'
          .split('')
          .map(
            (k, i) =>
              `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`,
          ),
        'kind: Component',
      ].join('\n');
      const bomb = await post('text/yaml', laughs);
      expect(bomb.status).toBe(400);
      expect(bomb.body.error.message).toMatch(
        /^body is not valid YAML: .*alias/i,
      );
      const badJson = await post('application/json', '{"entity": ');
      expect(badJson.status).toBe(400);
      expect(badJson.body.error.message).toMatch(/^body is not valid JSON: /);
      const text = await post('text/plain', 'kind: Component');
      expect(text.status).toBe(415);
      expect(text.body.error.message).toBe(
        'content-type must be application/json, application/yaml or text/yaml (got "text/plain")',
      );
      const yamlNow = await request(server)
        .post(api('/evaluate?now=soon'))
        .set('authorization', ana)
        .send({ entity: newService() });
      expect(yamlNow.status).toBe(400);
      expect(yamlNow.body.error.message).toBe(
        'now must be an ISO-8601 UTC timestamp (got "soon")',
      );
    });

    // ---- GET /gate ----

    it('GET /gate allows when no gate or enforce-new check fails (remediate-phase gaps never block)', async () => {
      const res = await gate(
        `entityRef=${ref('payment-service')}&stage=deploy`,
        ci,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: ref('payment-service'),
        stage: 'deploy',
        decision: 'allow',
        reasons: [],
        evaluatedAt: T,
        standard: { id: 'default', version: 7 },
      });
      // The same entity has plenty of remediate-phase unknowns; they count for the level only.
      const card = await request(server)
        .get(api('/entities/component/default/payment-service'))
        .set('authorization', ana);
      expect(
        card.body.results.filter(
          (r: any) => r.phase === 'remediate' && r.state === 'unknown',
        ).length,
      ).toBeGreaterThan(10);
    });

    it('GET /gate warns on an unknown gate-phase check (gateOnUnknown defaults to warn)', async () => {
      const res = await gate(`entityRef=${ref('ledger-service')}&stage=deploy`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        decision: 'warn',
        reasons: [
          {
            checkId: 'prod-deploy-protected',
            phase: 'gate',
            state: 'unknown',
          },
        ],
      });
    });

    it('GET /gate blocks on a fresh fail of a gate-phase check, for deploy and create', async () => {
      for (const stage of ['deploy', 'create']) {
        const res = await gate(
          `entityRef=${ref('notification-worker')}&stage=${stage}`,
        );
        expect(res.body).toMatchObject({
          stage,
          decision: 'block',
          reasons: [
            {
              checkId: 'owner-resolves',
              phase: 'gate',
              state: 'fail',
              fix: { summary: expect.any(String) },
            },
          ],
        });
      }
    });

    it('GET /gate with breakGlass from an owner-group member turns block into allow and writes an audit event (SC21)', async () => {
      const blocked = await gate(
        `entityRef=${ref('checkout-api')}&stage=deploy`,
      );
      expect(blocked.body).toMatchObject({
        decision: 'block',
        reasons: [{ checkId: 'prod-deploy-protected', state: 'fail' }],
      });
      expect(audit.events).toEqual([]);

      const res = await gate(
        `entityRef=${ref(
          'checkout-api',
        )}&stage=deploy&breakGlass=INC-123&breakGlassReason=${encodeURIComponent(
          'hotfix for the checkout outage',
        )}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        decision: 'allow',
        reasons: [{ checkId: 'prod-deploy-protected', state: 'fail' }],
        breakGlass: {
          incident: 'INC-123',
          by: 'user:default/ana',
          auditId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        },
      });
      expect(audit.events).toHaveLength(1);
      expect(audit.events[0]).toMatchObject({
        outcome: 'success',
        options: {
          eventId: 'gate-break-glass',
          severityLevel: 'high',
          meta: {
            auditId: res.body.breakGlass.auditId,
            entityRef: ref('checkout-api'),
            stage: 'deploy',
            incident: 'INC-123',
            reason: 'hotfix for the checkout outage',
            by: 'user:default/ana',
            overridden: ['prod-deploy-protected'],
          },
        },
      });
    });

    it('GET /gate refuses break glass from a non-member or a service principal, and audits the attempt', async () => {
      const stranger = await gate(
        `entityRef=${ref('checkout-api')}&stage=deploy&breakGlass=INC-123`,
        mallory,
      );
      expect(stranger.body).toMatchObject({
        decision: 'block',
        breakGlassRefused:
          'user:default/mallory is not a member of the owner group group:default/payments-team',
      });
      expect(stranger.body).not.toHaveProperty('breakGlass');
      const service = await gate(
        `entityRef=${ref('checkout-api')}&stage=deploy&breakGlass=INC-123`,
        ci,
      );
      expect(service.body.decision).toBe('block');
      expect(service.body.breakGlassRefused).toMatch(/service principal/);
      expect(audit.events.map(e => [e.outcome, e.options.meta?.by])).toEqual([
        ['fail', 'user:default/mallory'],
        ['fail', 'service'],
      ]);
      // Break glass on a gate that does not block is not a use: no override, no audit event.
      const allowed = await gate(
        `entityRef=${ref('payment-service')}&stage=deploy&breakGlass=INC-123`,
      );
      expect(allowed.body.decision).toBe('allow');
      expect(allowed.body).not.toHaveProperty('breakGlass');
      expect(audit.events).toHaveLength(2);
    });

    it('GET /gate enforce-new: blocks deploys of new entities only, and creation always (SC20, SR28)', async () => {
      const legacy = ref('legacy-service');
      // Never evaluated by the pass: first seen now, i.e. new.
      const fresh = await gate(`entityRef=${legacy}&stage=deploy`);
      expect(fresh.body).toMatchObject({
        decision: 'block',
        reasons: [
          { checkId: 'branch-protection', phase: 'enforce-new', state: 'fail' },
        ],
      });
      await handles.evaluator.runPass(T);
      await handles.store
        .db('scorecards_latest')
        .where({ entity_ref: legacy })
        .update({ first_seen_at: '2025-06-01T00:00:00.000Z' });
      const old = await gate(`entityRef=${legacy}&stage=deploy`);
      expect(old.body).toMatchObject({ decision: 'allow', reasons: [] });
      const create = await gate(`entityRef=${legacy}&stage=create`);
      expect(create.body).toMatchObject({
        decision: 'block',
        reasons: [{ checkId: 'branch-protection', phase: 'enforce-new' }],
      });
    });

    it.each([
      [
        `entityRef=${ref('payment-service')}&stage=prod`,
        400,
        'stage must be one of deploy, create (got "prod")',
      ],
      [
        'entityRef=component:checkout&stage=deploy',
        400,
        'entityRef "component:checkout" is not a full ref (kind:namespace/name)',
      ],
      ['stage=deploy', 400, 'entityRef is required'],
      [`entityRef=${ref('payment-service')}`, 400, 'stage is required'],
      [
        `entityRef=${ref('payment-service')}&stage=deploy&breakGlass=INC%20123`,
        400,
        'breakGlass must be an incident id or link without spaces, at most 256 characters, e.g. INC-123 (got "INC 123")',
      ],
      [
        'entityRef=group:default/payments-team&stage=deploy',
        400,
        'entityRef "group:default/payments-team" is a Group, which is not scored; gates apply to Component, Resource, API, System',
      ],
      [
        `entityRef=${ref('nope')}&stage=create`,
        404,
        `entity ${ref(
          'nope',
        )} is not in the catalog; POST /evaluate dry-runs an entity that is not registered yet`,
      ],
    ])('GET /gate?%s → %d naming the field', async (query, status, message) => {
      const res = await gate(query);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toBe(message);
    });

    it.each([
      ['/checks?limit=1', 'unknown query parameter limit; use fields'],
      [
        '/checks?fields=counts',
        'fields must be one of definition (got "counts")',
      ],
      ['/campaigns?state=active', 'unknown query parameter state; use fields'],
      [
        '/campaigns?fields=entities',
        'fields must be one of summary (got "entities")',
      ],
    ])('GET %s → 400 naming what it takes', async (path, message) => {
      const res = await request(server)
        .get(api(path))
        .set('authorization', ana);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
    });

    it('GET /checks?fields=definition answers every check’s definition, in standard order, as GET /checks does', async () => {
      const [definitions, summaries] = await Promise.all(
        ['/checks?fields=definition', '/checks'].map(path =>
          request(server).get(api(path)).set('authorization', ana),
        ),
      );
      expect(definitions.status).toBe(200);
      expect(definitions.body.items.length).toBeGreaterThan(0);
      expect(definitions.body.items).toEqual(
        summaries.body.items.map((s: { definition: unknown }) => ({
          definition: s.definition,
        })),
      );
    });

    it('GET /gate needs catalog.entity.read on the entity (403)', async () => {
      const res = await gate(
        `entityRef=${ref('checkout-api')}&stage=deploy&breakGlass=INC-1`,
        eve,
      );
      expect(res.status).toBe(403);
      expect(audit.events).toEqual([]);
    });

    // ---- GET /checks ----

    /** A waiver on budget-signal (retired 2026-03-01) requested before it retired; ana approves it. */
    const insertRetiredCheckWaiver = (waiver: {
      id: string;
      entityRef: string;
      status: 'pending' | 'active';
      approvedBy?: string;
      approvedAt?: string;
    }) =>
      handles.store.insertWaiver({
        checkId: 'budget-signal',
        kind: 'exception',
        reason: 'Budget signal is being replaced by the cost dashboard.',
        owner: 'group:default/payments-team',
        requestedBy: 'user:default/ben',
        createdAt: '2026-02-20T00:00:00.000Z',
        expiresAt: '2026-04-01T00:00:00.000Z',
        ...waiver,
      });
    const approveAsAna = (id: string) =>
      request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', ana)
        .send({ reason: 'Looks fine to me, approving.' });

    it('refuses to approve a pending waiver of a retired check (409, SR30); it stays pending for the pass to close', async () => {
      await insertRetiredCheckWaiver({
        id: 'sr30-late-approval',
        entityRef: 'component:default/payment-service',
        status: 'pending',
      });
      const res = await approveAsAna('sr30-late-approval');
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 409,
        message:
          'check budget-signal retired at 2026-03-01 and is no longer evaluated; its waivers cannot be approved',
      });
      expect(
        (await handles.store.getWaiver('sr30-late-approval'))?.status,
      ).toBe('pending');
    });

    it('answers an approval retried after its check retired as the waiver stands (its first answer was lost before)', async () => {
      await insertRetiredCheckWaiver({
        id: 'sr30-approved-before',
        entityRef: 'component:default/notification-worker',
        status: 'active',
        approvedBy: 'user:default/ana',
        approvedAt: '2026-02-28T23:00:00.000Z',
      });
      const res = await approveAsAna('sr30-approved-before');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: 'sr30-approved-before',
        approvedBy: 'user:default/ana',
        approvedAt: '2026-02-28T23:00:00.000Z',
      });
    });

    it('answers a waiver request retried after its check retired with the stored waiver; a new request is refused (SR16, SR30)', async () => {
      const body = {
        entityRef: ref('ledger-service'),
        checkId: 'budget-signal',
        kind: 'exception',
        reason: 'Budget signal is being replaced by the cost dashboard.',
        expiresAt: '2026-03-20T00:00:00.000Z',
      };
      const post = (over: Record<string, unknown> = {}) =>
        request(server)
          .post(api('/waivers'))
          .set('authorization', ana)
          .send({ ...body, ...over });
      clock.now = new Date('2026-02-28T23:00:00.000Z'); // an hour before the check retires
      try {
        const created = await post();
        expect(created.status).toBe(201);
        clock.now = new Date(T);

        const retry = await post();
        expect({ status: retry.status, body: retry.body }).toEqual({
          status: 200,
          body: created.body,
        });
        // Another request for the pair, and the same one once the pair is free, are new
        // requests: held to the retirement.
        const retired = {
          status: 400,
          message:
            'check budget-signal retired at 2026-03-01 and is no longer evaluated; it cannot be waived',
        };
        const other = await post({
          reason: 'Budget signal is gone; the cost dashboard replaces it.',
        });
        expect({
          status: other.status,
          message: other.body.error?.message,
        }).toEqual(retired);
        await handles.store.updateWaiver(created.body.id, ['pending'], {
          status: 'revoked',
          revoked_at: T,
        });
        const again = await post();
        expect({
          status: again.status,
          message: again.body.error?.message,
        }).toEqual(retired);
      } finally {
        clock.now = new Date(T);
      }
    });

    it("GET /standard answers the standard's identity and its changelog, newest version first (§2.2)", async () => {
      const res = await request(server)
        .get(api('/standard'))
        .set('authorization', ci);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: defaultStandardFile.standard.id,
        version: defaultStandardFile.standard.version,
      });
      expect(
        res.body.changelog.map((v: any) => [
          v.version,
          v.entries.map((e: any) => e.checkId),
        ]),
      ).toEqual([
        [7, ['budget-signal']],
        [6, ['deploy-recent']],
      ]);
      const odd = await request(server)
        .get(api('/standard?verbose=true'))
        .set('authorization', ci);
      expect(odd.status).toBe(400);
    });

    it('GET /checks lists every check with its phase now and next, counts from stored latest results and gate readiness', async () => {
      await handles.store.db('scorecards_latest').delete();
      await markLatestRewritten(handles.store.db);
      const before = await request(server)
        .get(api('/checks'))
        .set('authorization', ci);
      expect(before.status).toBe(200);
      expect(before.body.items).toHaveLength(45);
      const owner0 = before.body.items.find(
        (c: any) => c.definition.id === 'owner-resolves',
      );
      expect(owner0).toMatchObject({
        phaseNow: 'gate',
        counts: { pass: 0, fail: 0, unknown: 0, waived: 0, notApplicable: 0 },
        gateReady: false,
      });
      expect(owner0.gateReadyReasons).toContain(
        'no stored result with evidence yet (pass, fail or unknown); accuracy is not proven',
      );

      await handles.evaluator.runPass(T);
      const res = await request(server)
        .get(api('/checks'))
        .set('authorization', ana);
      const byId = new Map<string, any>(
        res.body.items.map((c: any) => [c.definition.id, c]),
      );
      // 6 Components + the System are scored; the Group and the Domain are not.
      expect(byId.get('owner-resolves')).toMatchObject({
        phaseNow: 'gate',
        counts: { pass: 6, fail: 1, unknown: 0, waived: 0, notApplicable: 0 },
        unknownRate: 0,
        disputesUpheld30d: 0,
        gateReady: false,
        gateReadyReasons: ['check cannot be waived (waiver.allowed is false)'],
      });
      expect(byId.get('owner-resolves')).not.toHaveProperty('next');
      expect(byId.get('prod-deploy-protected')).toMatchObject({
        phaseNow: 'gate',
        counts: { pass: 4, fail: 1, unknown: 1, notApplicable: 1 },
        unknownRate: 0.1667,
        gateReady: false,
        gateReadyReasons: ['unknown rate 16.7 % (1 of 6 results) is above 5 %'],
      });
      expect(byId.get('branch-protection')).toMatchObject({
        definition: { id: 'branch-protection', version: 1, level: 'L2' },
        phaseNow: 'enforce-new',
        counts: { pass: 5, fail: 1, unknown: 0, notApplicable: 1 },
        unknownRate: 0,
        gateReady: true,
        gateReadyReasons: [],
      });
      expect(byId.get('telemetry-present')).toMatchObject({
        phaseNow: 'remediate',
        counts: { unknown: 6 },
        unknownRate: 1,
        gateReady: false,
      });
      expect(byId.get('dashboard-linked')).toMatchObject({
        phaseNow: 'observe',
        next: { phase: 'remediate', from: '2026-04-01' },
      });
      expect(byId.get('ci-flake-rate')).toMatchObject({
        phaseNow: 'inactive',
        next: { phase: 'observe', from: '2026-04-01' },
        counts: { pass: 0, fail: 0, unknown: 0, waived: 0, notApplicable: 0 },
      });
      expect(byId.get('budget-signal')).toMatchObject({
        phaseNow: 'retired',
        gateReady: false,
      });
      expect(byId.get('budget-signal').gateReadyReasons[0]).toMatch(
        /^check is retired since 2026-03-01/,
      );
      // §2.4 guidance at the backend's now (rolloutGuidance in scorecards-common).
      const codes = (id: string) =>
        byId.get(id).guidance.map((w: { code: string }) => w.code);
      expect(codes('owner-resolves')).toEqual([
        'no-observe-phase',
        'gate-not-ready',
      ]);
      expect(byId.get('owner-resolves').guidance[1].message).toBe(
        'gates since 2026-01-01 but is not gate-ready: check cannot be waived (waiver.allowed is false)',
      );
      expect(codes('prod-deploy-protected')).toEqual(['gate-not-ready']);
      for (const id of [
        'telemetry-present', // the default rollout: 30 days of observe, then remediate
        'branch-protection',
        'dashboard-linked',
        'ci-flake-rate',
        'budget-signal',
      ]) {
        expect(codes(id)).toEqual([]);
      }
    });

    it('GET /checks/:id answers one summary; upheld false-positive disputes in 30 days count against gate readiness', async () => {
      await handles.evaluator.runPass(T);
      await handles.store.insertWaiver({
        id: 'fp-1',
        entityRef: ref('payment-service'),
        checkId: 'branch-protection',
        kind: 'false-positive',
        reason: 'Protection is enforced by an org-wide ruleset.',
        owner: 'group:default/payments-team',
        requestedBy: 'user:default/ana',
        approvedBy: 'user:default/plat-lead',
        createdAt: new Date(Date.parse(T) - 3 * DAY).toISOString(),
        approvedAt: new Date(Date.parse(T) - 2 * DAY).toISOString(),
        expiresAt: new Date(Date.parse(T) + 10 * DAY).toISOString(),
        status: 'active',
      });
      // Approved 40 days ago: outside the 30-day window.
      await handles.store.insertWaiver({
        id: 'fp-old',
        entityRef: ref('ledger-service'),
        checkId: 'branch-protection',
        kind: 'false-positive',
        reason: 'Protection is enforced by an org-wide ruleset.',
        owner: 'group:default/payments-team',
        requestedBy: 'user:default/ana',
        approvedBy: 'user:default/plat-lead',
        createdAt: new Date(Date.parse(T) - 41 * DAY).toISOString(),
        approvedAt: new Date(Date.parse(T) - 40 * DAY).toISOString(),
        expiresAt: new Date(Date.parse(T) - 30 * DAY).toISOString(),
        status: 'expired',
      });
      const res = await request(server)
        .get(api('/checks/branch-protection'))
        .set('authorization', ana);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        definition: { id: 'branch-protection' },
        phaseNow: 'enforce-new',
        disputesUpheld30d: 1,
        gateReady: false,
        gateReadyReasons: [
          '1 upheld false-positive dispute in 30 days is above 1 % of 1 failure',
        ],
      });
      const list = await request(server)
        .get(api('/checks'))
        .set('authorization', ana);
      expect(
        list.body.items.find(
          (c: any) => c.definition.id === 'branch-protection',
        ),
      ).toEqual(res.body);

      const missing = await request(server)
        .get(api('/checks/no-such-check'))
        .set('authorization', ana);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        'check "no-such-check" is not in the standard default@7',
      );
    });
  },
);
