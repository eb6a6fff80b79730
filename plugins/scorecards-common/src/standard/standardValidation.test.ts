import { defaultStandardFile } from './defaultStandard';
import { loadStandard, parseStandard } from './parseStandard';
import { CheckDefinitionInput, StandardFile } from './standardSchema';

/**
 * Regression tests for the probe's P1, P2, P3, P4, P5, P6 and P7 (.scratch/probe-standards):
 * a standard that would be read other than its author meant fails at load, naming the field.
 */

const FILE = 'standards/default.yaml';

function withCheck(id: string, change: Partial<CheckDefinitionInput>) {
  return {
    ...defaultStandardFile,
    checks: defaultStandardFile.checks.map(c =>
      c.id === id ? { ...c, ...change } : c,
    ),
  };
}

function errorsOf(file: StandardFile): string[] {
  const result = parseStandard(file, { fileName: FILE });
  return result.ok ? [] : result.errors;
}

const errorsFor = (id: string, change: Partial<CheckDefinitionInput>) =>
  errorsOf(withCheck(id, change));

const twoPhases = (from: string) => ({
  rollout: [
    { phase: 'observe' as const, from: '2026-01-05' },
    { phase: 'remediate' as const, from },
  ],
});

const changelogWith = (date: string, effectiveFrom = '2026-01-01') => ({
  ...defaultStandardFile,
  changelog: [
    {
      version: 7,
      date,
      entries: [
        {
          checkId: 'deploy-recent',
          change: 'c',
          actionRequired: 'a',
          effectiveFrom,
        },
      ],
    },
  ],
});

describe('dates of a standard', () => {
  it.each([
    [
      'rollout from, a day that does not exist',
      withCheck('deploy-recent', twoPhases('2026-02-30')),
      'check "deploy-recent": rollout[1].from names a day that does not exist (got "2026-02-30")',
    ],
    [
      'retiresAt, a day that does not exist',
      withCheck('deploy-recent', { retiresAt: '2026-04-31T00:00:00Z' }),
      'check "deploy-recent": retiresAt names a day that does not exist',
    ],
    [
      'changelog date, 29 February of a common year',
      changelogWith('2026-02-29'),
      'changelog[0].date names a day that does not exist',
    ],
    [
      'changelog effectiveFrom, a day that does not exist',
      changelogWith('2026-01-01', '2026-06-31'),
      'changelog[0].entries[0].effectiveFrom names a day that does not exist',
    ],
    [
      'rollout from, a zone-less date-time',
      withCheck('prod-deploy-protected', twoPhases('2026-03-14T02:05')),
      'check "prod-deploy-protected": rollout[1].from has no time zone',
    ],
    [
      'retiresAt, a zone-less date-time',
      withCheck('deploy-recent', { retiresAt: '2026-05-01T00:00:00' }),
      'check "deploy-recent": retiresAt has no time zone',
    ],
    [
      'changelog date, a zone-less date-time',
      changelogWith('2026-01-01 10:00'),
      'changelog[0].date has no time zone',
    ],
    [
      'rollout from, free text',
      withCheck('deploy-recent', twoPhases('March 1, 2026')),
      'check "deploy-recent": rollout[1].from must be an ISO-8601 date',
    ],
  ])('refuses %s, naming the field', (_, file, message) => {
    expect(errorsOf(file).join('\n')).toContain(`${FILE}: ${message}`);
  });

  it.each([
    ['a date (UTC midnight)', '2026-02-28', Date.UTC(2026, 1, 28)],
    ['a leap day', '2028-02-29', Date.UTC(2028, 1, 29)],
    ['a date-time in UTC', '2026-03-14T02:05Z', Date.UTC(2026, 2, 14, 2, 5)],
    [
      'a date-time with an offset',
      '2026-03-14T03:05:00+01:00',
      Date.UTC(2026, 2, 14, 2, 5),
    ],
  ])(
    'accepts %s and reads it as the same instant on every server',
    (_, from, ms) => {
      const check = loadStandard(
        withCheck('deploy-recent', {
          rollout: [
            { phase: 'observe', from: '2026-01-01' },
            { phase: 'remediate', from },
          ],
        }),
      ).byId.get('deploy-recent')!;
      expect(check.rollout[1].fromMs).toBe(ms);
    },
  );
});

