import type { AuditorService } from '@backstage/backend-plugin-api';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { JsonObject } from '@backstage/types';
import type { SwitchRefusal } from '@internal/plugin-golden-paths-common';
import type { Initiator } from './requester';

/** Severity of an audit record (golden-paths.md §4.5). */
export type AuditSeverity = 'low' | 'medium' | 'high' | 'critical';

/** The parts of an audit record (§4.5) an action fills; the rest comes from the task. */
export interface StepAudit {
  action: string;
  stepId: string;
  requestKey: string;
  fingerprint?: string;
  planDigest?: string;
  mode?: 'create' | 'resume' | 'replay';
  decision?: string;
  targets?: string[];
  effects?: { type: string; target: string; result: string }[];
  result:
    | 'started'
    | 'succeeded'
    | 'failed'
    | 'skipped'
    | 'replayed'
    | 'compensated';
  errorCode?: string;
  extra?: Record<string, unknown>;
}

/** What every action knows about its task. */
export interface TaskInfo {
  taskId: string;
  userRef: string;
  /** The service subject `userRef` runs for (`goldenPaths.serviceRequesters`), if any. */
  onBehalfOf?: string;
  dryRun: boolean;
  templateRef?: string;
  /**
   * Dry run only: the kill switch this invocation ran through (set by `assertActionEnabled`),
   * so every audit record of the invocation says so.
   */
  wouldBeRefusedBy?: SwitchRefusal;
}

/** What one action invocation has recorded so far (see `withInvocationAudit`). */
export interface Invocation {
  /** A `golden-path-step` record of this invocation was written (§4.5: one per invocation). */
  audited: boolean;
  /**
   * The invocation's task facts (`taskInfoOf`), so a record written for it after the handler
   * threw carries what the handler's own records would (a dry run's `wouldBeRefusedBy`).
   */
  task?: TaskInfo;
  /**
   * Who started a task that has no `ctx.user` (`initiatorOf`): a user is its requester; a
   * service's subject is named in GP-O05 and the refused invocation's record, nothing more.
   */
  initiator?: Initiator;
  /** The task's logger: where a failed invocation's record that could not be written is told. */
  logger?: { error(message: string): void };
}

// Per invocation, not per action: the scaffolder runs one action object for many tasks at once,
// and the records are written from deep inside helpers (kill switch, claimed steps) that are not
// handed the invocation.
const invocations = new AsyncLocalStorage<Invocation>();

/** Runs `fn` (an action's handler) as one invocation whose records are tracked. */
export function runInvocation<T>(invocation: Invocation, fn: () => T): T {
  return invocations.run(invocation, fn);
}

/** The invocation the caller runs in, if it runs in one (unit tests may call helpers bare). */
export function currentInvocation(): Invocation | undefined {
  return invocations.getStore();
}

/**
 * Notes that the current invocation wrote its record. `auditStep` does it; an action writing its
 * record through the auditor directly (validate) calls it too, or a failure after that record
 * would be recorded twice.
 */
export function noteStepAudited(): void {
  const invocation = invocations.getStore();
  if (invocation) invocation.audited = true;
}

/**
 * Writes one `golden-path-step` record per action invocation through Backstage's auditor (§4.5).
 * Records carry keys, digests, rule ids and effect targets — never request values, so nothing
 * secret-looking can reach the audit log.
 */
export async function auditStep(
  auditor: AuditorService | undefined,
  task: TaskInfo,
  severity: AuditSeverity,
  record: StepAudit,
  startedAt: number,
): Promise<void> {
  if (!auditor) return;
  const { extra, ...rest } = record;
  const meta = {
    ...rest,
    ...extra,
    taskId: task.taskId,
    correlationId: task.taskId,
    templateRef: task.templateRef ?? '',
    actor: actorOf(task.userRef, task.onBehalfOf),
    dryRun: task.dryRun,
    ...(task.wouldBeRefusedBy
      ? { wouldBeRefusedBy: task.wouldBeRefusedBy }
      : {}),
    durationMs: Date.now() - startedAt,
    redaction: 'none',
  } as unknown as JsonObject;
  const write = async () => {
    const event = await auditor.createEvent({
      eventId: 'golden-path-step',
      severityLevel: task.dryRun ? 'low' : severity,
      meta,
    });
    // From here the record exists in the audit log (the auditor logs it as initiated).
    noteStepAudited();
    if (record.result === 'failed') {
      await event.fail({
        error: new Error(record.errorCode ?? 'failed'),
        meta,
      });
    } else {
      await event.success({ meta });
    }
  };
  if (record.result !== 'failed') {
    await write();
    return;
  }
  // The record of a failure is written on the way to rethrowing it (`catch (e) { await
  // auditStep(…failed…); throw e; }`): an audit log that fails too must not replace the cause the
  // task shows (a refused claim, a rejected push) with its own error. It is logged instead, once:
  // the invocation counts as recorded, so withInvocationAudit does not try and log it again.
  try {
    await write();
  } catch (auditError) {
    const invocation = invocations.getStore();
    // outside an invocation (withInvocationAudit's own record) the caller logs it
    if (!invocation?.logger) throw auditError;
    invocation.audited = true;
    invocation.logger.error(
      `${
        record.action
      }: could not write the audit record of this failed invocation: ${String(
        (auditError as Error)?.message ?? auditError,
      )}`,
    );
  }
}

/**
 * The `actor` of an audit record: the requester, and for a service's task the subject of the
 * token that started it (`via: 'api'`), so the record says a machine asked, not the bot's User.
 */
export function actorOf(
  userRef: string,
  onBehalfOf?: string,
): { userRef: string; via: string; service?: string } {
  return onBehalfOf
    ? { userRef, via: 'api', service: onBehalfOf }
    : { userRef, via: 'portal' };
}
