import { entityRefOf } from '../catalog/entityRefs';
import { parseInstantMs } from '../evidence/instant';
import { deriveSubject, EntitySubject } from '../catalog/entitySubject';
import { isScoredKind, SEVERITY_ORDER } from '../model/checkModel';
import { compareText } from '../model/compareText';
import { LevelId, levelRank } from '../model/levels';
import {
  CheckResult,
  EntityEvaluation,
  RawOutcome,
  Score,
  UnscoredEvaluation,
} from '../model/resultModel';
import {
  BLOCKS_AS_FAIL,
  BLOCKS_AS_UNKNOWN,
  levelsOfGating,
  notRated,
  SATISFIED,
} from '../levels/computeLevel';
import { expectedLevel } from '../levels/expectedLevel';
import {
  CompiledCheck,
  CompiledRolloutStep,
  CompiledStandard,
} from '../standard/compiledStandard';
import { activeWaiverFor, expiredWaiverFor } from '../waivers/activeWaivers';
import { Waiver } from '../waivers/waiverTypes';
import { CheckType } from '../checks/checkType';
import { attributeDecided, capabilityMissing } from './attribution';
import { contextMiss, ScopeMiss, ScopeTable } from './checkScope';
import { EvaluationContext } from './evaluationContext';
import { EvaluationInput } from './evaluationInput';
import { isRetired, phaseAt } from './rolloutPhase';
import { checkedOutcome, MalformedOutcomeError } from './outcomeShape';
import { redactOutcome, redactText } from './redactOutcome';
import { noteCheckTypeRun, reachedYet } from './timeLimits';
import {
  catalogHoldsUrlCredentials,
  holdsCredentials,
  onlyBuiltInTypes,
  standardHoldsUrlCredentials,
} from './credentialFreeInputs';

const EMPTY: readonly never[] = [];

/**
 * The message of a not-applicable result. Compared, not looked up by key: a keyed read with
 * three different keys turns megamorphic, and this runs for ~40 % of all results.
 */
function scopeMessage(miss: Exclude<ScopeMiss, null>): string {
  if (miss === 'NOT_IN_SCOPE')
    return 'Does not apply to this kind, type or tier.';
  if (miss === 'LIFECYCLE_SCOPE') return 'Does not apply to this lifecycle.';
  return 'Its context (exposure, data, APIs, resource type) does not hold for this entity.';
}

/** Waivers by lower-cased entity ref, built once per waiver list (the same list serves every entity). */
const waiverIndexes = new WeakMap<readonly Waiver[], Map<string, Waiver[]>>();

/** The waivers of one entity; each check then scans a handful instead of the whole list. */
function waiversOf(
  all: readonly Waiver[],
  entityRef: string,
): readonly Waiver[] {
  let index = waiverIndexes.get(all);
  if (!index) {
    index = new Map();
    for (const w of all) {
      const ref = w.entityRef.toLowerCase();
      const list = index.get(ref);
      if (list) list.push(w);
      else index.set(ref, [w]);
    }
    waiverIndexes.set(all, index);
  }
  return index.get(entityRef) ?? EMPTY;
}

/** The rollout position of an active check at one instant. */
interface ActiveCheck {
  check: CompiledCheck;
  /** Position in `standard.checks` (for the scope table). */
  index: number;
  /** The bound check type, resolved once instead of per evaluation. */
  type: CheckType<any, any>;
  params: unknown;
  evaluate: CheckType<any, any>['evaluate'];
  phase: CheckResult['phase'];
  next: CompiledRolloutStep | undefined;
  /** Position of the check's level in the standard's levels, -1 without a level. */
  levelIndex: number;
  /** Whether an applicable result of this check gates (not recommended, not in observe). */
  gates: boolean;
  /** Whether the check has context clauses to test per entity (a contextual check). */
  contextual: boolean;
  /** Whether the check is in `observe`, where results do not count in the score. */
  observed: boolean;
  /** Whether the check runs built-in check types only (see `credentialFreeInputs`). */
  builtIn: boolean;
}

/**
 * What an evaluation needs from a compiled standard that does not depend on the entity: the
 * level ids, and the checks in force at `now` (retired and inactive ones dropped, phase
 * resolved). Built once per standard; the checks in force are recomputed only when `now` leaves
 * the interval between two rollout or retirement instants of the standard, in which every
 * `fromMs <= now` and `retiresAtMs <= now` comparison keeps its answer (the catalog processor
 * passes the wall clock, a new `now` for every entity).
 */
interface StandardPlan {
  levelIds: LevelId[];
  scopes: ScopeTable;
  /** Every rollout `fromMs` and `retiresAtMs` of the standard, ascending, NaN dropped. */
  boundaries: number[];
  /** `active` holds for validFromMs <= now < validUntilMs (NaN: never reused). */
  validFromMs: number;
  validUntilMs: number;
  active: ActiveCheck[];
  /** Per active check, its rank by severity then id: how blockers are ordered (see `levelsOfGating`). */
  blockerRanks: number[];
  /** Whether a text of the standard holds URL credentials (`credentialFreeInputs`). */
  standardHoldsCredentials: boolean;
}

