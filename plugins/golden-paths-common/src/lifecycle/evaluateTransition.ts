import type { Entity } from '@backstage/catalog-model';
import {
  GP_KEYS,
  DATA_CLASSIFICATIONS,
  RESTRICTED_CLASSIFICATIONS,
  DataClassification,
} from '../constants';
import { lifecycleOf, refOf, tierOf } from '../catalog/catalogView';
import type { GoldenPathsConfig } from '../config';
import { addDays, daysBetween, formatDate } from '../format';
import {
  deny,
  refusalText,
  RuleResult,
  sortByRuleOrder,
} from '../errors/catalogue';
import { gpMessages } from '../errors/messages';
import { TriggerSet } from '../approvals/classifyTriggers';
import type { ApprovalTrigger } from '../approvals/triggerIds';
import type { Transition } from '../schemas/requestSchemas';
import { owningEntityOf, type Dependent } from './dependents';
import {
  allowedTransitions,
  LifecycleState,
  TRANSITION_TABLE,
} from './stateMachine';

/** Default level scale (scorecards §2.2). @public */
export const DEFAULT_LEVELS = ['L0', 'L1', 'L2', 'L3'] as const;

/**
 * How far ahead of now a ledger time may be and still count as past: the evidence store's
 * default `clock.maxSkew` (evidence §3.8), within which it keeps a time as sent.
 */
const CLOCK_TOLERANCE_MS = 5 * 60_000;

/**
 * What the gates need to know, gathered by the backend (scorecard engine, change ledger, catalog
 * graph, evidence layer). Every member is a snapshot; the gates never fetch.
 *
 * @public
 */
export interface LifecycleFacts {
  /** Scorecard result on fresh evidence (G-P1). `unknown` lists required checks without evidence. */
  scorecard?: {
    level: string;
    blockers: readonly string[];
    unknown?: readonly { check: string; age: string; limit: string }[];
  };
  /** Change-ledger records of the entity (G-P2). */
  changes?: readonly {
    kind: string;
    status: string;
    environment: string;
    at: string;
  }[];
  /** Declared dependents, one hop ({@link declaredDependents}). */
  dependents: readonly Dependent[];
  /** Observed callers of the entity with their last sighting (G-A2). */
  observedCallers?: readonly { client: string; lastSeen: string }[];
  /** False when no telemetry covers the entity, so absence of traffic cannot be shown (GP-L08). */
  telemetryCovered: boolean;
  /** Resources owned by the entity ({@link ownedResources}) and finalizers still pending (G-X3). */
  ownedResources?: readonly string[];
  pendingFinalizers?: readonly string[];
  /** When the entity was archived; defaults to the `ops.example.com/archived-on` annotation. */
  archivedOn?: string;
  /** Whether the `replacement` ref of a deprecation exists in the catalog (G-D1). */
  replacementExists?: boolean;
  /** Gate rule ids waived by an approved `exception` (GP-L08, GP-L13). */
  approvedExceptions?: readonly string[];
}

/** One gate's outcome. @public */
export interface GateResult {
  gate: string;
  passed: boolean;
  /** Present when the gate failed. */
  result?: RuleResult;
  /** True when an approved `exception` may waive the failure (§7.1 archive). */
  waivable?: boolean;
}

/** @public */
export interface TransitionEvaluation {
  decision: 'allow' | 'deny' | 'needs-approval';
  from: string;
  to?: LifecycleState;
  gates: GateResult[];
  errors: RuleResult[];
  message?: string;
  approvalTriggers: ApprovalTrigger[];
}

/** @public */
export interface TransitionInput {
  entity: Entity;
  transition: Transition;
  /** The T5 request fields the gates read. */
  request?: { replacement?: string; sunsetOn?: string; reason?: string };
  facts: LifecycleFacts;
  config: GoldenPathsConfig;
  now: string;
}

function decisionOf(
  denied: boolean,
  needsApproval: boolean,
): 'allow' | 'deny' | 'needs-approval' {
  if (denied) return 'deny';
  return needsApproval ? 'needs-approval' : 'allow';
}

function kindWord(entity: Entity): string {
  const type = (entity.spec as { type?: unknown } | undefined)?.type;
  return typeof type === 'string'
    ? type
    : entity.kind.toLocaleLowerCase('en-US');
}

function gate(id: string, result?: RuleResult, waivable = false): GateResult {
  return result
    ? { gate: id, passed: false, result, ...(waivable ? { waivable } : {}) }
    : { gate: id, passed: true };
}

function levelRank(level: string, levels: readonly string[]): number {
  return levels.indexOf(level); // 'none' and unknown names rank below L0 (-1)
}

