import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { Entity } from '@backstage/catalog-model';
import {
  at,
  change,
  T,
  demoEntities,
  demoOnCallConfig,
  fakeEvidence,
  withRelations,
} from '../__fixtures__/demoWorld';
import {
  expandPathSteps,
  untabulateRows,
} from '@internal/plugin-incident-brief-common';
import { incidentBriefPlugin } from '../plugin';

const BASE = '/api/incident-brief/entities';
const CHECKOUT = `${BASE}/component/default/checkout-service`;
const INVENTORY_DB = `${BASE}/resource/default/inventory-db`;

async function start(
  options: {
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    /** refs `catalog.entity.read` is denied on (everything else is allowed) */
    unreadable?: string[];
    evidence?: ReturnType<typeof fakeEvidence>;
    entities?: Entity[];
    /** the permission service fails every call with it */
    permissionFailure?: Error;
    /** runs before every `authorize` call is answered (what happens while it is in flight) */
    onAuthorize?: (refs: string[]) => Promise<void>;
  } = {},
) {
  const evidence = options.evidence ?? fakeEvidence();
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async (requests: any[]) => {
      if (options.permissionFailure) throw options.permissionFailure;
      await options.onAuthorize?.(requests.map(r => r.resourceRef));
      return requests.map(r => ({
        result:
          options.permission === AuthorizeResult.DENY ||
          options.unreadable?.includes(r.resourceRef)
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      }));
    }) as any,
  });
  const backend = await startTestBackend({
    features: [
      incidentBriefPlugin,
      evidence.factory,
      catalogServiceMock.factory({
        entities: options.entities ?? demoEntities(),
      }),
      mockServices.rootConfig.factory({ data: demoOnCallConfig }),
      mockServices.events.factory(),
      // no Authorization header means no credentials (the mock's default is a signed-in user)
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      permissions.factory,
    ],
  });
  const get = (path: string) =>
    request(backend.server)
      .get(path)
      .set('Authorization', mockCredentials.user.header());
  return { backend, evidence, get, permissions };
}

