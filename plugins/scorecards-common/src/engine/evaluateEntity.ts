import { entityRefOf } from '../catalog/entityRefs';
import { deriveSubject, EntitySubject } from '../catalog/entitySubject';
import { isScoredKind } from '../model/checkModel';
import { levelRank } from '../model/levels';
import {
  CheckResult,
  EntityEvaluation,
  RawOutcome,
  UnscoredEvaluation,
} from '../model/resultModel';
import { computeLevel } from '../levels/computeLevel';
import { computeScore } from '../levels/computeScore';
import { expectedLevel } from '../levels/expectedLevel';
import { CompiledCheck, CompiledStandard } from '../standard/compiledStandard';
import { activeWaiverFor, expiredWaiverFor } from '../waivers/activeWaivers';
import { Waiver } from '../waivers/waiverTypes';
import { attribute, capabilityMissing } from './attribution';
import { scopeMiss } from './checkScope';
import { EvaluationContext } from './evaluationContext';
import { EvaluationInput } from './evaluationInput';
import { isRetired, phaseAt } from './rolloutPhase';

const EMPTY: readonly never[] = [];

const SCOPE_MESSAGES = {
  NOT_IN_SCOPE: 'Does not apply to this kind, type or tier.',
  LIFECYCLE_SCOPE: 'Does not apply to this lifecycle.',
  CONTEXT_NOT_MATCHED:
    'Its context (exposure, data, APIs, resource type) does not hold for this entity.',
} as const;

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

function runCheck(ctx: EvaluationContext, check: CompiledCheck): RawOutcome {
  ctx.skewSeen = false;
  try {
    return check.call.type.evaluate(ctx, check.call.params);
  } catch (e) {
    // One faulty (custom) check type must not take the whole scorecard down (SR33).
    return {
      state: 'unknown',
      reason: 'CHECK_ERROR',
      message: `Check type ${check.call.type.id} failed: ${
        (e as Error)?.message ?? String(e)
      }.`,
      expected: check.title,
      found: 'evaluation error',
      evidence: [],
      missing: [],
    };
  }
}

function buildResult(
  check: CompiledCheck,
  raw: RawOutcome,
  phase: {
    phase: CheckResult['phase'];
    next?: { phase: CheckResult['phase']; from: string };
  },
  applicable: boolean,
  subject: EntitySubject,
  waivers: readonly Waiver[],
  nowMs: number,
  since: string,
  skewed: boolean,
): CheckResult {
  const notes = raw.notes ? [...raw.notes] : [];
  if (skewed) notes.push('SKEWED');
  const unhappy = raw.state === 'fail' || raw.state === 'unknown';
  let waiver: Waiver | undefined;
  let waiverField: CheckResult['waiver'];
  if (applicable && raw.state !== 'not-applicable') {
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
  const capMissing = applicable && capabilityMissing(check, subject);
  const state = waiver ? 'waived' : raw.state;
  const gating =
    applicable &&
    raw.state !== 'not-applicable' &&
    check.class !== 'recommended' &&
    phase.phase !== 'observe';
  return {
    checkId: check.id,
    checkVersion: check.version,
    title: check.title,
    theme: check.theme,
    class: check.class,
    level: check.level,
    severity: check.severity,
    phase: phase.phase,
    gating,
    state,
    rawState: raw.state,
    reason: raw.reason,
    message: raw.message,
    expected: raw.expected,
    found: raw.found,
    evidence: raw.evidence,
    missing: raw.missing,
    notes,
    attribution: attribute(raw, waiver, capMissing),
    platformCapability:
      capMissing && check.capability
        ? {
            id: check.capability.id,
            owner: check.capability.owner,
            issue: check.capability.issue,
          }
        : undefined,
    waiver: waiverField,
    fix: state === 'pass' || state === 'not-applicable' ? undefined : check.fix,
    nextPhase: phase.next,
    since,
  };
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
  const ledger = (input.ledger ?? EMPTY).filter(
    r => r.entityRef?.toLowerCase() === ref,
  );
  const edges = (input.observedEdges ?? EMPTY).filter(
    e => e.from === ref || e.to === ref,
  );
  const ctx = new EvaluationContext(
    now,
    entity,
    subject,
    input.catalog,
    config,
    input.facts ?? EMPTY,
    ledger,
    edges,
    input.sourceHealth ?? EMPTY,
    input.collection ?? EMPTY,
  );
  const nowMs = ctx.nowMs;
  const waivers = waiversOf(input.waivers ?? EMPTY, subject.ref);
  const previous = input.previous
    ? new Map(input.previous.map(p => [p.checkId, p]))
    : undefined;
  const results: CheckResult[] = [];
  for (const check of standard.checks) {
    if (isRetired(check, nowMs)) continue;
    const phase = phaseAt(check, nowMs);
    if (!phase) continue;
    const phaseInfo = {
      phase: phase.current.phase,
      next: phase.next
        ? { phase: phase.next.phase, from: phase.next.from }
        : undefined,
    };
    const miss = scopeMiss(check, subject);
    const raw: RawOutcome = miss
      ? {
          state: 'not-applicable',
          reason: miss,
          message: SCOPE_MESSAGES[miss],
          expected: '—',
          found: '—',
          evidence: [],
          missing: [],
        }
      : runCheck(ctx, check);
    const prior = previous?.get(check.id);
    const result = buildResult(
      check,
      raw,
      phaseInfo,
      !miss,
      subject,
      waivers,
      nowMs,
      now,
      !miss && ctx.skewSeen,
    );
    if (prior && prior.state === result.state && prior.reason === result.reason)
      result.since = prior.since;
    results.push(result);
  }
  const levels = computeLevel(
    results,
    subject.rated,
    standard.levels.map(l => l.id),
  );
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
    score: computeScore(results),
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
