import { Config } from '@backstage/config';
import {
  LevelId,
  normalizeEntityRef,
  PlatformCapability,
  ScorecardsConfig,
  resolveScorecardsConfig,
} from '@internal/plugin-scorecards-common';
import { readConfigNumber } from '@internal/suite-node';

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

const WINDOWS_KEY = 'scorecards.evidenceWindows';

/** A plain config key segment (the config reader's own rule); other kind ids are quoted. */
const PLAIN_KEY = /^[a-z][a-z0-9]*(?:[-_:][a-z0-9]+)*$/i;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * `scorecards.evidenceWindows`, read as one plain value: its keys are evidence kind ids such as
 * `slo.status`, and `getNumber('slo.status')` would read the dot as a path separator. Numbers in
 * text (an environment substitution) are read as the config reader reads them.
 */
function readEvidenceWindows(root: Config): Record<string, number> | undefined {
  const value = root.getOptional(WINDOWS_KEY);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `${WINDOWS_KEY} must be a map of evidence kind to seconds (got ${typeName(
        value,
      )})`,
    );
  }
  const windows: Record<string, number> = {};
  for (const [kind, raw] of Object.entries(value)) {
    const seconds =
      typeof raw === 'number' || (typeof raw === 'string' && raw.trim() !== '')
        ? Number(raw)
        : Number.NaN;
    if (!Number.isFinite(seconds) || seconds < 0) {
      const name = PLAIN_KEY.test(kind)
        ? `${WINDOWS_KEY}.${kind}`
        : `${WINDOWS_KEY}[${JSON.stringify(kind)}]`;
      throw new Error(
        `${name} must be a number of seconds, 0 or more (got ${JSON.stringify(
          raw,
        )})`,
      );
    }
    windows[kind] = seconds;
  }
  return windows;
}

const EXPIRY_WARNING_KEY = 'scorecards.waivers.expiryWarningDays';
/** A year: a warning window longer than that is a typo (a `1e21`), not a policy. */
const MAX_EXPIRY_WARNING_DAYS = 365;
/** Digits only: `Number()` would also read "0x10", "1e1" and " 7 " as whole numbers. */
const WHOLE_DAYS_TEXT = /^\d+$/;

/** A configured day count (a number, or digits from an environment substitution), else NaN. */
function wholeDays(raw: unknown): number {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : Number.NaN;
  if (typeof raw === 'string' && WHOLE_DAYS_TEXT.test(raw)) return Number(raw);
  return Number.NaN;
}

/**
 * `scorecards.waivers.expiryWarningDays`: one or two whole days from 1 to 365 before a waiver's
 * expiry. The larger starts the amber warning (and the rollups' "expiring" count), the smaller
 * the red one; one value is the amber window, red staying at 3 days inside it (scorecards-common
 * `waiverExpiryWindows`). A third value would be ignored by every
 * reader, so it is refused rather than silently dropped. Text of digits (an environment
 * substitution) is read as its number; other text is refused.
 */
function readExpiryWarningDays(waivers: Config): number[] | undefined {
  const value = waivers.getOptional('expiryWarningDays');
  if (value === undefined || value === null) return undefined;
  const refuse = (got: string) =>
    new Error(
      `${EXPIRY_WARNING_KEY} must be a list of one or two whole days from 1 to ${MAX_EXPIRY_WARNING_DAYS}, e.g. [14, 3] (got ${got})`,
    );
  if (!Array.isArray(value)) throw refuse(typeName(value));
  if (value.length === 0 || value.length > 2)
    throw refuse(JSON.stringify(value));
  return value.map(raw => {
    const days = wholeDays(raw);
    // NaN fails both comparisons, so it needs its own check.
    if (Number.isNaN(days) || days < 1 || days > MAX_EXPIRY_WARNING_DAYS)
      throw refuse(JSON.stringify(value));
    return days;
  });
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
  const windows = readEvidenceWindows(root);
  if (windows) partial.evidenceWindows = windows;
  const capabilities = config.getOptionalConfigArray('platformCapabilities');
  if (capabilities) {
    partial.platformCapabilities = capabilities.map((c, i) => {
      // The owner is a row key of the rollups: `group:Platform-Team` would be a row of its own
      // beside the team's `group:default/platform-team`, holding the blockers that row lacks.
      const written = c.getString('owner');
      const owner = normalizeEntityRef(written, 'group');
      if (!owner || !owner.startsWith('group:')) {
        throw new Error(
          `scorecards.platformCapabilities[${i}].owner must be a group ref like group:default/<team> (got "${written}")`,
        );
      }
      const capability: PlatformCapability = { id: c.getString('id'), owner };
      // Compared with the entity's runtime annotation, which is read trimmed and lower-cased.
      const runtimes = c
        .getOptionalStringArray('availableFor.runtimes')
        ?.map(r => r.trim().toLowerCase());
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
      expiryWarningDays: readExpiryWarningDays(waivers) ?? [14, 3],
      // 0 or less refused every false-positive waiver ("at most 0 days after now").
      falsePositiveMaxDays: readConfigNumber(
        root,
        'scorecards.waivers.falsePositiveMaxDays',
        14,
        { integer: true, min: 1 },
      ),
    };
  }
  return resolveScorecardsConfig(partial);
}
