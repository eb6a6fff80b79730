import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { AuditorService } from '@backstage/backend-plugin-api';

/** An action context with a working checkpoint store, a task id and the dry-run flag. */
export function actionContext<I extends Record<string, unknown>>(
  input: I,
  extra: { isDryRun?: boolean; taskId?: string; workspacePath?: string } = {},
): { c: any; checkpoints: Map<string, unknown> } {
  const checkpoints = new Map<string, unknown>();
  const c = createMockActionContext({
    input: input as any,
    ...(extra.workspacePath ? { workspacePath: extra.workspacePath } : {}),
    logger: mockServices.logger.mock(),
  });
  (c as any).checkpoint = async ({ key, fn }: any) => {
    if (checkpoints.has(key)) return checkpoints.get(key);
    const v = await fn();
    checkpoints.set(key, v);
    return v;
  };
  (c as any).task = { id: extra.taskId ?? 'task-1' };
  (c as any).isDryRun = extra.isDryRun === true;
  (c as any).user = { ref: 'user:default/ana.ruiz' };
  return { c, checkpoints };
}

/** The value an action gave an output. */
export function outputOf(c: { output: jest.Mock | any }, name: string) {
  const call = (c.output as jest.Mock).mock.calls.find(
    (x: unknown[]) => x[0] === name,
  );
  return call?.[1];
}

/** An auditor that records every event with its outcome. */
export function recordingAuditor() {
  const events: {
    eventId: string;
    severityLevel?: string;
    meta: any;
    outcome?: string;
  }[] = [];
  const auditor: AuditorService = {
    createEvent: async event => {
      const e = { ...event, meta: event.meta } as any;
      events.push(e);
      return {
        success: async () => {
          e.outcome = 'success';
        },
        fail: async () => {
          e.outcome = 'fail';
        },
      };
    },
  };
  return { auditor, events };
}
