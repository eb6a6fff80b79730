import type { KillSwitches, KillSwitchState } from '../../config';
import { deny, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';

const off = (s?: KillSwitchState): s is KillSwitchState => s?.disabled === true;
const since = (s: KillSwitchState) => s.since ?? '';
const reason = (s: KillSwitchState) => s.reason ?? 'no reason given';

/**
 * GP-K03 (`all`), GP-K01 (the template), GP-K02 (an action the template uses), checked at
 * validate before anything else (§4.7).
 *
 * @public
 */
export function checkKillSwitches(
  switches: KillSwitches | undefined,
  template: { name: string; steps?: readonly { id: string; action: string }[] },
  requestKey: string,
): RuleResult[] {
  if (!switches) return [];
  const out: RuleResult[] = [];
  if (off(switches.all)) {
    out.push(
      deny(
        'GP-K03',
        gpMessages.k03({
          since: since(switches.all),
          reason: reason(switches.all),
        }),
      ),
    );
  }
  const t = switches.templates?.[template.name];
  if (off(t)) {
    out.push(
      deny(
        'GP-K01',
        gpMessages.k01({
          name: template.name,
          since: since(t),
          reason: reason(t),
        }),
      ),
    );
  }
  for (const step of template.steps ?? []) {
    const a = switches.actions?.[step.action];
    if (off(a)) {
      out.push(
        deny(
          'GP-K02',
          gpMessages.k02({
            id: step.action,
            since: since(a),
            reason: reason(a),
            step: step.id,
            key: requestKey,
          }),
        ),
      );
    }
  }
  return out;
}

/**
 * GP-K02 at the start of one action: a switch thrown mid-run stops before the next effect.
 *
 * @public
 */
export function checkActionSwitch(
  switches: KillSwitches | undefined,
  actionId: string,
  stepId: string,
  requestKey: string,
): RuleResult | undefined {
  const s = switches?.actions?.[actionId];
  const all = switches?.all;
  if (off(all)) {
    return deny(
      'GP-K03',
      gpMessages.k03({ since: since(all), reason: reason(all) }),
    );
  }
  if (!off(s)) return undefined;
  return deny(
    'GP-K02',
    gpMessages.k02({
      id: actionId,
      since: since(s),
      reason: reason(s),
      step: stepId,
      key: requestKey,
    }),
  );
}
