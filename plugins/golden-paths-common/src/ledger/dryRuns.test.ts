import {
  dryRunFromRecord,
  isKillSwitchRefusal,
  LastDryRunAnswer,
  templateNameOf,
  templatesNamed,
  templatesUsingAction,
  withoutRequestDetails,
} from './dryRuns';

const DIGEST = `sha256:${'d'.repeat(64)}`;
const FP = `sha256:${'f'.repeat(64)}`;

/** The record `POST /requests/:key/open` writes for a dry run (router.ts, `base` + outcome). */
function openRecord(extra: Record<string, unknown> = {}) {
  return {
    at: '2026-11-23T10:05:00.000Z',
    requestKey: 'service-node-http:basket-api',
    action: 'goldenpath:ledger:open',
    stepId: 'ledger-open',
    taskId: 'task-dry-1',
    fingerprint: FP,
    templateRef: 'template:default/service-node-http',
    templateVersion: '1.0.0',
    actor: { userRef: 'user:default/ana.ruiz', via: 'api' },
    dryRun: true,
    mode: 'create',
    decision: 'allow',
    result: 'started',
    ...extra,
  };
}

const event = (record: Record<string, unknown>) => ({
  id: '01JD00000000000000000000AA',
  at: '2026-11-23T10:05:00.000Z',
  record,
});

describe('dryRunFromRecord', () => {
  it.each([
    ['create', 'would-create'],
    ['resume', 'would-resume'],
    ['replay', 'would-replay'],
  ])('mode %s is %s', (mode, outcome) => {
    expect(dryRunFromRecord(event(openRecord({ mode })))).toEqual({
      eventId: '01JD00000000000000000000AA',
      at: '2026-11-23T10:05:00.000Z',
      by: 'user:default/ana.ruiz',
      taskId: 'task-dry-1',
      requestKey: 'service-node-http:basket-api',
      templateRef: 'template:default/service-node-http',
      template: 'service-node-http',
      templateVersion: '1.0.0',
      fingerprint: FP,
      outcome,
    });
  });

  it('names the rule of a refusal and keeps the plan digest when one was sent', () => {
    const view = dryRunFromRecord(
      event(
        openRecord({
          mode: undefined,
          decision: 'deny',
          errorCode: 'GP-K01',
          result: 'skipped',
          planDigest: DIGEST,
        }),
      ),
    );
    expect(view).toMatchObject({
      outcome: 'refused',
      ruleId: 'GP-K01',
      planDigest: DIGEST,
    });
  });

  it('tells whether it ran after the switch was thrown', () => {
    const r = event(openRecord());
    expect(dryRunFromRecord(r, '2026-11-23T09:30:00.000Z')?.afterSwitch).toBe(
      true,
    );
    expect(dryRunFromRecord(r, '2026-11-23T10:30:00.000Z')?.afterSwitch).toBe(
      false,
    );
    expect(dryRunFromRecord(r)).not.toHaveProperty('afterSwitch');
  });

  it('is undefined for a real run and for another action', () => {
    expect(dryRunFromRecord(event(openRecord({ dryRun: false })))).toBe(
      undefined,
    );
    expect(
      dryRunFromRecord(
        event(openRecord({ action: 'goldenpath:ledger:close' })),
      ),
    ).toBe(undefined);
  });
});

describe('isKillSwitchRefusal', () => {
  const refused = (errorCode: string) =>
    dryRunFromRecord(
      event(openRecord({ mode: undefined, decision: 'deny', errorCode })),
    )!;

  it('is true for a refusal by a kill switch only', () => {
    expect(isKillSwitchRefusal(refused('GP-K01'))).toBe(true);
    expect(isKillSwitchRefusal(refused('GP-K02'))).toBe(true);
    expect(isKillSwitchRefusal(refused('GP-K03'))).toBe(true);
    // a ledger refusal (another task holds the lease) says something about the request
    expect(isKillSwitchRefusal(refused('GP-I03'))).toBe(false);
    expect(isKillSwitchRefusal(dryRunFromRecord(event(openRecord()))!)).toBe(
      false,
    );
  });
});

