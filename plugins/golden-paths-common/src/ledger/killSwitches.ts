import type { KillSwitches, KillSwitchState } from '../config';

/*
 * The kill switches as `GET /kill-switches` and `PUT /kill-switches/:scope/:id` answer them
 * (golden-paths.md §4.7): one declaration for the backend and the frontend's client.
 */

/**
 * Scopes of a kill switch (§4.7).
 *
 * @public
 */
export type KillSwitchScope = 'all' | 'template' | 'action';

/**
 * One row of the runtime table `gp_kill_switches` (lifted and expired rows included).
 *
 * @public
 */
export interface RuntimeKillSwitch {
  scope: KillSwitchScope;
  id: string;
  disabled: boolean;
  reason: string;
  setBy: string;
  setAt: string;
  /** The switch lifts itself at this instant. */
  until?: string;
}

/**
 * Whether a runtime switch's `until` has passed at `nowMs`: the one rule for the backend's switch
 * states and the operator page. Compared as instants, not as text: a switch stored before `until`
 * was limited to four-digit years (`+010000-…`, from `9999-12-31T23:59:59-05:00`) sorts before
 * every time as text and would read as lifted.
 *
 * @public
 */
export function switchLifted(
  until: string | null | undefined,
  nowMs: number,
): boolean {
  return !!until && Date.parse(until) <= nowMs;
}

/**
 * The merged switches (config OR runtime) and where each came from.
 *
 * @public
 */
export interface KillSwitchView extends KillSwitches {
  all: KillSwitchState;
  templates: Record<string, KillSwitchState>;
  actions: Record<string, KillSwitchState>;
  sources: {
    /** `goldenPaths.killSwitch` of the app config: changed there, not through the API. */
    config: KillSwitches;
    runtime: RuntimeKillSwitch[];
  };
  /**
   * Set when the config switches could not be read (a malformed config reloaded after start):
   * the reader's message, naming the config path. The maps and `sources.config` then hold only
   * the runtime switches, so this view is incomplete; real runs are refused until it is fixed.
   */
  configError?: string;
}
