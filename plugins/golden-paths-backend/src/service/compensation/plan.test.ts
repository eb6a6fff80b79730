import {
  isInsideRoot,
  parsePublishRef,
  PlanInput,
  PlanStep,
  planCompensation,
  stepAction,
} from './plan';

const ROOT = '/srv/gp/repos';
const SHA = 'a'.repeat(40);
const KEY = 'service-node-http:cart-api';

const publish = (over: Partial<PlanStep> = {}): PlanStep => ({
  stepId: 'publish-local',
  action: 'goldenpath:publish:git',
  status: 'done',
  effectRef: `${ROOT}/cart-api.git@${SHA}`,
  output: { remoteUrl: `${ROOT}/cart-api.git`, commitSha: SHA },
  startedAt: '2026-11-23T10:00:01.000Z',
  finishedAt: '2026-11-23T10:00:02.000Z',
  ...over,
});
const register = (over: Partial<PlanStep> = {}): PlanStep => ({
  stepId: 'register',
  action: 'goldenpath:register',
  status: 'done',
  effectRef: 'golden-paths-local:component:default/cart-api',
  output: { entityRef: 'component:default/cart-api' },
  startedAt: '2026-11-23T10:00:03.000Z',
  finishedAt: '2026-11-23T10:00:04.000Z',
  ...over,
});
const apply = (over: Partial<PlanStep> = {}): PlanStep => ({
  stepId: 'apply',
  action: 'goldenpath:database:apply',
  status: 'done',
  effectRef: 'local-postgres:orders_dev',
  startedAt: '2026-11-23T10:00:00.500Z',
  finishedAt: '2026-11-23T10:00:01.000Z',
  ...over,
});
const lifecycle = (over: Partial<PlanStep> = {}): PlanStep => ({
  stepId: 'lifecycle',
  action: 'goldenpath:lifecycle',
  status: 'done',
  effectRef: `${ROOT}/cart-api.git@${SHA}`,
  output: { from: 'production', to: 'deprecated' },
  startedAt: '2026-11-23T10:00:01.000Z',
  finishedAt: '2026-11-23T10:00:02.000Z',
  ...over,
});

const input = (over: Partial<PlanInput> = {}): PlanInput => ({
  request: { requestKey: KEY, status: 'succeeded', request: {} },
  steps: [],
  approvals: [],
  localRoot: ROOT,
  catalogLocations: false,
  ...over,
});

/** `stepId:class:plan(:automated)` per item, the shape the table compares. */
const lines = (i: PlanInput) =>
  planCompensation(i).items.map(
    it =>
      `${it.stepId}:${it.class}:${it.plan}${it.automated ? ':auto' : ''}${
        it.refusal ? ':refused' : ''
      }`,
  );

