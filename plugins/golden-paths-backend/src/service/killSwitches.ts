import type { Config } from '@backstage/config';
import {
  mergeSwitchMaps,
  mergeSwitchStates,
  readConfigKillSwitches,
  type KillSwitches,
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

  /**
   * The switches a run is checked against. Throws when a reloaded config is malformed: a config
   * switch that cannot be read may be one that is off, so runs fail rather than pass it.
   */
  async current(now: string): Promise<KillSwitchView> {
    return this.merge(readConfigKillSwitches(this.config), now);
  }

  /**
   * The switches as the operator sees them (GET and PUT /kill-switches). Unlike `current`, a
   * malformed reloaded config does not fail the answer: it carries the runtime switches and
   * `configError`, the reader's message naming the config path. An operator in an incident
   * still sees and changes the runtime switches, and a PUT whose row was stored is not answered
   * as a failure.
   */
  async operatorView(now: string): Promise<KillSwitchView> {
    let fromConfig: KillSwitches;
    try {
      fromConfig = readConfigKillSwitches(this.config);
    } catch (error) {
      const view = await this.merge({ templates: {}, actions: {} }, now);
      return {
        ...view,
        configError: `the config kill switches could not be read, so they are not listed and real runs are refused until the config is fixed: ${
          (error as Error).message
        }`,
      };
    }
    return this.merge(fromConfig, now);
  }

  private async merge(
    fromConfig: KillSwitches,
    now: string,
  ): Promise<KillSwitchView> {
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
