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
