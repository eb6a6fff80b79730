import { z } from 'zod';
import { CatalogIndex, catalogMemo } from '../../catalog/catalogIndex';
import { entityRefOf } from '../../catalog/entityRefs';
import { splitList } from '../../catalog/entitySubject';
import { outcome } from '../../evidence/outcomes';
import { defineCheckType } from '../checkType';
import {
  describeOwnerProblem,
  groupChain,
  ownerProblemReason,
  resolveOwner,
} from '../ownerGroup';
import { candidateRoutes } from './oncallRoutes';
import { internalize } from '../../model/internalize';

const paramsSchema = z.strictObject({
  /** Members mode: at least this many Users, directly or in child groups. */
  minMembers: z.number().int().min(1).optional(),
  childDepth: z.number().int().min(0).default(5),
  /** Annotation mode: the owner Group (or nearest parent having it) carries this list annotation. */
  annotation: z.string().optional(),
  minSteps: z.number().int().min(1).default(2),
  parentDepth: z.number().int().min(0).default(5),
  /** Annotation mode also passes when the on-call route's escalation policy has enough levels. */
  orRouteEscalationLevels: z.boolean().default(false),
  failReason: z.string().default('NO_ESCALATION'),
});

type Params = z.output<typeof paramsSchema>;

/**
 * Distinct User members of a group and its child groups up to `childDepth` levels down. Only
 * refs that resolve to a User of the snapshot count: a `spec.members` entry naming someone who
 * left (no User entity) or another kind is nobody to page.
 */
function countMembers(
  catalog: CatalogIndex,
  groupRef: string,
  childDepth: number,
): number {
  const users = new Set<string>();
  let frontier = [groupRef];
  const seen = new Set(frontier);
  for (let depth = 0; depth <= childDepth && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const ref of frontier) {
      for (const user of catalog.membersOf(ref))
        if (catalog.get(user)?.kind === 'User') users.add(user);
      for (const child of catalog.childGroupsOf(ref)) {
        if (!seen.has(child)) {
          seen.add(child);
          next.push(child);
        }
      }
    }
    frontier = next;
  }
  return users.size;
}

/** `countMembers`, once per snapshot, group and depth (many entities share an owner). */
function memberCount(
  catalog: CatalogIndex,
  groupRef: string,
  childDepth: number,
): number {
  const memo = catalogMemo(catalog);
  if (!memo) return countMembers(catalog, groupRef, childDepth);
  return memo.memberCounts.get(catalog, childDepth, groupRef, countMembers);
}
type Compiled = Params & { expected: string };

/** `owner-group`: the owner Group has members, or carries an annotation with enough steps. */
export const ownerGroupCheckType = defineCheckType<Params, Compiled>({
  id: 'owner-group',
  notesTimeLimits: true,
  description:
    'The owner Group has members (directly or in child groups), or it or a parent carries a list annotation with enough steps.',
  paramsSchema,
  compile: p => ({
    // Every key spelled out, so all compiled params share one shape (optional ones undefined).
    minMembers: p.minMembers,
    childDepth: p.childDepth,
    annotation:
      p.annotation === undefined ? undefined : internalize(p.annotation),
    minSteps: p.minSteps,
    parentDepth: p.parentDepth,
    orRouteEscalationLevels: p.orRouteEscalationLevels,
    failReason: p.failReason,
    expected:
      p.minMembers !== undefined
        ? `the owner Group has at least ${p.minMembers} User member(s), directly or in child groups up to ${p.childDepth} levels down`
        : `the owner Group or a parent carries ${p.annotation} with at least ${p.minSteps} steps`,
  }),
  needs: p =>
    p.orRouteEscalationLevels
      ? [
          { source: 'catalog', kind: 'catalog' },
          { source: 'oncall', kind: 'oncall.schedule' },
        ]
      : [{ source: 'catalog', kind: 'catalog' }],
  evaluate(ctx, p) {
    const membersMode = p.minMembers !== undefined;
    const expected = p.expected;
    const owner = resolveOwner(ctx, expected);
    if (owner.status === 'catalog-stale') return owner.outcome;
    const own = ctx.ownCatalogEvidence();
    if (owner.status !== 'group') {
      // SR3: the question is answered from fresh catalog evidence: no Group, no members/escalation.
      const problem = describeOwnerProblem(owner);
      return outcome(
        'fail',
        membersMode ? ownerProblemReason(owner) : p.failReason,
        `${problem[0].toUpperCase()}${problem.slice(1)}; expected ${expected}.`,
        expected,
        problem,
        owner.status === 'missing' ? [own] : [own, ctx.snapshotEvidence()],
      );
    }
    const evidence = [own, ctx.snapshotEvidence()];
    if (membersMode) {
      const count = memberCount(ctx.catalog, owner.ref, p.childDepth);
      const ok = count >= (p.minMembers ?? 1);
      return outcome(
        ok ? 'pass' : 'fail',
        ok ? 'PASS' : 'NO_MEMBERS',
        ok
          ? `${owner.ref} has ${count} User member(s).`
          : `${owner.ref} has ${count} User members, directly or in child groups; expected at least ${p.minMembers}.`,
        expected,
        `${count} member(s)`,
        evidence,
      );
    }
    const annotation = p.annotation ?? '';
    const chain = groupChain(ctx, owner.ref, p.parentDepth);
    for (let i = 0; i < chain.length; i++) {
      const group = chain[i];
      const value = group.metadata.annotations?.[annotation];
      if (value === undefined) continue;
      const steps = splitList(value).length;
      // The chain starts with the owner Group itself, found in the snapshot by its ref.
      const ref = i === 0 ? owner.ref : entityRefOf(group);
      if (steps >= p.minSteps) {
        return outcome(
          'pass',
          'PASS',
          `${annotation} on ${ref} lists ${steps} steps.`,
          expected,
          `${steps} steps on ${ref}`,
          evidence,
        );
      }
      if (!p.orRouteEscalationLevels) {
        return outcome(
          'fail',
          p.failReason,
          `${annotation} on ${ref} lists ${steps} step(s); expected at least ${p.minSteps}.`,
          expected,
          `${steps} step(s) on ${ref}`,
          evidence,
        );
      }
      break;
    }
    if (p.orRouteEscalationLevels) {
      for (const route of candidateRoutes(ctx, 3).routes) {
        if (!route.route.startsWith('pagerduty:')) continue;
        const read = ctx.evidence('oncall.schedule', { key: route.route });
        const levels = (read.value as { escalationLevels?: number } | undefined)
          ?.escalationLevels;
        if (
          read.state === 'fresh' &&
          typeof levels === 'number' &&
          levels >= p.minSteps
        ) {
          return outcome(
            'pass',
            'PASS',
            `The escalation policy behind ${route.route} has ${levels} levels.`,
            expected,
            `${levels} escalation levels`,
            evidence,
          );
        }
      }
    }
    return outcome(
      'fail',
      p.failReason,
      `Neither ${owner.ref} nor its parents (up to ${p.parentDepth}) carry ${annotation} with ${p.minSteps} or more steps; expected ${expected}.`,
      expected,
      'no escalation path',
      evidence,
    );
  },
});
