import { ChangeStatus } from '../schemas/changeAttributes';

// Status only moves forward (IB §4.2): a late "started" never undoes a finish.
const NEXT: Record<ChangeStatus, readonly ChangeStatus[]> = {
  started: ['succeeded', 'failed', 'cancelled'],
  succeeded: ['rolled-back'],
  failed: ['rolled-back'],
  cancelled: [],
  'rolled-back': [],
};

/**
 * True when a change may move from one status to another; staying put is always allowed.
 *
 * @public
 */
export function isAllowedStatusTransition(
  from: ChangeStatus,
  to: ChangeStatus,
): boolean {
  return from === to || NEXT[from].includes(to);
}

/**
 * True when a rollback may mark this target `rolled-back` (§3.5).
 *
 * @public
 */
export function canBeRolledBack(status: ChangeStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}
