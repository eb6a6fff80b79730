import {
  planRepair,
  RepairBody,
  RepairableStep,
  RepairPlan,
} from './planRepair';

const SHA = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);
const REPO = '/srv/gp/repos/cart-api.git';

const step = (over: Partial<RepairableStep> = {}): RepairableStep => ({
  stepId: 'publish-local',
  action: 'goldenpath:publish:git',
  status: 'done',
  effectRef: `${REPO}@${SHA}`,
  startedAt: '2026-11-23T10:00:01.000Z',
  finishedAt: '2026-11-23T10:00:02.000Z',
  ...over,
});
const register = (over: Partial<RepairableStep> = {}) =>
  step({
    stepId: 'register',
    action: 'goldenpath:register',
    effectRef: 'golden-paths-local:component:default/cart-api',
    ...over,
  });

type Row = [string, RepairableStep, RepairBody, RepairPlan];

const REPAIR_ROWS: Row[] = [
  [
    'done → compensated',
    step(),
    { status: 'compensated' },
    { outcome: 'change', status: 'compensated', effectRef: `${REPO}@${SHA}` },
  ],
  [
    'failed → compensated (what it left was undone by hand)',
    step({ status: 'failed', effectRef: undefined }),
    { status: 'compensated' },
    { outcome: 'change', status: 'compensated' },
  ],
  [
    'failed → compensated with the effect it had left',
    step({ status: 'failed', effectRef: undefined }),
    { status: 'compensated', effectRef: `${REPO}@${OTHER}` },
    { outcome: 'change', status: 'compensated', effectRef: `${REPO}@${OTHER}` },
  ],
  [
    'fix effect_ref of a done step',
    step(),
    { effectRef: `${REPO}@${OTHER}` },
    { outcome: 'change', status: 'done', effectRef: `${REPO}@${OTHER}` },
  ],
  [
    'fix effect_ref of a compensated step',
    register({ status: 'compensated' }),
    { effectRef: 'golden-paths-local:component:default/basket-api' },
    {
      outcome: 'change',
      status: 'compensated',
      effectRef: 'golden-paths-local:component:default/basket-api',
    },
  ],
  [
    'a catalog location id for register',
    register(),
    { effectRef: '7f3c2b1a-0000-4000-8000-000000000001' },
    {
      outcome: 'change',
      status: 'done',
      effectRef: '7f3c2b1a-0000-4000-8000-000000000001',
    },
  ],
  [
    'already compensated: no-op',
    step({ status: 'compensated' }),
    { status: 'compensated' },
    { outcome: 'unchanged' },
  ],
  [
    'same effect_ref: no-op',
    step(),
    { effectRef: `${REPO}@${SHA}` },
    { outcome: 'unchanged' },
  ],
  [
    'same status and effect_ref: no-op',
    step({ status: 'compensated' }),
    { status: 'compensated', effectRef: `${REPO}@${SHA}` },
    { outcome: 'unchanged' },
  ],
  [
    'claimed: conflict',
    step({ status: 'claimed', taskId: 'task-7', attempt: 2 }),
    { status: 'compensated' },
    {
      outcome: 'conflict',
      message:
        'step "publish-local" of request "service-node-http:cart-api" is claimed (attempt 2, task task-7) and has no recorded result yet; repair it after its task finished or failed (switch the action off first to stop a running task, §8)',
    },
  ],
  [
    'claimed, effect_ref only: conflict',
    step({ status: 'claimed', taskId: 'task-7', attempt: 1 }),
    { effectRef: `${REPO}@${OTHER}` },
    {
      outcome: 'conflict',
      message:
        'step "publish-local" of request "service-node-http:cart-api" is claimed (attempt 1, task task-7) and has no recorded result yet; repair it after its task finished or failed (switch the action off first to stop a running task, §8)',
    },
  ],
  [
    'failed, effect_ref only: conflict',
    step({ status: 'failed' }),
    { effectRef: `${REPO}@${OTHER}` },
    {
      outcome: 'conflict',
      message:
        'step "publish-local" of request "service-node-http:cart-api" failed: nothing reads the effect_ref of a failed step (compensation lists it for a human, a rerun claims it again). Send status "compensated" with it once what the step left is undone, or rerun the request',
    },
  ],
  [
    'publish:git effect_ref without a commit: invalid',
    step(),
    { effectRef: REPO },
    {
      outcome: 'invalid',
      message:
        'effectRef of a goldenpath:publish:git step must be "<repository>@<commit sha>" (40 or 64 hex characters), as publish records it',
    },
  ],
  [
    'register effect_ref neither a location id nor golden-paths-local:<ref>: invalid',
    register(),
    { effectRef: 'https://catalog.example.com/locations/1' },
    {
      outcome: 'invalid',
      message:
        'effectRef of a goldenpath:register step must be a catalog location id or "golden-paths-local:<entity ref>", as register records it',
    },
  ],
  [
    'other actions take any effect_ref',
    step({ stepId: 'apply', action: 'goldenpath:database:apply' }),
    { effectRef: 'local-postgres:cart_db_dev' },
    {
      outcome: 'change',
      status: 'done',
      effectRef: 'local-postgres:cart_db_dev',
    },
  ],
];

describe('planRepair', () => {
  it.each(REPAIR_ROWS)('%s', (_name, s, body, expected) => {
    expect(planRepair('service-node-http:cart-api', s, body)).toEqual(expected);
  });
});
