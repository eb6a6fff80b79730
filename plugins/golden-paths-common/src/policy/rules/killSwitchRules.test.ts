import {
  checkActionSwitch,
  checkKillSwitches,
  switchRefusalOf,
} from './killSwitchRules';

const off = {
  disabled: true,
  reason: 'CI workflow v3.4.1 broken (INC-5120)',
  since: '2026-11-23T09:30:00Z',
};

describe('switchRefusalOf', () => {
  it('is the refusal a real run gets: the first kill-switch rule in §5 order and every line', () => {
    const results = checkKillSwitches(
      { all: off, templates: { 'service-node-http': off } },
      { name: 'service-node-http' },
      'service-node-http:basket-api',
    );
    expect(switchRefusalOf(results)).toEqual({
      ruleId: 'GP-K01',
      message: [
        'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Nothing was created.',
        'GP-K03: Golden paths are switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Nothing was created.',
      ].join('\n'),
    });
  });

  it('is undefined without a kill-switch denial', () => {
    expect(switchRefusalOf([])).toBeUndefined();
    expect(
      switchRefusalOf([
        { id: 'GP-N01', outcome: 'deny', message: 'GP-N01: x' },
      ]),
    ).toBeUndefined();
  });
});

describe('checkKillSwitches without since', () => {
  // a config switch may leave `since` out: the line must not read "since : …"
  const undated = { disabled: true, reason: 'INC-1' };

  it('leaves the time out of GP-K01, GP-K02 and GP-K03', () => {
    const results = checkKillSwitches(
      {
        all: undated,
        templates: { 'service-node-http': undated },
        actions: { 'goldenpath:register': undated },
      },
      {
        name: 'service-node-http',
        steps: [{ id: 'register', action: 'goldenpath:register' }],
      },
      'service-node-http:basket-api',
    );
    expect(results.map(r => r.message)).toEqual([
      'GP-K03: Golden paths are switched off by the platform team: INC-1. Nothing was created.',
      'GP-K01: Template "service-node-http" is switched off by the platform team: INC-1. Nothing was created.',
      'GP-K02: Action goldenpath:register is switched off by the platform team: INC-1. Stopped before step "register". Nothing was created.',
    ]);
  });
});

describe('GP-K02 before any effect', () => {
  const switches = { actions: { 'goldenpath:register': off } };
  const template = {
    name: 'service-node-http',
    steps: [{ id: 'register', action: 'goldenpath:register' }],
  };
  const key = 'service-node-http:basket-api';

  it('says nothing was created when the ledger holds no step of the request (a first run)', () => {
    expect(checkKillSwitches(switches, template, key)[0].message).toBe(
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Stopped before step "register". Nothing was created.',
    );
  });

  it("keeps V19's text when the ledger holds steps of the request (a resumed run)", () => {
    expect(
      checkKillSwitches(switches, template, key, { stepsRecorded: true })[0]
        .message,
    ).toBe(
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Stopped before step "register"; earlier steps are recorded under request "service-node-http:basket-api" and resume when it is switched back on.',
    );
  });

  it("a mid-run stop (an action's own check) keeps V19's text", () => {
    expect(
      checkActionSwitch(switches, 'goldenpath:register', 'register', key)
        ?.message,
    ).toBe(
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Stopped before step "register"; earlier steps are recorded under request "service-node-http:basket-api" and resume when it is switched back on.',
    );
  });
});

describe("checkActionSwitch with the run's template", () => {
  const key = 'service-node-http:basket-api';
  const k01MidRun =
    'GP-K01: Template "service-node-http" is switched off by the platform team since 2026-11-23 09:30 UTC: CI workflow v3.4.1 broken (INC-5120). Stopped before step "publish-local"; earlier steps are recorded under request "service-node-http:basket-api" and resume when it is switched back on.';

  it('stops a run of a template switched off after it started (GP-K01), before the action switch', () => {
    const denial = checkActionSwitch(
      {
        templates: { 'service-node-http': off },
        actions: { 'goldenpath:publish:git': off },
      },
      'goldenpath:publish:git',
      'publish-local',
      key,
      { templateName: 'service-node-http' },
    );
    expect(denial).toMatchObject({ id: 'GP-K01', message: k01MidRun });
  });

  it('matches the template name case-insensitively (names may carry capitals)', () => {
    const denial = checkActionSwitch(
      { templates: { 'service-node-http': off } },
      'goldenpath:publish:git',
      'publish-local',
      key,
      { templateName: 'Service-Node-HTTP' },
    );
    expect(denial?.id).toBe('GP-K01');
  });

  it('leaves other templates, and callers that name no template, alone', () => {
    const switches = { templates: { 'service-node-http': off } };
    expect(
      checkActionSwitch(switches, 'goldenpath:publish:git', 'p', key, {
        templateName: 'worker-node',
      }),
    ).toBeUndefined();
    expect(
      checkActionSwitch(switches, 'goldenpath:publish:git', 'p', key),
    ).toBeUndefined();
  });

  it('still answers GP-K03 first when everything is switched off', () => {
    expect(
      checkActionSwitch(
        { all: off, templates: { 'service-node-http': off } },
        'goldenpath:publish:git',
        'publish-local',
        key,
        { templateName: 'service-node-http' },
      )?.id,
    ).toBe('GP-K03');
  });
});
