/**
 * Lets a benchmark that calls `startTestBackend` many times in one process free the backends it
 * has stopped.
 *
 * `@backstage/backend-test-utils` pushes every backend `startTestBackend` starts onto a
 * module-level list and registers a Jest `afterAll` hook, the only code that empties it, when the
 * module loads. Outside Jest there is no `afterAll`, so nothing a stopped backend held (its
 * catalog, caches, extension points) is ever collected, and each run of a benchmark slows the
 * next one's GC (~100 MB per catalog backend, `docs/benchmarks.md`). This module loads
 * backend-test-utils with a stand-in `afterAll` that keeps every hook it registers (today two:
 * the mock directories' clean-up, then the backends'), then removes the stand-in again, so no
 * other library mistakes the process for Jest.
 *
 * Import it before anything that imports `@backstage/backend-test-utils`.
 */
type Hook = () => Promise<void>;
const jestGlobals = globalThis as { afterAll?: (hook: Hook) => void };

const cleanUpHooks: Hook[] = [];
if (typeof jestGlobals.afterAll !== 'function') {
  jestGlobals.afterAll = hook => {
    cleanUpHooks.push(hook);
  };
  try {
    // eslint-disable-next-line @backstage/no-undeclared-imports
    require('@backstage/backend-test-utils');
  } finally {
    delete jestGlobals.afterAll;
  }
}

/**
 * Runs backend-test-utils' clean-up hooks as Jest would after a test file: stops (again;
 * stopping is idempotent) every backend `startTestBackend` has started and drops the library's
 * references to them. Under Jest this does nothing: Jest runs the hooks.
 */
export async function releaseTestBackends(): Promise<void> {
  for (const hook of cleanUpHooks) await hook();
}
