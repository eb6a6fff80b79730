import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';
import { CatalogIndex, catalogMemo } from '../../catalog/catalogIndex';
import { entityRefOf } from '../../catalog/entityRefs';
import { internalize } from '../../model/internalize';
import { RawOutcome } from '../../model/resultModel';
import { CheckContext } from '../checkType';
import { groupChainIn, resolveOwner } from '../ownerGroup';

/** One on-call route candidate and where it was declared. */
export interface RouteCandidate {
  route: string;
  provider: string;
  declaredOn: string;
  step: 1 | 2 | 3;
}

const ONCALL = internalize(`${OPS_ANNOTATION_PREFIX}oncall`);

/**
 * Route candidates by incident-brief §2.2 steps 1–3, first hit first: the entity's own routing,
 * the owner Group's `oncall`, then its parents (≤ 5). A User owner's groups are never consulted (SR2).
 */
export function candidateRoutes(
  ctx: CheckContext,
  steps: number,
): { routes: RouteCandidate[]; notes: string[]; stale: RawOutcome | null } {
  const routes: RouteCandidate[] = [];
  const notes: string[] = [];
  const annotations = ctx.entity.metadata.annotations ?? {};
  const self = ctx.subject.ref;
  const pdService = annotations['pagerduty.com/service-id'];
  const opsgenie = annotations['opsgenie.com/team'];
  if (pdService) {
    routes.push({
      route: `pagerduty:service/${pdService}`,
      provider: 'pagerduty',
      declaredOn: self,
      step: 1,
    });
  } else if (opsgenie) {
    routes.push({
      route: `opsgenie:team/${opsgenie}`,
      provider: 'opsgenie',
      declaredOn: self,
      step: 1,
    });
  }
  if (annotations[ONCALL]) {
    const route = annotations[ONCALL];
    routes.push({
      route,
      provider: route.split(':')[0],
      declaredOn: self,
      step: 1,
    });
  }
  if (steps < 2) return { routes, notes, stale: null };
  const owner = resolveOwner(ctx, 'an on-call route with someone on call now');
  if (owner.status === 'catalog-stale')
    return { routes, notes, stale: owner.outcome };
  if (owner.status === 'user') {
    notes.push(
      `owner ${owner.ref} is a User; their groups are not consulted for on-call`,
    );
    return { routes, notes, stale: null };
  }
  if (owner.status !== 'group') return { routes, notes, stale: null };
  const groupRoutes = ownerChainRoutes(ctx, owner.ref, steps >= 3 ? 5 : 0);
  for (let i = 0; i < groupRoutes.length; i++) routes.push(groupRoutes[i]);
  return { routes, notes, stale: null };
}

/** Routes declared on the owner group (step 2) and its parents (step 3), nearest first. */
function chainRoutes(
  catalog: CatalogIndex,
  groupRef: string,
  depth: number,
): RouteCandidate[] {
  const routes: RouteCandidate[] = [];
  const chain = groupChainIn(catalog, groupRef, depth);
  chain.forEach((group, index) => {
    const route = group.metadata.annotations?.[ONCALL];
    if (route) {
      routes.push({
        route,
        provider: route.split(':')[0],
        declaredOn: entityRefOf(group),
        step: index === 0 ? 2 : 3,
      });
    }
  });
  return routes;
}

/**
 * `chainRoutes`, once per snapshot, group and depth: they depend on the snapshot only, and many
 * entities share an owner. The candidates are read-only.
 */
function ownerChainRoutes(
  ctx: CheckContext,
  groupRef: string,
  depth: number,
): readonly RouteCandidate[] {
  const memo = catalogMemo(ctx.catalog);
  if (!memo) return chainRoutes(ctx.catalog, groupRef, depth);
  return memo.chainRoutes.get(
    ctx.catalog,
    depth,
    groupRef,
    chainRoutes,
  ) as RouteCandidate[];
}
