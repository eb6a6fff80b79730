import {
  CheckTypeRegistry,
  CheckCompileError,
  formatIssuePath,
} from '../checks/checkTypeRegistry';
import { createDefaultCheckTypeRegistry } from '../checks/defaultRegistry';
import {
  DEFAULT_SCORECARDS_CONFIG,
  resolveScorecardsConfig,
  ScorecardsConfig,
} from '../config/scorecardsConfig';
import { ROLLOUT_PHASES, THEMES } from '../model/checkModel';
import { LEVEL_IDS, LevelId } from '../model/levels';
import { CompiledCheck, CompiledStandard } from './compiledStandard';
import {
  CheckDefinition,
  checkDefinitionSchema,
  standardFileSchema,
} from './standardSchema';
import { compareText } from '../model/compareText';

/** Options of `parseStandard`. */
export interface ParseStandardOptions {
  /** Named in every error message, e.g. `standards/default.yaml`. */
  fileName?: string;
  /** Check types available to the standard; defaults to the built-ins. */
  registry?: CheckTypeRegistry;
  config?: Partial<ScorecardsConfig> | ScorecardsConfig;
}

/** Result of `parseStandard`: the compiled standard, or every error found. */
export type ParseStandardResult =
  | { ok: true; standard: CompiledStandard }
  | { ok: false; errors: string[] };

/** Thrown by `loadStandard`; `errors` lists every problem, one per line in the message. */
export class StandardValidationError extends Error {
  constructor(readonly errors: string[]) {
    super(`Invalid scorecards standard:\n${errors.join('\n')}`);
    this.name = 'StandardValidationError';
  }
}