const plans = new WeakMap<CompiledStandard, StandardPlan>();

function boundariesOf(standard: CompiledStandard): number[] {
  const all = new Set<number>();
  for (const check of standard.checks) {
    for (const step of check.rollout)
      if (!Number.isNaN(step.fromMs)) all.add(step.fromMs);
    if (check.retiresAtMs !== null && !Number.isNaN(check.retiresAtMs))
      all.add(check.retiresAtMs);
  }
  return [...all].sort((a, b) => a - b);
}

/** Rank of each active check by severity, then id (the blocker order of one level and state). */
function blockerRanksOf(active: readonly ActiveCheck[]): number[] {
  const order = active.map((_, i) => i);
  // Array#sort is stable: checks with equal keys keep their standard order.
  order.sort(
    (a, b) =>
      SEVERITY_ORDER[active[a].check.severity] -
        SEVERITY_ORDER[active[b].check.severity] ||
      compareText(active[a].check.id, active[b].check.id),
  );
  const ranks: number[] = new Array(active.length);
  order.forEach((activeIndex, rank) => {
    ranks[activeIndex] = rank;
  });
  return ranks;
}

function planFor(standard: CompiledStandard, nowMs: number): StandardPlan {
  let plan = plans.get(standard);
  if (!plan) {
    plan = {
      levelIds: standard.levels.map(l => l.id),
      scopes: new ScopeTable(standard.checks),
      boundaries: boundariesOf(standard),
      validFromMs: Number.NaN,
      validUntilMs: Number.NaN,
      active: [],
      blockerRanks: [],
      standardHoldsCredentials: standardHoldsUrlCredentials(standard),
    };
    plans.set(standard, plan);
  }
  if (!(nowMs >= plan.validFromMs && nowMs < plan.validUntilMs)) {
    const active: ActiveCheck[] = [];
    const levelIds = plan.levelIds;
    standard.checks.forEach((check, index) => {
      if (isRetired(check, nowMs)) return;
      const phase = phaseAt(check, nowMs);
      if (!phase) return;
      active.push({
        check,
        index,
        type: check.call.type,
        params: check.call.params,
        evaluate: check.call.type.evaluate,
        phase: phase.current.phase,
        next: phase.next,
        levelIndex: check.level === null ? -1 : levelIds.indexOf(check.level),
        gates:
          check.class !== 'recommended' && phase.current.phase !== 'observe',
        contextual: check.class === 'contextual' && check.context !== null,
        observed: phase.current.phase === 'observe',
        builtIn: onlyBuiltInTypes(check.call),
      });
    });
    plan.active = active;
    plan.blockerRanks = blockerRanksOf(active);
    let from = Number.NEGATIVE_INFINITY;
    let until = Number.POSITIVE_INFINITY;
    for (const b of plan.boundaries) {
      if (b <= nowMs) from = b;
      else {
        until = b;
        break;
      }
    }
    // A NaN `now` compares false with everything: never reuse the plan built for it.
    plan.validFromMs = Number.isNaN(nowMs) ? Number.NaN : from;
    plan.validUntilMs = until;
  }
  return plan;
}

/** The outcome that stands for a check type that threw or returned something unusable. */
function checkErrorOutcome(active: ActiveCheck, error: unknown): RawOutcome {
  const detail =
    error instanceof MalformedOutcomeError
      ? error.message
      : `Check type ${active.type.id} failed: ${
          (error as Error)?.message ?? String(error)
        }`;
  return {
    state: 'unknown',
    reason: 'CHECK_ERROR',
    message: `${detail}.`,
    expected: active.check.title,
    found: 'evaluation error',
    evidence: [],
    missing: [],
  };
}

/**
 * Runs one check and builds its result. Both happen inside the guard: a faulty (custom) check
 * type — one that throws, or returns an outcome the result cannot be built from — must cost
 * that check only (`unknown`, CHECK_ERROR), never the whole scorecard (SR33).
 */
function runCheck(
  ctx: EvaluationContext,
  active: ActiveCheck,
  subject: EntitySubject,
  waivers: readonly Waiver[],
  nowMs: number,
  since: string,
): CheckResult {
  ctx.skewSeen = false;
  // Nested calls are noted by `ctx.run`; this is the check's own type.
  noteCheckTypeRun(active.type);
  try {
    const raw = checkedOutcome(
      active.type.id,
      active.evaluate.call(active.type, ctx, active.params),
    );
    return buildResult(
      active,
      raw,
      subject,
      waivers,
      nowMs,
      since,
      ctx.skewSeen,
      // Read after the check ran: the texts it read have been looked at by then.
      ctx.holdsCredentials || !active.builtIn,
    );
  } catch (e) {
    // An error's message may quote anything: always redacted.
    return buildResult(
      active,
      checkErrorOutcome(active, e),
      subject,
      waivers,
      nowMs,
      since,
      false,
      true,
    );
  }
}

