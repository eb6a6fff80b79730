import type {
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  checkActionSwitch,
  type KillSwitches,
  type SwitchRefusal,
} from '@internal/plugin-golden-paths-common';
import type { GoldenPathsService } from '@internal/plugin-golden-paths-node';
import { readKillSwitches } from '../../config/readConfig';
import { auditStep, type TaskInfo } from './audit';
import { failRequest } from './failRequest';

/** Where a dry run reports the switch it ran through: the task log and the action's output. */
export interface SwitchReport {
  logger: LoggerService;
  output(name: 'wouldBeRefusedBy', value: SwitchRefusal): void;
}

/** The dry-run log line for a switch a dry run ran through (one wording for every action). */
export function ranThroughSwitchText(
  actionId: string,
  refusal: SwitchRefusal,
): string {
  return `${actionId}: dry run continues through a kill switch; a real run is refused now with: ${refusal.message}`;
}

/** The template name of a task's template ref (`template:default/service-node-http`). */
function templateNameOf(templateRef: string | undefined): string | undefined {
  const name = templateRef?.slice(templateRef.lastIndexOf('/') + 1);
  return name || undefined;
}

/**
 * Every action checks its own config kill switch at start (§4.7), and the switch of the template
 * the task runs, so a switch thrown mid-run stops the run before the next effect (GP-K02, GP-K01).
 * Runtime switches from the backend table are checked when the action claims its step.
 *
 * A stop is audited like any other invocation (§4.5: one record per invocation). An action that
 * runs after `ledger:open` claimed the request passes `release`: the stop then marks the request
 * `failed` and ends this task's lease, as the claim's GP-K02 refusal does, so a rerun once the
 * switch is lifted resumes (V19) instead of meeting this task's lease (GP-I03) for 15 minutes.
 *
 * A dry run is not stopped: it is the no-op proof the operator SHOULD make before lifting the
 * switch (§4.7), and it writes nothing. The refusal a real run would get is logged, given as the
 * action's `wouldBeRefusedBy` output, set on `task` (so the invocation's audit record carries
 * it) and returned.
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
  /** The action context: a dry run reports the switch it ran through here. */
  report: SwitchReport;
  /**
   * Leave the template's switch to the backend (`ledger:open`: the backend checks `all`, the
   * template and its actions there, with the text of a run refused before anything exists).
   */
  templateSwitchInBackend?: boolean;
}): Promise<SwitchRefusal | undefined> {
  let switches: KillSwitches;
  try {
    switches = readKillSwitches(p.config);
  } catch (e) {
    // A config reloaded mid-run with a malformed switch entry: whether this action is switched
    // off is unknown, so it stops (fail closed, dry runs too: there is no refusal to report),
    // with the config error naming the entry. The stop is audited and releases the request like
    // a switch's, so a rerun once the config is fixed resumes instead of meeting GP-I03.
    throw await stopped(p, e instanceof Error ? e : new Error(String(e)));
  }
  // The run's template too (GP-K01): a template switched off after the run passed validate stops
  // it before its next effect, as an action switch does.
  const templateName = p.templateSwitchInBackend
    ? undefined
    : templateNameOf(p.task.templateRef);
  const denial = checkActionSwitch(
    switches,
    p.actionId,
    p.stepId,
    p.requestKey,
    templateName ? { templateName } : {},
  );
  if (!denial) return undefined;
  const message = denial.message ?? denial.id;
  if (p.task.dryRun) {
    const refusal = { ruleId: denial.id, message };
    p.report.logger.warn(ranThroughSwitchText(p.actionId, refusal));
    p.report.output('wouldBeRefusedBy', refusal);
    p.task.wouldBeRefusedBy = refusal;
    return refusal;
  }
  throw await stopped(p, new InputError(message), denial.id);
}

/**
 * Audits a stop at the action's start and, in a real run after `ledger:open`, fails the request
 * and ends this task's lease; returns the error to throw. A dry run claimed nothing, so it
 * releases nothing.
 */
async function stopped<E extends Error>(
  p: {
    actionId: string;
    stepId: string;
    requestKey: string;
    task: TaskInfo;
    startedAt: number;
    auditor?: AuditorService;
    release?: GoldenPathsService;
  },
  error: E,
  errorCode?: string,
): Promise<E> {
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
      ...(errorCode ? { errorCode } : {}),
    },
    p.startedAt,
  );
  if (p.release && !p.task.dryRun) {
    await failRequest(p.release, p.requestKey, p.task.taskId, error);
  }
  return error;
}
