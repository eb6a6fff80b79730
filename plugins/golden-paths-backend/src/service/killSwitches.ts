import type { Config } from '@backstage/config';
import type {
  KillSwitches,
  KillSwitchState,
  KillSwitchView,
} from '@internal/plugin-golden-paths-common';
import {
  GoldenPathsStore,
  runtimeSwitchStates,
} from '../database/GoldenPathsStore';

/** Where a switch came from, for the operator's view (declared in golden-paths-common). */
export type { KillSwitchView };

function readState(config: Config | undefined): KillSwitchState | undefined {
  if (!config) return undefined;
  return {
    disabled: config.getOptionalBoolean('disabled') ?? false,
    ...(config.getOptionalString('reason')
      ? { reason: config.getOptionalString('reason') }
      : {}),
    ...(config.getOptionalString('since')
      ? { since: new Date(config.getString('since')).toISOString() }
      : {}),
  };
}

function readMap(config: Config | undefined): Record<string, KillSwitchState> {
  const out: Record<string, KillSwitchState> = {};
  if (!config) return out;
  for (const key of config.keys()) {
    const state = readState(config.getConfig(key));
    if (state) out[key] = state;
  }
  return out;
}

const either = (
  a?: KillSwitchState,
  b?: KillSwitchState,
): KillSwitchState | undefined => {
  if (a?.disabled) return a;
  if (b?.disabled) return b;
  return a ?? b;
};

function mergeMaps(
  ...maps: Record<string, KillSwitchState>[]
): Record<string, KillSwitchState> {
  const out: Record<string, KillSwitchState> = {};
  for (const m of maps)
    for (const [k, v] of Object.entries(m)) out[k] = either(out[k], v)!;
  return out;
}

/**
 * Kill switches from config, read on every call so a reloaded config source takes effect without
 * a deploy (the root config service is live). Both `goldenPaths.killSwitch` (design note §9) and
 * `goldenPaths.killSwitches` are read; a switch is off when either says so.
 */
export function readConfigKillSwitches(config: Config): KillSwitches {
  const roots = ['goldenPaths.killSwitch', 'goldenPaths.killSwitches'].map(k =>
    config.getOptionalConfig(k),
  );
  const result: KillSwitches = { templates: {}, actions: {} };
  for (const root of roots) {
    if (!root) continue;
    result.all = either(result.all, readState(root.getOptionalConfig('all')));
    result.templates = mergeMaps(
      result.templates!,
      readMap(root.getOptionalConfig('templates')),
    );
    result.actions = mergeMaps(
      result.actions!,
      readMap(root.getOptionalConfig('actions')),
    );
  }
  return result;
}

/** Config OR runtime table (§4.7); runtime rows past `until` are lifted. */
export class KillSwitchService {
  constructor(
    private readonly config: Config,
    private readonly store: GoldenPathsStore,
  ) {}

  async current(now: string): Promise<KillSwitchView> {
    const fromConfig = readConfigKillSwitches(this.config);
    const rows = await this.store.listKillSwitches();
    const runtime = runtimeSwitchStates(rows, now);
    return {
      all: either(runtime.all, fromConfig.all) ?? { disabled: false },
      templates: mergeMaps(fromConfig.templates ?? {}, runtime.templates),
      actions: mergeMaps(fromConfig.actions ?? {}, runtime.actions),
      sources: { config: fromConfig, runtime: rows },
    };
  }
}