const GROUP_REF = /^group:([a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/i;

function parseMs(text: string): number {
  return Date.parse(text);
}

/** `appliesTo.lifecycles` entry meaning every lifecycle (lifecycle-valid, §4 "all lifecycles"). */
const ALL_LIFECYCLES = '*';

/**
 * The lifecycles a check applies to: as listed (default: the rated ones, §2.2). `*` stands for
 * every configured lifecycle plus `production`, the scope of a value outside the configured set
 * (§2.1), so a check can apply to all of them whatever the configuration holds.
 */
function appliesToLifecycles(
  listed: readonly string[] | undefined,
  config: ScorecardsConfig,
): readonly string[] {
  if (!listed) return config.ratedLifecycles;
  if (!listed.includes(ALL_LIFECYCLES)) return listed;
  const all = new Set(listed.filter(l => l !== ALL_LIFECYCLES));
  for (const l of config.lifecycles) all.add(l);
  all.add('production');
  return [...all];
}

function compileCheck(
  def: CheckDefinition,
  ctx: {
    prefix: string;
    levels: LevelId[];
    config: ScorecardsConfig;
    registry: CheckTypeRegistry;
  },
  errors: string[],
): CompiledCheck | null {
  const where = `${ctx.prefix}check "${def.id}": `;
  const before = errors.length;
  const { config } = ctx;
  if (!GROUP_REF.test(def.owner))
    errors.push(`${where}owner must be a group: ref (got "${def.owner}")`);
  if (def.level && !ctx.levels.includes(def.level)) {
    errors.push(
      `${where}level ${
        def.level
      } is not defined in levels (defined: ${ctx.levels.join(', ')})`,
    );
  }
  // A lifecycle no entity can have (a typo: `prodution`) would make the check apply to nothing
  // and silently lower every ceiling and expected level. Known lifecycles stay allowed whatever
  // `scorecards.lifecycles` lists (the default standard names deprecated and archived; a value
  // outside the configured set is scored as production), so no configuration stops start-up.
  for (const listed of def.appliesTo.lifecycles ?? []) {
    if (
      listed !== ALL_LIFECYCLES &&
      !config.lifecycles.includes(listed) &&
      !DEFAULT_SCORECARDS_CONFIG.lifecycles.includes(listed)
    ) {
      errors.push(
        `${where}appliesTo.lifecycles has "${listed}", which is no lifecycle (scorecards.lifecycles: ${config.lifecycles.join(
          ', ',
        )}; or a default one: ${DEFAULT_SCORECARDS_CONFIG.lifecycles.join(
          ', ',
        )}); use one of them, or "*" for all`,
      );
    }
  }
  const lifecycles = appliesToLifecycles(def.appliesTo.lifecycles, config);
  const onlyUnrated = lifecycles.every(
    l => !config.ratedLifecycles.includes(l),
  );
  if (
    (def.class === 'required' || def.class === 'contextual') &&
    !def.level &&
    !onlyUnrated
  ) {
    errors.push(
      `${where}level is required for a ${def.class} check that applies to rated lifecycles`,
    );
  }
  if (def.class === 'recommended' && def.level) {
    errors.push(
      `${where}level must not be set on a recommended check (got ${def.level})`,
    );
  }
  if (def.class === 'contextual' && !def.context)
    errors.push(`${where}context is required for a contextual check`);
  // The engine reads context only for contextual checks: elsewhere it would look like a scope
  // limit the author meant, and silently gate every entity.
  if (def.class !== 'contextual' && def.context)
    errors.push(
      `${where}context is only allowed on a contextual check (class is ${def.class})`,
    );
  def.rollout.forEach((step, i) => {
    if (i === 0) return;
    const prev = def.rollout[i - 1];
    if (
      ROLLOUT_PHASES.indexOf(step.phase) <= ROLLOUT_PHASES.indexOf(prev.phase)
    ) {
      errors.push(
        `${where}rollout[${i}].phase must come after rollout[${
          i - 1
        }].phase (got ${step.phase} after ${prev.phase})`,
      );
    }
    if (!(parseMs(step.from) > parseMs(prev.from))) {
      errors.push(
        `${where}rollout[${i}].from must be after rollout[${i - 1}].from (got ${
          step.from
        } <= ${prev.from})`,
      );
    }
  });
  // A check that retires before its first phase is never evaluated: a misdated retirement.
  if (
    def.retiresAt !== undefined &&
    !(parseMs(def.retiresAt) > parseMs(def.rollout[0].from))
  ) {
    errors.push(
      `${where}retiresAt must be after rollout[0].from (got ${def.retiresAt} <= ${def.rollout[0].from})`,
    );
  }
  if (def.supersedes === def.id)
    errors.push(`${where}supersedes names the check itself`);
  const maxDays =
    def.waiver?.maxDays ?? (def.severity === 'critical' ? 30 : 90);
  if (maxDays < 1)
    errors.push(`${where}waiver.maxDays must be at least 1 (got ${maxDays})`);
  const capability = def.platformCapability
    ? config.platformCapabilities.find(c => c.id === def.platformCapability) ??
      null
    : null;
  if (def.platformCapability && !capability) {
    errors.push(
      `${where}platformCapability "${def.platformCapability}" is not configured in scorecards.platformCapabilities`,
    );
  }
  let call;
  try {
    call = ctx.registry.compileCall({ type: def.type, params: def.params }, '');
  } catch (e) {
    if (e instanceof CheckCompileError)
      errors.push(`${where}${e.path} ${e.detail}`);
    else errors.push(`${where}params ${(e as Error).message}`);
  }
  if (errors.length > before || !call) return null;
  return {
    definition: def,
    id: def.id,
    version: def.version,
    title: def.title,
    theme: def.theme,
    themeIndex: THEMES.indexOf(def.theme),
    class: def.class,
    level: def.level ?? null,
    levelIndex: def.level ? LEVEL_IDS.indexOf(def.level) : -1,
    severity: def.severity,
    kinds: new Set(def.appliesTo.kinds),
    types: def.appliesTo.types ? new Set(def.appliesTo.types) : null,
    lifecycles: new Set(lifecycles),
    tiers: def.appliesTo.tiers ? new Set(def.appliesTo.tiers) : null,
    context: def.context?.anyOf ?? null,
    rollout: def.rollout.map(step => ({
      phase: step.phase,
      from: step.from,
      fromMs: parseMs(step.from),
    })),
    gateOnUnknown: def.gateOnUnknown ?? 'warn',
    waiverAllowed: def.waiver?.allowed ?? true,
    waiverMaxDays: maxDays,
    fix: def.remediation,
    capability,
    retiresAtMs: def.retiresAt ? parseMs(def.retiresAt) : null,
    call,
  };
}

/**
 * Errors of names that point elsewhere in the standard (P12): `supersedes` and changelog entries
 * name checks of this file (a check is removed through `retiresAt`, never deleted, §2.2, so the
 * one named is still there), and a changelog version is not after the standard's own. Checks
 * that failed to compile still count as defined: their own errors are reported already.
 */
function referenceErrors(
  prefix: string,
  version: number,
  compiled: readonly CompiledCheck[],
  rawChecks: readonly unknown[],
  changelog: CompiledStandard['changelog'],
): string[] {
  const errors: string[] = [];
  const ids = new Set(
    rawChecks.map(raw => (raw as { id?: unknown } | null)?.id),
  );
  for (const check of compiled) {
    const target = check.definition.supersedes;
    if (target !== undefined && target !== check.id && !ids.has(target)) {
      errors.push(
        `${prefix}check "${check.id}": supersedes "${target}" is not a check of this standard`,
      );
    }
  }
  changelog.forEach((release, i) => {
    if (release.version > version) {
      errors.push(
        `${prefix}changelog[${i}].version ${release.version} is after the standard version ${version}`,
      );
    }
    release.entries.forEach((entry, j) => {
      if (!ids.has(entry.checkId)) {
        errors.push(
          `${prefix}changelog[${i}].entries[${j}].checkId "${entry.checkId}" is not a check of this standard`,
        );
      }
    });
  });
  return errors;
}

/**
 * Warnings of levels no entity can reach (P8, P9): a level counts only through its required and
 * contextual checks (§2.7), and the ladder stops at the first level without one — for every
 * entity, whatever its results. The spec allows such a standard (§2.2 does not list it; a
 * standard may be adopted one level at a time), so it loads, and the first such level is named.
 */
function levelWarnings(
  prefix: string,
  levelIds: readonly LevelId[],
  checks: readonly CompiledCheck[],
): string[] {
  const counted = new Set<LevelId>();
  for (const check of checks) {
    if (check.level !== null && check.class !== 'recommended')
      counted.add(check.level);
  }
  const empty = levelIds.findIndex(id => !counted.has(id));
  if (empty < 0) return [];
  const id = levelIds[empty];
  const effect =
    empty === 0
      ? 'every rated entity is rated none'
      : `no entity can rise above ${levelIds[empty - 1]}`;
  const dead = levelIds.slice(empty + 1).filter(l => counted.has(l));
  const unused =
    dead.length > 0
      ? `, and the checks of ${dead.join(', ')} never count toward a level`
      : '';
  return [
    `${prefix}levels[${empty}] ${id} has no required or contextual check: ${effect}${unused}`,
  ];
}

/**
 * Warnings of a default lifecycle a check lists that `scorecards.lifecycles` leaves out: no
 * entity has it (an unconfigured lifecycle is scored as production), so the check applies to
 * none of them for that lifecycle. Accepted so that the default standard loads under any
 * configuration.
 */
function unconfiguredLifecycleWarnings(
  prefix: string,
  config: ScorecardsConfig,
  checks: readonly CompiledCheck[],
): string[] {
  const warnings: string[] = [];
  for (const check of checks) {
    const unconfigured = [...check.lifecycles].filter(
      l => l !== 'production' && !config.lifecycles.includes(l),
    );
    if (unconfigured.length > 0) {
      warnings.push(
        `${prefix}check "${
          check.id
        }": appliesTo.lifecycles names ${unconfigured.join(
          ', ',
        )}, which scorecards.lifecycles leaves out (${config.lifecycles.join(
          ', ',
        )}): no entity is scored with it, so the check does not apply for it`,
      );
    }
  }
  return warnings;
}

/**
 * Warnings of evidence kinds no configured source collects, which only a push could bring: a
 * `fact` check on `repo.setting` (for `repo.settings`) loads, and every entity is `unknown` for
 * ever, as its team's missing evidence. The `fact` type names such a kind's source `push`; a kind
 * a check type declares with a source of its own is not warned about.
 */
function unknownKindWarnings(
  prefix: string,
  config: ScorecardsConfig,
  checks: readonly CompiledCheck[],
): string[] {
  const warnings: string[] = [];
  for (const check of checks) {
    const unknown = check.call.type
      .needs(check.call.params)
      .filter(
        n =>
          n.source === 'push' && !Object.hasOwn(config.evidenceSources, n.kind),
      )
      .map(n => n.kind);
    for (const kind of new Set(unknown)) {
      warnings.push(
        `${prefix}check "${
          check.id
        }": evidence kind "${kind}" is collected by no configured source (${Object.keys(
          config.evidenceSources,
        )
          .sort()
          .join(', ')}); a typo? Only a push of that kind can bring it`,
      );
    }
  }
  return warnings;
}

/**
 * Validates and compiles a standard file (already parsed from YAML or app-config) once at
 * load. Every problem is reported with the file, check id and field (scorecards §2.2).
 */
export function parseStandard(
  input: unknown,
  options: ParseStandardOptions = {},
): ParseStandardResult {
  const prefix = options.fileName ? `${options.fileName}: ` : '';
  const config = resolveScorecardsConfig(options.config);
  const registry = options.registry ?? createDefaultCheckTypeRegistry();
  const errors: string[] = [];
  const file = standardFileSchema.safeParse(input);
  if (!file.success) {
    return {
      ok: false,
      errors: file.error.issues.map(
        i =>
          `${prefix}${formatIssuePath('', i.path).replace(/^\./, '')} ${
            i.message
          }`,
      ),
    };
  }
  const { standard, levels, checks: rawChecks, changelog } = file.data;
  if (!GROUP_REF.test(standard.owner)) {
    errors.push(
      `${prefix}standard.owner must be a group: ref (got "${standard.owner}")`,
    );
  }
  const levelIds = levels.map(l => l.id as LevelId);
  levelIds.forEach((id, i) => {
    if (LEVEL_IDS.indexOf(id) !== i) {
      errors.push(
        `${prefix}levels[${i}].id must be ${LEVEL_IDS[i]} (levels are ordered from L0 without gaps; got ${id})`,
      );
    }
  });
  const compiled: CompiledCheck[] = [];
  const seen = new Set<string>();
  rawChecks.forEach((raw, index) => {
    const id = (raw as { id?: unknown } | null)?.id;
    const label = typeof id === 'string' ? `check "${id}"` : `checks[${index}]`;
    const parsed = checkDefinitionSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push(
          `${prefix}${label}: ${formatIssuePath('', issue.path).replace(
            /^\./,
            '',
          )} ${issue.message}`,
        );
      }
      return;
    }
    if (seen.has(parsed.data.id)) {
      errors.push(
        `${prefix}check "${parsed.data.id}": id is a duplicate (checks[${index}])`,
      );
      return;
    }
    seen.add(parsed.data.id);
    const check = compileCheck(
      parsed.data,
      { prefix, levels: levelIds, config, registry },
      errors,
    );
    if (check) compiled.push(check);
  });
  errors.push(
    ...referenceErrors(
      prefix,
      standard.version,
      compiled,
      rawChecks,
      changelog,
    ),
  );
  if (errors.length > 0) return { ok: false, errors };
  const withSources = withNeededSources(config, compiled);
  compiled.sort(
    (a, b) => a.themeIndex - b.themeIndex || compareText(a.id, b.id),
  );
  return {
    ok: true,
    standard: {
      id: standard.id,
      version: standard.version,
      owner: standard.owner,
      levels: levels.map(l => ({
        id: l.id as LevelId,
        title: l.title,
        summary: l.summary,
      })),
      checks: compiled,
      byId: new Map(compiled.map(c => [c.id, c])),
      changelog,
      config: withSources,
      registry,
      warnings: [
        ...levelWarnings(prefix, levelIds, compiled),
        ...unknownKindWarnings(prefix, config, compiled),
        ...unconfiguredLifecycleWarnings(prefix, config, compiled),
      ],
    },
  };
}

