import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  CatalogView,
  refOf,
  relationTargets,
  specRefs,
} from '@internal/plugin-golden-paths-common';
import { refKey } from '../refKey';
import { cachedCatalogRead } from './catalogRead';
import type { Config } from '@backstage/config';
import { readConfigNumber } from '@internal/suite-node';

/** Whether `user` is a member of `group`, directly or via child groups; refs in any case. */
export function isMember(
  view: CatalogView,
  group: string,
  user: string,
): boolean {
  return view.members(refKey(group)).includes(refKey(user));
}

const kindOf = (ref: string) => ref.slice(0, ref.indexOf(':'));

/**
 * The groups `user` is a member of, directly or via child groups: exactly the refs `g` for which
 * `isMember(view, g, user)` holds, in the form `refKey(g)` (lower-case), sorted. The inbox reads
 * only the approvals routed to one of them (`gp_approval_routes`).
 *
 * `isMember` walks down from one group (`CatalogView.members()`: its direct members, then its
 * child groups'); this walks up from the user in one pass over the entities. A group lists the
 * user directly when the entity read under its ref (the last one with that ref, as
 * `CatalogView.get`) names them in `spec.members` or a `hasMember` relation, or when a User with
 * the user's ref names it in `spec.memberOf`; then every group whose child groups (the entity's
 * `spec.children` and `parentOf` relations, or a Group naming it as `spec.parent`) hold one of
 * these, up to the roots. Pinned against `isMember` in `groupDirectory.test.ts`.
 */
export function memberGroups(view: CatalogView, user: string): string[] {
  const member = refKey(user);
  const groups = new Set<string>();
  const parentsOf = new Map<string, string[]>();
  const childOf = (parent: string, child: string) => {
    const parents = parentsOf.get(child);
    if (parents) parents.push(parent);
    else parentsOf.set(child, [parent]);
  };
  for (const entity of view.entities) {
    const ref = refOf(entity);
    if (view.get(ref) === entity) {
      if (
        specRefs(entity, 'members').includes(member) ||
        relationTargets(entity, 'hasMember').includes(member)
      )
        groups.add(ref);
      for (const child of [
        ...specRefs(entity, 'children'),
        ...relationTargets(entity, 'parentOf'),
      ])
        childOf(ref, child);
    }
    const kind = kindOf(ref);
    if (kind === 'user' && ref === member)
      specRefs(entity, 'memberOf').forEach(g => groups.add(g));
    if (kind === 'group')
      specRefs(entity, 'parent').forEach(parent => childOf(parent, ref));
  }
  // Up from the groups that list the user: a Set visits what is added while iterating.
  for (const group of groups)
    for (const parent of parentsOf.get(group) ?? []) groups.add(parent);
  return [...groups].sort();
}

/**
 * Group membership for approvals (§6.2 rules 1–2): the Groups and Users of the catalog as a
 * `CatalogView`, whose `members()` follows child groups.
 */
export interface GroupDirectory {
  view(): Promise<CatalogView>;
}

/** A fixed directory (tests, or adopters with their own source). */
export function staticGroupDirectory(entities: Entity[]): GroupDirectory {
  const view = new CatalogView(entities);
  return { view: async () => view };
}

/** How long a read of Groups and Users may take by default. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * `goldenPaths.groupDirectory.timeoutSeconds` in milliseconds (default 30 s): an organisation
 * whose full read of Groups and Users takes longer would otherwise fail every approval.
 * Refuses at start-up what is not a number above 0.
 */
export function readGroupDirectoryTimeoutMs(config: Config): number {
  return (
    readConfigNumber(
      config,
      'goldenPaths.groupDirectory.timeoutSeconds',
      DEFAULT_TIMEOUT_MS / 1000,
      { above: 0 },
    ) * 1000
  );
}

/**
 * Reads Groups and Users from the catalog REST API with the plugin's own service token, cached
 * for `ttlMs` (default 30 s). A read gives up after `timeoutMs` (default 30 s,
 * `readGroupDirectoryTimeoutMs`): approvals and the policy's membership checks wait on it, and
 * a stalled catalog held them for the HTTP client's own five minutes.
 */
export function catalogGroupDirectory(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  ttlMs?: number;
  timeoutMs?: number;
}): GroupDirectory {
  const fields = 'kind,metadata.name,metadata.namespace,spec,relations';
  return {
    view: cachedCatalogRead({
      ...options,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      query: `filter=kind=group&filter=kind=user&fields=${fields}`,
      what: 'groups and users',
      toValue: entities => new CatalogView(entities as Entity[]),
    }),
  };
}
