import type { Config } from '@backstage/config';
import { globToRegExp, repoGlobs } from '@internal/plugin-evidence-common';

/**
 * The globs the repository collector reads (evidence §4.2), read as evidence-backend reads
 * them: `evidence.repo.paths` (replacing the default list) plus `evidence.repo.extraPaths`,
 * each glob once; none when the collector is switched off (`evidence.repo.enabled: false`),
 * since then no `repo.files` listing is ever written.
 */
export function readCollectedRepoPaths(config: Config): string[] {
  const repo = config.getOptionalConfig('evidence.repo');
  if (repo?.getOptionalBoolean('enabled') === false) return [];
  return repoGlobs({
    paths: repo?.getOptionalStringArray('paths'),
    extraPaths: repo?.getOptionalStringArray('extraPaths'),
  });
}

/**
 * Compiles the collected globs once into a test of whether a path, or the files a glob names,
 * can ever be in a `repo.files` listing: true when a collected glob matches the path (a glob
 * taken as its own text, so a glob equal to a collected one counts), or when the glob matches a
 * collected glob's text (`*.md` reaches `README.md`, `.github/workflows/*` reaches
 * `.github/workflows/*.yml`). Two globs that overlap only in part, neither matching the other's
 * text (`*.yml` and `a*`), count as not collected.
 *
 * Globs are compiled as the collector compiles them. The collector's root rule (for an entity in
 * a subdirectory, `CODEOWNERS`, `.github/**` and a few more also count at the repository root)
 * needs no place here: it applies only to paths a collected glob already matches, and lists them
 * under the same relative path.
 */
export function compileRepoPathCoverage(
  globs: readonly string[],
): (pathOrGlob: string) => boolean {
  const collected = globs.map(glob => ({ glob, regex: globToRegExp(glob) }));
  return pathOrGlob => {
    const wanted = globToRegExp(pathOrGlob);
    return collected.some(
      ({ glob, regex }) => regex.test(pathOrGlob) || wanted.test(glob),
    );
  };
}
