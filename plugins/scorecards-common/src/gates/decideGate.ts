import { CatalogIndex } from '../catalog/catalogIndex';
import { RolloutPhase } from '../model/checkModel';
import { CheckResult, EntityEvaluation } from '../model/resultModel';
import { CompiledStandard } from '../standard/compiledStandard';

/** A deploy or creation gate decision (scorecards §7.4, SR29). */
export interface GateDecision {
  entityRef: string;
  stage: 'deploy' | 'create';
  decision: 'allow' | 'warn' | 'block';
  reasons: {
    checkId: string;
    phase: RolloutPhase;
    state: 'fail' | 'unknown';
    message: string;
    fix?: CheckResult['fix'];
  }[];
  breakGlass?: { incident: string; by: string; auditId: string };
  /** Set when a break-glass request was refused, with why. */
  breakGlassRefused?: string;
  evaluatedAt: string;
  standard: { id: string; version: number };
}

/** The audit record a break-glass decision must produce (37). */
export interface BreakGlassAudit {
  auditId: string;
  entityRef: string;
  stage: 'deploy' | 'create';
  incident: string;
  reason: string;
  by: string;
  at: string;
  overridden: string[];
}

/** Inputs of `decideGate`. */
export interface GateInput {
  evaluation: EntityEvaluation;
  standard: CompiledStandard;
  stage: 'deploy' | 'create';
  /** First evaluation of the entity by the processor; decides whether it is new (SR28). */
  firstSeenAt: string;
  /** Break glass: allowed for members of the owner group; `auditId` is assigned by the caller. */
  breakGlass?: {
    incident: string;
    reason: string;
    by: string;
    auditId: string;
  };
  /** To check the break-glass requester's membership of the owner group. */
  catalog?: CatalogIndex;
  ownerRef?: string | null;
}

function isMember(
  catalog: CatalogIndex,
  groupRef: string,
  userRef: string,
): boolean {
  const seen = new Set<string>();
  let frontier = [groupRef];
  for (let depth = 0; depth <= 5 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const g of frontier) {
      if (catalog.membersOf(g).includes(userRef)) return true;
      for (const child of catalog.childGroupsOf(g))
        if (!seen.has(child)) next.push(child);
      seen.add(g);
    }
    frontier = next;
  }
  return false;
}

/**
 * Gate decision for a stage (SR29): block on a fresh, unwaived fail of a check in `gate` (or in
 * `enforce-new` for a new entity or the `create` stage); warn on such an unknown unless the
 * check says `gateOnUnknown: block`; else allow. Break glass from an owner member turns block into allow.
 */
export function decideGate(input: GateInput): {
  decision: GateDecision;
  audit?: BreakGlassAudit;
} {
  const { evaluation, standard, stage } = input;
  const firstSeenMs = Date.parse(input.firstSeenAt);
  const reasons: GateDecision['reasons'] = [];
  let block = false;
  let warn = false;
  for (const r of evaluation.results) {
    if (r.state !== 'fail' && r.state !== 'unknown') continue;
    const check = standard.byId.get(r.checkId);
    if (!check) continue;
    let enforced = r.phase === 'gate';
    if (r.phase === 'enforce-new') {
      const step = check.rollout.find(s => s.phase === 'enforce-new');
      enforced =
        stage === 'create' ||
        (step !== undefined && firstSeenMs >= step.fromMs);
    }
    if (!enforced) continue;
    reasons.push({
      checkId: r.checkId,
      phase: r.phase,
      state: r.state,
      message: r.message,
      fix: r.fix,
    });
    if (r.state === 'fail' || check.gateOnUnknown === 'block') block = true;
    else warn = true;
  }
  const decision: GateDecision = {
    entityRef: evaluation.entityRef,
    stage,
    decision: 'allow',
    reasons,
    evaluatedAt: evaluation.evaluatedAt,
    standard: evaluation.standard,
  };
  if (block) decision.decision = 'block';
  else if (warn) decision.decision = 'warn';
  const bg = input.breakGlass;
  if (!bg || decision.decision !== 'block') return { decision };
  if (
    !input.catalog ||
    !input.ownerRef ||
    // Refs compare case-insensitively (the index holds them lower-cased; a sign-in resolver
    // may keep the user's name as the catalog spells it).
    !isMember(input.catalog, input.ownerRef, bg.by.toLowerCase())
  ) {
    // An owner that is no group (a User) has no members: say so rather than call it a group.
    const owner = input.ownerRef;
    decision.breakGlassRefused =
      owner && !owner.toLowerCase().startsWith('group:')
        ? `${bg.by} cannot break glass here: the owner ${owner} is not a group, so nobody is its member; set spec.owner to a group`
        : `${bg.by} is not a member of the owner group ${owner ?? '(none)'}`;
    return { decision };
  }
  decision.decision = 'allow';
  decision.breakGlass = {
    incident: bg.incident,
    by: bg.by,
    auditId: bg.auditId,
  };
  return {
    decision,
    audit: {
      auditId: bg.auditId,
      entityRef: evaluation.entityRef,
      stage,
      incident: bg.incident,
      reason: bg.reason,
      by: bg.by,
      at: evaluation.evaluatedAt,
      overridden: reasons.filter(r => r.state === 'fail').map(r => r.checkId),
    },
  };
}
