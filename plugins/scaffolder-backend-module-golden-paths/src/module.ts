import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGoldenPathValidateAction } from './actions/validate/validate';

/** Registers the golden-path actions with the scaffolder. */
export const scaffolderModuleGoldenPaths = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
      },
      async init({ scaffolder, catalog, config, auth, auditor, logger }) {
        scaffolder.addActions(
          createGoldenPathValidateAction({ catalog, config, auth, auditor }),
        );
        logger.info('Registered golden-path actions: goldenpath:validate');
      },
    });
  },
});