describe('withoutRequestDetails', () => {
  const run = dryRunFromRecord(
    event(openRecord({ planDigest: DIGEST })),
    '2026-11-23T09:30:00.000Z',
  )!;
  const refusal = dryRunFromRecord(
    event(
      openRecord({ mode: undefined, decision: 'deny', errorCode: 'GP-K01' }),
    ),
  )!;

  it('keeps when, template, outcome and whether after the switch, and says what it left out', () => {
    const answer: LastDryRunAnswer = {
      scope: 'template',
      id: 'service-node-http',
      covers: { kind: 'templates', templates: ['service-node-http'] },
      switchedOffSince: '2026-11-23T09:30:00.000Z',
      lastDryRun: run,
      latestSwitchRefusal: refusal,
      searched: { records: 2, complete: true },
    };
    const kept = {
      eventId: '01JD00000000000000000000AA',
      at: '2026-11-23T10:05:00.000Z',
      template: 'service-node-http',
      templateVersion: '1.0.0',
    };
    expect(withoutRequestDetails(answer)).toEqual({
      scope: 'template',
      id: 'service-node-http',
      covers: { kind: 'templates', templates: ['service-node-http'] },
      switchedOffSince: '2026-11-23T09:30:00.000Z',
      lastDryRun: { ...kept, outcome: 'would-create', afterSwitch: true },
      latestSwitchRefusal: { ...kept, outcome: 'refused', ruleId: 'GP-K01' },
      searched: { records: 2, complete: true },
      withheld: {
        permission: 'goldenpaths.request.read',
        fields: [
          'by',
          'taskId',
          'requestKey',
          'templateRef',
          'fingerprint',
          'planDigest',
          'wouldBeRefusedBy.message',
        ],
      },
    });
    // the answer it was made from is left as it was
    expect(answer.lastDryRun).toHaveProperty('requestKey');
  });

  it('adds no dry run where there was none', () => {
    const answer = withoutRequestDetails({
      scope: 'all',
      id: 'all',
      covers: { kind: 'all' },
    });
    expect(answer).not.toHaveProperty('lastDryRun');
    expect(answer).not.toHaveProperty('latestSwitchRefusal');
    expect(answer.withheld?.permission).toBe('goldenpaths.request.read');
  });
});

describe('templatesUsingAction', () => {
  const templates = [
    {
      metadata: { name: 'worker-node' },
      spec: {
        steps: [
          { id: 'validate', action: 'goldenpath:validate' },
          { id: 'register', action: 'goldenpath:register' },
        ],
      },
    },
    {
      metadata: { name: 'postgres-database' },
      spec: { steps: [{ id: 'apply', action: 'goldenpath:database:apply' }] },
    },
    {
      metadata: { name: 'service-node-http' },
      spec: {
        steps: [{ id: 'register', action: 'goldenpath:register' }, null],
      },
    },
    { metadata: { name: 'no-steps' }, spec: { steps: 'not a list' } },
    { metadata: { name: 'no-spec' } },
  ];

  it('lists the templates whose steps use the action, sorted', () => {
    expect(templatesUsingAction(templates, 'goldenpath:register')).toEqual([
      'service-node-http',
      'worker-node',
    ]);
    expect(templatesUsingAction(templates, 'publish:github')).toEqual([]);
  });

  it('names a template only when a Template of exactly that name is listed', () => {
    expect(templatesNamed(templates, 'worker-node')).toEqual(['worker-node']);
    expect(templatesNamed(templates, 'worker-nod')).toEqual([]);
    expect(templatesNamed(templates, 'Worker-Node')).toEqual([]);
  });

  it('reads the template name from a template ref', () => {
    expect(templateNameOf('template:default/service-node-http')).toBe(
      'service-node-http',
    );
    expect(templateNameOf('worker-node')).toBe('worker-node');
  });
});

describe('a dry run that ran through a kill switch (§4.7)', () => {
  const k02 = {
    ruleId: 'GP-K02',
    message:
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: INC-5120. Stopped before step "register"; earlier steps are recorded under request "service-node-http:basket-api" and resume when it is switched back on.',
  };

  it('is a dry run that ran (not a refusal), after the switch, saying which switch it passed', () => {
    const view = dryRunFromRecord(
      event(openRecord({ wouldBeRefusedBy: k02 })),
      '2026-11-23T09:30:00.000Z',
    )!;
    expect(view).toMatchObject({
      outcome: 'would-create',
      afterSwitch: true,
      wouldBeRefusedBy: k02,
    });
    expect(isKillSwitchRefusal(view)).toBe(false);
  });

  it('keeps which switch without its text for a caller who may not read requests (the text names the key)', () => {
    const answer = withoutRequestDetails({
      scope: 'action',
      id: 'goldenpath:register',
      covers: { kind: 'templates', templates: ['service-node-http'] },
      lastDryRun: dryRunFromRecord(
        event(openRecord({ wouldBeRefusedBy: k02 })),
      )!,
    });
    expect(answer.lastDryRun?.wouldBeRefusedBy).toEqual({ ruleId: 'GP-K02' });
    expect(JSON.stringify(answer)).not.toContain('basket-api');
    expect(answer.withheld?.fields).toContain('wouldBeRefusedBy.message');
  });

  it('ignores a malformed wouldBeRefusedBy', () => {
    const view = dryRunFromRecord(
      event(openRecord({ wouldBeRefusedBy: { ruleId: 'GP-K01' } })),
    )!;
    expect(view).not.toHaveProperty('wouldBeRefusedBy');
  });
});
