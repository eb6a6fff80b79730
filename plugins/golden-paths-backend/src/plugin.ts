import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { initGoldenPaths } from './service/initGoldenPaths';

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
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
      },
      async init(deps) {
        await initGoldenPaths(deps);
      },
    });
  },
});
