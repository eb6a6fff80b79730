import { isRetired } from '../engine/rolloutPhase';
import { CompiledStandard } from '../standard/compiledStandard';
import { waiverStatusAt } from './activeWaivers';
import { Waiver } from './waiverTypes';

/**
 * Waivers to close because their check retired (SR30) or vanished from the standard: pending
 * and active ones become `revoked` with reason `check retired`. Returns only the changed waivers.
 */
export function closeRetiredWaivers(
  waivers: readonly Waiver[],
  standard: CompiledStandard,
  now: string,
): (Waiver & { closeReason: 'check retired' })[] {
  const nowMs = Date.parse(now);
  return waivers
    .filter(w => {
      const status = waiverStatusAt(w, nowMs);
      if (status !== 'pending' && status !== 'active') return false;
      const check = standard.byId.get(w.checkId);
      return !check || isRetired(check, nowMs);
    })
    .map(w => ({
      ...w,
      status: 'revoked' as const,
      revokedAt: now,
      closeReason: 'check retired' as const,
    }));
}