describe('parameters each op or rule needs', () => {
  it.each([
    [
      'deploy-recent',
      { rule: 'recent' },
      'params.withinDays must be a number for rule recent (got nothing)',
    ],
    [
      'rollback-ready',
      { rule: 'distinctVersions', count: 2 },
      'params.withinDays must be a number for rule distinctVersions',
    ],
    [
      'rollback-exercised',
      { rule: 'rollback' },
      'params.withinDays must be a number for rule rollback',
    ],
    [
      'progressive-delivery',
      { rule: 'exposure', count: 3 },
      'params.withinDays must be a number for rule exposure',
    ],
    [
      'ci-pass-rate',
      { kind: 'ci.summary', path: 'passRate', op: 'gte', value: '90%' },
      'params.value must be a number for op gte (got "90%")',
    ],
    [
      'ci-pass-rate',
      { kind: 'ci.summary', path: 'passRate', op: 'lte' },
      'params.value must be a number for op lte (got nothing)',
    ],
    [
      'ci-pass-rate',
      { kind: 'ci.summary', path: 'passRate', op: 'eq' },
      'params.value must be set for op eq (got nothing)',
    ],
    [
      'ci-pass-rate',
      { kind: 'ci.summary', path: 'passRate', op: 'matches', value: 3 },
      'params.value must be a string for op matches (got 3)',
    ],
    [
      'ci-pass-rate',
      { kind: 'ci.summary', path: 'lastRun', op: 'within' },
      'params.value must be a number for op within',
    ],
    [
      'ci-pass-rate',
      {
        kind: 'vulns.summary',
        path: 'open',
        op: 'noneOlderThan',
        itemDatePath: 'firstSeenAt',
      },
      'params.value must be a number for op noneOlderThan',
    ],
    [
      'ci-pass-rate',
      { kind: 'ci.security', path: 'secrets', op: 'noneMatch' },
      'params.value must be a string or a list of strings for op noneMatch',
    ],
    [
      'tier-declared',
      { path: 'label:ops.example.com/tier', op: 'in' },
      'params.value must be a string or a list of strings for op in (got nothing)',
    ],
    [
      'tier-declared',
      { path: 'label:ops.example.com/tier', op: 'matches' },
      'params.value must be a string for op matches',
    ],
    [
      'lifecycle-valid',
      {
        path: 'spec.lifecycle',
        op: 'exists',
        valueFrom: { config: 'lifecycles' },
      },
      'params.valueFrom is only allowed for op in (got op exists)',
    ],
    [
      'lifecycle-valid',
      {
        path: 'spec.lifecycle',
        op: 'in',
        value: ['production'],
        valueFrom: { config: 'lifecycles' },
      },
      'params.value must not be set together with valueFrom',
    ],
    [
      'tier-declared',
      { path: 'label:ops.example.com/tier', op: 'minItems', value: ['1'] },
      'params.value must be a number for op minItems',
    ],
  ])('%s with params %j is refused', (id, params, message) => {
    const errors = errorsFor(id, { params });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${FILE}: check "${id}": ${message}`);
  });

  it.each([
    ['deploy-immutable-artifact', { rule: 'digest' }],
    ['tier-declared', { path: 'label:ops.example.com/tier', op: 'exists' }],
    ['tier-declared', { path: 'label:ops.example.com/tier', op: 'minItems' }],
    ['ci-pass-rate', { kind: 'ci.summary', path: 'passRate', op: 'nonEmpty' }],
    [
      'ci-pass-rate',
      {
        kind: 'cost.monthly',
        path: 'usd',
        op: 'lte',
        valueFrom: { annotation: 'ops.example.com/monthly-budget-usd' },
      },
    ],
  ])(
    '%s with params %j loads (the op or rule needs nothing more)',
    (id, params) => {
      expect(errorsFor(id, { params })).toEqual([]);
    },
  );
});

describe('unknown parameter keys', () => {
  it.each([
    [
      'deploy-recent',
      { rule: 'recent', withinDays: 30, withinDay: 30 },
      'params.withinDay is an unknown key of the "ledger" parameters',
    ],
    [
      'telemetry-present',
      { foo: 1 },
      'params.foo is an unknown key of the "telemetry" parameters',
    ],
    [
      'ci-pass-rate',
      {
        kind: 'ci.summary',
        path: 'passRate',
        op: 'gte',
        value: 0.9,
        minSample: { path: 'runs', value: 5, min: 1 },
      },
      'params.minSample.min is an unknown key of the "fact" parameters',
    ],
    [
      'budget-signal',
      {
        kind: 'cost.monthly',
        path: 'usd',
        op: 'lte',
        valueFrom: {
          annotation: 'ops.example.com/monthly-budget-usd',
          factr: 1.2,
        },
      },
      'params.valueFrom.factr is an unknown key of the "fact" parameters',
    ],
    [
      'runbook-present',
      {
        of: [
          { type: 'entity-link', params: { linkTypes: ['runbook'] } },
          { type: 'repo-file', params: { paths: ['RUNBOOK.md'], mod: 'all' } },
        ],
      },
      'params.of[1].params.mod is an unknown key of the "repo-file" parameters',
    ],
    [
      'runbook-present',
      { of: [{ type: 'entity-link', param: { linkTypes: ['runbook'] } }] },
      'params.of[0].param is an unknown key of the "any-of" parameters',
    ],
  ])('%s with params %j is refused, naming the key', (id, params, message) => {
    expect(errorsFor(id, { params })).toEqual([
      `${FILE}: check "${id}": ${message} (misspelt?)`,
    ]);
  });
});

describe('context outside contextual checks', () => {
  const context = { anyOf: [{ customerFacing: true as const }] };

  it.each([
    ['branch-protection', 'required'],
    ['chat-channel', 'recommended'],
  ])('refuses context on %s (%s), naming the check', (id, cls) => {
    expect(errorsFor(id, { context })).toEqual([
      `${FILE}: check "${id}": context is only allowed on a contextual check (class is ${cls})`,
    ]);
  });

  it('keeps accepting context on a contextual check', () => {
    expect(
      errorsFor('backup-restore-tested', {
        context: { anyOf: [{ resourceTypes: ['database'] }] },
      }),
    ).toEqual([]);
  });
});

/**
 * P8, P9: a level counts only through its required and contextual checks (§2.7) and the ladder
 * stops at the first level without one. The spec allows such a standard (levels adopted one at a
 * time), so it loads — with a warning naming the level, for the backend to log at startup.
 */
describe('levels no entity can reach', () => {
  const withoutLevel = (level: string) => ({
    ...defaultStandardFile,
    checks: defaultStandardFile.checks.filter(c => c.level !== level),
  });

  it.each([
    [
      'no checks at all',
      { ...defaultStandardFile, checks: [] },
      'levels[0] L0 has no required or contextual check: every rated entity is rated none',
    ],
    [
      'every L1 check made recommended (P9)',
      {
        ...defaultStandardFile,
        checks: defaultStandardFile.checks.map(c =>
          c.level === 'L1'
            ? { ...c, class: 'recommended' as const, level: undefined }
            : c,
        ),
      },
      'levels[1] L1 has no required or contextual check: no entity can rise above L0, and the checks of L2, L3 never count toward a level',
    ],
    [
      'no L0 check, checks above it',
      withoutLevel('L0'),
      'levels[0] L0 has no required or contextual check: every rated entity is rated none, and the checks of L1, L2, L3 never count toward a level',
    ],
    [
      'L3 defined, its checks not written yet',
      withoutLevel('L3'),
      'levels[3] L3 has no required or contextual check: no entity can rise above L2',
    ],
  ])('%s: loads, warning about the level', (_, file, warning) => {
    const result = parseStandard(file, { fileName: FILE });
    expect(result.ok && result.standard.warnings).toEqual([
      `${FILE}: ${warning}`,
    ]);
  });

  it('a contextual check is enough for its level; the default standard has no warning', () => {
    expect(loadStandard(defaultStandardFile).warnings).toEqual([]);
    const onlyContextualL3 = {
      ...defaultStandardFile,
      checks: defaultStandardFile.checks.filter(
        c => c.level !== 'L3' || c.class === 'contextual',
      ),
    };
    expect(loadStandard(onlyContextualL3).warnings).toEqual([]);
  });
});

/** P12: references inside the standard must name something it defines. */
describe('references within a standard', () => {
  const changelog = (version: number, checkId: string) => ({
    ...defaultStandardFile,
    changelog: [
      {
        version,
        date: '2026-01-01',
        entries: [
          {
            checkId,
            change: 'c',
            actionRequired: 'a',
            effectiveFrom: '2026-01-01',
          },
        ],
      },
    ],
  });

  it.each([
    [
      'a changelog entry naming an unknown check',
      changelog(7, 'no-such-check'),
      'changelog[0].entries[0].checkId "no-such-check" is not a check of this standard',
    ],
    [
      'a changelog version after the standard version',
      changelog(99, 'deploy-recent'),
      'changelog[0].version 99 is after the standard version 7',
    ],
    [
      'supersedes naming an unknown check',
      withCheck('deploy-recent', { supersedes: 'no-such-check' }),
      'check "deploy-recent": supersedes "no-such-check" is not a check of this standard',
    ],
    [
      'supersedes naming the check itself',
      withCheck('deploy-recent', { supersedes: 'deploy-recent' }),
      'check "deploy-recent": supersedes names the check itself',
    ],
    [
      'retiresAt before the first rollout phase',
      withCheck('deploy-recent', { retiresAt: '2025-01-01' }),
      'check "deploy-recent": retiresAt must be after rollout[0].from (got 2025-01-01 <= 2025-12-01)',
    ],
    [
      'retiresAt on the day the rollout starts',
      withCheck('deploy-recent', { retiresAt: '2025-12-01T00:00:00Z' }),
      'check "deploy-recent": retiresAt must be after rollout[0].from (got 2025-12-01T00:00:00Z <= 2025-12-01)',
    ],
  ])('refuses %s, naming the field', (_, file, message) => {
    expect(errorsOf(file)).toEqual([`${FILE}: ${message}`]);
  });

  it('accepts references to checks it defines and a retirement after the rollout starts', () => {
    const changes: Record<string, Partial<CheckDefinitionInput>> = {
      'rollback-ready': { supersedes: 'deploy-recent' },
      'deploy-recent': { retiresAt: '2026-06-01' },
    };
    expect(
      errorsOf({
        ...changelog(7, 'deploy-recent'),
        checks: defaultStandardFile.checks.map(c => ({
          ...c,
          ...changes[c.id],
        })),
      }),
    ).toEqual([]);
  });
});

describe('lifecycles a check applies to', () => {
  it('refuses a lifecycle no entity can have (a typo), naming the configured ones', () => {
    const check = defaultStandardFile.checks.find(
      c => c.id === 'deploy-recent',
    )!;
    expect(
      errorsFor('deploy-recent', {
        appliesTo: { ...check.appliesTo, lifecycles: ['prodution'] },
      }),
    ).toEqual([
      expect.stringContaining(
        'check "deploy-recent": appliesTo.lifecycles has "prodution", which is no lifecycle (scorecards.lifecycles: ',
      ),
    ]);
  });

  it('accepts configured lifecycles and "*"', () => {
    const check = defaultStandardFile.checks.find(
      c => c.id === 'deploy-recent',
    )!;
    for (const lifecycles of [['production', 'experimental'], ['*']]) {
      expect(
        errorsFor('deploy-recent', {
          appliesTo: { ...check.appliesTo, lifecycles },
        }),
      ).toEqual([]);
    }
  });
});

describe('field paths and evidence kinds a standard names', () => {
  it('refuses an annotation read by a dotted path, naming the form to write', () => {
    expect(
      errorsFor('tier-declared', {
        params: {
          path: 'metadata.annotations.backstage.io/source-location',
          op: 'exists',
        },
      }),
    ).toEqual([
      expect.stringContaining(
        'reads metadata.annotations by a dotted path, which splits a key at its dots; write annotation:backstage.io/source-location',
      ),
    ]);
  });

  it('warns about a fact kind no configured source collects (a typo), and loads', () => {
    const check = defaultStandardFile.checks.find(
      c => c.id === 'ci-pass-rate',
    )!;
    const result = parseStandard(
      withCheck('ci-pass-rate', {
        params: { ...(check.params as object), kind: 'ci.sumary' },
      }),
      { fileName: FILE },
    );
    expect(result.ok && result.standard.warnings).toEqual([
      expect.stringContaining(
        'standards/default.yaml: check "ci-pass-rate": evidence kind "ci.sumary" is collected by no configured source (',
      ),
    ]);
  });
});

describe('what the checks of a standard may keep naming', () => {
  it('loads the default standard under lifecycles that leave out deprecated and archived, and says which checks then apply to nothing for them', () => {
    const result = parseStandard(defaultStandardFile, {
      fileName: FILE,
      config: { lifecycles: ['experimental', 'production'] },
    });
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.standard.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'check "archived-no-activity": appliesTo.lifecycles names archived, which scorecards.lifecycles leaves out (experimental, production)',
        ),
      ]),
    );
    // under the default lifecycles, no such warning
    expect(loadStandard(defaultStandardFile).warnings).toEqual([]);
  });

  it('accepts a dotted path to a label or annotation whose key has no dots', () => {
    expect(
      errorsFor('tier-declared', {
        params: { path: 'metadata.labels.team', op: 'exists' },
      }),
    ).toEqual([]);
  });

  it('keeps the sources of built-in checks: the catalog and pushed kinds are not added to evidenceSources', () => {
    const check = defaultStandardFile.checks.find(
      c => c.id === 'ci-pass-rate',
    )!;
    const result = parseStandard(
      withCheck('ci-pass-rate', {
        params: { ...(check.params as object), kind: 'team.custom' },
      }),
      { fileName: FILE },
    );
    expect(result.ok).toBe(true);
    const sources = result.ok ? result.standard.config.evidenceSources : {};
    expect(Object.hasOwn(sources, 'catalog')).toBe(false);
    expect(Object.hasOwn(sources, 'team.custom')).toBe(false);
  });
});
