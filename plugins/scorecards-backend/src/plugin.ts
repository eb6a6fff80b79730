import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import {
  CheckTypeCollector,
  scorecardsCheckTypesExtensionPoint,
  scorecardsResultsHandoffServiceRef,
} from '@internal/plugin-scorecards-node';
import { initScorecards } from './service/initScorecards';

/**
 * The scorecards backend plugin (id `scorecards`, routes under `/api/scorecards`): results on
 * request, history, rollups, waivers and campaigns (scorecards §7.4).
 *
 * @public
 */
export const scorecardsPlugin = createBackendPlugin({
  pluginId: 'scorecards',
  register(env) {
    // Custom check types (added by modules built with createScorecardsCheckTypesModules).
    const checkTypes = new CheckTypeCollector();
    env.registerExtensionPoint(scorecardsCheckTypesExtensionPoint, checkTypes);
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        userInfo: coreServices.userInfo,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
        evidence: evidenceServiceRef,
        resultsHandoff: scorecardsResultsHandoffServiceRef,
      },
      async init(deps) {
        await initScorecards({ ...deps, checkTypes: checkTypes.registry() });
      },
    });
  },
});
