import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AUTHORIZE_BATCH_SIZE } from '@internal/plugin-evidence-node';
import {
  BlastRadiusAnswer,
  ChangeInWindow,
  ChangeRecord,
  ImpactedEntity,
  PathStep,
  sharePathSteps,
  tabulateRows,
  untabulateRows,
} from '@internal/plugin-incident-brief-common';
import {
  changeRefs,
  latestRefs,
  readFilterFor,
  restrictChanges,
  restrictLatest,
  restrictUnreadable,
  rootFoldedReadFilter,
} from './restrictUnreadable';

const ROOT = 'resource:default/shared-db';
// a blast radius of a shared service: more named entities than one authorize request holds
const refs = Array.from(
  { length: 2 * AUTHORIZE_BATCH_SIZE + 50 },
  (_, i) => `component:default/svc-${i}`,
);

/** A conditional policy denying `catalog.entity.read` on `unreadable`; records each request. */
function conditionalPolicyDenying(unreadable: string[]) {
  const authorizeConditional = jest.fn(async () => [
    {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: { rule: 'IS_ENTITY_OWNER', params: {} },
    },
  ]);
  const authorize = jest.fn(async (requests: { resourceRef?: string }[]) =>
    requests.map(r => ({
      result: unreadable.includes(r.resourceRef!)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    })),
  );
  return {
    permissions: mockServices.permissions.mock({
      authorize: authorize as any,
      authorizeConditional: authorizeConditional as any,
    }),
    conditionalRequests: () => authorizeConditional.mock.calls.length,
    batches: () =>
      authorize.mock.calls.map(([requests]) =>
        requests.map(r => r.resourceRef),
      ),
  };
}

describe('read filters over answers naming many entities', () => {
  it('lists what the policy denies among them, each named entity asked once', async () => {
    const denied = [refs[3], refs[AUTHORIZE_BATCH_SIZE + 7], refs.at(-1)!];
    const { permissions, batches } = conditionalPolicyDenying(denied);
    const readable = await readFilterFor(
      permissions,
      mockCredentials.user(),
      ROOT,
    )([ROOT, ...refs, ...refs]);

    expect(refs.filter(r => !readable(r))).toEqual(denied);
    // the root (authorized by the route) is not asked again
    expect(batches().flat().sort()).toEqual([...refs].sort());
  });

  it('folds the root into the first request and refuses when it is denied', async () => {
    const allowing = conditionalPolicyDenying([]);
    const { filter } = rootFoldedReadFilter(
      allowing.permissions,
      mockCredentials.user(),
      ROOT,
    );
    expect(refs.every(await filter(refs))).toBe(true);
    expect(allowing.batches()[0][0]).toBe(ROOT);
    expect(allowing.batches().flat()).toHaveLength(refs.length + 1);

    const denying = conditionalPolicyDenying([ROOT]);
    await expect(
      rootFoldedReadFilter(
        denying.permissions,
        mockCredentials.user(),
        ROOT,
      ).filter(refs),
    ).rejects.toThrow(`not allowed to read ${ROOT}`);
  });

  /** `refs` as a lazy iterable that records whether anyone read it. */
  function watched() {
    const read = { started: false };
    return {
      read,
      named: {
        *[Symbol.iterator]() {
          read.started = true;
          yield* refs;
        },
      },
    };
  }

  it.each([
    [AuthorizeResult.ALLOW, 'every ref readable'],
    [AuthorizeResult.DENY, `not allowed to read ${ROOT}`],
  ])(
    'asks a policy deciding for every entity (%s) before gathering the refs, when told they are many',
    async (result, outcome) => {
      const authorizeConditional = jest.fn(async () => [{ result }]);
      const authorize = jest.fn();
      const permissions = mockServices.permissions.mock({
        authorize,
        authorizeConditional: authorizeConditional as any,
      });
      const { named, read } = watched();
      const { filter, ensureRoot } = rootFoldedReadFilter(
        permissions,
        mockCredentials.user(),
        ROOT,
      );
      const decided = await filter(named, refs.length).then(
        readable => refs.every(readable) && 'every ref readable',
        (error: Error) => error.message,
      );
      expect(decided).toBe(outcome);
      await ensureRoot(); // the root counts as checked: nothing more is asked
      expect(read.started).toBe(false);
      expect(authorizeConditional).toHaveBeenCalledTimes(1);
      expect(authorize).not.toHaveBeenCalled();
    },
  );

  it('resolves each ref of a conditional policy without asking it for all of them twice', async () => {
    const denied = [refs[5], refs.at(-2)!];
    const policy = conditionalPolicyDenying(denied);
    const { named, read } = watched();
    const readable = await rootFoldedReadFilter(
      policy.permissions,
      mockCredentials.user(),
      ROOT,
    ).filter(named, refs.length);

    expect(read.started).toBe(true);
    expect(refs.filter(r => !readable(r))).toEqual(denied);
    expect(policy.conditionalRequests()).toBe(1);
    expect(policy.batches()[0][0]).toBe(ROOT);
    expect(policy.batches().flat()).toHaveLength(refs.length + 1);
  });
});

