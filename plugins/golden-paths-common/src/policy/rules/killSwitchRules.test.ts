import { checkKillSwitches, switchRefusalOf } from './killSwitchRules';

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
