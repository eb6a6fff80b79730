/**
 * Default `evidence.repo.paths` (§4.2): every path a scorecards check or golden-paths names.
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

/** Paths that also count at the repository root when the entity lives in a subdirectory. */
const ROOT_LEVEL_PATTERNS: readonly string[] = [
  'CODEOWNERS',
  '.github/**',
  '.gitlab-ci.yml',
  'Jenkinsfile',
  'renovate.json',
  '.renovaterc*',
];

/**
 * Compiles a path glob: `*` matches within one segment, `**` across segments (`slo/**\/*.yaml`
 * matches `slo/a.yaml` and `slo/x/a.yaml`).
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

/** Decides which repository paths an entity collects, relative to its directory. */
export class RepoPathMatcher {
  private readonly globs: RegExp[];
  private readonly rootLevel: RegExp[];

  constructor(globs: readonly string[]) {
    this.globs = globs.map(globToRegExp);
    this.rootLevel = ROOT_LEVEL_PATTERNS.map(globToRegExp);
  }

  /**
   * The path as the entity in `directory` reports it, or undefined when it does not collect it.
   */
  entityPath(repoPath: string, directory: string): string | undefined {
    const path = repoPath.replace(/^\/+/, '');
    if (!directory) return this.matches(path) ? path : undefined;
    const prefix = `${directory.replace(/\/+$/, '')}/`;
    if (path.startsWith(prefix)) {
      const relative = path.slice(prefix.length);
      return this.matches(relative) ? relative : undefined;
    }
    if (!path.includes('/') || path.startsWith('.github/')) {
      if (this.matches(path) && this.rootLevel.some(re => re.test(path))) {
        return path;
      }
    }
    return undefined;
  }

  private matches(path: string): boolean {
    return this.globs.some(re => re.test(path));
  }
}

/** A runbook by name: its contents are read for the golden-path stub marker. */
export function isRunbookPath(path: string): boolean {
  return /(^|\/)runbook\.md$/i.test(path);
}

/** An SLO definition file (`slo.yaml` or under `slo/`), read for OpenSLO ids. */
export function isSloPath(path: string): boolean {
  return /(^|\/)(slo\.ya?ml|slo\/.+\.ya?ml)$/.test(path);
}

/** The golden-path provenance file. */
export function isGoldenPathPath(path: string): boolean {
  return /(^|\/)\.goldenpath\.yaml$/.test(path);
}
