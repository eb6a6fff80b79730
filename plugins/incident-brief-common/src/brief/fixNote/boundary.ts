import { ChangeKind } from '../../changes/types';
import { displayOwner, displayRef } from '../../refs/entityRefs';
import { implicatedChanges } from './constraint';
import { FixNoteBrief, FixNoteOptions } from './types';
import {
  isRestricted,
  joinAnd,
  kindNouns,
  kindsText,
  rootNoun,
  text,
} from './words';

/** What the Boundary line keeps where the brief cannot name the service's owner. */
export const OWNER_PLACEHOLDER = '<owner of the service>';
/** What the Boundary line keeps where the change ledger could not be read. */
export const CHANGED_OWNERS_PLACEHOLDER =
  '<owners of dependencies that changed in the window>';
/** Owner of a changed dependency the brief does not know. */
export const UNKNOWN_OWNER = 'owner unknown';

/** Groups `[owner, item]` pairs by owner (owners in name order, unknown last), items in order. */
function byOwner(pairs: [string | null, string][]): string[] {
  const groups = new Map<string, string[]>();
  for (const [owner, item] of pairs) {
    const key = owner ? text(displayOwner(owner)) : UNKNOWN_OWNER;
    const list = groups.get(key) ?? [];
    if (!list.includes(item)) list.push(item);
    groups.set(key, list);
  }
  return [...groups]
    .sort(([a], [b]) => {
      if (a === UNKNOWN_OWNER || b === UNKNOWN_OWNER)
        return Number(a === UNKNOWN_OWNER) - Number(b === UNKNOWN_OWNER);
      return a < b ? -1 : 1;
    })
    .map(([owner, items]) => `${owner} (${items.join(', ')})`);
}

/** The owner of the service and what of the fix it held: `checkout-team (service and flag)`. */
function rootOwnerText(brief: FixNoteBrief): string {
  const { ref, resolved } = brief.owner.owner;
  const held = joinAnd([
    rootNoun(brief.header.ref),
    ...kindNouns(
      implicatedChanges(brief)
        .filter(i => i.hop === 0)
        .map(i => i.change.kind),
    ),
  ]);
  const holds = `(${held})`;
  if (!ref) return `${OWNER_PLACEHOLDER} ${holds}`;
  return `${text(displayOwner(ref))}${
    resolved ? '' : ' (unresolved)'
  } ${holds}`;
}

/**
 * Owners of the dependencies that changed in the window, grouped by owner, each with the changed
 * entities and kinds: `fulfillment-team (inventory-service config), storefront-team
 * (pricing-service deploys)`. Changes of restricted entities are only counted.
 */
function changedDependencyOwners(
  brief: FixNoteBrief,
  options: FixNoteOptions,
): string {
  if (options.ledgerAvailable === false) return CHANGED_OWNERS_PLACEHOLDER;
  const ownerOf = new Map<string, string | null>();
  for (const s of brief.owner.substrateOwners) {
    if (!isRestricted(s.ref) && !isRestricted(s.owner))
      ownerOf.set(s.ref, s.owner);
  }
  for (const d of brief.dependencies.impacted) {
    if (!isRestricted(d) && d.owner && !isRestricted(d.owner))
      ownerOf.set(d.ref, d.owner);
  }
  const kinds = new Map<string, ChangeKind[]>();
  let hidden = brief.changes.restricted ?? 0;
  for (const item of brief.changes.items) {
    if (item.hop === 0) continue;
    if (isRestricted(item.entityRef)) {
      hidden++;
      continue;
    }
    kinds.set(item.entityRef, [
      ...(kinds.get(item.entityRef) ?? []),
      item.change.kind,
    ]);
  }
  const owners = byOwner(
    [...kinds].map(([ref, k]) => [
      ownerOf.get(ref) ?? null,
      `${text(displayRef(ref))} ${kindsText(k)}`,
    ]),
  );
  const withheld = hidden
    ? [
        `${hidden} change${hidden === 1 ? '' : 's'} of ${
          hidden === 1 ? 'an entity' : 'entities'
        } you may not read (not named)`,
      ]
    : [];
  return [...owners, ...withheld].join(', ') || 'none';
}

/** Substrate owners (48): owners of the Resources in the dependency list, grouped by owner. */
function substrateOwners(brief: FixNoteBrief): string | null {
  const pairs = brief.owner.substrateOwners
    .filter(s => !isRestricted(s.ref) && !isRestricted(s.owner))
    .map((s): [string, string] => [s.owner, text(displayRef(s.ref))]);
  return pairs.length ? byOwner(pairs).join(', ') : null;
}

/**
 * The prefilled Boundary (IB §6.4): the owner of the service with what of the fix it held, the
 * owners of dependencies that changed in the window, and substrate owners where the brief knows
 * them. Restricted entities and changes are never named.
 */
export function describeBoundary(
  brief: FixNoteBrief,
  options: FixNoteOptions = {},
): string {
  const substrate = substrateOwners(brief);
  return [
    rootOwnerText(brief),
    `dependencies changed in the window: ${changedDependencyOwners(
      brief,
      options,
    )}`,
    ...(substrate ? [`substrate owners: ${substrate}`] : []),
  ].join('; ');
}
