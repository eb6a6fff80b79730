import { Config } from '@backstage/config';
import {
  LevelId,
  PlatformCapability,
  ScorecardsConfig,
  resolveScorecardsConfig,
} from '@internal/plugin-scorecards-common';

const LEVELS: readonly string[] = ['L0', 'L1', 'L2', 'L3'];

function level(config: Config, key: string): LevelId | undefined {
  const value = config.getOptionalString(key);
  if (value === undefined) return undefined;
  if (!LEVELS.includes(value)) {
    throw new Error(
      `scorecards.expectedLevels.${key} must be one of ${LEVELS.join(
        ', ',
      )} (got "${value}")`,
    );
  }
  return value as LevelId;
}

/** Reads the engine settings under `scorecards.*` (§7.6); unset keys keep the engine defaults. */
export function readScorecardsConfig(root: Config): ScorecardsConfig {
  const config = root.getOptionalConfig('scorecards');
  if (!config) return resolveScorecardsConfig();
  const partial: Partial<ScorecardsConfig> = {};
  const lifecycles = config.getOptionalStringArray('lifecycles');
  if (lifecycles) partial.lifecycles = lifecycles;
  const rated = config.getOptionalStringArray('ratedLifecycles');
  if (rated) partial.ratedLifecycles = rated;
  const expected = config.getOptionalConfig('expectedLevels');
  if (expected) {
    const levels: Partial<ScorecardsConfig['expectedLevels']> = {};
    for (const key of [
      'tier1',
      'tier2',
      'tier3',
      'unknown',
      'experimental',
    ] as const) {
      const value = level(expected, key);
      if (value) levels[key] = value;
    }
    // resolveScorecardsConfig fills the levels left unset.
    partial.expectedLevels = levels as ScorecardsConfig['expectedLevels'];
  }
  const windows = config.getOptionalConfig('evidenceWindows');
  if (windows) {
    partial.evidenceWindows = Object.fromEntries(
      windows.keys().map(k => [k, windows.getNumber(k)]),
    );
  }
  const capabilities = config.getOptionalConfigArray('platformCapabilities');
  if (capabilities) {
    partial.platformCapabilities = capabilities.map(c => {
      const capability: PlatformCapability = {
        id: c.getString('id'),
        owner: c.getString('owner'),
      };
      const runtimes = c.getOptionalStringArray('availableFor.runtimes');
      if (runtimes) capability.availableFor = { runtimes };
      const issue = c.getOptionalString('issue');
      if (issue) capability.issue = issue;
      return capability;
    });
  }
  const allowedHosts = config.getOptionalStringArray('linkCheck.allowedHosts');
  if (allowedHosts) partial.linkCheckAllowedHosts = allowedHosts;
  const waivers = config.getOptionalConfig('waivers');
  if (waivers) {
    partial.waivers = {
      expiryWarningDays: (waivers.getOptional('expiryWarningDays') as
        | number[]
        | undefined) ?? [14, 3],
      falsePositiveMaxDays:
        waivers.getOptionalNumber('falsePositiveMaxDays') ?? 14,
    };
  }
  return resolveScorecardsConfig(partial);
}
