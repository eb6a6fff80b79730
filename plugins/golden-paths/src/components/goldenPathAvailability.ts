import {
  checkKillSwitches,
  switchRefusalOf,
  type KillSwitches,
  type KillSwitchScope,
  type KillSwitchState,
  type SwitchRefusal,
  type TemplateStep,
} from '@internal/plugin-golden-paths-common';

/** A kill switch that refuses a template's runs, named as the kill-switch page names it. */
export interface BlockingSwitch {
  scope: KillSwitchScope;
  /** `all`, the template's name or the action's id. */
  id: string;
  state: KillSwitchState;
  /** The template's steps that use the action (scope `action` only). */
  steps: string[];
}

/** Whether a run of a template started now would be refused by a kill switch, and by which. */
export interface GoldenPathAvailability {
  /** The refusal a real run gets (rule id and exact text), or undefined when none refuses. */
  refusal?: SwitchRefusal;
  /** Every switch that refuses on its own, in the rule order (all, template, actions). */
  blocking: BlockingSwitch[];
}

// The refusal texts of a first run (nothing recorded yet) do not name the request key, which
// the form does not know before validate derives it.
const FIRST_RUN_KEY = 'not yet known';

/**
 * The availability of a template under the merged kill switches, decided by the backend's own
 * rule (`checkKillSwitches`, GP-K03 → K01 → K02): the refusal is what the run would throw, and
 * each blocking switch is one that `checkKillSwitches` refuses on when it is the only one set.
 * `steps` undefined means the template's steps are unknown: only `all` and the template's own
 * switch can then be decided (callers ask `templateStepsDecide` whether the steps matter).
 */
export function goldenPathAvailability(
  switches: KillSwitches,
  template: { name: string; steps?: readonly TemplateStep[] },
): GoldenPathAvailability {
  const refusal = switchRefusalOf(
    checkKillSwitches(switches, template, FIRST_RUN_KEY),
  );
  if (!refusal) return { blocking: [] };

  const candidates: { only: KillSwitches; blocking: BlockingSwitch }[] = [];
  const add = (
    scope: KillSwitchScope,
    id: string,
    state: KillSwitchState | undefined,
    only: (s: KillSwitchState) => KillSwitches,
    steps: string[] = [],
  ) => {
    if (state)
      candidates.push({
        only: only(state),
        blocking: { scope, id, state, steps },
      });
  };
  add('all', 'all', switches.all, s => ({ all: s }));
  add('template', template.name, switches.templates?.[template.name], s => ({
    templates: { [template.name]: s },
  }));
  const actions = [...new Set((template.steps ?? []).map(s => s.action))];
  for (const action of actions) {
    add(
      'action',
      action,
      switches.actions?.[action],
      s => ({ actions: { [action]: s } }),
      (template.steps ?? []).filter(s => s.action === action).map(s => s.id),
    );
  }
  return {
    refusal,
    blocking: candidates
      .filter(c => checkKillSwitches(c.only, template, FIRST_RUN_KEY).length)
      .map(c => c.blocking),
  };
}
