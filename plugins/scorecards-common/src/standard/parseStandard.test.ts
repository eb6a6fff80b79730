import { z } from 'zod';
import { defineCheckType } from '../checks/checkType';
import { createDefaultCheckTypeRegistry } from '../checks/defaultRegistry';
import { defaultStandardFile } from './defaultStandard';
import {
  loadStandard,
  parseStandard,
  StandardValidationError,
} from './parseStandard';
import { CheckDefinitionInput } from './standardSchema';

const FILE = 'standards/default.yaml';
const base = defaultStandardFile.checks.find(c => c.id === 'slo-burn-alert')!;

function errorsFor(
  change:
    | Partial<CheckDefinitionInput>
    | ((c: CheckDefinitionInput) => unknown),
  config = {},
) {
  const check =
    typeof change === 'function' ? change({ ...base }) : { ...base, ...change };
  const result = parseStandard(
    { ...defaultStandardFile, checks: [check] },
    { fileName: FILE, config },
  );
  return result.ok ? [] : result.errors;
}

describe('parseStandard', () => {
  it('compiles the default standard with all 45 checks of the catalogue, in theme order', () => {
    const standard = loadStandard(defaultStandardFile);
    expect(standard.checks).toHaveLength(45);
    expect(standard).toMatchObject({ id: 'default', version: 7 });
    const themes = standard.checks.map(c => c.theme);
    expect(themes.indexOf('cost')).toBeGreaterThan(
      themes.lastIndexOf('ownership'),
    );
  });

  it('matches the §4 gating sets per level (3, 10, 15 + 3, 4 + 1), 6 recommended and 3 lifecycle-only', () => {
    const checks = defaultStandardFile.checks;
    const by = (level: string, cls: string) =>
      checks
        .filter(c => c.level === level && c.class === cls)
        .map(c => c.id)
        .sort();
    expect(by('L0', 'required')).toEqual([
      'lifecycle-valid',
      'owner-resolves',
      'system-assigned',
    ]);
    expect(by('L1', 'required')).toHaveLength(10);
    expect(by('L2', 'required')).toHaveLength(15);
    expect(by('L2', 'contextual')).toEqual([
      'api-contract-registered',
      'backup-restore-tested',
      'critical-vulns-triaged',
    ]);
    expect(by('L3', 'required')).toEqual([
      'ci-no-static-cloud-keys',
      'prod-deploy-protected',
      'rollback-exercised',
      'slo-burn-alert',
    ]);
    expect(by('L3', 'contextual')).toEqual(['progressive-delivery']);
    expect(checks.filter(c => c.class === 'recommended')).toHaveLength(6);
    expect(
      checks
        .filter(c => !c.level && c.class === 'required')
        .map(c => c.id)
        .sort(),
    ).toEqual([
      'archived-no-activity',
      'deprecation-plan',
      'retirement-on-track',
    ]);
  });

  it.each<
    [
      string,
      Partial<CheckDefinitionInput> | ((c: CheckDefinitionInput) => unknown),
      string,
    ]
  >([
    [
      'unknown type',
      { type: 'nope' },
      `${FILE}: check "slo-burn-alert": type unknown check type "nope"`,
    ],
    [
      'params failing the type schema',
      { params: { require: 'sometimes' } },
      `${FILE}: check "slo-burn-alert": params.require`,
    ],
    [
      'nested params failing',
      {
        type: 'any-of',
        params: { of: [{ type: 'repo-file', params: { paths: [] } }] },
      },
      'params.of[0].params.paths',
    ],
    ['level not defined', c => ({ ...c, level: 'L4' }), 'level'],
    [
      'required without level',
      c => ({ ...c, level: undefined }),
      'level is required for a required check',
    ],
    [
      'contextual without context',
      { class: 'contextual' },
      'context is required for a contextual check',
    ],
    [
      'recommended with level',
      { class: 'recommended' },
      'level must not be set on a recommended check (got L3)',
    ],
    [
      'rollout phases out of order',
      {
        rollout: [
          { phase: 'remediate', from: '2026-01-01' },
          { phase: 'observe', from: '2026-02-01' },
        ],
      },
      'rollout[1].phase must come after rollout[0].phase',
    ],
    [
      'rollout dates not increasing',
      {
        rollout: [
          { phase: 'observe', from: '2026-03-01' },
          { phase: 'remediate', from: '2026-02-01' },
        ],
      },
      `${FILE}: check "slo-burn-alert": rollout[1].from must be after rollout[0].from (got 2026-02-01 <= 2026-03-01)`,
    ],
    [
      'owner not a group ref',
      { owner: 'user:default/ana.ruiz' },
      'owner must be a group: ref',
    ],
    [
      'waiver.maxDays < 1',
      { waiver: { allowed: true, maxDays: 0 } },
      'waiver.maxDays must be at least 1 (got 0)',
    ],
    [
      'platformCapability not configured',
      { platformCapability: 'slo-tooling' },
      'platformCapability "slo-tooling" is not configured',
    ],
    ['bad id', { id: 'Bad_Id' }, 'check "Bad_Id": id must be kebab-case'],
    [
      'an id longer than the backend stores',
      { id: `a${'-b'.repeat(64)}` },
      'id must be at most 128 characters',
    ],
    [
      'bad date',
      { rollout: [{ phase: 'observe', from: 'yesterday' }] },
      'must be an ISO-8601 date or instant (got "yesterday")',
    ],
  ])('rejects %s', (_label, change, message) => {
    expect(errorsFor(change).join('\n')).toContain(message);
  });

  it('rejects duplicate ids', () => {
    const result = parseStandard(
      { ...defaultStandardFile, checks: [base, base] },
      { fileName: FILE },
    );
    expect(result.ok ? [] : result.errors).toEqual([
      `${FILE}: check "slo-burn-alert": id is a duplicate (checks[1])`,
    ]);
  });

  it('allows a required check without level when it applies only to unrated lifecycles', () => {
    expect(
      errorsFor({
        level: undefined,
        appliesTo: { kinds: ['Component'], lifecycles: ['deprecated'] },
      }),
    ).toEqual([]);
  });

  it('accepts dates as YAML loaders produce them (Date objects)', () => {
    expect(
      errorsFor({
        rollout: [
          {
            phase: 'observe',
            from: new Date('2026-01-05T00:00:00Z') as unknown as string,
          },
        ],
      }),
    ).toEqual([]);
  });

  it('accepts a configured capability and fills waiver defaults by severity', () => {
    const config = {
      platformCapabilities: [
        { id: 'slo-tooling', owner: 'group:default/platform-team' },
      ],
    };
    expect(errorsFor({ platformCapability: 'slo-tooling' }, config)).toEqual(
      [],
    );
    const critical = loadStandard({
      ...defaultStandardFile,
      checks: [{ ...base, severity: 'critical', waiver: undefined }],
    });
    expect(critical.byId.get('slo-burn-alert')!.waiverMaxDays).toBe(30);
  });

  it('loadStandard throws with every error listed', () => {
    expect(() =>
      loadStandard(
        {
          ...defaultStandardFile,
          checks: [
            { ...base, type: 'nope' },
            { ...base, id: 'x', owner: 'ana' },
          ],
        },
        { fileName: FILE },
      ),
    ).toThrow(StandardValidationError);
  });

  it('extension point: a custom type is usable by id, and a duplicate type id fails at once', () => {
    const custom = defineCheckType({
      id: 'sbom-present',
      description: 'An SBOM fact exists.',
      paramsSchema: z.object({ format: z.enum(['spdx', 'cyclonedx']) }),
      needs: () => [{ source: 'push', kind: 'sbom.summary' }],
      evaluate: () => ({
        state: 'pass',
        reason: 'PASS',
        message: 'ok',
        expected: 'sbom',
        found: 'sbom',
        evidence: [],
        missing: [],
      }),
    });
    const registry = createDefaultCheckTypeRegistry([custom]);
    expect(
      parseStandard(
        {
          ...defaultStandardFile,
          checks: [
            { ...base, type: 'sbom-present', params: { format: 'spdx' } },
          ],
        },
        { registry },
      ).ok,
    ).toBe(true);
    expect(
      parseStandard(
        {
          ...defaultStandardFile,
          checks: [
            { ...base, type: 'sbom-present', params: { format: 'xml' } },
          ],
        },
        { registry },
      ).ok,
    ).toBe(false);
    expect(() => createDefaultCheckTypeRegistry([custom, custom])).toThrow(
      'check type "sbom-present" is already registered',
    );
  });
});
