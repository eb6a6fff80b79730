import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { recordingAuditor } from '../../__testUtils__/actionContext';
import { assertActionEnabled } from './killSwitch';

// A config reloaded mid-run with a malformed kill-switch entry (§4.7 re-reads the config on every
// invocation): the action cannot tell whether it is switched off, so it stops, and the stop goes
// through the same path as a switch's: audited, and the request released (a rerun once the config
// is fixed resumes instead of meeting this task's lease, GP-I03).

const KEY = 'service-node-http:basket-api';
const MALFORMED = new ConfigReader({
  goldenPaths: { killSwitch: { actions: { 'goldenpath:register': 'off' } } },
});

function check(opts: { dryRun: boolean }) {
  const fake = fakeLedger();
  const { auditor, events } = recordingAuditor();
  const report = { logger: mockServices.logger.mock(), output: jest.fn() };
  const run = assertActionEnabled({
    config: MALFORMED,
    actionId: 'goldenpath:register',
    stepId: 'register',
    requestKey: KEY,
    task: {
      taskId: 'task-1',
      userRef: 'user:default/ana.ruiz',
      dryRun: opts.dryRun,
    },
    startedAt: Date.now(),
    auditor,
    release: fake.ledger,
    report,
  });
  return { run, fake, events, report };
}

describe('assertActionEnabled with a malformed kill-switch entry', () => {
  it('stops a real run with the config error, audited, and releases the request', async () => {
    const { run, fake, events } = check({ dryRun: false });
    await expect(run).rejects.toThrow(
      'goldenPaths.killSwitch.actions["goldenpath:register"] must be an object',
    );
    expect(events).toHaveLength(1);
    expect(events[0].meta).toMatchObject({
      action: 'goldenpath:register',
      stepId: 'register',
      requestKey: KEY,
      decision: 'deny',
      result: 'failed',
      dryRun: false,
    });
    expect(events[0].outcome).toBe('fail');
    expect(fake.calls).toEqual([
      {
        op: 'close',
        key: KEY,
        body: { taskId: 'task-1', status: 'failed' },
      },
    ]);
  });

  it('stops a dry run too (fail closed), audited, releasing nothing it never claimed', async () => {
    const { run, fake, events, report } = check({ dryRun: true });
    await expect(run).rejects.toThrow(
      'goldenPaths.killSwitch.actions["goldenpath:register"] must be an object',
    );
    expect(events.map(e => [e.meta.decision, e.meta.result])).toEqual([
      ['deny', 'failed'],
    ]);
    expect(fake.calls).toEqual([]);
    expect(report.output).not.toHaveBeenCalled();
  });
});
