import { mockServices } from '@backstage/backend-test-utils';

/** A permissions service giving every request the same answer, recording what was asked. */
export function permissionsAnswering(result: 'ALLOW' | 'DENY') {
  const asked: {
    permission: string;
    resourceRef?: string;
    credentials: unknown;
  }[] = [];
  const permissions = mockServices.permissions.mock({
    authorize: async (requests, options) => {
      for (const r of requests) {
        asked.push({
          permission: r.permission.name,
          resourceRef: (r as { resourceRef?: string }).resourceRef,
          credentials: options?.credentials,
        });
      }
      return requests.map(() => ({ result })) as any;
    },
  });
  return { permissions, asked };
}
