import {
  checkKillSwitches,
  type KillSwitches,
  type KillSwitchScope,
  type KillSwitchState,
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
  /**
   * False when the template's steps are known and run no golden-path check
   * ({@link GOLDEN_PATH_CHECK_ACTIONS}): no kill switch refuses such a template, so the field
   * has nothing to say about it.
   */
  goldenPath: boolean;
  /**
   * The rules a run started now is refused by (`GP-K03`, `GP-K01`, `GP-K02`, in that order, each
   * once), empty when none refuses. Only the rules, not the text: validate throws every line of
   * the config switches, `ledger:open` only the first of the merged ones, so the exact text
   * depends on where each switch was set.
   */
  refusedBy: string[];
  /** Every switch that refuses on its own, in the rule order (all, template, actions). */
  blocking: BlockingSwitch[];
}

/**
 * The steps at which a kill switch refuses a whole run (§4.7): validate checks the config
 * switches, `ledger:open` the merged ones, both on every step of the template. A template
 * without either is not a golden path: nothing checks the switches for it.
 */
export const GOLDEN_PATH_CHECK_ACTIONS: readonly string[] = [
  'goldenpath:validate',
  'goldenpath:ledger:open',
];

// `checkKillSwitches` names the request key in its GP-K02 text; only the rule ids are read here,
// and the form does not know the key before validate derives it.
const FIRST_RUN_KEY = 'not yet known';

/** A template as the kill switches see it: its name (lower-cased, as switch ids are) and steps. */
type SwitchedTemplate = { name: string; steps?: readonly TemplateStep[] };

/** The kill-switch rules among `checkKillSwitches`' denials, in their order, each once. */
function ruleIdsOf(switches: KillSwitches, template: SwitchedTemplate) {
  return [
    ...new Set(
      checkKillSwitches(switches, template, FIRST_RUN_KEY)
        .filter(r => r.outcome === 'deny')
        .map(r => r.id),
    ),
  ];
}

/**
 * The availability of a template under the merged kill switches, decided by the backend's own
 * rule (`checkKillSwitches`, GP-K03 → K01 → K02): `refusedBy` names the rules a run would be
 * refused by, and each blocking switch is one that `checkKillSwitches` refuses on when it is the
 * only one set. `steps` undefined means the template's steps are unknown: only `all` and the
 * template's own switch can then be decided (callers ask `templateStepsDecide` whether the steps
 * matter), and the template is taken for a golden path. `name` is compared as the switch ids
 * are, so callers pass it lower-cased.
 */
export function goldenPathAvailability(
  switches: KillSwitches,
  template: SwitchedTemplate,
): GoldenPathAvailability {
  if (
    template.steps &&
    !template.steps.some(s => GOLDEN_PATH_CHECK_ACTIONS.includes(s.action))
  )
    return { goldenPath: false, refusedBy: [], blocking: [] };
  const refusedBy = ruleIdsOf(switches, template);
  if (!refusedBy.length) return { goldenPath: true, refusedBy, blocking: [] };

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
    goldenPath: true,
    refusedBy,
    blocking: candidates
      .filter(c => ruleIdsOf(c.only, template).length)
      .map(c => c.blocking),
  };
}
