import { ConfigReader } from '@backstage/config';
import { readCollectedRepoPaths } from '@internal/plugin-evidence-node';
import { loadConfiguredStandard } from './loadConfiguredStandard';
import {
  findUncollectedRepoFiles,
  uncollectedRepoFilesWarning,
} from './uncollectedRepoFiles';

/** A check of an inline standard, with the parts this test varies. */
const check = (id: string, call: { type: string; params: unknown }) => ({
  id,
  version: 1,
  title: id,
  theme: 'delivery',
  owner: 'group:default/platform-team',
  rationale: 'r',
  evidence: ['repo.files'],
  ...call,
  class: 'required',
  level: 'L0',
  severity: 'high',
  appliesTo: { kinds: ['Component'] },
  rollout: [{ phase: 'remediate', from: '2026-01-01' }],
  waiver: { allowed: true, maxDays: 30 },
  remediation: { summary: 'fix' },
});

const repoFile = (paths: string[]) => ({
  type: 'repo-file',
  params: { paths },
});

/** Config data as JSON: the checks are plain JSON built by the helpers above. */
type ConfigData = ConstructorParameters<typeof ConfigReader>[0];

const inlineStandard = (checks: object[]) =>
  new ConfigReader({
    scorecards: {
      standard: {
        standard: { id: 's', version: 1, owner: 'group:default/p' },
        levels: [{ id: 'L0', title: 'Registered', summary: 's' }],
        checks,
      },
    },
  } as ConfigData);

const STANDARD = inlineStandard([
  check('ci-present', repoFile(['.github/workflows/*.yml', '.circleci/*.yml'])),
  check('runbook', {
    type: 'any-of',
    params: {
      of: [
        { type: 'entity-link', params: { linkTypes: ['runbook'] } },
        {
          type: 'all-of',
          params: {
            of: [
              repoFile(['docs/runbook.md']),
              repoFile(['docs/oncall.md', 'docs/oncall.md']),
            ],
          },
        },
      ],
    },
  }),
  check('codeowners', repoFile(['CODEOWNERS'])),
  check('owner', {
    type: 'entity-ref',
    params: { path: 'spec.owner', kinds: ['Group'] },
  }),
]);

describe('findUncollectedRepoFiles', () => {
  it('finds nothing in the default standard with the collector default globs', () => {
    const standard = loadConfiguredStandard(new ConfigReader({}));
    const defaults = readCollectedRepoPaths(new ConfigReader({}));
    expect(findUncollectedRepoFiles(standard, defaults)).toEqual([]);
  });

  it('names each check once with its uncollected paths, nested in combinators too', () => {
    const standard = loadConfiguredStandard(STANDARD);
    expect(
      findUncollectedRepoFiles(
        standard,
        readCollectedRepoPaths(new ConfigReader({})),
      ),
    ).toEqual([
      { checkId: 'ci-present', paths: ['.circleci/*.yml'] },
      { checkId: 'runbook', paths: ['docs/oncall.md'] },
    ]);
    expect(
      findUncollectedRepoFiles(standard, [
        'CODEOWNERS',
        'docs/**',
        '.github/**',
        '*/*',
      ]),
    ).toEqual([]);
  });

  it('finds every repo-file path of the default standard uncollected when nothing is collected', () => {
    const found = findUncollectedRepoFiles(
      loadConfiguredStandard(new ConfigReader({})),
      [],
    );
    expect(found.find(f => f.checkId === 'runbook-present')).toEqual({
      checkId: 'runbook-present',
      paths: ['docs/runbook.md', 'RUNBOOK.md'],
    });
    expect(found.length).toBeGreaterThanOrEqual(4);
  });
});

describe('loadConfiguredStandard with the collected repository globs', () => {
  it('warns once per check naming the check, the paths and the config key', () => {
    const warn = jest.fn();
    loadConfiguredStandard(STANDARD, {
      logger: { warn },
      repoPaths: readCollectedRepoPaths(
        new ConfigReader({ evidence: { repo: { extraPaths: ['docs/*.md'] } } }),
      ),
    });
    expect(warn.mock.calls).toEqual([
      [
        'scorecards: check "ci-present" (repo-file) looks for .circleci/*.yml, which no evidence.repo glob collects, so repo.files never lists it; add it to evidence.repo.extraPaths',
      ],
    ]);
  });

  it('checks nothing when the collected globs are not known', () => {
    const warn = jest.fn();
    loadConfiguredStandard(STANDARD, { logger: { warn } });
    expect(warn).not.toHaveBeenCalled();
  });

  it('says "them" for several paths', () => {
    expect(
      uncollectedRepoFilesWarning({ checkId: 'c', paths: ['a', 'b'] }),
    ).toBe(
      'check "c" (repo-file) looks for a, b, which no evidence.repo glob collects, so repo.files never lists them; add them to evidence.repo.extraPaths',
    );
  });
});
