import type { PermissionApi } from '@backstage/plugin-permission-react';

type PermissionResponse = Awaited<ReturnType<PermissionApi['authorize']>>;

/**
 * A permission API that answers when the test says so: each request waits until
 * `answer(permissionName, 'ALLOW' | 'DENY')` or `fail(permissionName, error)`, so a test sees the
 * view while the decision loads and then after it. Answer inside `act()`.
 */
export class ManualPermissionApi implements PermissionApi {
  /** `<permission name> <resourceRef or ->` of every request, in order. */
  readonly requests: string[] = [];
  private readonly waiting = new Map<
    string,
    {
      resolve: (r: PermissionResponse) => void;
      reject: (e: Error) => void;
    }[]
  >();

  authorize(
    request: Parameters<PermissionApi['authorize']>[0],
  ): Promise<PermissionResponse> {
    const name = request.permission.name;
    this.requests.push(`${name} ${request.resourceRef ?? '-'}`);
    return new Promise((resolve, reject) => {
      this.waiting.set(name, [
        ...(this.waiting.get(name) ?? []),
        { resolve, reject },
      ]);
    });
  }

  answer(permissionName: string, decision: 'ALLOW' | 'DENY') {
    // AuthorizeResult without a dependency on plugin-permission-common.
    const response = { result: decision } as unknown as PermissionResponse;
    for (const w of this.take(permissionName)) w.resolve(response);
  }

  fail(permissionName: string, error: Error) {
    for (const w of this.take(permissionName)) w.reject(error);
  }

  private take(permissionName: string) {
    const waiting = this.waiting.get(permissionName) ?? [];
    this.waiting.delete(permissionName);
    return waiting;
  }
}