describe('incident-brief router', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start();
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });

  it('answers 401 without credentials', async () => {
    const res = await request(ctx.backend.server).get(`${CHECKOUT}/brief`);
    expect(res.status).toBe(401);
  });

  it.each(['11', '-1', '2.5', 'abc'])(
    'R12: hops=%s is a 400 with the exact message',
    async hops => {
      const res = await ctx.get(`${CHECKOUT}/blast-radius?hops=${hops}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        `hops must be an integer between 0 and 10 (got ${hops})`,
      );
    },
  );

  it('R12: hops=0 gives an empty radius', async () => {
    const res = await ctx.get(`${CHECKOUT}/blast-radius?hops=0`);
    expect(res.status).toBe(200);
    expect(res.body.impacted).toEqual([]);
    expect(res.body.beyondLimit).toBe(1);
    // the most a request may ask for (incidentBrief.blastRadius.maxHops), for the card's menu
    expect(res.body.maxHops).toBe(10);
  });

  it('validates the other query parameters', async () => {
    const edges = await ctx.get(`${CHECKOUT}/blast-radius?edges=some`);
    expect(edges.status).toBe(400);
    expect(edges.body.error.message).toBe(
      'edges must be one of all, declared, observed (got some)',
    );
    const window = await ctx.get(`${CHECKOUT}/changes?window=yesterday`);
    expect(window.status).toBe(400);
    expect(window.body.error.message).toMatch(/^window must be a duration/);
  });

  // What express's query parser makes of mistakes never reaches the schemas: a repeated or a
  // bracketed parameter (whose keys can shadow toString), a misspelt one (else silently the
  // default), a day that does not exist or a time without a zone (else read as another instant).
  it.each([
    [
      '/blast-radius?edges[toString]=1',
      'edges must be a single value, not edges[…]',
    ],
    ['/brief?at[toString]=1', 'at must be a single value, not at[…]'],
    ['/brief?window=1h&window=2h', 'window must be given once (got 2 values)'],
    [
      '/blast-radius?hop=0',
      'unknown query parameter hop; use one of hops, edges, direction, includeStale, limit, cursor, paths',
    ],
    [
      '/blast-radius?includestale=false',
      'unknown query parameter includestale; use one of hops, edges, direction, includeStale, limit, cursor, paths',
    ],
    [
      '/brief?scope=dependents',
      'unknown query parameter scope; use one of at, window, hops',
    ],
    [
      '/brief?at=2024-02-30T00:00:00Z',
      'at must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got 2024-02-30T00:00:00Z)',
    ],
    [
      '/changes?at=2024-01-01T00:00:00',
      'at must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got 2024-01-01T00:00:00)',
    ],
  ])('%s → 400 %s', async (query, message) => {
    const res = await ctx.get(`${CHECKOUT}${query}`);
    expect({ status: res.status, message: res.body.error?.message }).toEqual({
      status: 400,
      message,
    });
  });

  it('answers paths=shared with each path step once, expanding to the inline answer', async () => {
    const inline = await ctx.get(`${INVENTORY_DB}/blast-radius?hops=3`);
    const shared = await ctx.get(
      `${INVENTORY_DB}/blast-radius?hops=3&paths=shared`,
    );
    expect(shared.status).toBe(200);
    expect(shared.body.pathSteps.length).toBeGreaterThan(0);
    expect(
      shared.body.impacted.every((i: any) =>
        i.path.every((n: unknown) => Number.isInteger(n)),
      ),
    ).toBe(true);
    // hop-2 and hop-3 paths reuse the hop-1 steps instead of repeating them
    const inlineSteps = inline.body.impacted.flatMap((i: any) => i.path);
    expect(shared.body.pathSteps.length).toBeLessThan(inlineSteps.length);
    expect(expandPathSteps(shared.body)).toEqual(inline.body);

    const bad = await ctx.get(`${CHECKOUT}/blast-radius?paths=compact`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'paths must be one of inline, shared, table (got compact)',
    );
  });

  it('answers paths=table with rows as arrays in named columns, reading back as the inline answer', async () => {
    const inline = await ctx.get(`${INVENTORY_DB}/blast-radius?hops=3`);
    const table = await ctx.get(
      `${INVENTORY_DB}/blast-radius?hops=3&paths=table`,
    );
    expect(table.status).toBe(200);
    expect(table.body.columns.impacted).toContain('ref');
    expect(
      table.body.impacted.every((row: unknown) => Array.isArray(row)),
    ).toBe(true);
    expect(table.body.pathSteps.length).toBeGreaterThan(0);
    expect(untabulateRows(table.body)).toEqual(inline.body);
  });

  it('R13: 404 naming the ref for an unknown entity', async () => {
    const res = await ctx.get(
      `${BASE}/component/default/nope/blast-radius?hops=3`,
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(
      'entity component:default/nope not found',
    );
    const brief = await ctx.get(`${BASE}/component/default/nope/brief`);
    expect(brief.status).toBe(404);
    expect(brief.body.error.message).toContain('component:default/nope');
    const owner = await ctx.get(`${BASE}/component/default/nope/owner`);
    expect(owner.status).toBe(404);
    expect(owner.body.error.message).toContain('component:default/nope');
  });

  it.each([
    'group/default/checkout-team',
    'user/default/ana.ruiz',
    'domain/default/commerce',
  ])('R13: 400 for a %s root', async path => {
    const res = await ctx.get(`${BASE}/${path}/blast-radius`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'blast radius applies to Component, Resource, API or System',
    );
  });

  it.each(
    ['group/default/checkout-team', 'domain/default/commerce'].flatMap(path =>
      ['brief', 'brief.md', 'changes', 'owner'].map(route => [path, route]),
    ),
  )(
    'R13: 400 for a %s root of …/%s, naming briefs and changes',
    async (path, route) => {
      const res = await ctx.get(`${BASE}/${path}/${route}`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'briefs and changes apply to Component, Resource, API or System',
      );
    },
  );

  it.each([
    'component/default/%00/brief',
    'component/default/%00/brief.md',
    'component/default/%00/changes',
    'component/default/%00/blast-radius',
    'component/default/%00/owner',
    'component/de%07fault/checkout-service/brief',
    'compo%7Fnent/default/checkout-service/changes',
  ])('refuses control characters in the entity path: %s', async path => {
    const res = await ctx.get(`${BASE}/${path}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'the entity ref in the path must not contain control characters',
    );
  });

  // A malformed ref is a typo the caller can fix, not an entity that may not exist: 400 saying
  // what a ref is made of, on every route (R13's 404 stays for well-formed unknown refs).
  it.each(
    [
      [
        'component/default/checkout%20service',
        'component:default/checkout service',
      ],
      ['component/default/a:b', 'component:default/a:b'],
      ['component/default/a%2Fb', 'component:default/a/b'],
      ['component/default/-checkout', 'component:default/-checkout'],
      [
        'compo-nent/default/checkout-service',
        'compo-nent:default/checkout-service',
      ],
      [
        `component/default/${'a'.repeat(64)}`,
        `component:default/${'a'.repeat(64)}`,
      ],
    ].flatMap(([path, ref]) =>
      ['brief', 'brief.md', 'changes', 'blast-radius', 'owner'].map(route => [
        `${path}/${route}`,
        ref,
      ]),
    ),
  )('400 for a malformed entity ref in the path: %s', async (path, ref) => {
    const res = await ctx.get(`${BASE}/${path}`);
    expect({ status: res.status, message: res.body.error?.message }).toEqual({
      status: 400,
      message: `the entity ref in the path is not valid (got ${JSON.stringify(
        ref,
      )}): the kind is letters and digits; the namespace and the name are 1–63 letters, digits, -, _ or ., starting and ending with a letter or digit`,
    });
  });

  it('reads odd casing of kind, namespace and name as the entity it names', async () => {
    const res = await ctx.get(
      `${BASE}/Component/Default/Checkout-Service/blast-radius`,
    );
    expect(res.status).toBe(200);
    expect(res.body.roots).toEqual(['component:default/checkout-service']);
  });

  describe('R18: a System holds the changes of its members at hop 0', () => {
    const SYSTEM = `${BASE}/system/default/checkout`;

    it('GET …/changes lists checkout-service’s own changes with its dependencies’ (V7)', async () => {
      const res = await ctx.get(`${SYSTEM}/changes?window=24h`);
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((i: any) => [i.change.id, i.hop, i.relation]),
      ).toEqual([
        ['L3', 0, 'self'],
        ['L4', 1, 'dependency'],
        ['L2', 0, 'self'],
        ['L6', 2, 'dependency'],
        ['L9', 1, 'dependency'],
        ['L8', 1, 'dependency'],
      ]);
      expect(res.body.lastChange).toMatchObject({ id: 'L3' });
      expect(res.body.lastSuccessfulDeploy).toMatchObject({ id: 'L2' });
    });

    it('the brief has the members’ last change and no false ledger gaps', async () => {
      const res = await ctx.get(`${SYSTEM}/brief`);
      expect(res.status).toBe(200);
      expect(res.body.changes.lastChange).toMatchObject({ id: 'L3' });
      expect(res.body.changes.lastSuccessfulDeploy).toMatchObject({
        id: 'L2',
      });
      const codes = res.body.missingEvidence.map((m: any) => m.code);
      expect(codes).not.toContain('LEDGER_NO_COVERAGE');
      // only dependencies without recent records, never the System itself
      const noRecent = res.body.missingEvidence.filter(
        (m: any) => m.code === 'LEDGER_NO_RECENT',
      );
      expect(noRecent.map((m: any) => m.subject)).toEqual([
        'resource:default/checkout-db,component:default/order-service,resource:default/inventory-db,resource:default/orders-db,resource:default/payment-provider',
      ]);
      expect(res.body.confidence.changes).toBe('medium');
    });
  });

  describe('an API holds the changes of its providers at hop 0 (backend README)', () => {
    const API = `${BASE}/api/default/checkout-api`;

    it('GET …/changes lists checkout-service’s changes as the API’s own', async () => {
      const res = await ctx.get(`${API}/changes?window=24h`);
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((i: any) => [i.change.id, i.hop, i.relation]),
      ).toEqual([
        ['L3', 0, 'self'],
        ['L2', 0, 'self'],
      ]);
      expect(res.body.lastChange).toMatchObject({ id: 'L3' });
    });

    it('the brief claims no missing coverage or telemetry for it, nor an SLO', async () => {
      const res = await ctx.get(`${API}/brief`);
      expect(res.status).toBe(200);
      expect(res.body.changes.lastSuccessfulDeploy).toMatchObject({
        id: 'L2',
      });
      const codes = res.body.missingEvidence.map((m: any) => m.code);
      for (const code of [
        'LEDGER_NO_COVERAGE',
        'LEDGER_NO_RECENT',
        'NO_TELEMETRY',
        'SLO_EVIDENCE_MISSING',
      ]) {
        expect(codes).not.toContain(code);
      }
      const md = await ctx.get(`${API}/brief.md`);
      expect(md.text).not.toContain('instrument the service');
    });
  });

  it('V1: blast radius of checkout-service at 3 hops', async () => {
    const res = await ctx.get(`${CHECKOUT}/blast-radius?hops=3`);
    expect(res.status).toBe(200);
    expect(
      res.body.impacted.map((i: any) => [i.hop, i.ref, i.immediate]),
    ).toEqual([
      [1, 'component:default/api-gateway', true],
      [2, 'component:default/web-storefront', true],
    ]);
    expect(res.body.counts.total).toBe(2);
    expect(res.body.confidence).toEqual({ ratio: 0.5, level: 'medium' });
  });

  it('answers no examined edges (as long as the whole radius), and checks only what the answer names', async () => {
    ctx.permissions.authorize.mockClear();
    const res = await ctx.get(`${CHECKOUT}/blast-radius?hops=3&limit=1`);
    expect(res.status).toBe(200);
    expect(res.body.impacted.map((i: any) => i.ref)).toEqual([
      'component:default/api-gateway',
    ]);
    expect(res.body.counts.total).toBe(2);
    expect(res.body.nextCursor).toBeDefined();
    // examined edges are an input of the missing-evidence rules, as long as the whole radius
    expect(res.body).not.toHaveProperty('examinedEdges');
    // what is checked is what the answer names (the listed page, its paths, the radius's entry
    // points), not every entity an examined edge touches
    const batch = ctx.permissions.authorize.mock.calls[0][0] as any[];
    const answer = JSON.stringify(res.body);
    expect(batch.filter(r => !answer.includes(r.resourceRef))).toEqual([]);
    const brief = await ctx.get(`${CHECKOUT}/brief`);
    expect(brief.body.blastRadius).not.toHaveProperty('examinedEdges');
    expect(brief.body.dependencies).not.toHaveProperty('examinedEdges');
  });

  it('V4: edges=declared leaves out the observed-only callers of pricing-service', async () => {
    const all = await ctx.get(
      `${BASE}/component/default/pricing-service/blast-radius`,
    );
    const declared = await ctx.get(
      `${BASE}/component/default/pricing-service/blast-radius?edges=declared`,
    );
    expect(all.body.counts.total).toBe(3);
    expect(declared.body.impacted.map((i: any) => i.ref)).toEqual([
      'component:default/web-storefront',
    ]);
  });

  it('the demo checkout-service brief: owner, on-call, dependents, drift, last change', async () => {
    const res = await ctx.get(`${CHECKOUT}/brief`);
    expect(res.status).toBe(200);
    const brief = res.body;
    expect(brief.header.ref).toBe('component:default/checkout-service');
    expect(brief.owner.owner).toMatchObject({
      ref: 'group:default/checkout-team',
      kind: 'group',
      resolved: true,
      membersCount: 2,
    });
    expect(brief.owner.onCall).toMatchObject({
      source: 'static:checkout-primary',
      primary: 'user:default/ben.okafor',
      secondary: 'user:default/ana.ruiz',
    });
    expect(brief.owner.onCallNames).toEqual({
      primary: 'Ben Okafor',
      secondary: 'Ana Ruiz',
    });
    expect(brief.blastRadius.impacted.map((i: any) => [i.hop, i.ref])).toEqual([
      [1, 'component:default/api-gateway'],
      [2, 'component:default/web-storefront'],
    ]);
    const pricing = brief.dependencies.impacted.find(
      (i: any) => i.ref === 'component:default/pricing-service',
    );
    expect(pricing.hop).toBe(1);
    expect(pricing.path[0]).toMatchObject({
      evidence: 'observed',
      drift: 'undeclared',
    });
    expect(brief.missingEvidence.map((m: any) => m.code)).toContain(
      'EDGE_UNDECLARED',
    );
    expect(brief.changes.lastChange).toMatchObject({
      id: 'L3',
      kind: 'feature-flag',
    });
    expect(brief.changes.lastSuccessfulDeploy).toMatchObject({ id: 'L2' });
    expect(brief.evidence.ledger.available).toBe(true);
  });

  it.each([
    'component/default/checkout-service',
    'resource/default/inventory-db',
    'system/default/checkout',
    'api/default/checkout-api',
  ])(
    'GET …/owner answers the brief’s owner section of %s alone, without reading the ledger',
    async path => {
      const before = ctx.evidence.state.queryChangesCalls;
      const owner = await ctx.get(`${BASE}/${path}/owner`);
      expect(owner.status).toBe(200);
      expect(ctx.evidence.state.queryChangesCalls).toBe(before);
      const brief = (await ctx.get(`${BASE}/${path}/brief`)).body;
      expect(owner.body).toEqual({
        header: {
          title: brief.header.title,
          ref: brief.header.ref,
          generatedAt: expect.any(String),
          incidentTime: expect.any(String),
          evaluatedAt: expect.any(String),
        },
        owner: brief.owner,
        confidence: { owner: brief.confidence.owner },
      });
      expect(owner.body.owner.owner.ref).toMatch(/^group:default\//);
    },
  );

  it('GET …/owner reads who was on call at an incident time, and refuses one in the future', async () => {
    const res = await ctx.get(`${CHECKOUT}/owner?at=${at(-30)}`);
    expect(res.status).toBe(200);
    expect(res.body.header.incidentTime).toBe(at(-30));
    expect(res.body.owner.onCall).toMatchObject({
      primary: 'user:default/ben.okafor',
    });
    const future = await ctx.get(`${CHECKOUT}/owner?at=2999-01-01T00:00:00Z`);
    expect(future.status).toBe(400);
    expect(future.body.error.message).toMatch(
      /^at must not be more than 5 minutes in the future/,
    );
    const zoneless = await ctx.get(`${CHECKOUT}/owner?at=2026-03-14T02:05:00`);
    expect(zoneless.status).toBe(400);
    expect(zoneless.body.error.message).toMatch(/^at /);
  });

  it('V7: changes in window for checkout-service and its dependencies, newest first', async () => {
    const res = await ctx.get(`${CHECKOUT}/changes?window=24h&hops=2`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.change.id)).toEqual([
      'L3',
      'L4',
      'L2',
      'L6',
      'L9',
      'L8',
    ]);
    // the risk column of IB §6.3's example: fresh, healthy SLO facts for every Component (D5 = 0)
    expect(
      res.body.items.map((i: any) => [i.change.id, i.risk.tier, i.risk.score]),
    ).toEqual([
      ['L3', 'Medium', 11],
      ['L4', 'High', 13],
      ['L2', 'Medium', 8],
      ['L6', 'Medium', 11],
      ['L9', 'Low', 4],
      ['L8', 'Medium', 7],
    ]);
    for (const item of res.body.items) {
      expect(
        item.risk.dimensions.find((d: any) => d.id === 'D5'),
      ).toMatchObject({ value: 0, unknown: false });
    }
  });

  it('GET …/changes takes the window as from/to (IB §6.5), the same as at/window', async () => {
    const range = await ctx.get(
      `${CHECKOUT}/changes?from=${at(-24 * 60)}&to=${at(0)}&hops=2`,
    );
    expect(range.status).toBe(200);
    expect(range.body.window).toEqual({ from: at(-24 * 60), to: at(0) });
    const atWindow = await ctx.get(
      `${CHECKOUT}/changes?at=${at(0)}&window=24h&hops=2`,
    );
    expect(range.body.items.map((i: any) => i.change.id)).toEqual(
      atWindow.body.items.map((i: any) => i.change.id),
    );
    expect(range.body.items.length).toBeGreaterThan(0);

    // an offset is a zone too; the window is given back in UTC
    const offset = await ctx.get(
      `${CHECKOUT}/changes?from=${encodeURIComponent(
        at(-90).replace('Z', '+00:00'),
      )}&to=${encodeURIComponent(at(0).replace('Z', '+00:00'))}`,
    );
    expect(offset.body.window).toEqual({ from: at(-90), to: at(0) });

    // from alone: up to now
    const since = await ctx.get(`${CHECKOUT}/changes?from=${at(-120)}`);
    expect(since.status).toBe(200);
    expect(since.body.window.from).toBe(at(-120));
    expect(Date.parse(since.body.window.to)).toBeGreaterThanOrEqual(T);
    expect(Date.parse(since.body.window.to)).toBeLessThanOrEqual(Date.now());

    // to alone: the default window (24 h) ending there
    const until = await ctx.get(`${CHECKOUT}/changes?to=${at(-60)}`);
    expect(until.body.window).toEqual({
      from: at(-60 - 24 * 60),
      to: at(-60),
    });
  });

  it.each([
    [
      'from after to',
      `from=${at(0)}&to=${at(-60)}`,
      `from must not be after to (got from ${at(0)}, to ${at(-60)})`,
    ],
    [
      'a span over 30 days',
      `from=${at(-31 * 24 * 60)}&to=${at(0)}`,
      `from … to must span at least 1 minute and at most 30 days (got from ${at(
        -31 * 24 * 60,
      )}, to ${at(0)})`,
    ],
    [
      'an empty span',
      `from=${at(0)}&to=${at(0)}`,
      `from … to must span at least 1 minute and at most 30 days (got from ${at(
        0,
      )}, to ${at(0)})`,
    ],
    [
      'from with at',
      `from=${at(-60)}&at=${at(0)}`,
      'give the window either as from/to or as at/window, not both (got from, at)',
    ],
    [
      'to with window',
      `to=${at(0)}&window=1h`,
      'give the window either as from/to or as at/window, not both (got to, window)',
    ],
    [
      'from without a zone',
      'from=2024-01-01T00:00:00',
      'from must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got 2024-01-01T00:00:00)',
    ],
    [
      'to on a day that does not exist',
      'to=2024-02-30T00:00:00Z',
      'to must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got 2024-02-30T00:00:00Z)',
    ],
  ])('GET …/changes with %s → 400', async (_case, query, message) => {
    const res = await ctx.get(`${CHECKOUT}/changes?${query}`);
    expect({ status: res.status, message: res.body.error?.message }).toEqual({
      status: 400,
      message,
    });
  });

  // A brief "as of" a time the ledger has not reached reads as no changes and no coverage,
  // all false; a few minutes ahead is an alert source's clock running fast, and answers.
  it.each([
    ['brief', 'at'],
    ['brief.md', 'at'],
    ['changes', 'at'],
    ['changes', 'to'],
  ])('400 for a future incident time: …/%s?%s=', async (route, param) => {
    const future = at(24 * 60);
    const res = await ctx.get(`${CHECKOUT}/${route}?${param}=${future}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      new RegExp(
        `^${param} must not be more than 5 minutes in the future \\(got ${future}, now \\d{4}-`,
      ),
    );
    const byAlias = await ctx.get(
      `/api/incident-brief/by-alias/checkout/brief?at=${future}`,
    );
    expect(byAlias.status).toBe(400);
    expect(byAlias.body.error.message).toMatch(
      /^at must not be more than 5 minutes in the future/,
    );
  });

  it('answers an incident time a few minutes ahead of the server clock', async () => {
    const ahead = new Date(Date.now() + 4 * 60_000).toISOString();
    const brief = await ctx.get(`${CHECKOUT}/brief?at=${ahead}`);
    expect(brief.status).toBe(200);
    expect(brief.body.header.incidentTime).toBe(ahead);
    const changes = await ctx.get(`${CHECKOUT}/changes?to=${ahead}`);
    expect(changes.status).toBe(200);
    expect(changes.body.items.map((i: any) => i.change.id)).toContain('L3');
  });

  it('V7: a deploy posted to the ledger shows on the next read, without restart', async () => {
    ctx.evidence.state.ledger.push(
      change(
        'L12',
        'component:default/payment-service',
        'deploy',
        '2.15.0',
        'bot:deploy-bot',
        -1,
        -1,
        'succeeded',
        { artifactDigest: 'sha256:l12' },
      ),
    );
    const res = await ctx.get(`${CHECKOUT}/changes`);
    expect(res.body.items[0].change.id).toBe('L12');
    expect(res.body.items[0].hop).toBe(1);
  });

  it('shows a stored risk as stored and scores changes without one on read', async () => {
    const path = `${CHECKOUT}/changes?window=24h&hops=2`;
    const before = await ctx.get(path);
    const riskOf = (body: any, id: string) =>
      body.items.find((i: any) => i.change.id === id).risk;
    const onRead = riskOf(before.body, 'L2');
    expect(onRead).toMatchObject({ modelVersion: 'risk/1' });

    // a risk stored at first receipt differs from today's read-time score: the stored one wins
    const storedRisk = {
      ...onRead,
      score: 21,
      tier: 'Critical',
      floorsApplied: ['F3'],
    };
    const l2 = ctx.evidence.state.ledger.find(c => c.id === 'L2')!;
    l2.risk = storedRisk;
    try {
      const after = await ctx.get(path);
      expect(riskOf(after.body, 'L2')).toEqual(storedRisk);
      // the others still have none stored and are scored as before
      expect(riskOf(after.body, 'L3')).toEqual(riskOf(before.body, 'L3'));
      expect(riskOf(after.body, 'L3')).not.toBeNull();
    } finally {
      l2.risk = null;
    }
  });

  it('exports the brief as markdown', async () => {
    const res = await ctx.get(`${CHECKOUT}/brief.md`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.text).toMatch(/^### Incident brief: checkout-service/);
    expect(res.text).toContain('**Owner** checkout-team (2 members)');
    expect(res.text).toContain('Ben Okafor');
    expect(res.text).toContain('pricing-service ⚠ observed, not declared');
  });
});

describe('incident-brief router: permissions and outages', () => {
  it('answers 403 when catalog.entity.read is denied', async () => {
    const { backend, get } = await start({ permission: AuthorizeResult.DENY });
    try {
      for (const route of [
        'brief',
        'brief.md',
        'blast-radius',
        'changes',
        'owner',
      ]) {
        const res = await get(`${CHECKOUT}/${route}`);
        expect(res.status).toBe(403);
      }
    } finally {
      await backend.stop();
    }
  });

  it('R17: with evidence down the brief still renders from declared edges; the ledger is unknown, not empty', async () => {
    const evidence = fakeEvidence();
    evidence.state.available = false;
    const { backend, get } = await start({ evidence });
    try {
      const res = await get(`${CHECKOUT}/brief`);
      expect(res.status).toBe(200);
      expect(res.body.blastRadius.counts.total).toBe(2);
      expect(res.body.evidence.ledger).toMatchObject({
        available: false,
        cause: 'timeout',
      });
      expect(res.body.confidence.changes).toBe('unknown');
      expect(
        res.body.missingEvidence.filter((m: any) =>
          m.code.startsWith('LEDGER_'),
        ),
      ).toEqual([]);
      const md = await get(`${CHECKOUT}/brief.md`);
      expect(md.text).toContain('Change ledger unavailable (timeout');
    } finally {
      await backend.stop();
    }
  });
});

describe('incident-brief router: SLO health unavailable', () => {
  it('answers the brief and changes with D5 unknown (2), and says why', async () => {
    const evidence = fakeEvidence();
    evidence.state.factsAvailable = false;
    const { backend, get } = await start({ evidence });
    try {
      const res = await get(`${CHECKOUT}/brief`);
      expect(res.status).toBe(200);
      expect(res.body.evidence.slo).toMatchObject({
        available: false,
        cause: 'timeout',
      });
      expect(res.body.changes.items.length).toBeGreaterThan(0);
      for (const item of res.body.changes.items) {
        expect(
          item.risk.dimensions.find((d: any) => d.id === 'D5'),
        ).toMatchObject({ value: 2, unknown: true });
      }
      const changes = await get(`${CHECKOUT}/changes?scope=both`);
      expect(changes.status).toBe(200);
      const md = await get(`${CHECKOUT}/brief.md`);
      expect(md.status).toBe(200);
      expect(md.text).toContain('SLO health unavailable (timeout');
    } finally {
      await backend.stop();
    }
  });
});

describe('incident-brief router: impacted entities the caller may not read (IB §6.5)', () => {
  const STOREFRONT = 'component:default/web-storefront';
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start({ unreadable: [STOREFRONT] });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });
  beforeEach(() => ctx.permissions.authorize.mockClear());

  it('lists them as restricted, counted but not named, in one batched authorize', async () => {
    const res = await ctx.get(`${CHECKOUT}/blast-radius?hops=3`);
    expect(res.status).toBe(200);
    expect(
      res.body.impacted.map((i: any) => [i.hop, i.ref, i.restricted]),
    ).toEqual([
      [1, 'component:default/api-gateway', undefined],
      [2, 'restricted', true],
    ]);
    expect(res.body.impacted[1]).toMatchObject({
      title: 'restricted',
      path: [],
      owner: null,
      system: null,
    });
    expect(res.body.counts.total).toBe(2);
    expect(res.body.restricted).toBe(1);
    expect(JSON.stringify(res.body)).not.toContain('web-storefront');
    // the root and every other entity the answer names, in a single call
    expect(ctx.permissions.authorize).toHaveBeenCalledTimes(1);
    const batch = ctx.permissions.authorize.mock.calls[0][0] as any[];
    expect(batch[0].resourceRef).toBe('component:default/checkout-service');
    expect(batch.map(r => r.resourceRef)).toEqual(
      expect.arrayContaining(['component:default/api-gateway', STOREFRONT]),
    );
    expect(batch.every(r => r.permission.name === 'catalog.entity.read')).toBe(
      true,
    );
  });

  it('restricts the shared and table wire forms the same way', async () => {
    const inline = await ctx.get(`${CHECKOUT}/blast-radius?hops=3`);
    const shared = await ctx.get(
      `${CHECKOUT}/blast-radius?hops=3&paths=shared`,
    );
    const table = await ctx.get(`${CHECKOUT}/blast-radius?hops=3&paths=table`);
    for (const res of [shared, table]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('web-storefront');
    }
    expect(inline.body.restricted).toBe(1);
    expect(expandPathSteps(shared.body)).toEqual(inline.body);
    expect(untabulateRows(table.body)).toEqual(inline.body);
  });

  it('redacts the blast radius of the JSON and markdown briefs, by ref and by alias', async () => {
    const brief = await ctx.get(`${CHECKOUT}/brief`);
    expect(brief.status).toBe(200);
    expect(
      brief.body.blastRadius.impacted.map((i: any) => [i.hop, i.ref]),
    ).toEqual([
      [1, 'component:default/api-gateway'],
      [2, 'restricted'],
    ]);
    expect(brief.body.blastRadius.counts.total).toBe(2);
    expect(JSON.stringify(brief.body.blastRadius)).not.toContain(
      'web-storefront',
    );
    expect(JSON.stringify(brief.body.dependencies)).not.toContain(
      'web-storefront',
    );
    const md = await ctx.get(`${CHECKOUT}/brief.md`);
    expect(md.status).toBe(200);
    expect(md.text).toContain('restricted');
    expect(md.text).not.toContain('web-storefront');
    expect(JSON.stringify(brief.body)).not.toContain('web-storefront');
    const byAlias = await ctx.get(
      '/api/incident-brief/by-alias/checkout/brief',
    );
    expect(byAlias.status).toBe(200);
    expect(byAlias.body.blastRadius.impacted.map((i: any) => i.ref)).toEqual([
      'component:default/api-gateway',
      'restricted',
    ]);
  });

  it('answers 403, never the answer or a 404, when the root itself is unreadable (its check folded into that call)', async () => {
    const denied = await start({
      unreadable: ['component:default/checkout-service'],
    });
    try {
      const res = await denied.get(`${CHECKOUT}/blast-radius?hops=3`);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('api-gateway');
      // an entity the index does not hold: still 403 for a caller who may not read it
      const all = await start({ permission: AuthorizeResult.DENY });
      try {
        const unknown = await all.get(
          `${BASE}/component/default/no-such-service/blast-radius`,
        );
        expect(unknown.status).toBe(403);
      } finally {
        await all.backend.stop();
      }
    } finally {
      await denied.backend.stop();
    }
  });

  it('does not filter for service principals', async () => {
    const res = await request(ctx.backend.server)
      .get(`${CHECKOUT}/blast-radius?hops=3`)
      .set('Authorization', mockCredentials.service.header());
    expect(res.status).toBe(200);
    expect(res.body.impacted.map((i: any) => i.ref)).toEqual([
      'component:default/api-gateway',
      STOREFRONT,
    ]);
    expect(res.body.restricted).toBe(0);
    expect(ctx.permissions.authorize).toHaveBeenCalledTimes(1);
  });
});

const GATEWAY = 'component:default/api-gateway';
const STOREFRONT = 'component:default/web-storefront';
const INVENTORY = 'component:default/inventory-service';

// A path step names more than its two ends: the async Resource explaining an observed messaging
// edge (`explainedBy`), the APIs a declared edge comes from (`consumesApi:<ref>` reasons), and an
// impacted entity its System. Each is an entity the caller may not be allowed to read.
describe('incident-brief router: entities a readable path step names (IB §6.5)', () => {
  const ORDER_EVENTS = 'resource:default/order-events';
  const CHECKOUT_API = 'api:default/checkout-api';
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start({ unreadable: [ORDER_EVENTS, CHECKOUT_API] });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });

  it('redacts an unreadable explainedBy of a step whose ends are readable (E16)', async () => {
    const service = await request(ctx.backend.server)
      .get(`${INVENTORY_DB}/blast-radius?hops=3`)
      .set('Authorization', mockCredentials.service.header());
    // the step the redaction must change: readable ends, explained by order-events
    const explained = service.body.impacted
      .flatMap((i: any) => i.path)
      .filter((s: any) => s.explainedBy === ORDER_EVENTS);
    expect(explained.length).toBeGreaterThan(0);
    const { from, to } = explained[0];

    const inline = await ctx.get(`${INVENTORY_DB}/blast-radius?hops=3`);
    expect(inline.status).toBe(200);
    expect(JSON.stringify(inline.body)).not.toContain('order-events');
    const step = inline.body.impacted
      .flatMap((i: any) => i.path)
      .find((s: any) => s.from === from && s.to === to);
    expect(step).toMatchObject({ from, to, explainedBy: 'restricted' });
    for (const paths of ['shared', 'table']) {
      const res = await ctx.get(
        `${INVENTORY_DB}/blast-radius?hops=3&paths=${paths}`,
      );
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('order-events');
    }
    const brief = await ctx.get(`${INVENTORY_DB}/brief?hops=3`);
    expect(brief.status).toBe(200);
    expect(JSON.stringify(brief.body)).not.toContain('order-events');
    const md = await ctx.get(`${INVENTORY_DB}/brief.md?hops=3`);
    expect(md.status).toBe(200);
    expect(md.text).not.toContain('order-events');
  });

  it('redacts an unreadable API named by a consumesApi reason, in JSON and markdown', async () => {
    const inline = await ctx.get(`${CHECKOUT}/blast-radius?hops=3`);
    expect(inline.status).toBe(200);
    expect(JSON.stringify(inline.body)).not.toContain('checkout-api');
    // api-gateway → checkout-service comes from checkout-api: the step stays, its API unnamed
    const [gateway] = inline.body.impacted;
    expect(gateway.ref).toBe(GATEWAY);
    expect(gateway.path[0].reasons).toContain('consumesApi:restricted');
    for (const paths of ['shared', 'table']) {
      const res = await ctx.get(
        `${CHECKOUT}/blast-radius?hops=3&paths=${paths}`,
      );
      expect(JSON.stringify(res.body)).not.toContain('checkout-api');
    }
    const brief = await ctx.get(`${CHECKOUT}/brief`);
    expect(brief.status).toBe(200);
    expect(JSON.stringify(brief.body)).not.toContain('checkout-api');
    const md = await ctx.get(`${CHECKOUT}/brief.md`);
    expect(md.status).toBe(200);
    expect(md.text).not.toContain('checkout-api');
    expect(md.text).toContain('(restricted)');
  });

  it('redacts a missing-evidence item whose text names an unreadable API by its bare name', async () => {
    const denied = await start({ unreadable: ['api:default/inventory-api'] });
    try {
      const service = await request(denied.backend.server)
        .get(`${INVENTORY_DB}/brief`)
        .set('Authorization', mockCredentials.service.header());
      // order-service → inventory-service is declared through inventory-api and never seen
      expect(
        service.body.missingEvidence.find(
          (m: any) => m.code === 'EDGE_DECLARED_NOT_OBSERVED',
        ).message,
      ).toContain('(inventory-api)');

      const brief = await denied.get(`${INVENTORY_DB}/brief`);
      expect(brief.status).toBe(200);
      expect(JSON.stringify(brief.body)).not.toContain('inventory-api');
      expect(
        brief.body.missingEvidence.find(
          (m: any) => m.code === 'EDGE_DECLARED_NOT_OBSERVED',
        ),
      ).toMatchObject({ subject: 'restricted', fix: null });
      const md = await denied.get(`${INVENTORY_DB}/brief.md`);
      expect(md.text).not.toContain('inventory-api');
    } finally {
      await denied.backend.stop();
    }
  });

  it('counts impacted entities of a System the caller may not read under restricted, and does not name it', async () => {
    const denied = await start({
      unreadable: ['system:default/storefront', 'system:default/checkout'],
    });
    try {
      const res = await denied.get(`${CHECKOUT}/blast-radius?hops=3`);
      expect(res.status).toBe(200);
      // api-gateway and web-storefront, both readable, both in the storefront system
      expect(
        res.body.impacted.map((i: any) => [i.ref, i.system, i.restricted]),
      ).toEqual([
        [GATEWAY, 'restricted', undefined],
        ['component:default/web-storefront', 'restricted', undefined],
      ]);
      expect(res.body.counts.bySystem).toEqual({ restricted: 2 });
      expect(JSON.stringify(res.body)).not.toMatch(
        /system:default\/storefront/,
      );

      // the root's own system, in the header, the same way
      const brief = await denied.get(`${CHECKOUT}/brief`);
      expect(brief.body.header.system).toBe('restricted');
      expect(JSON.stringify(brief.body)).not.toMatch(
        /system:default\/(storefront|checkout)/,
      );
      const md = await denied.get(`${CHECKOUT}/brief.md`);
      expect(md.text).toContain('system restricted');
      expect(md.text).not.toContain('system checkout');
    } finally {
      await denied.backend.stop();
    }
  });

  it('counts impacted entities of an owner group the caller may not read under restricted, in one batched authorize', async () => {
    const STOREFRONT_TEAM = 'group:default/storefront-team';
    const denied = await start({ unreadable: [STOREFRONT_TEAM] });
    try {
      const res = await denied.get(`${CHECKOUT}/blast-radius?hops=3`);
      expect(res.status).toBe(200);
      // web-storefront is readable, its owning team is not: teams to notify count it unnamed
      expect(
        res.body.impacted.map((i: any) => [i.ref, i.owner, i.restricted]),
      ).toEqual([
        [GATEWAY, 'group:default/platform-team', undefined],
        [STOREFRONT, 'restricted', undefined],
      ]);
      expect(res.body.counts.byOwner).toEqual({
        'group:default/platform-team': 1,
        restricted: 1,
      });
      expect(JSON.stringify(res.body)).not.toContain('storefront-team');
      // the owners ride in the same single call as the root and the listed entities
      expect(denied.permissions.authorize).toHaveBeenCalledTimes(1);
      expect(
        denied.permissions.authorize.mock.calls[0][0].map(
          (r: any) => r.resourceRef,
        ),
      ).toEqual(
        expect.arrayContaining([
          'component:default/checkout-service',
          STOREFRONT_TEAM,
        ]),
      );

      const brief = await denied.get(`${CHECKOUT}/brief`);
      expect(brief.status).toBe(200);
      expect(brief.body.blastRadius.counts.byOwner).toEqual({
        'group:default/platform-team': 1,
        restricted: 1,
      });
      expect(JSON.stringify(brief.body)).not.toContain('storefront-team');
      const md = await denied.get(`${CHECKOUT}/brief.md`);
      expect(md.status).toBe(200);
      expect(md.text).toContain('Teams to notify: platform-team, restricted');
      expect(md.text).not.toContain('storefront-team');
    } finally {
      await denied.backend.stop();
    }
  });

  it('names a readable Resource’s owner group the caller may not read restricted among the substrate owners', async () => {
    const FULFILLMENT_TEAM = 'group:default/fulfillment-team';
    const denied = await start({ unreadable: [FULFILLMENT_TEAM] });
    try {
      const brief = await denied.get(`${CHECKOUT}/brief`);
      expect(brief.status).toBe(200);
      const substrate = brief.body.owner.substrateOwners as {
        ref: string;
        owner: string;
      }[];
      expect(substrate).toEqual(
        expect.arrayContaining([
          { ref: 'resource:default/orders-db', owner: 'restricted' },
          {
            ref: 'resource:default/checkout-db',
            owner: 'group:default/checkout-team',
          },
        ]),
      );
      expect(JSON.stringify(brief.body)).not.toContain('fulfillment-team');
      const owner = await denied.get(`${CHECKOUT}/owner`);
      expect(owner.status).toBe(200);
      expect(owner.body.owner.substrateOwners).toEqual(
        brief.body.owner.substrateOwners,
      );
      expect(JSON.stringify(owner.body)).not.toContain('fulfillment-team');
    } finally {
      await denied.backend.stop();
    }
  });

  it('keeps a readable API named in a reason', async () => {
    const res = await ctx.get(
      `${CHECKOUT}/blast-radius?hops=1&direction=dependencies`,
    );
    expect(
      res.body.impacted
        .flatMap((i: any) => i.path)
        .flatMap((s: any) => s.reasons),
    ).toContain('consumesApi:api:default/payment-api');
  });
});

/** The demo ledger plus changes of checkout-service's dependents and of inventory-db / order-events. */
function evidenceWithMoreChanges() {
  const evidence = fakeEvidence();
  evidence.state.ledger.push(
    change(
      'G1',
      GATEWAY,
      'config',
      'checkout rate limit 500 → 50 rps',
      'user:fatima.haddad',
      -30,
      -29,
      'succeeded',
      { keys: ['ratelimit.checkout.rps'], scope: 'service' },
    ),
    change(
      'S1',
      STOREFRONT,
      'deploy',
      'storefront 7.1.0 all-at-once',
      'bot:deploy-bot',
      -120,
      -110,
      'succeeded',
      { artifactDigest: 'sha256:s1' },
    ),
    // outside the 24 h window
    change(
      'S0',
      STOREFRONT,
      'deploy',
      'storefront 7.0.0',
      'bot:deploy-bot',
      -3 * 24 * 60,
      -3 * 24 * 60 + 10,
      'succeeded',
      { artifactDigest: 'sha256:s0' },
    ),
    // hop 2 behind inventory-service
    change(
      'INVDB1',
      'resource:default/inventory-db',
      'schema-migration',
      'add index on reservations',
      'bot:migrator',
      -200,
      -195,
      'succeeded',
      {
        version: 'V7',
        phase: 'expand',
        reversible: true,
        destructive: false,
      },
    ),
    change(
      'INFRA1',
      'resource:default/order-events',
      'infra',
      'partition count 4 → 8',
      'bot:platform-bot',
      -300,
      -298,
      'succeeded',
      {
        workspace: 'order-events',
        plan: { add: 0, change: 1, destroy: 0, replace: 0 },
        affectedEntities: [INVENTORY, 'component:default/order-service'],
      },
    ),
  );
  return evidence;
}

const ids = (body: any) => body.items.map((i: any) => i.change.id);

describe('incident-brief router: changes by scope (IB §4.4)', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start({ evidence: evidenceWithMoreChanges() });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });

  it('scope=dependencies is the default: own and dependency changes, none of the callers', async () => {
    const byDefault = await ctx.get(`${CHECKOUT}/changes?window=24h`);
    const explicit = await ctx.get(
      `${CHECKOUT}/changes?window=24h&scope=dependencies`,
    );
    expect(byDefault.status).toBe(200);
    expect(ids(byDefault.body)).toEqual([
      'L3',
      'L4',
      'L2',
      'INVDB1',
      'INFRA1',
      'L6',
      'L9',
      'L8',
    ]);
    expect(ids(explicit.body)).toEqual(ids(byDefault.body));
    expect(byDefault.body).toMatchObject({
      scope: 'dependencies',
      dependencyHops: 2,
      dependentHops: 0,
      restricted: 0,
    });
    expect(byDefault.body.items.map((i: any) => i.relation)).toEqual([
      'self',
      'dependency',
      'self',
      'dependency',
      'dependency',
      'dependency',
      'dependency',
      'dependency',
    ]);
  });

  it('scope=dependents: own changes and those of the entities that need it, within hops', async () => {
    const res = await ctx.get(
      `${CHECKOUT}/changes?window=24h&scope=dependents`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: 'dependents',
      dependencyHops: 0,
      dependentHops: 2,
      restricted: 0,
    });
    // ledger order; S0 is older than the window; no dependency changes (L4, L6, L8, L9)
    expect(
      res.body.items.map((i: any) => [
        i.change.id,
        i.entityRef,
        i.hop,
        i.relation,
      ]),
    ).toEqual([
      ['L3', 'component:default/checkout-service', 0, 'self'],
      ['G1', GATEWAY, 1, 'dependent'],
      ['L2', 'component:default/checkout-service', 0, 'self'],
      ['S1', STOREFRONT, 2, 'dependent'],
    ]);
    // the path is the blast radius's: web-storefront needs api-gateway, which needs checkout
    const s1 = res.body.items[3];
    expect(s1.path.map((p: any) => [p.from, p.to])).toEqual([
      [GATEWAY, 'component:default/checkout-service'],
      [STOREFRONT, GATEWAY],
    ]);
    expect(res.body.lastChange).toMatchObject({ id: 'L3' });
    // dependents' changes without stored risk are scored on read, like the brief's
    expect(res.body.items[1].risk).toMatchObject({ modelVersion: 'risk/1' });
    expect(res.body.items[3].risk).toMatchObject({ modelVersion: 'risk/1' });

    const oneHop = await ctx.get(
      `${CHECKOUT}/changes?window=24h&scope=dependents&hops=1`,
    );
    expect(ids(oneHop.body)).toEqual(['L3', 'G1', 'L2']);
    expect(oneHop.body.dependentHops).toBe(1);
  });

  it('a dependent change with a stored risk shows it as stored', async () => {
    const g1 = ctx.evidence.state.ledger.find(c => c.id === 'G1')!;
    const path = `${CHECKOUT}/changes?window=24h&scope=dependents`;
    const onRead = (await ctx.get(path)).body.items[1].risk;
    const stored = { ...onRead, score: 20, tier: 'Critical' };
    g1.risk = stored;
    try {
      const res = await ctx.get(path);
      expect(res.body.items[1].change.id).toBe('G1');
      expect(res.body.items[1].risk).toEqual(stored);
    } finally {
      g1.risk = null;
    }
  });

  it('scope=both: dependencies and dependents in one ledger-ordered list', async () => {
    const res = await ctx.get(`${CHECKOUT}/changes?window=24h&scope=both`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      scope: 'both',
      dependencyHops: 2,
      dependentHops: 2,
    });
    expect(
      res.body.items.map((i: any) => [i.change.id, i.relation, i.hop]),
    ).toEqual([
      ['L3', 'self', 0],
      ['G1', 'dependent', 1],
      ['L4', 'dependency', 1],
      ['L2', 'self', 0],
      ['S1', 'dependent', 2],
      ['INVDB1', 'dependency', 2],
      ['INFRA1', 'dependency', 2],
      ['L6', 'dependency', 2],
      ['L9', 'dependency', 1],
      ['L8', 'dependency', 1],
    ]);
  });

  it('scope=both lists no change twice when an index pass lands between its halves', async () => {
    // while the dependents' ledger is read, checkout-service starts to depend on api-gateway
    // (a cycle) and a request for an unknown ref syncs the index
    const entities = demoEntities();
    const evidence = evidenceWithMoreChanges();
    const query = evidence.service.queryChanges;
    let synced = false;
    const world: Awaited<ReturnType<typeof start>> = await start({
      evidence,
      entities,
    });
    evidence.service.queryChanges = async q => {
      if (!synced && q.entityRefs.includes(GATEWAY)) {
        synced = true;
        const byRef = (ref: string) =>
          entities.find(e => `component:default/${e.metadata.name}` === ref)!;
        const checkout = byRef('component:default/checkout-service');
        checkout.relations!.push({ type: 'dependsOn', targetRef: GATEWAY });
        byRef(GATEWAY).relations!.push({
          type: 'dependencyOf',
          targetRef: 'component:default/checkout-service',
        });
        checkout.metadata.etag = 'edited';
        await world.get(`${BASE}/component/default/not-registered-yet/brief`);
      }
      return query(q);
    };
    try {
      const res = await world.get(`${CHECKOUT}/changes?window=24h&scope=both`);
      expect(res.status).toBe(200);
      expect(synced).toBe(true);
      const listed = ids(res.body);
      expect(listed.filter((id: string) => id === 'G1')).toEqual(['G1']);
      expect(new Set(listed).size).toBe(listed.length);
      // the sync took effect: a new answer sees the cycle and lists G1 as a dependency
      const after = await world.get(
        `${CHECKOUT}/changes?window=24h&scope=both`,
      );
      const g1 = after.body.items.filter((i: any) => i.change.id === 'G1');
      expect(g1.map((i: any) => i.relation)).toEqual(['dependency']);
    } finally {
      await world.backend.stop();
    }
  });

  it.each([
    [
      'callers',
      'scope must be one of dependencies, dependents, both (got callers)',
    ],
    [
      'Dependents',
      'scope must be one of dependencies, dependents, both (got Dependents)',
    ],
    ['', 'scope must be one of dependencies, dependents, both (got )'],
  ])('scope=%s is a 400 that says what to send', async (scope, message) => {
    const res = await ctx.get(`${CHECKOUT}/changes?scope=${scope}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(message);
  });

  it('hops applies to every scope and is validated as everywhere', async () => {
    const res = await ctx.get(`${CHECKOUT}/changes?scope=both&hops=11`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'hops must be an integer between 0 and 10 (got 11)',
    );
    const zero = await ctx.get(`${CHECKOUT}/changes?scope=both&hops=0`);
    expect(ids(zero.body)).toEqual(['L3', 'L2']);
  });

  it('the ledger of the dependents unreadable: unknown, not none', async () => {
    const evidence = fakeEvidence();
    const other = await start({ evidence });
    try {
      evidence.state.available = false;
      const res = await other.get(`${CHECKOUT}/changes?scope=dependents`);
      expect(res.status).toBe(200);
      expect(res.body.ledger).toMatchObject({
        available: false,
        cause: 'timeout',
      });
      expect(res.body.items).toEqual([]);
    } finally {
      await other.backend.stop();
    }
  });
});

