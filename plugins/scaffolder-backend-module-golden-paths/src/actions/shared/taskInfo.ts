import { currentInvocation, type Invocation, type TaskInfo } from './audit';
import { requesterOf, serviceOf } from './requester';
import { templateRefOf } from './templateRef';

type TaskContext = {
  task: { id: string };
  user?: { ref?: string };
  isDryRun?: boolean;
  templateInfo?: {
    entityRef?: string;
    entity?: { metadata?: { name?: string; namespace?: string } };
  };
};

/**
 * The task facts every golden-path action records, from the scaffolder's action context. The
 * invocation keeps the handler's object, so what the handler sets on it (a dry run's
 * `wouldBeRefusedBy`) is on the record `withInvocationAudit` writes if it throws before its own.
 * A task without a user is refused here (GP-O05, `requesterOf`), before the action does anything.
 */
export function taskInfoOf(ctx: TaskContext): TaskInfo {
  const invocation = currentInvocation();
  const task = taskFacts(ctx, requesterOf(ctx), invocation);
  if (invocation) invocation.task = task;
  return task;
}

/**
 * The task facts of an audit record written for an invocation that failed before it had them
 * (`withInvocationAudit`): a task without a user is recorded under who started it, or `unknown`.
 */
export function auditedTaskInfoOf(
  ctx: TaskContext,
  invocation: Invocation,
): TaskInfo {
  return (
    invocation.task ??
    taskFacts(
      ctx,
      ctx.user?.ref ?? invocation.initiator?.ref ?? 'unknown',
      invocation,
    )
  );
}

function taskFacts(
  ctx: TaskContext,
  userRef: string,
  invocation: Invocation | undefined,
): TaskInfo {
  const onBehalfOf = serviceOf(ctx, invocation);
  return {
    taskId: ctx.task.id,
    userRef,
    ...(onBehalfOf ? { onBehalfOf } : {}),
    dryRun: ctx.isDryRun === true,
    // a dry run's ref is the template's own, not the scaffolder's `template:default/dry-run`
    templateRef: templateRefOf(ctx),
  };
}
