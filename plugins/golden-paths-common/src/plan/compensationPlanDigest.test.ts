import { compensationPlanDigest } from './compensationPlanDigest';

const KEY = 'service-node-http:cart-api';
const publish = {
  stepId: 'publish-local',
  action: 'goldenpath:publish:git',
  plan: 'delete-local-repository',
  target: '/srv/gp/repos/cart-api.git',
  commitSha: 'a'.repeat(40),
};
const close = {
  stepId: 'ledger',
  action: 'goldenpath:ledger:open',
  plan: 'close-request',
  target: KEY,
};

describe('compensationPlanDigest', () => {
  it('is a sha256 digest that ignores wording and the order of members', () => {
    const digest = compensationPlanDigest(KEY, [publish, close]);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const reordered = {
      commitSha: publish.commitSha,
      target: publish.target,
      plan: publish.plan,
      action: publish.action,
      stepId: publish.stepId,
      description: 'delete the local bare repository',
      result: 'would',
    };
    expect(compensationPlanDigest(KEY, [reordered, close])).toBe(digest);
    expect(
      compensationPlanDigest('service-node-http:cart-api', [
        publish,
        { ...close, approvalIds: undefined },
      ]),
    ).toBe(digest);
  });

  it.each([
    ['another commit', [{ ...publish, commitSha: 'b'.repeat(40) }, close]],
    ['another target', [{ ...publish, target: '/srv/other.git' }, close]],
    ['another plan', [{ ...publish, plan: 'manual' }, close]],
    ['an item fewer', [close]],
    ['another order', [close, publish]],
  ])('changes with %s', (_what, items) => {
    expect(compensationPlanDigest(KEY, items)).not.toBe(
      compensationPlanDigest(KEY, [publish, close]),
    );
  });

  it('binds the request key and sorts approval ids', () => {
    const approvals = {
      stepId: 'approvals',
      action: 'goldenpath:approve',
      plan: 'supersede-approvals',
      approvalIds: ['apr_2', 'apr_1'],
    };
    expect(compensationPlanDigest(KEY, [approvals])).toBe(
      compensationPlanDigest(KEY, [
        { ...approvals, approvalIds: ['apr_1', 'apr_2'] },
      ]),
    );
    expect(compensationPlanDigest('other:key', [approvals])).not.toBe(
      compensationPlanDigest(KEY, [approvals]),
    );
  });
});
