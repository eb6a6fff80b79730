import type { KillSwitches, KillSwitchState } from '../../config';
import {
  deny,
  refusalText,
  RuleResult,
  sortByRuleOrder,
} from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';

const off = (s?: KillSwitchState): s is KillSwitchState => s?.disabled === true;
// undefined when the switch does not say: the messages then leave "since …" out
const since = (s: KillSwitchState) => s.since;
const reason = (s: KillSwitchState) => s.reason ?? 'no reason given';

/**
 * GP-K03 (`all`), GP-K01 (the template), GP-K02 (an action the template uses), checked at
 * validate and at ledger:open before any effect (§4.7). `stepsRecorded` says whether the ledger
 * already holds steps of this request (a resumed run): GP-K02 then says they resume (V19);
 * otherwise (the default, a first run) that nothing was created.
 *
 * @public
 */
export function checkKillSwitches(
  switches: KillSwitches | undefined,
  template: { name: string; steps?: readonly { id: string; action: string }[] },
  requestKey: string,
  options: { stepsRecorded?: boolean } = {},
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
  const t = templateSwitch(switches, template.name);
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
            stepsRecorded: options.stepsRecorded === true,
          }),
        ),
      );
    }
  }
  return out;
}

/**
 * Whether a template's steps can change what `checkKillSwitches` answers: only an action switch
 * that is off refuses on them (GP-K02), and only when neither `all` (GP-K03) nor the template's
 * own switch (GP-K01) refuses first. Otherwise a caller need not look the steps up (the backend's
 * ledger open then skips its catalog read).
 *
 * @public
 */
export function templateStepsDecide(
  switches: KillSwitches | undefined,
  templateName: string,
): boolean {
  if (
    !switches ||
    off(switches.all) ||
    off(templateSwitch(switches, templateName))
  )
    return false;
  return Object.values(switches.actions ?? {}).some(off);
}

/**
 * The switch of a template by its name, compared case-insensitively: config keys are lower-case
 * (a key with capitals is refused at start), while a template's `metadata.name` may carry
 * capitals (`Service-Node-HTTP`), and the switch is meant for that template all the same.
 */
function templateSwitch(
  switches: KillSwitches | undefined,
  templateName: string,
): KillSwitchState | undefined {
  const wanted = templateName.toLocaleLowerCase('en-US');
  const entry = Object.entries(switches?.templates ?? {}).find(
    ([name]) => name.toLocaleLowerCase('en-US') === wanted,
  );
  return entry?.[1];
}

/**
 * GP-K02 at the start of one action: a switch thrown mid-run stops before the next effect, and
 * the request's earlier steps resume once it is lifted (V19's text).
 *
 * With `templateName` (the template the task runs) the template's own switch is checked too, after
 * `all` and before the action's (§5 order K03 → K01 → K02): a template switched off while a run
 * of it is under way stops that run before its next effect, as an action switch does. The stop
 * says so as V19 does (earlier steps are recorded and resume), not "Nothing was created", which
 * only a refusal at validate or ledger:open can say. Without it (callers that check one action
 * id, such as the backend's step claim) only `all` and the action are checked, as before.
 *
 * @public
 */
export function checkActionSwitch(
  switches: KillSwitches | undefined,
  actionId: string,
  stepId: string,
  requestKey: string,
  options: { templateName?: string } = {},
): RuleResult | undefined {
  const s = switches?.actions?.[actionId];
  const all = switches?.all;
  if (off(all)) {
    return deny(
      'GP-K03',
      gpMessages.k03({ since: since(all), reason: reason(all) }),
    );
  }
  const t = options.templateName
    ? templateSwitch(switches, options.templateName)
    : undefined;
  if (off(t)) {
    return deny(
      'GP-K01',
      gpMessages
        .k01({
          name: options.templateName!,
          since: since(t),
          reason: reason(t),
        })
        .replace(
          / Nothing was created\.$/,
          ` Stopped before step "${stepId}"; earlier steps are recorded under request "${requestKey}" and resume when it is switched back on.`,
        ),
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
      stepsRecorded: true,
    }),
  );
}

/**
 * The refusal a real run would get from a kill switch, reported by a dry run that ran through it
 * (§4.6, §4.7): a dry run is the operator's no-op proof before lifting a switch, so a switch
 * does not stop it; every place that would refuse reports this instead, under the name
 * `wouldBeRefusedBy` (validate's output, each action's own check, the ledger:open dry-run record).
 *
 * @public
 */
export interface SwitchRefusal {
  /** GP-K01 (template), GP-K02 (action) or GP-K03 (all): the first line of the refusal. */
  ruleId: string;
  /** The exact error text a real run gets (every kill-switch line, §5 order). */
  message: string;
}

/**
 * The kill-switch refusal among rule results (GP-K01/K02/K03 denials), as a real run would throw
 * it, or undefined when no switch refuses.
 *
 * @public
 */
export function switchRefusalOf(
  results: readonly RuleResult[],
): SwitchRefusal | undefined {
  const kill = sortByRuleOrder(
    results.filter(r => r.outcome === 'deny' && /^GP-K0[123]$/.test(r.id)),
  );
  if (!kill.length) return undefined;
  return { ruleId: kill[0].id, message: refusalText(kill) };
}

/**
 * A {@link SwitchRefusal} read from an answer or a record (JSON from the ledger), or undefined
 * when the value is not one.
 *
 * @public
 */
export function asSwitchRefusal(value: unknown): SwitchRefusal | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { ruleId, message } = value as Record<string, unknown>;
  return typeof ruleId === 'string' && typeof message === 'string'
    ? { ruleId, message }
    : undefined;
}