describe('planCompensation', () => {
  it.each<[string, PlanInput, string[]]>([
    [
      'local service: register, then publish (reverse completion), then the ledger',
      input({ steps: [publish(), register()] }),
      [
        'register:compensating:with-repository:auto',
        'publish-local:compensating:delete-local-repository:auto',
        'ledger:none:close-request:auto',
      ],
    ],
    [
      'remote publish is listed for a human (archive not automated)',
      input({
        steps: [
          publish({
            effectRef: `https://github.com/acme/cart-api.git@${SHA}`,
          }),
        ],
      }),
      ['publish-local:compensating:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'ssh remote is a remote too',
      input({
        steps: [publish({ effectRef: `git@github.com:acme/x.git@${SHA}` })],
      }),
      ['publish-local:compensating:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'a repository outside the local root is refused in the plan',
      input({ steps: [publish({ effectRef: `/etc/cart-api.git@${SHA}` })] }),
      [
        'publish-local:compensating:delete-local-repository:refused',
        'ledger:none:close-request:auto',
      ],
    ],
    [
      'the root itself or a path escaping it with .. is refused',
      input({
        steps: [publish({ effectRef: `${ROOT}/../other.git@${SHA}` })],
      }),
      [
        'publish-local:compensating:delete-local-repository:refused',
        'ledger:none:close-request:auto',
      ],
    ],
    [
      'local register without a deletable repository is manual',
      input({ steps: [register()] }),
      ['register:compensating:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'catalog location with a catalog client: removed automatically',
      input({
        steps: [
          register({ effectRef: '7f3c2b1a-0000-4000-8000-000000000001' }),
        ],
        catalogLocations: true,
      }),
      [
        'register:compensating:remove-catalog-location:auto',
        'ledger:none:close-request:auto',
      ],
    ],
    [
      'catalog location without a catalog client: manual',
      input({
        steps: [
          register({ effectRef: '7f3c2b1a-0000-4000-8000-000000000001' }),
        ],
      }),
      ['register:compensating:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'database apply is irreversible and never automated',
      input({
        steps: [
          apply(),
          publish({ effectRef: `/srv/gp/repos/platform-infra.git@${SHA}` }),
          register({ finishedAt: '2026-11-23T10:00:05.000Z' }),
        ],
      }),
      [
        'register:compensating:with-repository:auto',
        'publish-local:compensating:delete-local-repository:auto',
        'apply:irreversible:manual',
        'ledger:none:close-request:auto',
      ],
    ],
    [
      'lifecycle deprecate is reversible by undeprecate (manual here)',
      input({
        request: {
          requestKey: 'lifecycle:component:default/cart-api:deprecate',
          status: 'succeeded',
          request: {
            entity: 'component:default/cart-api',
            transition: 'deprecate',
          },
        },
        steps: [lifecycle()],
      }),
      ['lifecycle:reversible:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'lifecycle delete is irreversible',
      input({
        request: {
          requestKey: 'lifecycle:component:default/cart-api:delete',
          status: 'succeeded',
          request: {
            entity: 'component:default/cart-api',
            transition: 'delete',
          },
        },
        steps: [lifecycle({ effectRef: `${ROOT}/.deleted/cart-api.git` })],
      }),
      ['lifecycle:irreversible:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'descriptor: nothing to undo (workspace only)',
      input({
        steps: [
          {
            stepId: 'descriptor',
            action: 'goldenpath:descriptor',
            status: 'done',
            startedAt: '2026-11-23T10:00:00.000Z',
            finishedAt: '2026-11-23T10:00:00.100Z',
          },
        ],
      }),
      ['descriptor:reversible:nothing', 'ledger:none:close-request:auto'],
    ],
    [
      'an open request with nothing done and pending approvals: supersede, abandon',
      input({
        request: { requestKey: KEY, status: 'awaiting-approval' },
        approvals: [
          { id: 'apr_1', status: 'pending' },
          { id: 'apr_0', status: 'expired' },
        ],
      }),
      [
        'approvals:compensating:supersede-approvals:auto',
        'ledger:none:close-request:auto',
      ],
    ],
    [
      'steps that did not complete are listed for a human',
      input({
        steps: [
          publish({
            status: 'failed',
            effectRef: undefined,
            finishedAt: undefined,
          }),
        ],
      }),
      ['publish-local:compensating:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'steps compensated by an earlier run are not acted on again',
      input({
        steps: [publish({ status: 'compensated' }), register()],
      }),
      [
        'register:compensating:with-repository:auto',
        'publish-local:compensating:already-compensated',
        'ledger:none:close-request:auto',
      ],
    ],
    [
      'an unknown action is treated as irreversible',
      input({
        steps: [
          {
            stepId: 'mystery',
            status: 'done',
            effectRef: 'something',
            startedAt: '2026-11-23T10:00:00.000Z',
            finishedAt: '2026-11-23T10:00:00.100Z',
          },
        ],
      }),
      ['mystery:irreversible:manual', 'ledger:none:close-request:auto'],
    ],
    [
      'an already compensated request has an empty plan',
      input({
        request: { requestKey: KEY, status: 'compensated' },
        steps: [publish({ status: 'compensated' })],
      }),
      [],
    ],
  ])('%s', (_name, i, expected) => {
    expect(lines(i)).toEqual(expected);
  });

  it('says why the plan is empty, and when the request is abandoned', () => {
    const empty = planCompensation(
      input({ request: { requestKey: KEY, status: 'compensated' } }),
    );
    expect(empty).toMatchObject({
      empty: true,
      items: [],
      message: `request "${KEY}" is already compensated; nothing to do`,
    });
    const open = planCompensation(
      input({ request: { requestKey: KEY, status: 'open' } }),
    );
    expect(open.abandoned).toBe(true);
    expect(open.items[0].description).toContain('abandoned');
    expect(planCompensation(input({ steps: [publish()] })).abandoned).toBe(
      false,
    );
  });

  it('names the repository and commit, and the carrier of a local register', () => {
    const plan = planCompensation(input({ steps: [publish(), register()] }));
    expect(plan.items[0]).toMatchObject({
      dependsOn: 'publish-local',
      target: 'component:default/cart-api',
    });
    expect(plan.items[1]).toMatchObject({
      target: `${ROOT}/cart-api.git`,
      commitSha: SHA,
    });
    expect(plan.items[1].refusal).toBeUndefined();
  });

  it('infers the action of rows claimed before actions were recorded', () => {
    const bare = { stepId: 's', status: 'done' as const, startedAt: '' };
    expect(
      stepAction({
        ...bare,
        output: { remoteUrl: 'x', commitSha: SHA, treeSha: SHA },
      }),
    ).toBe('goldenpath:publish:git');
    expect(
      stepAction({ ...bare, output: { entityRef: 'x', locationId: 'l' } }),
    ).toBe('goldenpath:register');
    expect(
      stepAction({
        ...bare,
        effectRef: 'golden-paths-local:component:default/x',
      }),
    ).toBe('goldenpath:register');
    expect(stepAction({ ...bare, output: { provisionerRunId: 'r' } })).toBe(
      'goldenpath:database:apply',
    );
    expect(stepAction({ ...bare, output: { from: 'a', to: 'b' } })).toBe(
      'goldenpath:lifecycle',
    );
    expect(stepAction(bare)).toBe('unknown');
  });

  it('parses publish effect refs and checks the root textually', () => {
    expect(parsePublishRef(`/r/a@b.git@${SHA}`)).toEqual({
      remote: '/r/a@b.git',
      commitSha: SHA,
    });
    expect(parsePublishRef('/r/a.git')).toBeUndefined();
    expect(parsePublishRef('/r/a.git@HEAD')).toBeUndefined();
    expect(isInsideRoot(ROOT, `${ROOT}/a.git`)).toBe(true);
    expect(isInsideRoot(ROOT, `${ROOT}/nested/a.git`)).toBe(true);
    expect(isInsideRoot(ROOT, `${ROOT}/a`)).toBe(false);
    expect(isInsideRoot(ROOT, ROOT)).toBe(false);
    expect(isInsideRoot(ROOT, `${ROOT}-evil/a.git`)).toBe(false);
    expect(isInsideRoot(ROOT, `${ROOT}/../a.git`)).toBe(false);
  });
});