/** The result of a check outside the entity's scope: no evidence, no waiver, no attribution. */
function notApplicableResult(
  active: ActiveCheck,
  miss: Exclude<ScopeMiss, null>,
  since: string,
): CheckResult {
  const { check, next } = active;
  return {
    checkId: check.id,
    checkVersion: check.version,
    title: check.title,
    theme: check.theme,
    class: check.class,
    level: check.level,
    severity: check.severity,
    phase: active.phase,
    gating: false,
    state: 'not-applicable',
    rawState: 'not-applicable',
    reason: miss,
    message: scopeMessage(miss),
    expected: '—',
    found: '—',
    evidence: [],
    missing: [],
    notes: [],
    attribution: null,
    platformCapability: undefined,
    waiver: undefined,
    fix: undefined,
    nextPhase: next ? { phase: next.phase, from: next.from } : undefined,
    since,
  };
}

function buildResult(
  active: ActiveCheck,
  outcome: RawOutcome,
  subject: EntitySubject,
  waivers: readonly Waiver[],
  nowMs: number,
  since: string,
  skewed: boolean,
  redact: boolean,
): CheckResult {
  const { check, next } = active;
  // Entity text (links, annotations, the repository) never carries URL credentials into a
  // result: redacted here unless the check read no text that could hold any.
  const raw = redact ? redactOutcome(outcome) : outcome;
  let notes: string[] = [];
  if (raw.notes) notes = redact ? raw.notes.map(redactText) : raw.notes.slice();
  // Metadata the subject ignored (SR33) may be what the check would have read: noted on every
  // result that ran. Empty for well-formed metadata.
  const ignored = subject.notes;
  for (let k = 0; k < ignored.length; k++)
    if (!notes.includes(ignored[k])) notes.push(ignored[k]);
  if (skewed) notes.push('SKEWED');
  // The raw state's text is compared once; everything below reads these flags.
  const rawState = raw.state;
  const passed = rawState === 'pass';
  const applicable = passed || rawState !== 'not-applicable';
  const unhappy = !passed && (rawState === 'fail' || rawState === 'unknown');
  let waiver: Waiver | undefined;
  let waiverField: CheckResult['waiver'];
  if (applicable && waivers.length > 0) {
    const candidate = activeWaiverFor(waivers, subject.ref, check.id, nowMs);
    if (candidate && !check.waiverAllowed) notes.push('WAIVER_NOT_ALLOWED');
    else if (candidate) {
      waiver = unhappy ? candidate : undefined;
      waiverField = {
        id: candidate.id,
        kind: candidate.kind,
        expiresAt: candidate.expiresAt,
        unused: !unhappy,
      };
    } else if (
      unhappy &&
      expiredWaiverFor(waivers, subject.ref, check.id, nowMs)
    ) {
      notes.push('WAIVER_EXPIRED');
    }
  }
  const capMissing =
    check.capability !== null && capabilityMissing(check, subject);
  const state = waiver ? 'waived' : rawState;
  const gating = applicable && active.gates;
  // A pass or not-applicable result has no attribution and no fix (a waived one has both).
  const settled = passed || !applicable;
  return {
    checkId: check.id,
    checkVersion: check.version,
    title: check.title,
    theme: check.theme,
    class: check.class,
    level: check.level,
    severity: check.severity,
    phase: active.phase,
    gating,
    state,
    rawState,
    reason: raw.reason,
    message: raw.message,
    expected: raw.expected,
    found: raw.found,
    evidence: raw.evidence,
    missing: raw.missing,
    notes,
    attribution: settled ? null : attributeDecided(raw, waiver, capMissing),
    platformCapability:
      capMissing && check.capability
        ? {
            id: check.capability.id,
            owner: check.capability.owner,
            issue: check.capability.issue,
          }
        : undefined,
    waiver: waiverField,
    fix: settled && !waiver ? undefined : check.fix,
    nextPhase: next ? { phase: next.phase, from: next.from } : undefined,
    since,
  };
}

/**
 * Counts an applicable result's state into the score (as `computeScore` does: results in
 * `observe` are not counted) and answers how it stands for levels, comparing the state text
 * once instead of once per consumer.
 */
