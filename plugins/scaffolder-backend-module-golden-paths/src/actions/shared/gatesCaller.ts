import type { BackstageCredentials } from '@backstage/backend-plugin-api';

/**
 * Whose behalf the lifecycle gates are asked on: the task's initiator, since the gate lines go
 * to the task log and must name only the dependents they may read. A task no user started has
 * `none` credentials, on whose behalf no token can be issued: it asks with the scaffolder's own,
 * as before (nobody's view to narrow).
 */
export async function gatesCaller(ctx: {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}): Promise<{ credentials?: BackstageCredentials }> {
  const initiator = await ctx.getInitiatorCredentials();
  return (initiator.principal as { type?: string }).type === 'none'
    ? {}
    : { credentials: initiator };
}
