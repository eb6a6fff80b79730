import { globToRegExp } from '@internal/plugin-evidence-common';

// The default globs (`DEFAULT_REPO_PATHS`) and the glob syntax live in evidence-common, so that
// evidence-node's `collectedRepoPaths()` reports exactly what this collector reads.

/** Paths that also count at the repository root when the entity lives in a subdirectory. */
const ROOT_LEVEL_PATTERNS: readonly string[] = [
  'CODEOWNERS',
  '.github/**',
  '.gitlab-ci.yml',
  'Jenkinsfile',
  'renovate.json',
  '.renovaterc*',
];

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
