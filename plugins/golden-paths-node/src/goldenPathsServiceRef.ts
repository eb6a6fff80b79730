import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { GoldenPathsService } from './GoldenPathsService';
import { DefaultGoldenPathsService } from './client/DefaultGoldenPathsService';

/**
 * The golden-paths ledger client. The default factory talks to the `golden-paths` plugin over
 * HTTP with the calling plugin's own service credentials, each call within
 * `goldenPaths.client.timeoutSeconds` (default 10).
 *
 * @public
 */
export const goldenPathsServiceRef = createServiceRef<GoldenPathsService>({
  id: 'golden-paths.client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      factory({ discovery, auth, config }) {
        return DefaultGoldenPathsService.fromConfig(config, {
          discovery,
          auth,
        });
      },
    }),
});