describe('incident-brief router: changes in a dependency cycle', () => {
  // cycle-peer needs checkout-service and checkout-service needs cycle-peer
  const PEER = 'component:default/cycle-peer';
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    const entities = withRelations([
      ...demoEntities(),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'cycle-peer', namespace: 'default' },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/checkout-team',
          dependsOn: ['component:default/checkout-service'],
          dependencyOf: ['component:default/checkout-service'],
        },
      },
    ]);
    const evidence = fakeEvidence();
    evidence.state.ledger.push(
      change(
        'P1',
        PEER,
        'deploy',
        'peer 1.0.1',
        'bot:deploy-bot',
        -10,
        -5,
        'succeeded',
        {
          artifactDigest: 'sha256:p1',
        },
      ),
    );
    ctx = await start({ entities, evidence });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });

  it('lists a change of an entity that is both a dependency and a dependent once', async () => {
    const dependents = await ctx.get(`${CHECKOUT}/changes?scope=dependents`);
    expect(
      dependents.body.items
        .filter((i: any) => i.change.id === 'P1')
        .map((i: any) => i.relation),
    ).toEqual(['dependent']);
    const both = await ctx.get(`${CHECKOUT}/changes?scope=both`);
    expect(
      both.body.items
        .filter((i: any) => i.change.id === 'P1')
        .map((i: any) => [i.relation, i.hop]),
    ).toEqual([['dependency', 1]]);
  });
});

