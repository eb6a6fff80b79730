import { DEFAULT_REPO_PATHS, globToRegExp, repoGlobs } from './repoPaths';

describe('repository path globs (§4.2)', () => {
  it.each([
    ['slo/**/*.yaml', 'slo/a.yaml', true],
    ['slo/**/*.yaml', 'slo/x/y/a.yaml', true],
    ['slo/**/*.yaml', 'slo.yaml', false],
    ['.github/workflows/*.yml', '.github/workflows/ci.yml', true],
    ['.github/workflows/*.yml', '.github/workflows/x/ci.yml', false],
    ['.renovaterc*', '.renovaterc.json', true],
    ['docs/**', 'docs/a/b.md', true],
    ['README.md', 'READMExmd', false],
    ['?.md', 'a.md', true],
    ['?.md', '/.md', false],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  it('defaults to the paths of §4.2, each compiling to a pattern that matches itself', () => {
    expect(DEFAULT_REPO_PATHS).toHaveLength(24);
    expect(DEFAULT_REPO_PATHS).toEqual(
      expect.arrayContaining([
        'CODEOWNERS',
        '.github/workflows/*.yml',
        'slo/**/*.yml',
        '.goldenpath.yaml',
      ]),
    );
    for (const glob of DEFAULT_REPO_PATHS) {
      expect(globToRegExp(glob).test(glob)).toBe(true);
    }
  });
});

describe('repoGlobs', () => {
  it('reads paths (default list when unset) plus extraPaths, each glob once', () => {
    expect(repoGlobs({})).toEqual(DEFAULT_REPO_PATHS);
    expect(repoGlobs({ extraPaths: ['Makefile', 'README.md'] })).toEqual([
      ...DEFAULT_REPO_PATHS,
      'Makefile',
    ]);
    expect(repoGlobs({ paths: [], extraPaths: ['a.md'] })).toEqual(['a.md']);
  });
});
