import { compileRepoPathCoverage } from '@internal/plugin-evidence-node';
import type {
  CompiledCheck,
  CompiledStandard,
} from '@internal/plugin-scorecards-common';

type CompiledCall = CompiledCheck['call'];

/** A check of the standard whose `repo-file` paths no collected glob can ever list. */
export interface UncollectedRepoFiles {
  checkId: string;
  /** The check's paths (globs) as written, each once, in the order written. */
  paths: string[];
}

const isCompiledCall = (value: unknown): value is CompiledCall =>
  typeof value === 'object' &&
  value !== null &&
  'params' in value &&
  typeof (value as CompiledCall).type?.id === 'string' &&
  typeof (value as CompiledCall).type?.evaluate === 'function';

/**
 * Every compiled call in a check's tree: the call, and the calls its parameters hold (`any-of`
 * and `all-of` keep theirs in `calls`; a custom combinator may keep them under another name,
 * so every parameter holding calls, or a list of them, is followed).
 */
function* callsOf(call: CompiledCall): Generator<CompiledCall> {
  yield call;
  const params = call.params;
  if (typeof params !== 'object' || params === null) return;
  for (const value of Object.values(params)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isCompiledCall(item)) yield* callsOf(item);
    }
  }
}

/**
 * The `repo-file` paths of each check (nested in combinators too) that nothing in
 * `collectedGlobs` (evidence-node's `collectedRepoPaths()`) can match: a listing never holds
 * them, so the check never finds them, whatever the repository contains. How a path or glob
 * is matched against the globs is evidence-node's `compileRepoPathCoverage`.
 */
export function findUncollectedRepoFiles(
  standard: Pick<CompiledStandard, 'checks'>,
  collectedGlobs: readonly string[],
): UncollectedRepoFiles[] {
  const covered = compileRepoPathCoverage(collectedGlobs);
  const found: UncollectedRepoFiles[] = [];
  for (const check of standard.checks) {
    const paths = new Set<string>();
    for (const call of callsOf(check.call)) {
      if (call.type.id !== 'repo-file') continue;
      const { paths: named } = call.params as { paths: readonly string[] };
      for (const path of named) if (!covered(path)) paths.add(path);
    }
    if (paths.size > 0) found.push({ checkId: check.id, paths: [...paths] });
  }
  return found;
}

/** The load warning for one check, naming the config key that would collect its paths. */
export function uncollectedRepoFilesWarning({
  checkId,
  paths,
}: UncollectedRepoFiles): string {
  const them = paths.length === 1 ? 'it' : 'them';
  return `check "${checkId}" (repo-file) looks for ${paths.join(
    ', ',
  )}, which no evidence.repo glob collects, so repo.files never lists ${them}; add ${them} to evidence.repo.extraPaths`;
}
