import { DEFAULT_GOLDEN_PATHS_CONFIG } from '@internal/plugin-golden-paths-common';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { ledgerApproval } from './ledgerApproval';

const ask = (approvals: any[]) =>
  ledgerApproval({
    ledger: fakeLedger({ approvals }).ledger,
    config: DEFAULT_GOLDEN_PATHS_CONFIG,
    requestKey: 'service-node-http:promo-api',
    planDigest: `sha256:${'d'.repeat(64)}`,
    triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
    action: 'goldenpath:publish:git',
  });

describe('ledgerApproval', () => {
  it('stops on a kill switch refusing the approval as a denial with its rule and text', async () => {
    const K02 =
      'GP-K02: Action goldenpath:publish:git is switched off by the platform team.';
    const answer = await ask([
      { status: 'refused', ruleId: 'GP-K02', message: K02 },
    ]);
    expect(answer.approved).toBe(false);
    if (answer.approved) return;
    expect(answer).toMatchObject({ ruleId: 'GP-K02', decision: 'deny' });
    expect(answer.error.message).toBe(K02);
  });

  it('waits on a pending approval (needs-approval) and stops on a rejected one', async () => {
    const pending = await ask([
      { status: 'pending', approval: { id: 'apr_1', routes: [] } },
    ]);
    expect(!pending.approved && pending.decision).toBe('needs-approval');
    const rejected = await ask([
      { status: 'rejected', ruleId: 'GP-A02', message: 'GP-A02: rejected' },
    ]);
    expect(!rejected.approved && rejected.decision).toBe('rejected');
  });
});
