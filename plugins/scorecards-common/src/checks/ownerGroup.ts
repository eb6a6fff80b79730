import { Entity } from '@backstage/catalog-model';
import { CatalogIndex, catalogMemo } from '../catalog/catalogIndex';
import { noteCatalogRead } from '../catalog/catalogReads';
import { refKind } from '../catalog/entityRefs';
import { RawOutcome } from '../model/resultModel';
import { CheckContext } from './checkType';

/** How the owner ref resolved in the catalog snapshot. */
export type OwnerResolution =
  | { status: 'group'; ref: string; group: Entity }
  | { status: 'missing' }
  | { status: 'not-found'; ref: string }
  | { status: 'user'; ref: string }
  | { status: 'wrong-kind'; ref: string; kind: string }
  | { status: 'catalog-stale'; outcome: RawOutcome };

/** The last owner resolved (see `resolveOwner`). */
let lastRef: string | undefined;
let lastCatalog: CatalogIndex | undefined;
let lastResolution: OwnerResolution | undefined;

/** Resolves the entity's owner against the snapshot; checks that read the owner Group share it. */
export function resolveOwner(
  ctx: CheckContext,
  expected: string,
): OwnerResolution {
  const ref = ctx.subject.ownerRef;
  if (!ref) return { status: 'missing' };
  const stale = ctx.snapshotUnavailable(expected);
  if (stale) return { status: 'catalog-stale', outcome: stale };
  const memo = catalogMemo(ctx.catalog);
  if (!memo) return lookUpOwner(ctx.catalog, ref);
  // Several checks of one evaluation resolve the same owner one after another: the last answer
  // is kept beside the snapshot's memo (a resolution depends on the snapshot and the ref only).
  // A resolution is the answer of one lookup (`lookUpOwner`): a kept one notes that lookup
  // for the evaluation's reads as the lookup itself would (`catalogReads`).
  if (ref === lastRef && ctx.catalog === lastCatalog) {
    noteCatalogRead('g', ref);
    return lastResolution!;
  }
  let resolution = memo.owners.get(ref) as OwnerResolution | undefined;
  if (!resolution) {
    resolution = lookUpOwner(ctx.catalog, ref);
    memo.owners.set(ref, resolution);
  } else noteCatalogRead('g', ref);
  lastRef = ref;
  lastCatalog = ctx.catalog;
  lastResolution = resolution;
  return resolution;
}

/** How an owner ref resolves in a snapshot (the snapshot's freshness aside). */
function lookUpOwner(catalog: CatalogIndex, ref: string): OwnerResolution {
  const owner = catalog.get(ref);
  if (!owner) return { status: 'not-found', ref };
  if (owner.kind === 'User') return { status: 'user', ref };
  if (owner.kind !== 'Group')
    return { status: 'wrong-kind', ref, kind: refKind(ref) };
  return { status: 'group', ref, group: owner };
}

/** One sentence describing an owner that is not a resolving Group. */
export function describeOwnerProblem(resolution: OwnerResolution): string {
  switch (resolution.status) {
    case 'missing':
      return 'spec.owner is not set';
    case 'not-found':
      return `owner ${resolution.ref} does not exist in the catalog`;
    case 'user':
      return `owner ${resolution.ref} is a User, not a Group`;
    case 'wrong-kind':
      return `owner ${resolution.ref} is a ${resolution.kind}, not a Group`;
    default:
      return 'owner resolves';
  }
}

/** Reason code for an owner that is not a resolving Group (owner-resolves, owner-group-active). */
export function ownerProblemReason(resolution: OwnerResolution): string {
  switch (resolution.status) {
    case 'user':
      return 'OWNER_IS_USER';
    case 'wrong-kind':
      return 'OWNER_WRONG_KIND';
    default:
      return 'OWNER_NOT_FOUND';
  }
}

/** The group and its parent chain (at most `depth` parents), nearest first, cycles cut. */
export function groupChain(
  ctx: CheckContext,
  groupRef: string,
  depth: number,
): readonly Entity[] {
  return groupChainIn(ctx.catalog, groupRef, depth);
}

/** `groupChain` in a snapshot. */
export function groupChainIn(
  catalog: CatalogIndex,
  groupRef: string,
  depth: number,
): readonly Entity[] {
  const memo = catalogMemo(catalog);
  if (!memo) return walkChain(catalog, groupRef, depth);
  return memo.chains.get(catalog, depth, groupRef, walkChain);
}

function walkChain(
  catalog: CatalogIndex,
  groupRef: string,
  depth: number,
): Entity[] {
  const chain: Entity[] = [];
  const seen = new Set<string>();
  let ref: string | null = groupRef;
  for (let i = 0; ref && i <= depth && !seen.has(ref); i++) {
    seen.add(ref);
    const group = catalog.get(ref);
    if (!group) break;
    chain.push(group);
    ref = catalog.parentOf(ref);
  }
  return chain;
}