/** A listed entity of a blast radius: a tier-2 production component unless `over` says. */
function impactedEntity(
  ref: string,
  hop: number,
  over: Partial<ImpactedEntity> = {},
): ImpactedEntity {
  return {
    ref,
    kind: 'component',
    title: ref,
    hop,
    path: [],
    tier: 2,
    customerFacing: false,
    owner: null,
    system: null,
    lifecycle: 'production',
    immediate: true,
    resolved: true,
    deprecated: false,
    ...over,
  } as ImpactedEntity;
}

describe('restricted answers in the wire forms paths=shared and paths=table', () => {
  const DB = 'resource:default/db';
  const step = (from: string, to: string): PathStep => ({
    from,
    to,
    reasons: ['dependsOn'],
    evidence: 'declared',
    observation: 'none',
    interaction: 'sync',
    drift: null,
  });
  const entity = (ref: string, hop: number, path: PathStep[]) =>
    impactedEntity(ref, hop, { path });
  // a and b reach the database through two different services the caller may not read
  const [h1, h2, a, b] = ['h1', 'h2', 'a', 'b'].map(
    n => `component:default/${n}`,
  );
  const toH1 = step(h1, DB);
  const toH2 = step(h2, DB);
  const answer = {
    roots: [DB],
    impacted: [
      entity(h1, 1, [toH1]),
      entity(h2, 1, [toH2]),
      entity(a, 2, [toH1, step(a, h1)]),
      entity(b, 2, [toH2, step(b, h2)]),
    ],
    counts: { bySystem: {}, byOwner: {} },
    entryPoints: [],
    cycles: [],
    unresolved: [],
  } as unknown as BlastRadiusAnswer;

  it('does not tell apart, by a shared step index, paths through different unreadable entities', () => {
    const readable = (ref: string) => ref !== h1 && ref !== h2;
    const shared = sharePathSteps(restrictUnreadable(answer, readable));
    const [pathOfA, pathOfB] = shared.impacted.slice(2).map(i => i.path);
    // the inline form shows `restricted → db` for both: so does the shared one, as one step
    expect(pathOfA[0]).toBe(pathOfB[0]);
    expect(shared.pathSteps[pathOfA[0]]).toMatchObject({
      from: 'restricted',
      to: DB,
    });
    expect(JSON.stringify(shared)).not.toMatch(/h1|h2/);

    // the table form is the shared one in columns: the same step indices, nothing more named
    const restricted = restrictUnreadable(answer, readable);
    const table = JSON.parse(JSON.stringify(tabulateRows(restricted)));
    const path = table.columns.impacted.indexOf('path');
    expect(table.impacted[2][path][0]).toBe(table.impacted[3][path][0]);
    expect(JSON.stringify(table)).not.toMatch(/h1|h2/);
    expect(untabulateRows(table)).toEqual(restricted);
  });
});

