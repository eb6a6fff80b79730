/**
 * Default `evidence.repo.paths` (§4.2): every path a scorecards check or golden-paths names.
 * The repository collector reads these (unless `evidence.repo.paths` replaces them, plus
 * `evidence.repo.extraPaths`); evidence-node's `collectedRepoPaths()` reports the same list
 * so that consumers can tell which paths a `repo.files` listing can ever hold.
 *
 * @public
 */
export const DEFAULT_REPO_PATHS: readonly string[] = [
  'CODEOWNERS',
  '.github/CODEOWNERS',
  'docs/CODEOWNERS',
  'README.md',
  'docs/runbook.md',
  'RUNBOOK.md',
  '.github/workflows/*.yml',
  '.github/workflows/*.yaml',
  '.gitlab-ci.yml',
  'Jenkinsfile',
  '.github/dependabot.yml',
  'renovate.json',
  '.renovaterc',
  '.renovaterc.json',
  '.github/renovate.json',
  'mkdocs.yml',
  'mkdocs.yaml',
  'slo.yaml',
  'slo.yml',
  'slo/**/*.yaml',
  'slo/**/*.yml',
  'Dockerfile',
  'catalog-info.yaml',
  '.goldenpath.yaml',
];

/**
 * The globs the repository collector reads: `evidence.repo.paths` (the default list when unset)
 * plus `evidence.repo.extraPaths`, each glob once. The collector and evidence-node's
 * `collectedRepoPaths()` both read their config through this.
 *
 * @public
 */
export function repoGlobs(settings: {
  paths?: readonly string[];
  extraPaths?: readonly string[];
}): string[] {
  return [
    ...new Set([
      ...(settings.paths ?? DEFAULT_REPO_PATHS),
      ...(settings.extraPaths ?? []),
    ]),
  ];
}

/**
 * Compiles a repository path glob as the repository collector reads it: `*` matches within
 * one segment, `**` across segments (`slo/**\/*.yaml` matches `slo/a.yaml` and
 * `slo/x/a.yaml`), `?` one character other than `/`.
 *
 * @public
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`);
}