function promotionGates(input: TransitionInput, ref: string): GateResult[] {
  const { facts, config, now } = input;
  const levels = config.levels ?? DEFAULT_LEVELS;
  const min = config.lifecycle.promote.minLevel;
  const out: GateResult[] = [];
  const sc = facts.scorecard;
  const level = sc?.level ?? 'none';
  // An unknown required check counts as not met (GP-L03), each its own line.
  const unknown = (sc?.unknown ?? []).map(u =>
    deny('GP-L03', gpMessages.l03(u)),
  );
  if (levelRank(level, levels) < levelRank(min, levels)) {
    out.push(
      gate(
        'G-P1',
        deny(
          'GP-L02',
          gpMessages.l02({ min, ref, level, blocking: sc?.blockers ?? [] }),
        ),
      ),
    );
  } else if (!unknown.length) out.push(gate('G-P1'));
  unknown.forEach(u => out.push(gate('G-P1', u)));

  // Promotion only: undeprecate re-checks G-P1 alone (§7.1).
  if (input.transition === 'promote') {
    const days = config.lifecycle.promote.stagingDeployWithinDays;
    const since = Date.parse(now) - days * 86_400_000;
    const ok = (facts.changes ?? []).some(
      c =>
        c.kind === 'deploy' &&
        c.status === 'succeeded' &&
        c.environment === 'staging' &&
        Date.parse(c.at) >= since &&
        // The evidence store reads a time up to its clock tolerance ahead as sent: a CI clock
        // a little fast must not hide the deploy that just finished.
        Date.parse(c.at) <= Date.parse(now) + CLOCK_TOLERANCE_MS,
    );
    out.push(
      gate('G-P2', ok ? undefined : deny('GP-L04', gpMessages.l04({ ref }))),
    );
  }
  return out;
}

/**
 * The part of G-D1 a deprecation's own fields decide, without the catalog: a sunset date 30–365
 * days after `now` and a replacement named (`none` with a reason). The GP-L05 text when they
 * fail. Preflight (`goldenpath:validate`) asks it before `ledger:open` claims the request key: a
 * refusal after the claim left the key bound to the refused fields, so correcting the date was
 * refused GP-I02 (another request under the same key) and repeating it GP-L05 again.
 */
export function deprecationFieldsRefusal(
  request: { replacement?: string; sunsetOn?: string; reason?: string },
  now: string,
): string | undefined {
  const days =
    request.sunsetOn === undefined
      ? undefined
      : daysBetween(now, request.sunsetOn);
  const dateOk = days !== undefined && days >= 30 && days <= 365;
  const replacementNamed =
    request.replacement === 'none'
      ? !!request.reason?.trim()
      : request.replacement !== undefined;
  return dateOk && replacementNamed
    ? undefined
    : gpMessages.l05({ date: request.sunsetOn, days });
}

function deprecationGates(input: TransitionInput): GateResult[] {
  const { request = {}, facts, now } = input;
  const refusal =
    deprecationFieldsRefusal(request, now) ??
    (request.replacement !== 'none' && facts.replacementExists !== true
      ? gpMessages.l05({
          date: request.sunsetOn,
          days:
            request.sunsetOn === undefined
              ? undefined
              : daysBetween(now, request.sunsetOn),
        })
      : undefined);
  return [gate('G-D1', refusal ? deny('GP-L05', refusal) : undefined)];
}

function archiveGates(
  input: TransitionInput,
  ref: string,
  from: string,
): GateResult[] {
  const { facts, config, now, entity } = input;
  const out: GateResult[] = [];
  const live = facts.dependents.filter(d => d.lifecycle !== 'archived');
  out.push(
    gate(
      'G-A1',
      live.length
        ? deny('GP-L06', gpMessages.l06({ ref, dependents: live }))
        : undefined,
    ),
  );

  if (!facts.telemetryCovered) {
    const route = config.approvals.routes.exception.join(', ');
    out.push(
      gate('G-A2', deny('GP-L08', gpMessages.l08({ ref, route })), true),
    );
  } else {
    const quietSince =
      Date.parse(now) - config.lifecycle.archive.quietDays * 86_400_000;
    const recent = (facts.observedCallers ?? [])
      // Seen at the window's start is within it, as the backend's inclusive `since` read.
      .filter(c => Date.parse(c.lastSeen) >= quietSince)
      .sort((a, b) => Date.parse(b.lastSeen) - Date.parse(a.lastSeen))[0];
    out.push(
      gate(
        'G-A2',
        recent
          ? deny(
              'GP-L07',
              gpMessages.l07({
                ref,
                client: recent.client,
                lastSeen: recent.lastSeen,
              }),
            )
          : undefined,
      ),
    );
  }

  // Abandoned prototypes skip deprecation, so they have no sunset date to wait for.
  if (from === 'deprecated') {
    const sunset = entity.metadata.annotations?.[GP_KEYS.retireBy];
    const reached = sunset !== undefined && daysBetween(now, sunset) <= 0;
    out.push(
      gate(
        'G-A3',
        reached
          ? undefined
          : deny('GP-L13', gpMessages.l13({ ref, date: sunset ?? 'unknown' })),
        true,
      ),
    );
  }
  return out;
}

