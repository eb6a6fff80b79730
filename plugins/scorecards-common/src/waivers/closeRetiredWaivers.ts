import { isRetired } from '../engine/rolloutPhase';
import { CompiledStandard } from '../standard/compiledStandard';
import { waiverStatusAt } from './activeWaivers';
import { Waiver } from './waiverTypes';

/**
 * Waivers to close because their check retired (SR30, `retiresAt ≤ now`): pending and active ones
 * become `revoked` with reason `check retired`. Returns only the changed waivers. A waiver of a
 * check the standard does not define is left as it is (since 2026-12-07; it was revoked too): a
 * check leaves a standard through `retiresAt` (§2.2), so one gone without it was most likely
 * renamed, and a revocation cannot be undone by renaming it back. It applies to nothing meanwhile.
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
      return check !== undefined && isRetired(check, nowMs);
    })
    .map(w => ({
      ...w,
      status: 'revoked' as const,
      revokedAt: now,
      closeReason: 'check retired' as const,
    }));
}
