import type { Config } from '@backstage/config';
import { readDatabasePrices } from '../actions/database/databaseSettings';
import {
  readGenerationSettings,
  readGoldenPathsConfig,
  readKillSwitches,
  readPublishSettings,
  readServiceRequesters,
} from './readConfig';

/**
 * Reads every `goldenPaths` setting the actions read on each run, once, when the module starts:
 * a value the readers refuse (an enumerated setting outside its values, a malformed price) stops
 * the backend with the reader's message naming the key, instead of failing — or silently falling
 * back — in the middle of a request. The actions still read config on every run, so a reloaded
 * source takes effect without a deploy (and a bad reloaded value fails the run that reads it).
 */
export function checkGoldenPathsConfig(config: Config): void {
  readGoldenPathsConfig(config);
  readPublishSettings(config);
  readGenerationSettings(config);
  readKillSwitches(config);
  readDatabasePrices(config);
  readServiceRequesters(config);
}

/**
 * Settings whose defaults suit a developer machine, not production, left unset in a backend that
 * runs with `NODE_ENV=production`: one warning each, naming the key and the value to set. The
 * defaults stay (a demo in production mode still starts); an installer who did not copy this
 * repository's `app-config.production.yaml` hears about them at start instead of after the first
 * service owned by the wrong team, or published to one replica's disk.
 */
export function productionDefaultWarnings(
  config: Config,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): string[] {
  if (nodeEnv !== 'production') return [];
  const warnings: string[] = [];
  if (!config.has('goldenPaths.policy.ownerMembership')) {
    warnings.push(
      'goldenPaths.policy.ownerMembership is not set: the default warn lets anyone create a service owned by any team (GP-O03 only warns); set deny for production',
    );
  }
  if (!config.has('goldenPaths.publish.mode')) {
    warnings.push(
      "goldenPaths.publish.mode is not set: the default local publishes repositories to this backend's own disk (one replica's, lost on redeploy); set github for production",
    );
  }
  return warnings;
}
