import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfiguredStandard } from './loadConfiguredStandard';

const SMALL = path.resolve(__dirname, '__fixtures__/small-standard.yaml');

function tempFile(text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scorecards-'));
  const file = path.join(dir, 'standard.yaml');
  fs.writeFileSync(file, text);
  return file;
}

describe('loadConfiguredStandard', () => {
  it('defaults to the built-in default@7 standard', () => {
    const standard = loadConfiguredStandard(new ConfigReader({}));
    expect(`${standard.id}@${standard.version}`).toBe('default@7');
    expect(standard.checks).toHaveLength(45);
  });

  it('loads scorecards.standardFile', () => {
    const standard = loadConfiguredStandard(
      new ConfigReader({ scorecards: { standardFile: SMALL } }),
    );
    expect(`${standard.id}@${standard.version}`).toBe('small@3');
    expect(standard.checks.map(c => c.id)).toEqual([
      'owner-resolves',
      'tier-declared',
      'branch-protection',
    ]);
  });

  it('loads an inline scorecards.standard with the scorecards.* settings', () => {
    const standard = loadConfiguredStandard(
      new ConfigReader({
        scorecards: {
          ratedLifecycles: ['production'],
          standard: {
            standard: { id: 'inline', version: 1, owner: 'group:default/p' },
            levels: [{ id: 'L0', title: 'Registered', summary: 's' }],
            checks: [],
            changelog: [],
          },
        },
      }),
    );
    expect(standard.id).toBe('inline');
    expect(standard.config.ratedLifecycles).toEqual(['production']);
  });

  it.each([
    [
      'a check error names file, check and field',
      `standard: { id: x, version: 1, owner: group:default/p }
levels: [{ id: L0, title: R, summary: s }]
checks:
  - id: owner-resolves
    version: 1
    title: t
    theme: ownership
    owner: group:default/p
    rationale: r
    evidence: [catalog]
    type: no-such-type
    params: {}
    class: required
    level: L0
    severity: critical
    appliesTo: { kinds: [Component] }
    rollout: [{ phase: remediate, from: 2026-01-01 }]
    waiver: { allowed: true, maxDays: 30 }
    remediation: { summary: fix }
changelog: []
`,
      /standard\.yaml: check "owner-resolves": .*no-such-type/,
    ],
    ['invalid YAML', 'standard: [unclosed', /not valid YAML/],
  ])('fails startup with a clear error: %s', (_name, text, message) => {
    const file = tempFile(text);
    expect(() =>
      loadConfiguredStandard(
        new ConfigReader({ scorecards: { standardFile: file } }),
      ),
    ).toThrow(message);
  });

  it('logs each load warning of the standard once', () => {
    const warn = jest.fn();
    const standard = loadConfiguredStandard(
      new ConfigReader({
        scorecards: {
          // a standard with levels and no checks: nothing counts toward L0
          standard: {
            standard: {
              id: 'empty',
              version: 1,
              owner: 'group:default/platform-team',
            },
            levels: [{ id: 'L0', title: 'Registered', summary: 'Identity.' }],
            checks: [],
          },
        },
      }),
      { logger: { warn } },
    );
    expect(standard.warnings.length).toBeGreaterThan(0);
    expect(warn.mock.calls).toEqual(
      standard.warnings.map(w => [`scorecards: ${w}`]),
    );
  });

  it('names a file that cannot be read', () => {
    expect(() =>
      loadConfiguredStandard(
        new ConfigReader({
          scorecards: { standardFile: '/nonexistent/standard.yaml' },
        }),
      ),
    ).toThrow(/scorecards.standardFile: cannot read \/nonexistent/);
  });

  it('refuses two standards at once', () => {
    expect(() =>
      loadConfiguredStandard(
        new ConfigReader({
          scorecards: { standardFiles: [SMALL, SMALL] },
        }),
      ),
    ).toThrow(/one standard is scored at a time/);
  });

  it('names a bad expected level', () => {
    expect(() =>
      loadConfiguredStandard(
        new ConfigReader({
          scorecards: { expectedLevels: { tier1: 'L9' } },
        }),
      ),
    ).toThrow(
      'scorecards.expectedLevels.tier1 must be one of L0, L1, L2, L3 (got "L9")',
    );
  });
});
