import { compileGlob, compilePathMatcher, firstMatch } from './globPattern';

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
