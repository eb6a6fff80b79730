import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { checkActionSwitch } from '@internal/plugin-golden-paths-common';
import { readKillSwitches } from '../../config/readConfig';

/**
 * Every action checks its own config kill switch at start (§4.7), so a switch thrown mid-run
 * stops the run before the next effect (GP-K02). Runtime switches from the backend table are
 * checked when the action claims its step.
 */
export function assertActionEnabled(
  config: Config,
  actionId: string,
  stepId: string,
  requestKey: string,
): void {
  const denial = checkActionSwitch(
    readKillSwitches(config),
    actionId,
    stepId,
    requestKey,
  );
  if (denial) throw new InputError(denial.message ?? denial.id);
}
