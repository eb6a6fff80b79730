import { createBackendPlugin } from '@backstage/backend-plugin-api';
import {
  goldenPathsServiceRefs,
  initGoldenPaths,
} from './service/initGoldenPaths';

/**
 * The golden-paths backend plugin (id `golden-paths`, routes under `/api/golden-paths`): request
 * ledger with claims and leases, approvals bound to plan digests, kill switches (golden-paths.md
 * §4.3–4.8, §6).
 *
 * @public
 */
export const goldenPathsPlugin = createBackendPlugin({
  pluginId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: goldenPathsServiceRefs,
      async init(deps) {
        await initGoldenPaths(deps);
      },
    });
  },
});
