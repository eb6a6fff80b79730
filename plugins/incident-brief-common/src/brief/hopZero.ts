import { GraphIndex } from '../graph/GraphIndex';
import { normalizeRef, refKind } from '../refs/entityRefs';

/** The entities a brief reads at hop 0, with its root (see {@link hopZeroOf}). */
export interface HopZero {
  /** the root first, then `members` */
  refs: string[];
  /** a System's member Components and Resources, an API's providers; else empty */
  members: string[];
  /** what `members` are, for the brief's texts; null when there are none to speak of */
  role: 'member' | 'provider' | null;
}

/** The root kinds with entities at hop 0 besides the root, and how the index lists them. */
const ROLES = new Map<
  string,
  {
    name: 'member' | 'provider';
    of: (index: GraphIndex, id: number) => number[];
  }
>([
  ['system', { name: 'member', of: (index, id) => index.membersOf(id) }],
  ['api', { name: 'provider', of: (index, id) => index.providersOf(id) }],
]);

/**
 * The entities whose changes, last change, telemetry and ledger coverage are a brief's own: the
 * root and, for a System, its members (R18: the multi-source search of its members at hop 0);
 * for an API, its providers — an API is deployed, changed and observed only through the
 * Components that provide it (its tier is theirs, §2.3), so the brief of an API reads them at
 * hop 0 as a System's reads its members. They never appear in the root's blast radius. The
 * backend reads the ledger of exactly these (plus the dependencies) for a brief.
 */
export function hopZeroOf(index: GraphIndex, root: string): HopZero {
  const ref = normalizeRef(root);
  const id = index.idOf(ref);
  const kind = refKind(ref);
  const role = id >= 0 && kind ? ROLES.get(kind) : undefined;
  if (!role) return { refs: [ref], members: [], role: null };
  const members = role.of(index, id).map(m => index.refOf(m));
  return { refs: [ref, ...members], members, role: role.name };
}
