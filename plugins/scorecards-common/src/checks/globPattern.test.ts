import {
  compileGlob,
  compilePathMatcher,
  firstMatch,
  firstMatchIn,
  indexListing,
} from './globPattern';

describe('compileGlob', () => {
  it('reads globs as the repository collector does: ** across segments, **/ also for none', () => {
    const cases: [string, string, boolean][] = [
      ['slo/**/*.yaml', 'slo/a.yaml', true],
      ['slo/**/*.yaml', 'slo/x/y/a.yaml', true],
      ['slo/**/*.yaml', 'slo.yaml', false],
      ['**/README.md', 'README.md', true],
      ['**/README.md', 'docs/README.md', true],
      ['**/README.md', 'xREADME.md', false],
      ['.github/workflows/*.yml', '.github/workflows/ci.yml', true],
      ['.github/workflows/*.yml', '.github/workflows/x/ci.yml', false],
      ['slo.y?ml', 'slo.yaml', true],
      ['slo.y?ml', 'slo.y/ml', false],
    ];
    for (const [glob, path, expected] of cases) {
      expect([glob, path, compileGlob(glob).test(path)]).toEqual([
        glob,
        path,
        expected,
      ]);
    }
  });
});

describe('firstMatch', () => {
  const listings: unknown[][] = [
    [],
    ['README.md', '.github/workflows/ci.yml', '.github/CODEOWNERS'],
    ['src/a.ts', 'CODEOWNERS', 'docs/CODEOWNERS', '.github/workflows/b.yaml'],
    ['slo/a.yaml', 'slo/x/b.yml', 'slo.yaml', 'Jenkinsfile', 'renovate.json'],
    ['.gitlab-ci.yml', 123, null, 'docs/runbook.md', 'RUNBOOK.md'],
  ];
  const globs = [
    'CODEOWNERS',
    '.github/CODEOWNERS',
    'docs/CODEOWNERS',
    '.github/workflows/*.yml',
    '.github/workflows/*.yaml',
    'slo/**',
    'slo.y?ml',
    'Jenkinsfile',
    '.gitlab-ci.yml',
    'docs/runbook.md',
    '123',
    'null',
  ];

  it('answers what a RegExp scan in listing order answers', () => {
    for (const listing of listings) {
      for (const glob of globs) {
        const regex = compileGlob(glob);
        const expected = listing.find(p => regex.test(p as string));
        const matcher = compilePathMatcher(glob);
        expect(firstMatch(matcher, listing as string[])).toBe(expected);
      }
    }
  });
});

describe('firstMatchIn', () => {
  it('answers what firstMatch answers, for indexed and unindexable listings', () => {
    const globs = [
      'CODEOWNERS',
      '.github/CODEOWNERS',
      'docs/runbook.md',
      'RUNBOOK.md',
      '.github/workflows/*.yml',
      '123',
      'missing.md',
    ];
    const matchers = globs.map(compilePathMatcher);
    const listings: unknown[][] = [
      [],
      ['README.md', '.github/CODEOWNERS', 'CODEOWNERS', 'CODEOWNERS'],
      ['docs/runbook.md', 'RUNBOOK.md', '.github/workflows/ci.yml'],
      ['RUNBOOK.md', 123, '123', 'CODEOWNERS'],
      ['x', undefined, 'CODEOWNERS'],
    ];
    for (const listing of listings) {
      const index = indexListing(listing as string[]);
      for (const matcher of matchers) {
        expect(firstMatchIn(index, matcher)).toBe(
          firstMatch(matcher, listing as string[]),
        );
      }
    }
    // A glob compiled after the listing was indexed is still answered (by a scan).
    const late = compilePathMatcher('late/file.md');
    const index = indexListing(['late/file.md']);
    const later = compilePathMatcher('later/file.md');
    expect(firstMatchIn(index, late)).toBe('late/file.md');
    expect(firstMatchIn(index, later)).toBeUndefined();
  });
});
