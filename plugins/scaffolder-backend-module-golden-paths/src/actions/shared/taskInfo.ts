import type { TaskInfo } from './audit';

/** The task facts every golden-path action records, from the scaffolder's action context. */
export function taskInfoOf(ctx: {
  task: { id: string };
  user?: { ref?: string };
  isDryRun?: boolean;
  templateInfo?: { entityRef?: string };
}): TaskInfo {
  return {
    taskId: ctx.task.id,
    userRef: ctx.user?.ref ?? 'user:default/guest',
    dryRun: ctx.isDryRun === true,
    templateRef: ctx.templateInfo?.entityRef,
  };
}