/**
 * The configuration with the source of every evidence kind a check declares in `needs` that
 * `evidenceSources` does not name (a custom check type's `sbom.summary` from `sbom`); the
 * configured ones win. Without it a custom kind's record was read as coming from "unknown": an
 * outage of its source was no outage (no health entry, not in the store-outage list), so every
 * entity's result turned unknown as the team's own missing evidence, and history recorded it as
 * their regression (SR20).
 */
function withNeededSources(
  config: ScorecardsConfig,
  checks: readonly CompiledCheck[],
): ScorecardsConfig {
  const added: Record<string, string> = {};
  for (const check of checks) {
    for (const need of check.call.type.needs(check.call.params)) {
      // Not the catalog (read from the snapshot, never from the evidence store) nor a kind the
      // `fact` type names `push` only because nothing collects it (`unknownKindWarnings`):
      // built-in checks read as before.
      if (need.kind === 'catalog' || need.source === 'push') continue;
      if (
        !Object.hasOwn(config.evidenceSources, need.kind) &&
        !Object.hasOwn(added, need.kind)
      ) {
        added[need.kind] = need.source;
      }
    }
  }
  if (Object.keys(added).length === 0) return config;
  return {
    ...config,
    evidenceSources: { ...added, ...config.evidenceSources },
  };
}

/** Like `parseStandard` but throws a `StandardValidationError` listing every problem (for startup). */
export function loadStandard(
  input: unknown,
  options: ParseStandardOptions = {},
): CompiledStandard {
  const result = parseStandard(input, options);
  if (!result.ok) throw new StandardValidationError(result.errors);
  return result.standard;
}
