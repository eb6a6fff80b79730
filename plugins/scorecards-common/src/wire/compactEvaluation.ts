import type { CompiledStandard } from '../standard/compiledStandard';
import type {
  Blocker,
  CheckResult,
  EntityEvaluation,
} from '../model/resultModel';

/** Fields of a result that its check's definition holds, at the standard's version. */
type DefinedField =
  | 'checkVersion'
  | 'title'
  | 'theme'
  | 'class'
  | 'level'
  | 'severity';
/** Fields of a result left out when they hold their usual empty value. */
type EmptyField = 'evidence' | 'missing' | 'notes' | 'attribution';

/**
 * A check result on the wire: the fields its check's definition holds are left out (the
 * receiver has the same standard version), `fix: true` stands for the definition's fix, and
 * empty lists and a null attribution are left out. A field that differs from what would be
 * restored is sent as it is.
 *
 * The wire form carries exactly the fields of {@link CheckResult} (it does not enumerate a
 * result's keys). A change to those fields needs a new route, so that an older backend answers
 * 404 and the module falls back to full sets; the round-trip test over the engine's results
 * fails when the engine makes a field this codec does not carry.
 */
export type CompactCheckResult = Omit<
  CheckResult,
  DefinedField | EmptyField | 'fix'
> &
  Partial<Pick<CheckResult, DefinedField | EmptyField>> & {
    fix?: CheckResult['fix'] | true;
  };

/**
 * A blocker on the wire: its message, fix and missing inputs are its result's (the blocker of
 * that check) unless sent; `fix: null` says the blocker has none while its result has one.
 */
export type CompactBlocker = Omit<Blocker, 'message' | 'fix' | 'missing'> &
  Partial<Pick<Blocker, 'message' | 'missing'>> & {
    fix?: Blocker['fix'] | null;
  };

/** A result set as the catalog module posts it to `POST /internal/results/compact`. */
export type CompactEvaluation = Omit<
  EntityEvaluation,
  'blockers' | 'results'
> & {
  blockers: CompactBlocker[];
  results: CompactCheckResult[];
};

/** The part of a compiled standard the codec reads. */
export type WireStandard = Pick<CompiledStandard, 'id' | 'version' | 'byId'>;

/** Thrown by {@link expandEvaluation} for a set that does not fit the standard; `path` names the field. */
export class CompactEvaluationError extends Error {
  constructor(readonly path: string, message: string) {
    super(`${path} ${message}`);
    this.name = 'CompactEvaluationError';
  }
}

/** Structural equality of small JSON values (fix objects, lists of missing inputs). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x).filter(k => x[k] !== undefined);
  const ky = Object.keys(y).filter(k => y[k] !== undefined);
  return kx.length === ky.length && kx.every(k => sameJson(x[k], y[k]));
}

/** `value`, or undefined when it equals what the receiver restores in its place. */
const unless = <T>(value: T, restored: T | undefined): T | undefined =>
  value === restored ? undefined : value;
/** A list, or undefined when it is empty (restored as `[]`). */
const nonEmpty = <T>(list: T[]): T[] | undefined =>
  list.length === 0 ? undefined : list;

/**
 * One object literal of a fixed shape: undefined fields are left out of the JSON. (Built key by
 * key, this was ~80 µs per 45-check set, a third of the publisher's cost per set.)
 */
function compactResult(
  result: CheckResult,
  standard: WireStandard,
): CompactCheckResult {
  const check = standard.byId.get(result.checkId);
  const { fix } = result;
  return {
    checkId: result.checkId,
    checkVersion: unless(result.checkVersion, check?.version),
    title: unless(result.title, check?.title),
    theme: unless(result.theme, check?.theme),
    class: unless(result.class, check?.class),
    level: check ? unless(result.level, check.level) : result.level,
    severity: unless(result.severity, check?.severity),
    phase: result.phase,
    gating: result.gating,
    state: result.state,
    rawState: result.rawState,
    reason: result.reason,
    message: result.message,
    expected: result.expected,
    found: result.found,
    evidence: nonEmpty(result.evidence),
    missing: nonEmpty(result.missing),
    notes: nonEmpty(result.notes),
    attribution: result.attribution ?? undefined,
    platformCapability: result.platformCapability,
    waiver: result.waiver,
    fix: fix !== undefined && check && sameJson(fix, check.fix) ? true : fix,
    nextPhase: result.nextPhase,
    since: result.since,
  };
}

