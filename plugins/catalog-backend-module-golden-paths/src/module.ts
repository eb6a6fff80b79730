import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readConfigNumber } from '@internal/suite-node';
import { LocalGitRepositoryProvider } from './provider/LocalGitRepositoryProvider';

/**
 * Catalog module for golden paths' local publish mode: registers the
 * {@link LocalGitRepositoryProvider} and scans `goldenPaths.publish.local.root` every
 * `goldenPaths.publish.local.scanSeconds` (default 2 s). Does nothing unless the publish mode is
 * `local` (the default).
 */
export const catalogModuleGoldenPaths = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        logger: coreServices.logger,
      },
      async init({ catalog, config, scheduler, logger }) {
        const publish = config.getOptionalConfig('goldenPaths.publish');
        const mode = publish?.getOptionalString('mode') ?? 'local';
        if (mode !== 'local') return;
        const root =
          publish?.getOptionalString('local.root') ??
          './.data/golden-paths/repos';
        // Zero or less would scan back to back (the scheduler waits max(0, …) between runs).
        const seconds = readConfigNumber(
          config,
          'goldenPaths.publish.local.scanSeconds',
          2,
          { above: 0 },
        );
        const provider = new LocalGitRepositoryProvider({
          root,
          logger,
          schedule: scheduler.createScheduledTaskRunner({
            frequency: { seconds },
            timeout: { minutes: 2 },
            scope: 'local',
          }),
        });
        catalog.addEntityProvider(provider);
        logger.info(`Golden-path local repositories are read from ${root}`);
      },
    });
  },
});
