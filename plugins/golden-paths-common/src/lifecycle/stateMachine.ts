import type { Transition } from '../schemas/requestSchemas';

/** Lifecycle states (§7.1); `deleted` means "left the catalog, tombstone in the ledger". @public */
export type LifecycleState =
  | 'experimental'
  | 'production'
  | 'deprecated'
  | 'archived'
  | 'deleted';

/**
 * The transitions of §7.1: from which states each is allowed and where it leads.
 *
 * @public
 */
export const TRANSITION_TABLE: Record<
  Transition,
  { from: readonly string[]; to: LifecycleState }
> = {
  promote: { from: ['experimental'], to: 'production' },
  deprecate: { from: ['experimental', 'production'], to: 'deprecated' },
  undeprecate: { from: ['deprecated'], to: 'production' },
  archive: { from: ['deprecated', 'experimental'], to: 'archived' },
  unarchive: { from: ['archived'], to: 'deprecated' },
  delete: { from: ['archived'], to: 'deleted' },
};

/**
 * Transitions allowed from a state, in table order (GP-L01 "Allowed next").
 *
 * @public
 */
export function allowedTransitions(from: string): Transition[] {
  return (Object.keys(TRANSITION_TABLE) as Transition[]).filter(t =>
    TRANSITION_TABLE[t].from.includes(from),
  );
}