describe('incident-brief router: changes of entities the caller may not read (IB §6.5)', () => {
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start({
      unreadable: [INVENTORY, STOREFRONT],
      evidence: evidenceWithMoreChanges(),
    });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });
  beforeEach(() => ctx.permissions.authorize.mockClear());

  /** inventory-service's change L4 and web-storefront's S1 must not leak in any form. */
  const expectNoTraceOfRestricted = (text: string) => {
    expect(text).not.toContain('inventory-service');
    expect(text).not.toContain('web-storefront');
    expect(text).not.toMatch(/\bL4\b/);
    expect(text).not.toMatch(/\bS1\b/);
    expect(text).not.toContain('reservation.hold-ttl');
    expect(text).not.toContain('storefront 7.1.0');
  };

  it('omits them from GET …/changes and counts them, in one batched authorize', async () => {
    const res = await ctx.get(`${CHECKOUT}/changes?window=24h`);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([
      'L3',
      'L2',
      'INVDB1',
      'INFRA1',
      'L6',
      'L9',
      'L8',
    ]);
    expect(res.body.restricted).toBe(1);
    expectNoTraceOfRestricted(JSON.stringify(res.body));
    // a readable change behind a restricted entity keeps its path, with that step restricted
    const invDb = res.body.items.find((i: any) => i.change.id === 'INVDB1');
    expect(invDb.path.map((p: any) => [p.from, p.to])).toEqual([
      ['component:default/checkout-service', 'restricted'],
      ['restricted', 'resource:default/inventory-db'],
    ]);
    const infra = res.body.items.find((i: any) => i.change.id === 'INFRA1');
    expect(infra.change.attributes.affectedEntities).toEqual([
      'restricted',
      'component:default/order-service',
    ]);
    // the root, then every entity the changes name in a single call
    expect(ctx.permissions.authorize).toHaveBeenCalledTimes(2);
    const batch = ctx.permissions.authorize.mock.calls[1][0] as any[];
    expect(batch.map(r => r.resourceRef)).toEqual(
      expect.arrayContaining([
        INVENTORY,
        'resource:default/inventory-db',
        'resource:default/order-events',
        'component:default/order-service',
      ]),
    );
    expect(batch.every(r => r.permission.name === 'catalog.entity.read')).toBe(
      true,
    );
  });

  it.each([
    ['dependents', ['L3', 'G1', 'L2'], 1],
    ['both', ['L3', 'G1', 'L2', 'INVDB1', 'INFRA1', 'L6', 'L9', 'L8'], 2],
  ])('filters scope=%s the same way', async (scope, expected, restricted) => {
    const res = await ctx.get(`${CHECKOUT}/changes?window=24h&scope=${scope}`);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(expected);
    expect(res.body.restricted).toBe(restricted);
    expectNoTraceOfRestricted(JSON.stringify(res.body));
    expect(ctx.permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('omits them from the changes section of the JSON and markdown brief', async () => {
    const brief = await ctx.get(`${CHECKOUT}/brief`);
    expect(brief.status).toBe(200);
    expect(ids(brief.body.changes)).toEqual([
      'L3',
      'L2',
      'INVDB1',
      'INFRA1',
      'L6',
      'L9',
      'L8',
    ]);
    expect(brief.body.changes.restricted).toBe(1);
    expectNoTraceOfRestricted(JSON.stringify(brief.body));

    // a restricted dependency used to fail the markdown (it has no path to describe it by)
    const md = await ctx.get(`${CHECKOUT}/brief.md`);
    expect(md.status).toBe(200);
    expectNoTraceOfRestricted(md.text);
    // listed after the readable dependencies of its hop: its place tells no tier
    expect(md.text).toContain(
      '**Depends on (2 hops)** order-service ✓ · payment-service ✓ · resource:checkout-db ✓ · pricing-service ⚠ observed, not declared · restricted · hop 2:',
    );
    const lines = md.text.split('\n');
    const note = lines.indexOf(
      '_restricted: 1 change of entities you may not read is not listed._',
    );
    expect(note).toBeGreaterThan(0);
    // inside the changes section: after its table, right before the last-change line
    expect(lines[note + 2]).toMatch(/^Last change: /);
    expect(lines.findIndex(l => l.startsWith('**Changes '))).toBeLessThan(note);
    expect(md.text).toContain('add index on reservations');

    const byAlias = await ctx.get(
      '/api/incident-brief/by-alias/checkout/brief',
    );
    expect(byAlias.body.changes.restricted).toBe(1);
    expectNoTraceOfRestricted(JSON.stringify(byAlias.body));
  });

  it('says so when every change in the window is restricted', async () => {
    // 55 to 40 minutes before T only inventory-service's L4 ran
    const res = await ctx.get(
      `${CHECKOUT}/brief.md?at=${encodeURIComponent(at(-40))}&window=15m`,
    );
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('No changes in the window.');
    expect(res.text).toContain('No changes you may read in the window.');
    expect(res.text).toContain(
      '_restricted: 1 change of entities you may not read is not listed._',
    );
  });

  it('does not filter for service principals', async () => {
    const changes = await request(ctx.backend.server)
      .get(`${CHECKOUT}/changes?window=24h&scope=both`)
      .set('Authorization', mockCredentials.service.header());
    expect(changes.status).toBe(200);
    expect(ids(changes.body)).toEqual([
      'L3',
      'G1',
      'L4',
      'L2',
      'S1',
      'INVDB1',
      'INFRA1',
      'L6',
      'L9',
      'L8',
    ]);
    expect(changes.body.restricted).toBe(0);
    const infra = changes.body.items.find((i: any) => i.change.id === 'INFRA1');
    expect(infra.change.attributes.affectedEntities).toEqual([
      INVENTORY,
      'component:default/order-service',
    ]);
    const md = await request(ctx.backend.server)
      .get(`${CHECKOUT}/brief.md`)
      .set('Authorization', mockCredentials.service.header());
    expect(md.text).toContain('reservation.hold-ttl');
    expect(md.text).toContain('inventory-service (hop 1)');
    expect(md.text).not.toContain('_restricted:');
    // only the root's authorize: no filtering round trip for services
    expect(ctx.permissions.authorize).toHaveBeenCalledTimes(2);
  });
});

describe('incident-brief router: a System whose member the caller may not read (IB §6.5)', () => {
  const SYSTEM = `${BASE}/system/default/checkout`;
  const MEMBER = 'component:default/checkout-service';
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start({ unreadable: [MEMBER] });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });

  /** checkout-service's L3 and L2 must not leak in any form. */
  const expectNoTraceOfMember = (text: string) => {
    expect(text).not.toMatch(/\bL3\b|\bL2\b/);
    expect(text).not.toContain('split-tender');
    expect(text).not.toContain('5.8.2');
  };

  it('withholds the member’s changes, last change and last deploy from …/changes, and says so', async () => {
    const res = await ctx.get(`${SYSTEM}/changes?window=24h`);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['L4', 'L6', 'L9', 'L8']);
    expect(res.body.restricted).toBe(2);
    expect(res.body.lastChange).toBeNull();
    expect(res.body.lastSuccessfulDeploy).toBeNull();
    expect(res.body.latestRestricted).toEqual([
      'lastChange',
      'lastSuccessfulDeploy',
    ]);
    expectNoTraceOfMember(JSON.stringify(res.body));
  });

  it('withholds them from the JSON and markdown brief, which reads "restricted", not "none"', async () => {
    const brief = await ctx.get(`${SYSTEM}/brief`);
    expect(brief.status).toBe(200);
    expect(brief.body.changes.lastChange).toBeNull();
    expect(brief.body.changes.latestRestricted).toEqual([
      'lastChange',
      'lastSuccessfulDeploy',
    ]);
    expectNoTraceOfMember(JSON.stringify(brief.body));
    const md = await ctx.get(`${SYSTEM}/brief.md`);
    expect(md.status).toBe(200);
    expectNoTraceOfMember(md.text);
    expect(md.text).toContain(
      'Last change: restricted · last successful deploy: restricted',
    );
  });
});

