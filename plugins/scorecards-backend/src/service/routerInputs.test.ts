import { PermissionsService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import path from 'node:path';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startScorecardsTestBackend } from '../__testUtils__/startScorecardsTestBackend';
import { initScorecards } from './initScorecards';
import { noEvidence } from '../__testUtils__/noEvidence';

// Inputs at the edges of the write and read routes: waivers that could never take effect or
// would tell more than the reader may know, a domain across namespaces, rollup filters, and
// 400s that say what to fix.

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const T = '2026-03-14T02:05:00.000Z';
const DAY = 86400000;
const STANDARD = path.resolve(
  __dirname,
  '../../../catalog-backend-module-scorecards/src/__fixtures__/small-standard.yaml',
);
const SECRET = 'component:default/secret-service';
const entityRefOf = (entity: Entity) => stringifyEntityRef(entity);
const ana = mockCredentials.user.header('user:default/ana');
const ben = mockCredentials.user.header('user:default/ben');
const eve = mockCredentials.user.header('user:default/eve');

const component = (
  name: string,
  spec: Record<string, unknown>,
  namespace = 'default',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace, labels: { 'ops.example.com/tier': '2' } },
  spec: { type: 'service', lifecycle: 'production', ...spec },
});

const OWNER = 'group:default/checkout-team';
const initialEntities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'checkout-team', namespace: 'default' },
    spec: {
      type: 'team',
      parent: 'commerce-org',
      children: [],
      members: ['ana', 'ben'],
    },
  },
  // checkout-team ⊂ commerce-org ⊂ engineering (eve may not read engineering)
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'commerce-org', namespace: 'default' },
    spec: { type: 'department', parent: 'engineering', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'engineering', namespace: 'default' },
    spec: { type: 'org', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Domain',
    metadata: { name: 'commerce', namespace: 'default' },
    spec: { owner: OWNER },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: OWNER, domain: 'commerce' },
  },
  component('checkout-service', { owner: OWNER, system: 'checkout' }),
  // Another namespace, part of the System in `default`: its domain is the System's.
  component(
    'cart',
    { owner: OWNER, system: 'system:default/checkout' },
    'team-a',
  ),
  component('orphan', {}),
  component('secret-service', { owner: OWNER }),
];

/** eve may request waivers but not read secret-service; everyone else may do everything. */
const permissions: PermissionsService = {
  async authorize(requests, { credentials }) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r => ({
      result:
        user === 'user:default/eve' &&
        r.permission.name === 'catalog.entity.read' &&
        [SECRET, 'group:default/engineering'].includes(
          (r as { resourceRef?: string }).resourceRef ?? '',
        )
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }));
  },
  async authorizeConditional(requests) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW })) as any;
  },
};

const evidence = noEvidence(T);

