import type { Config } from '@backstage/config';
import {
  mergeSwitchMaps,
  mergeSwitchStates,
  readConfigKillSwitches,
  type KillSwitchView,
} from '@internal/plugin-golden-paths-common';
import {
  GoldenPathsStore,
  runtimeSwitchStates,
} from '../database/GoldenPathsStore';

/** Where a switch came from, for the operator's view (declared in golden-paths-common). */
export type { KillSwitchView };

/**
 * Config OR runtime table (§4.7); runtime rows past `until` are lifted. The config switches
 * (`goldenPaths.killSwitch` and its alias `killSwitches`) are read by golden-paths-common's
 * `readConfigKillSwitches`, the reader the scaffolder module uses too, on every call: the root
 * config service is live, so a reloaded config source takes effect without a deploy.
 */
export class KillSwitchService {
  /**
   * Reads the config switches once, so a malformed entry stops the backend at start with the
   * reader's message naming its config path, instead of failing every request that reads them.
   */
  constructor(
    private readonly config: Config,
    private readonly store: GoldenPathsStore,
  ) {
    readConfigKillSwitches(config);
  }

  async current(now: string): Promise<KillSwitchView> {
    const fromConfig = readConfigKillSwitches(this.config);
    const rows = await this.store.listKillSwitches();
    const runtime = runtimeSwitchStates(rows, now);
    return {
      all: mergeSwitchStates(runtime.all, fromConfig.all) ?? {
        disabled: false,
      },
      templates: mergeSwitchMaps(fromConfig.templates ?? {}, runtime.templates),
      actions: mergeSwitchMaps(fromConfig.actions ?? {}, runtime.actions),
      sources: { config: fromConfig, runtime: rows },
    };
  }
}
