import { Entity } from '@backstage/catalog-model';
import { OPS_KEYS, splitList } from '../graph/opsKeys';
import { readOwner, readTier } from '../graph/readGraphNode';
import { readAnnotation, readLinks } from '../graph/entityMetadata';
import {
  displayOwner,
  entityRefOf,
  refFromSpecOf,
  refKind,
  tryNormalizeRef,
} from '../refs/entityRefs';
import { MissingEvidence } from '../brief/missingEvidenceTypes';
import {
  EscalationStep,
  OnCallLookup,
  OwnershipResolution,
  ResolvedOnCall,
} from './types';

const MAX_PARENT_LEVELS = 5;

/** Looks entities up by normalized ref. */
export type EntityLookup = (ref: string) => Entity | undefined;

/** Builds an {@link EntityLookup} over a list of entities. */
export function entityLookupOf(entities: Entity[]): EntityLookup {
  const map = new Map<string, Entity>();
  for (const e of entities) {
    map.set(entityRefOf(e), e);
  }
  return ref => map.get(ref);
}

// a value of another type than the schema's is absent: a gap, never a throw (R26)
const annotation = (e: Entity | undefined, key: string) =>
  readAnnotation(e, key)?.trim() || undefined;
const link = (e: Entity | undefined, type: string) =>
  readLinks(e).find(l => l.type === type)?.url ?? null;

/**
 * A group's member refs: those its `spec.members` lists and those its `hasMember` relations
 * name. The catalog relates a User that declares `memberOf` the group too, so a group written
 * with `members: []` still has the members its users name.
 */
function memberRefsOf(group: Entity): string[] {
  const refs = new Set<string>();
  const listed = group.spec?.members;
  if (Array.isArray(listed)) {
    for (const item of listed) {
      const ref =
        typeof item === 'string' ? refFromSpecOf(group, item, 'user') : null;
      if (ref) refs.add(ref);
    }
  }
  for (const relation of group.relations ?? []) {
    if (relation.type !== 'hasMember') continue;
    const ref = tryNormalizeRef(relation.targetRef);
    if (ref) refs.add(ref);
  }
  return [...refs].sort();
}

function membersCount(group: Entity): number {
  return memberRefsOf(group).length;
}

/** Display name of a user ref (profile display name), else the ref's display form. */
export function personName(ref: string, lookup: EntityLookup): string {
  const normalized = tryNormalizeRef(ref, 'user');
  if (!normalized) return ref;
  const user = lookup(normalized);
  const profile = user?.spec?.profile as { displayName?: unknown } | undefined;
  const displayName = profile?.displayName;
  if (typeof displayName === 'string') return displayName;
  return user ? user.metadata.name : ref;
}

/**
 * Owner and on-call resolution of §2.2: first hit wins, every skipped source is listed with its
 * reason, and readiness gaps come back as data (R1–R3, R20, R26).
 */
