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