describe('incident-brief router: what the latest change of a readable member names (IB §6.5)', () => {
  const SYSTEM = `${BASE}/system/default/checkout`;
  const SECRET = 'component:default/secret-svc';
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    const evidence = fakeEvidence();
    // checkout-service's latest change, 10 minutes before T: outside a 5-minute window, so it is
    // named by lastChange alone, not by a list item
    evidence.state.ledger.push(
      change(
        'INFRA9',
        'component:default/checkout-service',
        'infra',
        'mesh policy rollout',
        'bot:platform-bot',
        -10,
        -9,
        'succeeded',
        {
          workspace: 'mesh',
          plan: { add: 0, change: 2, destroy: 0, replace: 0 },
          affectedEntities: [SECRET, 'component:default/order-service'],
        },
      ),
    );
    ctx = await start({ unreadable: [SECRET], evidence });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });
  beforeEach(() => ctx.permissions.authorize.mockClear());

  it('lists an unreadable affected entity of the last change as restricted, asked in the same batch', async () => {
    const res = await ctx.get(`${SYSTEM}/brief?window=5m`);
    expect(res.status).toBe(200);
    expect(ids(res.body.changes)).not.toContain('INFRA9');
    expect(res.body.changes.lastChange).toMatchObject({ id: 'INFRA9' });
    expect(res.body.changes.lastChange.attributes.affectedEntities).toEqual([
      'restricted',
      'component:default/order-service',
    ]);
    expect(res.body.changes.latestRestricted).toBeUndefined();
    expect(JSON.stringify(res.body)).not.toContain('secret-svc');
    // the root, then everything the brief names — the latest change's affected entities too
    expect(ctx.permissions.authorize).toHaveBeenCalledTimes(2);
    const batch = ctx.permissions.authorize.mock.calls[1][0] as any[];
    expect(batch.map(r => r.resourceRef)).toContain(SECRET);

    const md = await ctx.get(`${SYSTEM}/brief.md?window=5m`);
    expect(md.status).toBe(200);
    expect(md.text).not.toContain('secret-svc');
  });

  it('does the same in GET …/changes', async () => {
    const res = await ctx.get(`${SYSTEM}/changes?window=5m`);
    expect(res.status).toBe(200);
    expect(res.body.lastChange).toMatchObject({ id: 'INFRA9' });
    expect(res.body.lastChange.attributes.affectedEntities).toEqual([
      'restricted',
      'component:default/order-service',
    ]);
    expect(JSON.stringify(res.body)).not.toContain('secret-svc');
    expect(ctx.permissions.authorize).toHaveBeenCalledTimes(2);
  });
});

