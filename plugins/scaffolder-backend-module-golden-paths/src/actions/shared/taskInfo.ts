import type { TaskInfo } from './audit';
import { templateRefOf } from './templateRef';

/** The task facts every golden-path action records, from the scaffolder's action context. */
export function taskInfoOf(ctx: {
  task: { id: string };
  user?: { ref?: string };
  isDryRun?: boolean;
  templateInfo?: {
    entityRef?: string;
    entity?: { metadata?: { name?: string; namespace?: string } };
  };
}): TaskInfo {
  return {
    taskId: ctx.task.id,
    userRef: ctx.user?.ref ?? 'user:default/guest',
    dryRun: ctx.isDryRun === true,
    // a dry run's ref is the template's own, not the scaffolder's `template:default/dry-run`
    templateRef: templateRefOf(ctx),
  };
}