describe.each(databases.eachSupportedId())(
  'scorecards API inputs on %s',
  databaseId => {
    const clock = { now: new Date(T) };
    const audit = recordingAuditor();
    // The catalog as it is now: tests add entities after the snapshot was read.
    let catalogEntities = [...initialEntities];
    const catalog = {
      streamEntities: (...args: any[]) =>
        (
          catalogServiceMock({ entities: catalogEntities }) as any
        ).streamEntities(...args),
    } as unknown as CatalogService;
    let server: any;
    let stop: () => Promise<void>;
    let handles: Awaited<ReturnType<typeof initScorecards>>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server, stop, handles } = await startScorecardsTestBackend({
        knex,
        services: { permissions, auditor: audit.auditor, catalog, evidence },
        clock: () => clock.now,
        scorecards: { standardFile: STANDARD },
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    afterEach(async () => {
      clock.now = new Date(T);
      catalogEntities = [...initialEntities];
      await handles.snapshot.refresh();
    });

    const api = (p: string) => `/api/scorecards${p}`;
    const post = (route: string, body: unknown, auth = ana) =>
      request(server)
        .post(api(route))
        .set('authorization', auth)
        .set('content-type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));
    const waiver = (over: Record<string, unknown> = {}) => ({
      entityRef: 'component:default/checkout-service',
      checkId: 'tier-declared',
      kind: 'exception',
      reason: 'Tier review is scheduled with the product owner.',
      expiresAt: new Date(Date.parse(T) + 10 * DAY).toISOString(),
      ...over,
    });
    const campaign = (over: Record<string, unknown> = {}) => ({
      title: 'Commerce at L1',
      owner: OWNER,
      goal: { level: 'L1' },
      startsAt: T,
      dueAt: new Date(Date.parse(T) + 30 * DAY).toISOString(),
      ...over,
    });
    const failure = (res: request.Response) => ({
      status: res.status,
      message: res.body.error?.message,
    });

    it('rolls a Component of another namespace into the domain of its System’s namespace, in rollups and campaign selectors', async () => {
      await handles.evaluator.runPass(T);
      const rollups = await request(server)
        .get(api('/rollups?groupBy=domain'))
        .set('authorization', ana);
      expect(rollups.status).toBe(200);
      const keys = rollups.body.items.map((r: any) => r.key);
      expect(keys).not.toContain('domain:team-a/commerce');
      expect(
        rollups.body.items.find(
          (r: any) => r.key === 'domain:default/commerce',
        ),
      ).toMatchObject({ entities: 3 });

      const created = await post(
        '/campaigns',
        campaign({
          id: 'commerce-l1',
          selector: { domains: ['domain:default/commerce'] },
        }),
      );
      expect(created.status).toBe(201);
      expect(created.body.progress.totals.inScope).toBe(3);
      expect(
        created.body.progress.entities.map((e: any) => e.entityRef),
      ).toContain('component:team-a/cart');
    });

    it('GET /rollups filters by kind, lifecycle, tier, level, check and campaign (§7.3)', async () => {
      await handles.evaluator.runPass(T);
      const rollup = async (query: string) => {
        const res = await request(server)
          .get(api(`/rollups?groupBy=domain${query}`))
          .set('authorization', ana);
        expect(res.status).toBe(200);
        return Object.fromEntries(
          res.body.items.map((r: any) => [r.key, r.entities]),
        );
      };
      // commerce: System checkout and Components checkout-service, cart (tier 2);
      // (none): Components orphan and secret-service (tier 2).
      expect(await rollup('')).toEqual({
        '(none)': 2,
        'domain:default/commerce': 3,
      });
      expect(await rollup('&kind=System')).toEqual({
        'domain:default/commerce': 1,
      });
      expect(await rollup('&kind=Component&tier=2')).toEqual({
        '(none)': 2,
        'domain:default/commerce': 2,
      });
      expect(await rollup('&tier=unknown')).toEqual({
        'domain:default/commerce': 1,
      });
      expect(
        await rollup('&lifecycle=production&check=branch-protection'),
      ).toEqual({
        '(none)': 2,
        'domain:default/commerce': 2,
      });
      expect(await rollup('&lifecycle=deprecated')).toEqual({});
      // orphan has no owner: none at L0; the others are L1 (tier declared, no branch evidence).
      expect(await rollup('&level=none')).toEqual({ '(none)': 1 });
      const created = await post(
        '/campaigns',
        campaign({
          id: 'cart-only',
          selector: {
            owners: [OWNER],
            kinds: ['Component'],
            domains: ['domain:default/commerce'],
          },
        }),
      );
      expect(created.status).toBe(201);
      expect(await rollup('&campaign=cart-only')).toEqual({
        'domain:default/commerce': 2,
      });
      const csv = await request(server)
        .get(api('/rollups?groupBy=domain&format=csv&kind=System'))
        .set('authorization', ana);
      expect(csv.text.trim().split('\n').slice(1)).toEqual([
        expect.stringMatching(/^domain:default\/commerce,domain,1,/),
      ]);
    });

    it('GET /rollups?includeChildGroups=true counts a team’s entities on every group above it the caller may read (§2.11)', async () => {
      await handles.evaluator.runPass(T);
      const rollup = async (query: string, who = ana) => {
        const res = await request(server)
          .get(api(`/rollups?groupBy=owner${query}`))
          .set('authorization', who);
        expect(res.status).toBe(200);
        return Object.fromEntries(
          res.body.items.map((r: any) => [r.key, r.entities]),
        );
      };
      const own = await rollup('');
      expect(own['group:default/commerce-org']).toBeUndefined();
      const team = own[OWNER];
      expect(team).toBeGreaterThan(0);
      expect(await rollup('&includeChildGroups=true')).toEqual({
        ...own,
        'group:default/commerce-org': team,
        'group:default/engineering': team,
      });
      expect(await rollup('&includeChildGroups=false')).toEqual(own);
      // eve reads neither secret-service nor the engineering group: no row, one entity fewer
      const forEve = await rollup('&includeChildGroups=true', eve);
      expect(forEve['group:default/engineering']).toBeUndefined();
      expect(forEve['group:default/commerce-org']).toBe(team - 1);
    });

    it('GET /rollups refuses includeChildGroups outside owner rollups', async () => {
      const res = await request(server)
        .get(api('/rollups?groupBy=system&includeChildGroups=true'))
        .set('authorization', ana);
      expect(failure(res)).toEqual({
        status: 400,
        message: 'includeChildGroups=true applies to groupBy=owner only',
      });
    });

    it.each([
      [
        'kind=Group',
        'kind must be one of Component, Resource, API, System (got "Group")',
      ],
      ['tier=4', 'tier must be one of 1, 2, 3, unknown (got "4")'],
      [
        'level=L4',
        'level must be one of L0, L1, L2, L3, none, not-rated (got "L4")',
      ],
      ['check=nope', 'check "nope" is not in the standard small@3'],
      ['campaign=nope', 'campaign "nope" does not exist'],
    ])('GET /rollups?%s → 400 naming the filter', async (query, message) => {
      const res = await request(server)
        .get(api(`/rollups?${query}`))
        .set('authorization', ana);
      expect(failure(res)).toEqual({ status: 400, message });
    });

    it.each([
      [
        'an entity of a kind that is never scored',
        { entityRef: OWNER },
        'entityRef group:default/checkout-team is a group, which is not scored; waivers apply to Component, Resource, API, System',
      ],
      [
        'a check whose appliesTo leaves the entity’s kind out',
        { entityRef: 'system:default/checkout', checkId: 'branch-protection' },
        'check branch-protection does not apply to system:default/checkout: its appliesTo.kinds is Component, so a waiver on it would never count',
      ],
      [
        'an entity without spec.owner and no owner in the request',
        { entityRef: 'component:default/orphan' },
        'owner is required: component:default/orphan has no spec.owner to default to; name the group that must retire the waiver',
      ],
    ])(
      'POST /waivers refuses a waiver that could never count or has no owner: %s',
      async (_label, over, message) => {
        const res = await post('/waivers', waiver(over));
        expect(failure(res)).toEqual({ status: 400, message });
        const stored = await handles.store.listWaivers({
          entityRef: over.entityRef,
        });
        expect(stored).toEqual([]);
      },
    );

    it('POST /waivers on an entity without spec.owner stores the owner the request names', async () => {
      const res = await post(
        '/waivers',
        waiver({ entityRef: 'component:default/orphan', owner: OWNER }),
      );
      expect(res.status).toBe(201);
      expect(res.body.owner).toBe(OWNER);
    });

    it('POST /waivers finds an entity created after the catalog snapshot was read, as GET /entities does', async () => {
      await handles.snapshot.refresh();
      catalogEntities = [
        ...initialEntities,
        component('just-created', { owner: OWNER }),
      ];
      clock.now = new Date(Date.parse(T) + 6000); // past the 5 s between re-reads
      const res = await post(
        '/waivers',
        waiver({ entityRef: 'component:default/just-created' }),
      );
      expect(res.status).toBe(201);
      expect(res.body.owner).toBe(OWNER);
    });

    it('GET /entities reads a catalog copy at most 60 s old: catalogLabel follows the label the catalog stamped (§2.5)', async () => {
      const ref = 'component:default/checkout-service';
      const label = async () =>
        (
          await request(server)
            .get(api('/entities/component/default/checkout-service'))
            .set('authorization', ana)
        ).body.catalogLabel;
      const before = await label();
      catalogEntities = initialEntities.map(e =>
        entityRefOf(e) === ref
          ? {
              ...e,
              metadata: {
                ...e.metadata,
                labels: {
                  ...e.metadata.labels,
                  'ops.example.com/maturity-level': 'L2',
                },
              },
            }
          : e,
      );
      clock.now = new Date(Date.parse(T) + 30_000);
      expect(await label()).toBe(before); // the copy is 30 s old: kept
      clock.now = new Date(Date.parse(T) + 61_000);
      expect(await label()).toBe('L2');
    });

    it('POST /evaluate reads the catalog again for a ref its snapshot does not hold: an entity registered since needs catalog.entity.read', async () => {
      catalogEntities = initialEntities.filter(e => entityRefOf(e) !== SECRET);
      await handles.snapshot.refresh();
      catalogEntities = [...initialEntities];
      clock.now = new Date(Date.parse(T) + 6000); // past the 5 s between re-reads
      const secret = initialEntities.find(e => entityRefOf(e) === SECRET);
      const res = await request(server)
        .post(api('/evaluate'))
        .set('authorization', eve)
        .send({ entity: secret });
      expect(failure(res)).toEqual({
        status: 403,
        message: `catalog.entity.read is not allowed on ${SECRET}`,
      });
    });

    it('POST /evaluate of a ref no longer in the catalog lists none of its waivers', async () => {
      const gone = component('retired-service', { owner: OWNER });
      const goneRef = entityRefOf(gone);
      catalogEntities = [...initialEntities, gone];
      await handles.snapshot.refresh();
      const open = await post('/waivers', waiver({ entityRef: goneRef }));
      expect(open.status).toBe(201);
      const asRegistered = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ana)
        .send({ entity: gone });
      expect(asRegistered.status).toBe(200);
      expect(asRegistered.body.waivers.map((w: any) => w.id)).toEqual([
        open.body.id,
      ]);
      catalogEntities = [...initialEntities];
      await handles.snapshot.refresh();
      clock.now = new Date(Date.parse(T) + 6000); // past the 5 s between re-reads
      const deleted = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ana)
        .send({ entity: gone });
      expect(deleted.status).toBe(200);
      expect(deleted.body.waivers).toEqual([]);
    });

    it('POST /waivers answers for an entity the caller may not read exactly as for one that does not exist', async () => {
      const open = await post('/waivers', waiver({ entityRef: SECRET }));
      expect(open.status).toBe(201);
      const missing = await post(
        '/waivers',
        waiver({ entityRef: 'component:default/nope' }),
        eve,
      );
      expect(failure(missing)).toEqual({
        status: 404,
        message: 'entity component:default/nope is not in the catalog',
      });
      // Neither the open waiver (409) nor a new one (201) tells eve the entity is there.
      for (const checkId of ['tier-declared', 'branch-protection']) {
        const res = await post(
          '/waivers',
          waiver({ entityRef: SECRET, checkId }),
          eve,
        );
        expect(failure(res)).toEqual({
          status: 404,
          message: `entity ${SECRET} is not in the catalog`,
        });
      }
      expect(
        await handles.store.listWaivers({ entityRef: SECRET }),
      ).toHaveLength(1);
    });

    it.each([
      [
        'POST /campaigns',
        '/campaigns',
        campaign({ stat: 'draft' }),
        'unknown field stat; remove it',
      ],
      [
        'POST /waivers',
        '/waivers',
        waiver({ tikcet: 'PLAT-1' }),
        'unknown field tikcet; remove it',
      ],
      [
        'POST /waivers/:id/approve',
        '/waivers/any-id/approve',
        { reasn: 'Reviewed with the check owner.' },
        'unknown field reasn; remove it',
      ],
      [
        'POST /waivers/:id/revoke',
        '/waivers/any-id/revoke',
        { reason: 'Reviewed with the check owner.', by: 'me' },
        'unknown field by; remove it',
      ],
    ])(
      '%s refuses a misspelt field instead of dropping it',
      async (_label, route, body, message) => {
        expect(failure(await post(route, body))).toEqual({
          status: 400,
          message,
        });
      },
    );

    it.each([
      [{ checkId: 5 }, 'checkId must be a string (got 5)'],
      // stored in text columns: PostgreSQL refuses U+0000 (a 500), a lone surrogate is stored as
      // U+FFFD (a retry no longer matched)
      [
        { reason: 'Tier review \u0000 is scheduled.' },
        'reason must not contain NUL characters (U+0000)',
      ],
      [
        { reason: 'Tier review \ud800 is scheduled.' },
        'reason must be well-formed text (it holds a lone UTF-16 surrogate)',
      ],
      [
        { checkId: 'tier-declared\u0000' },
        'checkId must not contain NUL characters (U+0000)',
      ],
      [
        { ticket: 'INC-1\u0000' },
        'ticket must not contain NUL characters (U+0000)',
      ],
      [{ checkId: undefined }, 'checkId is required'],
      [{ reason: ['x'] }, 'reason must be a string (got ["x"])'],
    ])(
      'POST /waivers %j → 400 in the suite’s wording',
      async (over, message) => {
        expect(failure(await post('/waivers', waiver(over)))).toEqual({
          status: 400,
          message,
        });
      },
    );

    it.each([
      [{ title: '   ' }, 'title must not be blank'],
      [{ title: undefined }, 'title is required'],
      [
        { title: 'Commerce \u0000 at L1' },
        'title must be one line of text, without control characters',
      ],
      [
        { title: 'Commerce\nat L1' },
        'title must be one line of text, without control characters',
      ],
      [
        { brief: 'Reach L1 \u0000 by March.' },
        'brief must not contain NUL characters (U+0000)',
      ],
      [
        { title: 'Commerce \ud800 at L1' },
        'title must be well-formed text (it holds a lone UTF-16 surrogate)',
      ],
      [
        { owner: 'group:default/ghost-team' },
        'owner "group:default/ghost-team" must be a group in the catalog',
      ],
      [
        { owner: 'user:default/ana' },
        'owner "user:default/ana" must be a group in the catalog',
      ],
      [
        { selector: { tiers: ['1'] } },
        'selector.tiers[] must be one of the numbers 1, 2, 3 (got "1")',
      ],
      [
        { selector: { tiers: [4] } },
        'selector.tiers[] must be one of the numbers 1, 2, 3 (got 4)',
      ],
      // the branch the goal chose says what to fix, not only the two shapes
      [
        { goal: { level: 'L9' } },
        'goal.level must be one of L0, L1, L2, L3 (got "L9")',
      ],
      [{ goal: { checks: [] } }, 'goal.checks must not be empty'],
      [{ goal: { target: 'L2' } }, 'goal must be { level } or { checks }'],
      [
        { goal: { level: 'L2', checks: ['tier-declared'] } },
        'goal must be { level } or { checks }',
      ],
    ])('POST /campaigns %j → 400', async (over, message) => {
      expect(failure(await post('/campaigns', campaign(over)))).toEqual({
        status: 400,
        message,
      });
    });

    it.each([
      ['null', 'body must be a JSON object (got null)'],
      ['"x"', 'body must be a JSON object (got "x")'],
      ['5', 'body must be a JSON object (got 5)'],
      ['[]', 'body must be a JSON object (got an array)'],
    ])(
      'a body of valid JSON that is no object (%s) says so',
      async (body, message) => {
        for (const route of ['/waivers', '/campaigns']) {
          expect(failure(await post(route, body))).toEqual({
            status: 400,
            message,
          });
        }
      },
    );

    // PostgreSQL refuses U+0000 in a text parameter (22021): each was a 500 there before.
    const NUL = encodeURIComponent('a\u0000b');
    const nulCursor = Buffer.from(JSON.stringify([T, 'a\u0000b'])).toString(
      'base64url',
    );
    it.each([
      [
        `/waivers?checkId=${NUL}`,
        'checkId must not contain NUL characters (U+0000)',
      ],
      [
        `/entities/component/default/checkout-service/history?checkId=${NUL}`,
        'checkId must not contain NUL characters (U+0000)',
      ],
      [
        `/rollups?campaign=${NUL}`,
        'campaign must not contain NUL characters (U+0000)',
      ],
      [
        `/rollups?check=${NUL}`,
        'check must not contain NUL characters (U+0000)',
      ],
      [
        `/rollups?lifecycle=${NUL}`,
        'lifecycle must not contain NUL characters (U+0000)',
      ],
      [`/campaigns/${NUL}`, 'id must not contain NUL characters (U+0000)'],
      [
        `/waivers?cursor=${nulCursor}`,
        'cursor must not contain NUL characters (U+0000)',
      ],
      [
        `/waivers?cursor=${Buffer.from(
          JSON.stringify(['not-a-time', 'w']),
        ).toString('base64url')}`,
        /^cursor is not a cursor of GET \/waivers \(got "/,
      ],
    ])('GET %s → 400', async (route, message) => {
      const res = await request(server)
        .get(api(route))
        .set('authorization', ana);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    });

    it.each([
      [
        'Reviewed \u0000 with the check owner.',
        'reason must not contain NUL characters (U+0000)',
      ],
      [
        'Reviewed \ud800 with the check owner.',
        'reason must be well-formed text (it holds a lone UTF-16 surrogate)',
      ],
    ])(
      'POST /waivers/:id/reject with the reason %j → 400',
      async (reason, message) => {
        expect(
          failure(await post('/waivers/any-id/reject', { reason })),
        ).toEqual({ status: 400, message });
      },
    );

    it.each(['approve', 'reject', 'revoke'])(
      'POST /waivers/:id/%s with U+0000 in the id → 400',
      async decision => {
        expect(
          failure(
            await post(`/waivers/${NUL}/${decision}`, {
              reason: 'Reviewed with the check owner.',
            }),
          ),
        ).toEqual({
          status: 400,
          message: 'id must not contain NUL characters (U+0000)',
        });
      },
    );

    it('a body that is not JSON still says so', async () => {
      const res = await post('/waivers', '{"entityRef": ');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^body is not valid JSON: /);
    });

    it('GET /entities/…/history takes plain dates: from the start of that UTC day, to its end (inclusive)', async () => {
      await handles.evaluator.runPass(T);
      // The tier label goes: tier-declared fails and the level drops, at T.
      catalogEntities = initialEntities.map(e =>
        e.metadata.name === 'checkout-service'
          ? { ...e, metadata: { ...e.metadata, labels: {} } }
          : e,
      );
      await handles.snapshot.refresh();
      expect((await handles.evaluator.runPass(T)).transitions).toBeGreaterThan(
        0,
      );
      const history = (query: string) =>
        request(server)
          .get(
            api(`/entities/component/default/checkout-service/history${query}`),
          )
          .set('authorization', ana);
      const count = async (query: string) => {
        const res = await history(query);
        expect(res.status).toBe(200);
        return res.body.transitions.length;
      };
      const all = await count('');
      expect(all).toBeGreaterThan(0);
      expect(await count('?from=2026-03-01')).toBe(all);
      expect(await count('?from=2026-03-14&to=2026-03-14')).toBe(all);
      expect(await count('?to=2026-03-13')).toBe(0);
      expect(await count('?from=2026-03-15')).toBe(0);
      expect(failure(await history('?from=2026-02-30'))).toEqual({
        status: 400,
        message:
          'from must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got "2026-02-30")',
      });
      expect(
        failure(await history('?from=2026-03-15&to=2026-03-14T23:00:00Z')),
      ).toEqual({
        status: 400,
        message:
          'from must not be after to (got from=2026-03-15T00:00:00.000Z, to=2026-03-14T23:00:00.000Z)',
      });
    });

    it('approving still works for a valid body after the bodies became strict', async () => {
      const created = await post(
        '/waivers',
        waiver({
          entityRef: 'component:default/checkout-service',
          checkId: 'branch-protection',
        }),
      );
      expect(created.status).toBe(201);
      const approved = await post(
        `/waivers/${created.body.id}/approve`,
        { reason: 'Reviewed with the check owner.' },
        ben,
      );
      expect(approved.status).toBe(200);
    });

    it('POST /campaigns refuses a goal level the standard does not define', async () => {
      const res = await post(
        '/campaigns',
        campaign({ title: 'Tier-1 ready', goal: { level: 'L3' } }),
      );
      expect(failure(res)).toEqual({
        status: 400,
        message:
          'goal.level L3 is not a level of the standard small@3 (levels: L0, L1, L2)',
      });
      expect(
        (await handles.store.listCampaigns()).filter(
          c => c.title === 'Tier-1 ready',
        ),
      ).toEqual([]);
    });

    it('POST /campaigns refuses a draft or active campaign already past due; an ended one is a record, and a retry after the deadline answers the stored campaign', async () => {
      const past = campaign({
        title: 'Q1 hygiene',
        startsAt: '2026-01-01T00:00:00Z',
        dueAt: '2026-03-01T00:00:00Z',
      });
      for (const state of ['active', 'draft']) {
        expect(failure(await post('/campaigns', { ...past, state }))).toEqual({
          status: 400,
          message: `dueAt must be in the future for a campaign in state ${state} (got 2026-03-01T00:00:00.000Z, now ${T}); post state "ended" to record a campaign that is over`,
        });
      }
      expect(
        (await handles.store.listCampaigns()).filter(
          c => c.title === 'Q1 hygiene',
        ),
      ).toEqual([]);
      const ended = await post('/campaigns', { ...past, state: 'ended' });
      expect(ended.status).toBe(201);
      expect(ended.body.state).toBe('ended');

      // Accepted a day before its deadline, retried two days later: still the same campaign.
      const soon = campaign({
        title: 'Due tomorrow',
        dueAt: new Date(Date.parse(T) + DAY).toISOString(),
      });
      const first = await post('/campaigns', soon);
      expect(first.status).toBe(201);
      clock.now = new Date(Date.parse(T) + 2 * DAY);
      const retry = await post('/campaigns', soon);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
    });

    it('a retried waiver decision answers the waiver as decided (first reason kept); another decision is still 409', async () => {
      const created = await post(
        '/waivers',
        waiver({
          entityRef: 'component:team-a/cart',
          checkId: 'tier-declared',
        }),
      );
      expect(created.status).toBe(201);
      const id = created.body.id;
      const rejected = await post(
        `/waivers/${id}/reject`,
        { reason: 'Declare the tier instead; it takes a minute.' },
        ben,
      );
      expect(rejected.status).toBe(200);
      expect(rejected.body.status).toBe('rejected');
      audit.events.length = 0;
      const retried = await post(
        `/waivers/${id}/reject`,
        { reason: 'Declare the tier instead (sent again).' },
        ben,
      );
      expect(retried.status).toBe(200);
      expect(retried.body).toEqual(rejected.body);
      expect(audit.events.map(e => [e.outcome, e.outcomeMeta])).toEqual([
        ['success', { status: 'rejected', unchanged: true }],
      ]);
      // Another decision, or the same one by someone else, is not a retry.
      expect(failure(await post(`/waivers/${id}/approve`, {}, ben))).toEqual({
        status: 409,
        message: `waiver ${id} is rejected, not pending`,
      });
      expect(
        failure(
          await post(
            `/waivers/${id}/reject`,
            { reason: 'Declare the tier instead; agreed.' },
            eve,
          ),
        ),
      ).toEqual({
        status: 409,
        message: `waiver ${id} is rejected, not pending`,
      });
      const [stored] = await handles.store.listWaivers({
        entityRef: 'component:team-a/cart',
      });
      expect(stored).toMatchObject({
        status: 'rejected',
        approvedBy: 'user:default/ben',
        decisionReason: 'Declare the tier instead; it takes a minute.',
      });
    });

    it('the requester cannot approve her own waiver by spelling her ref in another case', async () => {
      const created = await post(
        '/waivers',
        waiver({
          entityRef: 'component:team-a/cart',
          checkId: 'branch-protection',
        }),
      );
      expect(created.status).toBe(201);
      const res = await post(
        `/waivers/${created.body.id}/approve`,
        {},
        mockCredentials.user.header('user:default/Ana'),
      );
      expect(failure(res)).toEqual({
        status: 403,
        message: 'approver must differ from requester',
      });
      const [stored] = await handles.store.listWaivers({
        entityRef: 'component:team-a/cart',
        checkId: 'branch-protection',
      });
      expect(stored.status).toBe('pending');
    });

    it('a JSON body sent without Content-Type: application/json is a 415, not a write that never saw its fields', async () => {
      const created = await post(
        '/waivers',
        waiver({
          entityRef: 'component:team-a/cart',
          checkId: 'branch-protection',
        }),
      );
      // Created here, or by the test before (the same waiver is idempotent).
      expect([200, 201]).toContain(created.status);
      // What `curl -d '{…}'` sends: the form type.
      const res = await request(server)
        .post(api(`/waivers/${created.body.id}/approve`))
        .set('authorization', mockCredentials.user.header('user:default/bo'))
        .set('content-type', 'application/x-www-form-urlencoded')
        .send('{"decisionReason":"Approved for the Q3 freeze window."}');
      expect(failure(res)).toEqual({
        status: 415,
        message:
          'content-type must be application/json (got "application/x-www-form-urlencoded")',
      });
      // YAML is read by POST /evaluate only: here it would be no body either
      const yaml = await request(server)
        .post(api(`/waivers/${created.body.id}/approve`))
        .set('authorization', mockCredentials.user.header('user:default/bo'))
        .set('content-type', 'text/yaml')
        .send('decisionReason: Approved for the Q3 freeze window.\n');
      expect(failure(yaml)).toEqual({
        status: 415,
        message: 'content-type must be application/json (got "text/yaml")',
      });
      const [stored] = await handles.store.listWaivers({
        entityRef: 'component:team-a/cart',
        checkId: 'branch-protection',
      });
      expect(stored.status).toBe('pending');
    });

    it('a body over the limit is a 413 that names the limit', async () => {
      const json = await post(
        '/waivers',
        waiver({ reason: 'x'.repeat(2 * 1024 * 1024) }),
      );
      expect(json.status).toBe(413);
      expect(json.body.error.message).toMatch(
        /^body must be at most 1 MB \(got \d+ bytes\); shorten the text fields or send less$/,
      );
      const yaml = await request(server)
        .post(api('/evaluate'))
        .set('authorization', ana)
        .set('content-type', 'text/yaml')
        .send(`# ${'x'.repeat(2 * 1024 * 1024)}\nkind: Component\n`);
      expect(yaml.status).toBe(413);
      expect(yaml.body.error.message).toMatch(/^body must be at most 1 MB /);
    });
  },
);