function tally(state: string, observed: boolean, score: Score): number {
  if (state === 'pass') {
    if (!observed) {
      score.counted++;
      score.passed++;
    }
    return SATISFIED;
  }
  if (state === 'not-applicable') return SATISFIED;
  if (!observed) score.counted++;
  if (state === 'fail') {
    if (!observed) score.failed++;
    return BLOCKS_AS_FAIL;
  }
  if (state === 'waived') {
    if (!observed) score.waived++;
    return SATISFIED;
  }
  if (!observed) {
    if (state === 'unknown') score.unknown++;
    else score.failed++;
  }
  return BLOCKS_AS_UNKNOWN;
}

/** Keeps the previous `since` while the result's state and reason hold. */
function carrySince(
  result: CheckResult,
  prior: { state: string; reason: string; since: string } | undefined,
): void {
  if (prior && prior.state === result.state && prior.reason === result.reason)
    result.since = prior.since;
}

/**
 * Evaluates one entity against a compiled standard: pure, deterministic (SR24), `now` given.
 * Kinds that are never scored answer `{ scored: false }` (SR34).
 */
export function evaluateEntity(
  input: EvaluationInput,
): EntityEvaluation | UnscoredEvaluation {
  const { entity, standard, now } = input;
  if (!isScoredKind(entity.kind))
    return { entityRef: entityRefOf(entity), scored: false };
  const config = standard.config;
  const subject = deriveSubject(entity, config);
  const ref = subject.ref;
  const nowMs = parseInstantMs(now);
  const plan = planFor(standard, nowMs);
  // The checks in force and their phases hold until the standard's next rollout or retirement
  // instant.
  reachedYet(nowMs >= plan.validUntilMs, nowMs, plan.validUntilMs);
  const ctx = new EvaluationContext(
    now,
    entity,
    subject,
    input.catalog,
    config,
    input.facts ?? EMPTY,
    input.ledger ?? EMPTY,
    input.observedEdges ?? EMPTY,
    input.sourceHealth ?? EMPTY,
    input.collection ?? EMPTY,
    nowMs,
  );
  const waivers = waiversOf(input.waivers ?? EMPTY, subject.ref);
  // The texts the checks may quote beside the evidence (which the context looks at as it
  // reads it): when none holds URL credentials, built-in checks' outcomes are not scanned for
  // them again (`credentialFreeInputs`).
  if (
    plan.standardHoldsCredentials ||
    catalogHoldsUrlCredentials(input.catalog) ||
    holdsCredentials(entity)
  )
    ctx.holdsCredentials = true;
  const previous = input.previous
    ? new Map(input.previous.map(p => [p.checkId, p]))
    : undefined;
  const scopes = plan.scopes.misses(subject);
  const actives = plan.active;
  const count = actives.length;
  // Sized once: one result per check in force, the level position of each gating one and how
  // each stands for levels; the score is counted on the way (as `computeScore` counts it).
  const results: CheckResult[] = new Array(count);
  const gatingLevels: number[] = new Array(count);
  const standings: number[] = new Array(count);
  const score: Score = {
    passed: 0,
    counted: 0,
    waived: 0,
    unknown: 0,
    failed: 0,
  };
  for (let i = 0; i < count; i++) {
    const active = actives[i];
    const check = active.check;
    const miss =
      scopes[active.index] ??
      (active.contextual ? contextMiss(check, subject) : null);
    let result: CheckResult;
    if (miss) {
      result = notApplicableResult(active, miss, now);
      standings[i] = SATISFIED;
    } else {
      result = runCheck(ctx, active, subject, waivers, nowMs, now);
      standings[i] = tally(result.state, active.observed, score);
    }
    if (previous) carrySince(result, previous.get(check.id));
    results[i] = result;
    gatingLevels[i] = result.gating ? active.levelIndex : -1;
  }
  const levels = subject.rated
    ? levelsOfGating(
        results,
        gatingLevels,
        standings,
        plan.levelIds,
        plan.blockerRanks,
      )
    : notRated();
  const expected = subject.rated
    ? expectedLevel(
        subject.tier,
        subject.scopeLifecycle,
        levels.ceiling,
        config.expectedLevels,
      )
    : null;
  return {
    entityRef: ref,
    scored: true,
    evaluatedAt: now,
    standard: { id: standard.id, version: standard.version },
    lifecycle: subject.lifecycle,
    rated: subject.rated,
    tier: subject.tier === 'unknown' ? null : subject.tier,
    level: levels.level,
    ceiling: levels.ceiling,
    expectedLevel: expected,
    belowExpected:
      expected !== null && levelRank(levels.level) < levelRank(expected),
    nextLevel: levels.nextLevel,
    blockers: levels.blockers,
    score,
    results,
  };
}

/** Evaluates a compiled standard against a scored entity; throws for unscored kinds (convenience for tests and tools). */
export function evaluateScoredEntity(input: EvaluationInput): EntityEvaluation {
  const result = evaluateEntity(input);
  if (!result.scored)
    throw new Error(`${result.entityRef} is not a scored kind`);
  return result;
}

export type { CompiledStandard };