function compactBlocker(
  blocker: Blocker,
  resultOf: ReadonlyMap<string, CheckResult>,
): CompactBlocker {
  const result = resultOf.get(blocker.checkId);
  const out: CompactBlocker = {
    level: blocker.level,
    checkId: blocker.checkId,
    state: blocker.state,
    attribution: blocker.attribution,
  };
  if (!result || blocker.message !== result.message) {
    out.message = blocker.message;
  }
  if (!result || !sameJson(blocker.missing, result.missing)) {
    out.missing = blocker.missing;
  }
  if (blocker.fix === undefined) {
    if (result?.fix !== undefined) out.fix = null;
  } else if (!result || !sameJson(blocker.fix, result.fix)) {
    out.fix = blocker.fix;
  }
  return out;
}

/**
 * The wire form of a result set: ~⅓ smaller than its JSON and about twice as fast to parse
 * (measured in docs/benchmarks.md), because a third of a result set is text the standard
 * already holds (titles, themes, fixes) and repeats of it (blockers). Lossless against the
 * same standard version: `expandEvaluation(compactEvaluation(e, s), s)` equals `e` as JSON.
 */
export function compactEvaluation(
  evaluation: EntityEvaluation,
  standard: WireStandard,
): CompactEvaluation {
  const resultOf = new Map(evaluation.results.map(r => [r.checkId, r]));
  return {
    ...evaluation,
    blockers: evaluation.blockers.map(b => compactBlocker(b, resultOf)),
    results: evaluation.results.map(r => compactResult(r, standard)),
  };
}

function expandResult(
  sent: CompactCheckResult,
  standard: WireStandard,
  path: string,
): CheckResult {
  const check = standard.byId.get(sent.checkId);
  if (!check) {
    throw new CompactEvaluationError(
      `${path}.checkId`,
      `${JSON.stringify(sent.checkId)} is not a check of ${standard.id}@${
        standard.version
      }; the catalog module and the scorecards backend must load the same standard`,
    );
  }
  return {
    checkId: sent.checkId,
    checkVersion: sent.checkVersion ?? check.version,
    title: sent.title ?? check.title,
    theme: sent.theme ?? check.theme,
    class: sent.class ?? check.class,
    level: sent.level !== undefined ? sent.level : check.level,
    severity: sent.severity ?? check.severity,
    phase: sent.phase,
    gating: sent.gating,
    state: sent.state,
    rawState: sent.rawState,
    reason: sent.reason,
    message: sent.message,
    expected: sent.expected,
    found: sent.found,
    evidence: sent.evidence ?? [],
    missing: sent.missing ?? [],
    notes: sent.notes ?? [],
    attribution: sent.attribution ?? null,
    platformCapability: sent.platformCapability,
    waiver: sent.waiver,
    // The definition's own object, as the engine puts it in a result (never mutated).
    fix: sent.fix === true ? check.fix : sent.fix,
    nextPhase: sent.nextPhase,
    since: sent.since,
  };
}

function expandBlocker(
  sent: CompactBlocker,
  resultOf: ReadonlyMap<string, CheckResult>,
  path: string,
): Blocker {
  const result = resultOf.get(sent.checkId);
  const message = sent.message ?? result?.message;
  if (message === undefined) {
    throw new CompactEvaluationError(
      `${path}.message`,
      `is required: ${JSON.stringify(
        sent.checkId,
      )} has no result in this set to take it from`,
    );
  }
  const fix = sent.fix === null ? undefined : sent.fix ?? result?.fix;
  return {
    level: sent.level,
    checkId: sent.checkId,
    state: sent.state,
    attribution: sent.attribution,
    message,
    ...(fix !== undefined ? { fix } : {}),
    missing: sent.missing ?? result?.missing ?? [],
  };
}

/**
 * The result set a {@link compactEvaluation} was made from, restored with `standard` (which
 * must be the standard version the set names: the caller checks `evaluation.standard`).
 * Throws a {@link CompactEvaluationError} naming the field when a result's check is not in the
 * standard or a blocker cannot be completed; any other shape problem is left to the
 * receiver's validation of the restored set.
 */
export function expandEvaluation(
  compact: CompactEvaluation,
  standard: WireStandard,
  path = 'evaluation',
): EntityEvaluation {
  const sentResults: unknown = compact.results;
  const sentBlockers: unknown = compact.blockers;
  if (!Array.isArray(sentResults) || !Array.isArray(sentBlockers)) {
    // Not a result set: the receiver's validation names what is wrong.
    return compact as unknown as EntityEvaluation;
  }
  const results = (sentResults as CompactCheckResult[]).map((r, i) =>
    r && typeof r === 'object' && typeof r.checkId === 'string'
      ? expandResult(r, standard, `${path}.results[${i}]`)
      : (r as unknown as CheckResult),
  );
  const resultOf = new Map(results.map(r => [r?.checkId, r]));
  const blockers = (sentBlockers as CompactBlocker[]).map((b, i) =>
    b && typeof b === 'object'
      ? expandBlocker(b, resultOf, `${path}.blockers[${i}]`)
      : (b as unknown as Blocker),
  );
  return { ...compact, blockers, results };
}
