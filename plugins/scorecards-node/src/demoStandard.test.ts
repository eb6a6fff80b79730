import { ConfigReader } from '@backstage/config';
import {
  defaultStandardFile,
  phaseAt,
} from '@internal/plugin-scorecards-common';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadConfiguredStandard } from './loadConfiguredStandard';

/** The demo portal's standard file, loaded by app-config.yaml (`scorecards.standardFile`). */
const DEMO_STANDARD = path.resolve(
  __dirname,
  '../../../catalog/demo/scorecards-standard.yaml',
);

/** scorecards.md §6.3, "Demo standard phases": as §6 except these three rollouts. */
const DEMO_ROLLOUTS: Record<string, { phase: string; from: string }[]> = {
  'owner-resolves': [{ phase: 'gate', from: '2026-01-01' }],
  'critical-vulns-triaged': [
    { phase: 'observe', from: '2026-01-01' },
    { phase: 'enforce-new', from: '2026-02-01' },
  ],
  'cloud-resources-tagged': [{ phase: 'observe', from: '2026-01-01' }],
};

describe('the demo standard (catalog/demo/scorecards-standard.yaml)', () => {
  it('is the built-in default standard with the demo rollouts of §6.3, nothing else', () => {
    const file = parseYaml(fs.readFileSync(DEMO_STANDARD, 'utf8'));
    const expected = JSON.parse(
      JSON.stringify({
        ...defaultStandardFile,
        checks: defaultStandardFile.checks.map(c =>
          DEMO_ROLLOUTS[c.id] ? { ...c, rollout: DEMO_ROLLOUTS[c.id] } : c,
        ),
      }),
    );
    expect(file).toEqual(expected);
  });

  it('loads as the portal loads it: default@7, with the demo phases at T', () => {
    const standard = loadConfiguredStandard(
      new ConfigReader({ scorecards: { standardFile: DEMO_STANDARD } }),
    );
    expect(`${standard.id}@${standard.version}`).toBe('default@7');
    const T = Date.parse('2026-03-14T02:05:00Z');
    const phase = (id: string) =>
      phaseAt(standard.byId.get(id)!, T)?.current.phase;
    expect(phase('owner-resolves')).toBe('gate');
    expect(phase('critical-vulns-triaged')).toBe('enforce-new');
    expect(phase('cloud-resources-tagged')).toBe('observe');
    expect(phase('runbook-present')).toBe('remediate');
  });
});
