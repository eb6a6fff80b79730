import { currentInvocation, type TaskInfo } from './audit';
import { templateRefOf } from './templateRef';

/**
 * The task facts every golden-path action records, from the scaffolder's action context. The
 * invocation keeps the handler's object, so what the handler sets on it (a dry run's
 * `wouldBeRefusedBy`) is on the record `withInvocationAudit` writes if it throws before its own.
 */
export function taskInfoOf(ctx: {
  task: { id: string };
  user?: { ref?: string };
  isDryRun?: boolean;
  templateInfo?: {
    entityRef?: string;
    entity?: { metadata?: { name?: string; namespace?: string } };
  };
}): TaskInfo {
  const task: TaskInfo = {
    taskId: ctx.task.id,
    userRef: ctx.user?.ref ?? 'user:default/guest',
    dryRun: ctx.isDryRun === true,
    // a dry run's ref is the template's own, not the scaffolder's `template:default/dry-run`
    templateRef: templateRefOf(ctx),
  };
  const invocation = currentInvocation();
  if (invocation) invocation.task = task;
  return task;
}
