import { createRouteRef } from '@backstage/frontend-plugin-api';
import { createRouteRef as createLegacyRouteRef } from '@backstage/core-plugin-api';

/** `/golden-paths/approvals`, the approvals inbox (new frontend system). */
export const approvalsRouteRef = createRouteRef();

/** `/golden-paths/requests`, the requests list (new frontend system). */
export const requestsRouteRef = createRouteRef();

/** `/golden-paths/requests/:key`, one request (new frontend system); `key` is URL-encoded. */
export const requestRouteRef = createRouteRef({ params: ['key'] });

/** `/golden-paths/kill-switches`, the operator's kill switches (new frontend system). */
export const killSwitchesRouteRef = createRouteRef();

/** The approvals inbox (legacy frontend system). */
export const legacyApprovalsRouteRef = createLegacyRouteRef({
  id: 'golden-paths:approvals',
});

/** The requests list and, below it, `/:key` (legacy frontend system). */
export const legacyRequestsRouteRef = createLegacyRouteRef({
  id: 'golden-paths:requests',
});

/** The kill switches (legacy frontend system). */
export const legacyKillSwitchesRouteRef = createLegacyRouteRef({
  id: 'golden-paths:kill-switches',
});

/** Default paths, used where no route ref resolves (legacy apps mount the pages here). */
export const DEFAULT_PATHS = {
  approvals: '/golden-paths/approvals',
  requests: '/golden-paths/requests',
  killSwitches: '/golden-paths/kill-switches',
  lifecycleTemplate: '/create/templates/default/lifecycle-transition',
  /** The scaffolder's task page is `<scaffolder root>/tasks/:taskId`; the scaffolder mounts at `/create`. */
  scaffolderTasks: '/create/tasks',
} as const;

/** A request key as one URL path segment (keys hold `:` and `/`). */
export function encodeRequestKey(key: string): string {
  return encodeURIComponent(key);
}

/** The request key of a path segment, whether the router decoded it or not. */
export function decodeRequestKey(segment: string): string {
  // Request keys never contain `%` (§4.2), so a `%` means the segment is still encoded.
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