export function resolveOwnership(
  entity: Entity,
  lookup: EntityLookup,
  onCall: OnCallLookup,
): OwnershipResolution {
  const issues: MissingEvidence[] = [];
  const skipped: OwnershipResolution['skipped'] = [];
  const self = entityRefOf(entity);
  const tier1 = readTier(entity) === 1;
  let found: ResolvedOnCall | null = null;
  /** a rotation source was declared somewhere on the path, whatever its provider answered */
  let rotationDeclared = false;

  const tryCall = (
    source: string,
    step: ResolvedOnCall['step'],
    label?: string,
  ): boolean => {
    if (found) return true;
    rotationDeclared = true;
    const answer = onCall(source);
    if (answer.status === 'ok') {
      found = {
        source,
        primary: answer.primary,
        ...(answer.secondary ? { secondary: answer.secondary } : {}),
        until: answer.until,
        ...(answer.url ? { url: answer.url } : {}),
        fetchedAt: answer.fetchedAt ?? null,
        step,
        ...(label ? { label } : {}),
      };
      return true;
    }
    if (answer.status === 'unavailable') {
      skipped.push({ source, reason: answer.reason });
      issues.push({
        code: 'ONCALL_PROVIDER_UNAVAILABLE',
        severity: 'warn',
        subject: self,
        message: `${source} could not be reached (${answer.reason}); the next source was used.`,
        fix: `configure the ${
          source.split(':')[0]
        } provider or check its status`,
      });
    } else {
      skipped.push({ source, reason: 'no one on call' });
    }
    return false;
  };

  // step 1: component-level routing
  const pd = annotation(entity, 'pagerduty.com/service-id');
  const pdKey = annotation(entity, 'pagerduty.com/integration-key');
  const og = annotation(entity, 'opsgenie.com/team');
  const own = annotation(entity, OPS_KEYS.oncall);
  if (pd || pdKey)
    tryCall(pd ? `pagerduty:service/${pd}` : 'pagerduty:integration', 1);
  if (og) tryCall(`opsgenie:team/${og}`, 1);
  if (own) tryCall(own, 1);
  const foundAtStep1 = found !== null;

  const ownerRef = readOwner(entity);
  const ownerEntity = ownerRef ? lookup(ownerRef) : undefined;
  const ownerKind = ownerEntity
    ? (refKind(ownerRef!) as 'group' | 'user')
    : null;
  let routingGroup: Entity | undefined;
  const chain: Entity[] = [];

  /** steps 2–3 from a group: its own on-call, then its parent chain up to 5 levels */
  const walkGroup = (group: Entity, step: 2 | 4 | 5, label?: string) => {
    const seen = new Set<string>();
    let current: Entity | undefined = group;
    for (let level = 0; current && level <= MAX_PARENT_LEVELS; level++) {
      const ref = entityRefOf(current);
      if (seen.has(ref)) break; // a parent cycle stops at the first repeat (R3)
      seen.add(ref);
      chain.push(current);
      const source = annotation(current, OPS_KEYS.oncall);
      if (source) {
        const stepHere = step === 2 && level > 0 ? 3 : step;
        const labelHere =
          label ?? (level > 0 ? `inherited from ${ref}` : undefined);
        if (tryCall(source, stepHere, labelHere)) return;
      }
      const parent: unknown = current.spec?.parent;
      // `spec.parent: eng` on a group in ns1 names group:ns1/eng (Backstage semantics)
      const parentRef: string | null =
        typeof parent === 'string'
          ? refFromSpecOf(current, parent, 'group')
          : null;
      current = parentRef ? lookup(parentRef) : undefined;
    }
  };

  if (ownerEntity && ownerKind === 'group') {
    routingGroup = ownerEntity;
    walkGroup(ownerEntity, 2);
    if (membersCount(ownerEntity) === 0) {
      issues.push({
        code: 'OWNER_GROUP_EMPTY',
        severity: 'warn',
        subject: self,
        message: `${displayOwner(ownerRef!)} has no members.`,
        fix: `add members to ${ownerRef}`,
      });
    }
  } else if (ownerEntity && ownerKind === 'user') {
    const groups = (ownerEntity.relations ?? [])
      .filter(r => r.type === 'memberOf')
      .map(r => tryNormalizeRef(r.targetRef))
      .filter((r): r is string => r !== null)
      .sort();
    issues.push({
      code: 'OWNER_IS_USER',
      severity: 'warn',
      subject: self,
      message: `owned by ${displayOwner(ownerRef!)}, an individual${
        groups.length
          ? `; routed through ${groups.map(displayOwner).join(', ')}`
          : ''
      }.`,
      fix: `set spec.owner to a group`,
    });
    routingGroup = groups.length ? lookup(groups[0]) : undefined;
    if (routingGroup) walkGroup(routingGroup, 4, `via ${groups[0]}`);
  } else {
    issues.push({
      code: 'OWNER_UNRESOLVED',
      severity: 'blocking',
      subject: self,
      message: `owner ${ownerRef ?? '(none)'} does not resolve.`,
      fix: 'set spec.owner to an existing group',
    });
    const systemRef =
      typeof entity.spec?.system === 'string'
        ? refFromSpecOf(entity, entity.spec.system, 'system')
        : null;
    const system = systemRef ? lookup(systemRef) : undefined;
    const domainRef =
      system && typeof system.spec?.domain === 'string'
        ? refFromSpecOf(system, system.spec.domain, 'domain')
        : null;
    const fallbacks: [Entity | undefined, string][] = [
      [system, 'fallback: system owner'],
      [domainRef ? lookup(domainRef) : undefined, 'fallback: domain owner'],
    ];
    for (const [holder, label] of fallbacks) {
      const ref = holder ? readOwner(holder) : null;
      const group = ref ? lookup(ref) : undefined;
      if (group && !found) {
        routingGroup ??= group;
        walkGroup(group, 5, label);
      }
    }
  }

  // NO_ONCALL means no rotation is declared (R3). A declared rotation whose provider is
  // unavailable or has nobody on call leaves the current on-call unknown: ONCALL_PROVIDER_UNAVAILABLE
  // and owner confidence medium (§6.2), not a missing route.
  if (!found && !rotationDeclared) {
    issues.push({
      code: 'NO_ONCALL',
      severity: tier1 ? 'blocking' : 'warn',
      subject: self,
      message: 'no on-call rotation found for the owner or its parents.',
      fix: `add ${OPS_KEYS.oncall} to the owner group`,
    });
  }

  /** One item of the escalation list, or null for text that names no entity. */
  const escalationStep = (item: string): EscalationStep | null => {
    const kind = refKind(item);
    if (kind === 'user' || kind === 'group') {
      // a ref without namespace is in the namespace of the group that declares the path
      const ref = routingGroup
        ? refFromSpecOf(routingGroup, item, kind)
        : tryNormalizeRef(item);
      if (!ref) return null;
      const named = lookup(ref);
      if (!named) {
        // listed as written, so the path still reads in order, and named as a gap
        issues.push({
          code: 'UNRESOLVED_REF',
          severity: 'warn',
          subject: self,
          message: `escalation step "${item}" names no entity in the catalog.`,
          fix: `correct ${OPS_KEYS.escalation} on ${
            routingGroup ? entityRefOf(routingGroup) : 'the owner group'
          }`,
        });
      }
      if (kind === 'user')
        return { type: 'user', ref, name: personName(ref, lookup) };
      const source = annotation(named, OPS_KEYS.oncall);
      const answer = source ? onCall(source) : { status: 'none' as const };
      if (answer.status === 'ok') {
        return {
          type: 'group',
          ref,
          onCall: personName(answer.primary, lookup),
        };
      }
      // §2.2: a ref expands to the entity's on-call, else its members
      const members = named
        ? memberRefsOf(named).map(m => personName(m, lookup))
        : [];
      return {
        type: 'group',
        ref,
        onCall: null,
        ...(members.length ? { members } : {}),
      };
    }
    // an on-call source is `provider:id`; a bare word names nothing to page
    if (!item.includes(':')) return null;
    return { type: 'oncall', source: item };
  };

  const escalationRaw = annotation(routingGroup, OPS_KEYS.escalation);
  const escalation: EscalationStep[] = [];
  for (const item of splitList(escalationRaw)) {
    const step = escalationStep(item);
    if (step) {
      escalation.push(step);
    } else {
      // one mistyped item is a gap naming it; the rest of the list still routes
      issues.push({
        code: 'UNRESOLVED_REF',
        severity: 'warn',
        subject: self,
        message: `escalation step "${item}" is not an entity ref (kind:namespace/name).`,
        fix: `correct ${OPS_KEYS.escalation} on ${
          routingGroup ? entityRefOf(routingGroup) : 'the owner group'
        }`,
      });
    }
  }
  if (escalation.length === 0) {
    issues.push({
      code: 'NO_ESCALATION',
      severity: 'warn',
      subject: self,
      message: 'no escalation path declared.',
      fix: `add ${OPS_KEYS.escalation} to the owner group`,
    });
  }

  const chatChannel =
    annotation(entity, OPS_KEYS.chatChannel) ??
    chain.map(g => annotation(g, OPS_KEYS.chatChannel)).find(Boolean) ??
    null;
  if (!chatChannel) {
    issues.push({
      code: 'NO_CHAT_CHANNEL',
      severity: 'warn',
      subject: self,
      message: 'no incident chat channel.',
      fix: `add ${OPS_KEYS.chatChannel} to the owner group`,
    });
  }
  const runbook = link(entity, 'runbook') ?? link(routingGroup, 'runbook');
  if (!runbook) {
    issues.push({
      code: 'NO_RUNBOOK',
      severity: 'warn',
      subject: self,
      message: 'no runbook link.',
      fix: 'add a metadata.links entry with type runbook',
    });
  }
  const incidentLinks: OwnershipResolution['incidentLinks'] = [];
  if (pd) incidentLinks.push({ tool: 'pagerduty', value: pd }); // the integration key is a secret: never copied
  if (og) incidentLinks.push({ tool: 'opsgenie', value: og });
  const fh = annotation(entity, 'firehydrant.com/service-name');
  if (fh) incidentLinks.push({ tool: 'firehydrant', value: fh });

  const resolvedOnCall = found as ResolvedOnCall | null;
  return {
    owner: {
      ref: ownerRef,
      kind: ownerKind,
      resolved: Boolean(ownerEntity),
      membersCount:
        ownerEntity && ownerKind === 'group' ? membersCount(ownerEntity) : null,
    },
    onCall: resolvedOnCall,
    onCallResolvedBySteps1to3:
      foundAtStep1 || (resolvedOnCall !== null && resolvedOnCall.step <= 3),
    skipped,
    escalation,
    chatChannel,
    runbook,
    dashboards: readLinks(entity)
      .filter(l => l.type === 'dashboard')
      .map(l => l.url),
    triage: link(entity, 'triage'),
    incidentLinks,
    issues,
  };
}
