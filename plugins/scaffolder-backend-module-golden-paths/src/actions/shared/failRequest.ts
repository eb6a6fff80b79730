import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { ruleIdOf } from './ruleIdOf';

/**
 * Marks the request `failed` and releases this task's lease when a step stops the task
 * (golden-paths.md §4.4, §4.9 ledger:close). The scaffolder skips every later step after a
 * failure, so `ledger:close` never runs; without this a rerun after a kill switch is lifted
 * (V19) or an approval is given (V9) would meet this task's lease (GP-I03) for 15 minutes.
 * Best effort: the lease expires anyway.
 */
export async function failRequest(
  ledger: GoldenPathsService,
  requestKey: string,
  taskId: string,
  error: unknown,
): Promise<void> {
  const code = ruleIdOf(error);
  await ledger
    .closeRequest(requestKey, {
      taskId,
      status: 'failed',
      ...(code ? { errorCode: code } : {}),
    })
    .catch(() => undefined);
}