describe('incident-brief router: the latest change withheld by the entity it was matched to (IB §6.5)', () => {
  const SYSTEM = `${BASE}/system/default/checkout`;
  const MEMBER = 'component:default/checkout-service';
  const ALIASES = 'ops.example.com/aliases';
  /** checkout-service's newest deploy, posted by its alias `checkout` (R7) */
  const byAlias = change(
    'X1',
    MEMBER,
    'deploy',
    'checkout 5.9.0 hotfix',
    'bot:deploy-bot',
    -5,
    -4,
    'succeeded',
    { artifactDigest: 'sha256:x1' },
    {
      entityRef: null,
      alias: 'checkout',
      subject: 'checkout',
      resolution: 'unresolved',
    } as any,
  );

  /**
   * A world where, while the read filter's `authorize` call is in flight, `edit` changes the
   * catalog's aliases and a request for a ref the index does not know yet makes the store sync
   * (an alias remapped: a full sync, which swaps in a new alias map).
   */
  async function startWithSyncDuringAuthorize(
    edit: (entities: Entity[]) => void,
  ) {
    const entities = demoEntities();
    const evidence = fakeEvidence();
    const query = evidence.service.queryChanges;
    evidence.service.queryChanges = async q => {
      const read = await query(q);
      const inWindow = Date.parse(byAlias.effectiveAt) <= Date.parse(q.to);
      return read.available && inWindow
        ? { ...read, data: [...read.data, byAlias] }
        : read;
    };
    let synced = false;
    const ctx: Awaited<ReturnType<typeof start>> = await start({
      unreadable: [MEMBER],
      evidence,
      entities,
      onAuthorize: async refs => {
        if (synced || !refs.includes(MEMBER)) return;
        synced = true;
        edit(entities);
        const unknown = await ctx.get(
          `${BASE}/component/default/not-registered-yet/blast-radius`,
        );
        expect(unknown.status).toBe(404);
      },
    });
    return ctx;
  }

  const entity = (entities: Entity[], name: string) =>
    entities.find(e => e.metadata.name === name)!;
  /** what the swap does, and the entity the alias names after it (by-alias brief, or 404) */
  const swaps: [string, (entities: Entity[]) => void, string | null][] = [
    [
      'to no entity',
      entities => {
        delete entity(entities, 'checkout-service').metadata.annotations![
          ALIASES
        ];
      },
      null,
    ],
    [
      'to a readable entity',
      entities => {
        delete entity(entities, 'checkout-service').metadata.annotations![
          ALIASES
        ];
        entity(entities, 'pricing-service').metadata.annotations![ALIASES] =
          'pricing, checkout';
      },
      'component:default/pricing-service',
    ],
  ];

  describe.each(swaps)(
    'its alias remapped %s meanwhile',
    (_, edit, aliasNames) => {
      it.each(['brief', 'changes'])(
        'GET …/%s still withholds it',
        async route => {
          const ctx = await startWithSyncDuringAuthorize(edit);
          try {
            const res = await ctx.get(`${SYSTEM}/${route}?window=24h`);
            expect(res.status).toBe(200);
            const changes = route === 'brief' ? res.body.changes : res.body;
            expect(changes.lastChange).toBeNull();
            expect(changes.lastSuccessfulDeploy).toBeNull();
            expect(changes.latestRestricted).toEqual([
              'lastChange',
              'lastSuccessfulDeploy',
            ]);
            // X1 was matched to the member: withheld from the list with L3 and L2
            expect(changes.restricted).toBe(3);
            expect(JSON.stringify(res.body)).not.toMatch(/\bX1\b|5\.9\.0/);
            // the sync did swap the alias map under the request
            const after = await ctx.get(
              '/api/incident-brief/by-alias/checkout/brief',
            );
            expect(after.status).toBe(aliasNames ? 200 : 404);
            expect(after.body.header?.ref ?? null).toBe(aliasNames);
          } finally {
            await ctx.backend.stop();
          }
        },
      );
    },
  );
});