function deleteGates(input: TransitionInput, ref: string): GateResult[] {
  const { facts, config, now, entity } = input;
  const out: GateResult[] = [];
  // An owned Resource names its owner in its own `dependencyOf`, so the owner is its dependent,
  // while G-X3 refuses the owner's delete until the Resource is gone: read literally, neither could
  // ever be deleted. The owner stops counting once it is archived (its database, say, serves
  // nothing any more); a live owner still blocks, as does every other dependent.
  const owner = owningEntityOf(entity);
  const blocking = facts.dependents.filter(
    d => !(owner && d.ref === owner && d.lifecycle === 'archived'),
  );
  out.push(
    gate(
      'G-X1',
      blocking.length
        ? deny('GP-L09', gpMessages.l09({ ref, dependents: blocking }))
        : undefined,
    ),
  );
  // No recorded archive date reads as "archived today": unknown must not pass (fail closed).
  const archivedOn = formatDate(
    facts.archivedOn ??
      entity.metadata.annotations?.[GP_KEYS.archivedOn] ??
      now,
  );
  const minDays = config.lifecycle.delete.minArchivedDays;
  out.push(
    gate(
      'G-X2',
      daysBetween(archivedOn, now) >= minDays
        ? undefined
        : deny(
            'GP-L10',
            gpMessages.l10({
              ref,
              archivedOn,
              deletableFrom: addDays(archivedOn, minDays),
            }),
          ),
    ),
  );
  const holds = [
    ...(facts.ownedResources ?? []),
    ...(facts.pendingFinalizers ?? []),
  ];
  out.push(
    gate(
      'G-X3',
      holds.length ? deny('GP-L11', gpMessages.l11({ ref, holds })) : undefined,
    ),
  );
  return out;
}

function lifecycleTriggers(input: TransitionInput): ApprovalTrigger[] {
  const { entity, transition } = input;
  const t = new TriggerSet();
  const tier = tierOf(entity);
  const kind = kindWord(entity);
  if (
    (transition === 'promote' || transition === 'undeprecate') &&
    tier === 1
  ) {
    t.add(
      'tier-1',
      transition === 'promote'
        ? `promotion of a tier 1 ${kind}`
        : `${transition} of a tier 1 ${kind}`,
    );
  }
  if (transition === 'archive' || transition === 'delete') {
    if (tier === 1 || tier === 2)
      t.add('destructive', `${transition} of a tier ${tier} ${kind}`);
    const c = entity.metadata.annotations?.[GP_KEYS.dataClassification] as
      | DataClassification
      | undefined;
    if (
      c &&
      DATA_CLASSIFICATIONS.includes(c) &&
      RESTRICTED_CLASSIFICATIONS.includes(c)
    ) {
      t.add('production-data', `${transition} of an entity holding ${c} data`);
    }
  }
  return t.toArray();
}

/**
 * Evaluates one lifecycle transition (§7): GP-L12 first (only golden-path entities), then the
 * transition itself (GP-L01), then every gate of the transition — all evaluated, each failure its
 * own line. Waivable failures (GP-L08, GP-L13) pass once an `exception` was approved for them and
 * otherwise also raise the `exception` trigger so the backend can open one.
 *
 * @public
 */
export function evaluateTransition(
  input: TransitionInput,
): TransitionEvaluation {
  const { entity, transition, facts } = input;
  const ref = refOf(entity);
  const from = lifecycleOf(entity);
  const finish = (
    gates: GateResult[],
    extra: RuleResult[] = [],
    to?: LifecycleState,
  ): TransitionEvaluation => {
    const waived = new Set(facts.approvedExceptions ?? []);
    const failing = gates.filter(
      g => !g.passed && !(g.waivable && waived.has(g.result!.id)),
    );
    const errors = sortByRuleOrder([...extra, ...failing.map(g => g.result!)]);
    const triggers = new TriggerSet();
    for (const trig of errors.length ? [] : lifecycleTriggers(input)) {
      trig.reasons.forEach(r => triggers.add(trig.id, r));
    }
    for (const g of failing.filter(f => f.waivable))
      triggers.add('exception', g.result!.id);
    const approvalTriggers = triggers.toArray();
    return {
      decision: decisionOf(errors.length > 0, approvalTriggers.length > 0),
      from,
      ...(to ? { to } : {}),
      gates,
      errors,
      ...(errors.length ? { message: refusalText(errors) } : {}),
      approvalTriggers,
    };
  };

  if (!entity.metadata.annotations?.[GP_KEYS.requestKey]) {
    return finish([], [deny('GP-L12', gpMessages.l12({ ref }))]);
  }
  const row = TRANSITION_TABLE[transition];
  if (!row.from.includes(from)) {
    return finish(
      [],
      [
        deny(
          'GP-L01',
          gpMessages.l01({
            ref,
            from,
            transition,
            allowed: allowedTransitions(from),
          }),
        ),
      ],
    );
  }
  let gates: GateResult[] = [];
  switch (transition) {
    case 'promote':
    case 'undeprecate':
      gates = promotionGates(input, ref);
      break;
    case 'deprecate':
      gates = deprecationGates(input);
      break;
    case 'archive':
      gates = archiveGates(input, ref, from);
      break;
    case 'delete':
      gates = deleteGates(input, ref);
      break;
    default:
      gates = [gate('G-U1')]; // unarchive: the entity is still in the catalog, so it is not deleted
  }
  return finish(gates, [], row.to);
}
