import type { AuditorService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readServiceRequestersLeniently } from '../../config/readConfig';
import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  auditStep,
  runInvocation,
  type AuditSeverity,
  type Invocation,
} from './audit';
import { ruleIdOf } from './ruleIdOf';
import { initiatorOf } from './requester';
import { auditedTaskInfoOf } from './taskInfo';

type Handler = TemplateAction<any, any, any>['handler'];
type ActionContextOf = Parameters<Handler>[0];

/** How `withInvocationAudit` records an invocation the handler left without a record. */
export interface InvocationAuditOptions {
  auditor?: AuditorService;
  /** Read on each run for `goldenPaths.serviceRequesters` (who a service's task runs as). */
  config?: Config;
  /** The step id the action records when the template's step has none (`ctx.step?.id ?? …`). */
  defaultStepId: string;
  /** The action's severity (§4.5), or how it derives it from its input (lifecycle's delete). */
  severity: AuditSeverity | ((input: Record<string, unknown>) => AuditSeverity);
  /**
   * How the action derives its request key from its input, for an action whose input carries
   * none (validate derives it from the request); undefined when it cannot be told. Without it,
   * the input's `requestKey` is the key.
   */
  requestKeyOf?: (
    input: Record<string, unknown>,
    ctx: ActionContextOf,
  ) => string | undefined;
}

/**
 * The `requestKey` of a record whose request cannot be told from the invocation's input (§4.5
 * makes the field a string). Named, so an auditor reads that the key is unknown, not empty; in
 * parentheses, which the §4.2 key format excludes, so it is never a request's own key (`unknown`
 * could be one an API caller chose).
 */
export const UNKNOWN_REQUEST_KEY = '(unknown)';

/**
 * Runs every invocation of a golden-path action so that it leaves its one audit record (§4.5),
 * whatever it fails with. The actions write their record on the paths they know (success,
 * refusals, a failed claim or push); an error nobody expected — the golden-paths backend
 * answering 503 at `ledger:close`, git failing to read the remote before `publish:git`'s claim —
 * used to leave none, and that is the incident in which the step's record matters most.
 *
 * When the handler throws and has not written a record of this invocation, one is written here
 * with `result: 'failed'` and the error's rule id (when it has one), and the error is rethrown.
 * A handler that wrote its record and then threw is left as it is (one record per invocation).
 * The record names the error's class, never its message, which may carry request values. A dry
 * run's record is a dry run's (low, `dryRun: true`), as `auditStep` writes every record. If
 * writing it fails, that is logged and the handler's own error is what the task shows.
 */
export function withInvocationAudit<A extends TemplateAction<any, any, any>>(
  action: A,
  options: InvocationAuditOptions,
): A {
  const handler: Handler = async ctx => {
    const started = Date.now();
    const invocation: Invocation = { audited: false, logger: ctx.logger };
    if (!ctx.user?.ref) {
      // a task started with a service token has no user: the User the platform team named for
      // its subject runs it, else GP-O05 and its record name who started it
      const initiator = await ctx
        .getInitiatorCredentials()
        .then(initiatorOf, () => undefined);
      let mapped: string | undefined;
      if (initiator && !initiator.user && options.config) {
        const { bySubject, errors } = readServiceRequestersLeniently(
          options.config,
        );
        if (errors.length > 0 && firstWarningOf(ctx.task?.id)) {
          for (const error of errors) {
            ctx.logger.warn(`${error}; that entry is left out for this run`);
          }
        }
        mapped = bySubject.get(initiator.ref);
      }
      invocation.initiator = mapped
        ? { ref: mapped, user: true, onBehalfOf: initiator!.ref }
        : initiator;
    }
    try {
      await runInvocation(invocation, () => action.handler(ctx));
    } catch (error) {
      if (!invocation.audited) {
        await auditFailure(action.id, options, ctx, invocation, started, error);
      }
      throw error;
    }
  };
  return { ...action, handler };
}

/** Tasks whose log already says which `serviceRequesters` entries were left out (newest last). */
const warnedTasks = new Set<string>();
const WARNED_TASKS_KEPT = 1000;

/**
 * Whether this is the first golden-path step of the task to warn about left-out
 * `serviceRequesters` entries: every step reads the config, and a template of a dozen steps
 * would otherwise say the same thing a dozen times in its log. A step without a task id warns.
 */
function firstWarningOf(taskId: string | undefined): boolean {
  if (!taskId) return true;
  if (warnedTasks.has(taskId)) return false;
  warnedTasks.add(taskId);
  // a Set iterates in insertion order: the oldest task goes first
  if (warnedTasks.size > WARNED_TASKS_KEPT) {
    warnedTasks.delete(warnedTasks.values().next().value!);
  }
  return true;
}

async function auditFailure(
  actionId: string,
  options: InvocationAuditOptions,
  ctx: ActionContextOf,
  invocation: Invocation,
  started: number,
  error: unknown,
): Promise<void> {
  try {
    const input: Record<string, unknown> = ctx.input ?? {};
    const severity =
      typeof options.severity === 'function'
        ? options.severity(input)
        : options.severity;
    const errorCode = ruleIdOf(error);
    const name = error instanceof Error ? error.name : typeof error;
    await auditStep(
      options.auditor,
      auditedTaskInfoOf(ctx, invocation),
      severity,
      {
        action: actionId,
        stepId: ctx.step?.id ?? options.defaultStepId,
        requestKey: requestKeyOf(options, input, ctx) ?? UNKNOWN_REQUEST_KEY,
        ...(typeof input.fingerprint === 'string'
          ? { fingerprint: input.fingerprint }
          : {}),
        result: 'failed',
        ...(errorCode ? { errorCode } : {}),
        extra: { errorName: name },
      },
      started,
    );
  } catch (auditError) {
    // The task shows the handler's error (the cause); the missing record is the log's to say.
    ctx.logger.error(
      `${actionId}: could not write the audit record of this failed invocation: ${String(
        (auditError as Error)?.message ?? auditError,
      )}`,
    );
  }
}

/**
 * The key of the request the failed invocation was for, when its input tells it. A derivation
 * that fails too (validate reading a config reloaded mid-run) leaves the key unknown rather than
 * the invocation without its record.
 */
function requestKeyOf(
  options: InvocationAuditOptions,
  input: Record<string, unknown>,
  ctx: ActionContextOf,
): string | undefined {
  try {
    const key = options.requestKeyOf
      ? options.requestKeyOf(input, ctx)
      : input.requestKey;
    // '' names no request: it is as unknown as no key
    return typeof key === 'string' && key !== '' ? key : undefined;
  } catch {
    return undefined;
  }
}