describe('incident-brief router: by alias (IB §6.5)', () => {
  const BY_ALIAS = '/api/incident-brief/by-alias';
  // a second claim on `payments` makes that alias void for both entities (R14)
  const legacyPayments = withRelations([
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-legacy',
        namespace: 'default',
        annotations: { 'ops.example.com/aliases': 'payments' },
      },
      spec: {
        type: 'service',
        lifecycle: 'deprecated',
        owner: 'group:default/checkout-team',
      },
    },
  ]);
  let ctx: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    ctx = await start({ entities: [...demoEntities(), ...legacyPayments] });
  });
  afterAll(async () => {
    await ctx.backend.stop();
  });

  it('answers the brief of the entity an alert names by its telemetry alias', async () => {
    const res = await ctx.get(`${BY_ALIAS}/checkout/brief?hops=2`);
    expect(res.status).toBe(200);
    expect(res.body.header).toMatchObject({
      ref: 'component:default/checkout-service',
      aliasMatched: 'checkout',
    });
    expect(res.body.blastRadius.hops).toBe(2);
    // the same brief as by ref, apart from the alias and the generation time
    const byRef = await ctx.get(`${CHECKOUT}/brief?hops=2`);
    expect(res.body.blastRadius).toEqual(byRef.body.blastRadius);
    expect(res.body.owner).toEqual(byRef.body.owner);
  });

  it('matches aliases case-insensitively and says so in the markdown', async () => {
    const res = await ctx.get(`${BY_ALIAS}/Inventory/brief.md`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.text).toMatch(/^### Incident brief: inventory-service/);
    expect(res.text).toContain('via alias `Inventory`');
  });

  it('404 for an alias no entity claims, 409 naming the claimants of a void alias', async () => {
    const unknown = await ctx.get(`${BY_ALIAS}/tax-svc/brief`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('no entity has the alias tax-svc');
    const conflict = await ctx.get(`${BY_ALIAS}/payments/brief`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toBe(
      'alias payments is claimed by component:default/payment-service, component:default/payments-legacy (ALIAS_CONFLICT): ask for the entity by its ref',
    );
  });

  it('does not name, in the brief of a claimant, a claimant of its void alias the caller may not read', async () => {
    const PAYMENTS = `${BASE}/component/default/payment-service`;
    const service = await request(ctx.backend.server)
      .get(`${PAYMENTS}/brief`)
      .set('Authorization', mockCredentials.service.header());
    expect(
      service.body.missingEvidence.find((m: any) => m.code === 'ALIAS_CONFLICT')
        .message,
    ).toContain('payments-legacy');

    const denied = await start({
      entities: [...demoEntities(), ...legacyPayments],
      unreadable: ['component:default/payments-legacy'],
    });
    try {
      const brief = await denied.get(`${PAYMENTS}/brief`);
      expect(brief.status).toBe(200);
      expect(JSON.stringify(brief.body)).not.toContain('payments-legacy');
      expect(
        brief.body.missingEvidence.find(
          (m: any) => m.code === 'ALIAS_CONFLICT',
        ),
      ).toMatchObject({ subject: 'restricted', fix: null });
      const md = await denied.get(`${PAYMENTS}/brief.md`);
      expect(md.text).not.toContain('payments-legacy');
    } finally {
      await denied.backend.stop();
    }
  });

  it('409 names only the claimants of a void alias the caller may read, and counts the others', async () => {
    const one = await start({
      entities: [...demoEntities(), ...legacyPayments],
      unreadable: ['component:default/payments-legacy'],
    });
    const both = await start({
      entities: [...demoEntities(), ...legacyPayments],
      unreadable: [
        'component:default/payments-legacy',
        'component:default/payment-service',
      ],
    });
    try {
      const res = await one.get(`${BY_ALIAS}/payments/brief`);
      expect(res.status).toBe(409);
      expect(res.body.error.message).toBe(
        'alias payments is claimed by component:default/payment-service and 1 entity you may not read (ALIAS_CONFLICT): ask for the entity by its ref',
      );
      // the claimants are authorized in one call, before anything is said about them
      const batch = one.permissions.authorize.mock.calls[0][0] as any[];
      expect(batch.map(r => r.resourceRef).sort()).toEqual([
        'component:default/payment-service',
        'component:default/payments-legacy',
      ]);
      const none = await both.get(`${BY_ALIAS}/payments/brief.md`);
      expect(none.status).toBe(409);
      expect(none.body.error.message).toBe(
        'alias payments is claimed by 2 entities you may not read (ALIAS_CONFLICT): ask for the entity by its ref',
      );
    } finally {
      await one.backend.stop();
      await both.backend.stop();
    }
  });

  it('validates the alias and the query like the other routes', async () => {
    const blank = await ctx.get(`${BY_ALIAS}/%20/brief`);
    expect(blank.status).toBe(400);
    expect(blank.body.error.message).toBe('alias must not be empty');
    const long = await ctx.get(`${BY_ALIAS}/${'a'.repeat(254)}/brief`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe(
      'alias must be at most 253 characters',
    );
    const control = await ctx.get(`${BY_ALIAS}/a%07b/brief`);
    expect(control.status).toBe(400);
    const hops = await ctx.get(`${BY_ALIAS}/checkout/brief?hops=11`);
    expect(hops.status).toBe(400);
    expect(hops.body.error.message).toBe(
      'hops must be an integer between 0 and 10 (got 11)',
    );
  });

  // The caller gave only the alias: any answer but the unknown alias's would tell them that an
  // entity they may not read holds it.
  it('401 without credentials; without read permission on the entity, the 404 of an alias nobody holds', async () => {
    const anonymous = await request(ctx.backend.server).get(
      `${BY_ALIAS}/checkout/brief`,
    );
    expect(anonymous.status).toBe(401);
    const denied = await start({ permission: AuthorizeResult.DENY });
    try {
      for (const route of ['brief', 'brief.md']) {
        const res = await denied.get(`${BY_ALIAS}/checkout/${route}`);
        const unknown = await denied.get(`${BY_ALIAS}/no-such-alias/${route}`);
        expect([res.status, res.body.error.message]).toEqual([
          404,
          'no entity has the alias checkout',
        ]);
        expect(unknown.status).toBe(404);
        expect(res.body.error.name).toBe(unknown.body.error.name);
        expect(JSON.stringify(res.body)).not.toContain('checkout-service');
      }
    } finally {
      await denied.backend.stop();
    }
  });
});

it('keeps the fixture clock consistent', () => {
  expect(Date.parse(at(0))).toBeLessThanOrEqual(Date.now());
});

describe('incident-brief router: an unexpected failure', () => {
  it('answers 500 "internal error" without the failure’s message', async () => {
    const ctx = await start({
      permissionFailure: new Error(
        'connect ECONNREFUSED permission.internal:7007',
      ),
    });
    try {
      const res = await ctx.get(`${CHECKOUT}/brief`);
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({
        name: 'Error',
        message: 'internal error',
      });
      expect(JSON.stringify(res.body)).not.toContain('permission.internal');
    } finally {
      await ctx.backend.stop();
    }
  });
});
