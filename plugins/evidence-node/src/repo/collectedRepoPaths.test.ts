import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DEFAULT_REPO_PATHS } from '@internal/plugin-evidence-common';
import { evidenceServiceRef } from '../evidenceServiceRef';
import {
  compileRepoPathCoverage,
  readCollectedRepoPaths,
} from './collectedRepoPaths';

const read = (repo?: {
  paths?: string[];
  extraPaths?: string[];
  enabled?: boolean;
}) =>
  readCollectedRepoPaths(new ConfigReader(repo ? { evidence: { repo } } : {}));

describe('readCollectedRepoPaths', () => {
  it('reads the default globs without config, plus extraPaths', () => {
    expect(read()).toEqual(DEFAULT_REPO_PATHS);
    expect(
      read({ extraPaths: ['.circleci/config.yml', 'CODEOWNERS'] }),
    ).toEqual([...DEFAULT_REPO_PATHS, '.circleci/config.yml']);
  });

  it('lets evidence.repo.paths replace the defaults', () => {
    expect(read({ paths: ['README.md'], extraPaths: ['docs/**'] })).toEqual([
      'README.md',
      'docs/**',
    ]);
    expect(read({ paths: [] })).toEqual([]);
  });

  it('collects nothing when the repository collector is switched off', () => {
    expect(read({ enabled: false, extraPaths: ['docs/**'] })).toEqual([]);
    expect(read({ enabled: true })).toEqual(DEFAULT_REPO_PATHS);
  });
});

describe('compileRepoPathCoverage', () => {
  const covered = compileRepoPathCoverage([
    'CODEOWNERS',
    'README.md',
    '.github/workflows/*.yml',
    'slo/**/*.yaml',
  ]);

  it.each([
    ['CODEOWNERS', true],
    ['README.md', true],
    ['.github/workflows/ci.yml', true],
    ['slo/team/checkout.yaml', true],
    // a glob equal to a collected one, or matching a collected glob's text
    ['.github/workflows/*.yml', true],
    ['slo/**/*.yaml', true],
    ['*.md', true],
    ['**/CODEOWNERS', true],
    ['.github/workflows/*', true],
    // nothing collected can match these
    ['.circleci/config.yml', false],
    ['docs/CODEOWNERS', false],
    ['.github/workflows/ci.yaml', false],
    ['/CODEOWNERS', false],
    ['*.json', false],
  ])('%s: %s', (path, expected) => {
    expect(covered(path)).toBe(expected);
  });

  it('covers nothing when no glob is collected', () => {
    expect(compileRepoPathCoverage([])('README.md')).toBe(false);
  });
});

describe('the default evidence service factory', () => {
  it('reports the configured globs through collectedRepoPaths', async () => {
    let paths: string[] | undefined;
    await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            evidence: {
              repo: { paths: ['README.md'], extraPaths: ['.circleci/*.yml'] },
            },
          },
        }),
        createBackendPlugin({
          pluginId: 'consumer',
          register(env) {
            env.registerInit({
              deps: { evidence: evidenceServiceRef },
              async init({ evidence }) {
                paths = evidence.collectedRepoPaths();
              },
            });
          },
        }),
      ],
    });
    expect(paths).toEqual(['README.md', '.circleci/*.yml']);
  });
});
