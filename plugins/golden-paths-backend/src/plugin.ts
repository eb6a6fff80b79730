import { createBackendPlugin } from '@backstage/backend-plugin-api';

/** The golden-paths backend plugin. */
export const goldenPathsPlugin = createBackendPlugin({
  pluginId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {},
      async init() {},
    });
  },
});