describe('the order of restricted entities', () => {
  it('puts them after the readable ones of their hop, so their place tells no tier', () => {
    const row = (name: string, hop: number, tier: 1 | 2 | 3) =>
      impactedEntity(`component:default/${name}`, hop, { tier });
    // The search's order: hop, then tier (1 first), then ref.
    const answer = {
      roots: ['resource:default/db'],
      impacted: [
        row('a1', 1, 1),
        row('hidden-t1', 2, 1),
        row('b1', 2, 1),
        row('c3', 2, 3),
        row('hidden-t2', 3, 2),
        row('d3', 3, 3),
      ],
      counts: { bySystem: {}, byOwner: {} },
      entryPoints: [],
      cycles: [],
      unresolved: [],
    } as unknown as BlastRadiusAnswer;
    const out = restrictUnreadable(answer, ref => !ref.includes('hidden'));
    expect(out.impacted.map(i => [i.hop, i.ref, i.tier])).toEqual([
      [1, 'component:default/a1', 1],
      [2, 'component:default/b1', 1],
      [2, 'component:default/c3', 3],
      [2, 'restricted', null],
      [3, 'component:default/d3', 3],
      [3, 'restricted', null],
    ]);
    expect(out.restricted).toBe(2);
  });
});

describe('a change in window whose path step names more than its ends', () => {
  const [root, consumer, producer] = ['root', 'consumer', 'producer'].map(
    n => `component:default/${n}`,
  );
  const TOPIC = 'resource:default/topic';
  const API = 'api:default/producer-api';
  // root needs consumer through an API; consumer needs producer through a topic both declare
  const throughApi: PathStep = {
    from: root,
    to: consumer,
    reasons: [`consumesApi:${API}`, 'observed'],
    evidence: 'both',
    observation: 'fresh',
    interaction: 'sync',
    drift: null,
  };
  const throughTopic: PathStep = {
    from: consumer,
    to: producer,
    reasons: ['observed'],
    evidence: 'observed',
    observation: 'fresh',
    interaction: 'async',
    drift: null,
    explainedBy: TOPIC,
  };
  const item = {
    change: { id: 'C1', attributes: {} },
    entityRef: producer,
    hop: 2,
    path: [throughApi, throughTopic],
    viaObservedOnly: false,
    highlighted: false,
    inProgress: false,
  } as unknown as ChangeInWindow;

  it('asks about the Resource and the API, and names them restricted when unreadable', () => {
    expect([...changeRefs([item])]).toEqual(
      expect.arrayContaining([TOPIC, API]),
    );
    const readable = (ref: string) => ref !== TOPIC && ref !== API;
    const { items, restricted } = restrictChanges([item], readable);
    expect(restricted).toBe(0);
    expect(items[0].path).toEqual([
      { ...throughApi, reasons: ['consumesApi:restricted', 'observed'] },
      { ...throughTopic, explainedBy: 'restricted' },
    ]);
    expect(JSON.stringify(items)).not.toMatch(/topic|producer-api/);
    // readable: the same objects
    expect(restrictChanges([item], () => true).items[0]).toBe(item);
  });
});

describe('the last change and last successful deploy', () => {
  const MEMBER = 'component:default/member';
  const SECRET = 'component:default/secret-svc';
  const infra = {
    id: 'I1',
    entityRef: MEMBER,
    kind: 'infra',
    attributes: { workspace: 'w', affectedEntities: [SECRET, MEMBER] },
  } as unknown as ChangeRecord;
  const deploy = {
    id: 'D1',
    entityRef: null,
    alias: 'gone',
    kind: 'deploy',
    attributes: {},
  } as unknown as ChangeRecord;
  const latest = { lastChange: infra, lastSuccessfulDeploy: deploy };
  const subjectOf = (r: ChangeRecord) => r.entityRef;

  it('asks about their entities and affected entities, and redacts those the caller may not read', () => {
    expect([...latestRefs(latest, subjectOf)]).toEqual([
      MEMBER,
      SECRET,
      MEMBER,
    ]);
    const out = restrictLatest(latest, ref => ref !== SECRET, subjectOf);
    expect(out.lastChange?.attributes).toEqual({
      workspace: 'w',
      affectedEntities: ['restricted', MEMBER],
    });
    // readable throughout: the same record
    expect(
      restrictLatest(
        { ...latest, lastSuccessfulDeploy: null },
        () => true,
        subjectOf,
      ).lastChange,
    ).toBe(infra);
  });

  it('withholds one whose entity cannot be resolved, even when everything is readable', () => {
    const out = restrictLatest(latest, () => true, subjectOf);
    expect(out.lastSuccessfulDeploy).toBeNull();
    expect(out.latestRestricted).toEqual(['lastSuccessfulDeploy']);
    expect(out.lastChange).toBe(infra);
  });
});
