import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/**
 * `relative` (default `.`) resolved inside the task's workspace, or a 400 naming the field.
 * Backstage's `resolveSafeChildPath` also follows symlinks; a string prefix check let a sibling
 * such as `../<workspace>-evil` through, since it shares the workspace's prefix.
 */
export function workspaceChildPath(
  workspacePath: string,
  relative: string | undefined,
  field: string,
): string {
  try {
    return resolveSafeChildPath(workspacePath, relative ?? '.');
  } catch {
    throw new InputError(
      `${field} must stay inside the workspace (got ${JSON.stringify(
        relative,
      )})`,
    );
  }
}
