import type { AuditorService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { checkActionSwitch } from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { readKillSwitches } from '../../config/readConfig';
import { auditStep, type TaskInfo } from './audit';
import { failRequest } from './failRequest';

/**
 * Every action checks its own config kill switch at start (§4.7), so a switch thrown mid-run
 * stops the run before the next effect (GP-K02). Runtime switches from the backend table are
 * checked when the action claims its step.
 *
 * A stop is audited like any other invocation (§4.5: one record per invocation). An action that
 * runs after `ledger:open` claimed the request passes `release`: the stop then marks the request
 * `failed` and ends this task's lease, as the claim's GP-K02 refusal does, so a rerun once the
 * switch is lifted resumes (V19) instead of meeting this task's lease (GP-I03) for 15 minutes.
 * A dry run claimed nothing and releases nothing.
 */
export async function assertActionEnabled(p: {
  config: Config;
  actionId: string;
  stepId: string;
  requestKey: string;
  task: TaskInfo;
  startedAt: number;
  auditor?: AuditorService;
  release?: GoldenPathsService;
}): Promise<void> {
  const denial = checkActionSwitch(
    readKillSwitches(p.config),
    p.actionId,
    p.stepId,
    p.requestKey,
  );
  if (!denial) return;
  const error = new InputError(denial.message ?? denial.id);
  await auditStep(
    p.auditor,
    p.task,
    'low',
    {
      action: p.actionId,
      stepId: p.stepId,
      requestKey: p.requestKey,
      decision: 'deny',
      result: 'failed',
      errorCode: denial.id,
    },
    p.startedAt,
  );
  if (p.release && !p.task.dryRun) {
    await failRequest(p.release, p.requestKey, p.task.taskId, error);
  }
  throw error;
}
