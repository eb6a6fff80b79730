import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  goldenPathsLifecycleTransitionPermission,
  isAllowedDecision,
  normalizeEntityRef,
} from '@internal/plugin-golden-paths-common';

/**
 * Whether the task's initiator may move `entityRef` through its lifecycle (§6.4
 * `goldenpaths.lifecycle.transition`, a resource permission on the entity). Asked with the
 * initiator's credentials: every other call the golden-path actions make (catalog, ledger,
 * gates) carries the scaffolder's own, so only here does the user's permission decide. Returns
 * the refusal to throw (403, the same text at `goldenpath:validate` and `goldenpath:lifecycle`),
 * or undefined when allowed; anything but a definitive ALLOW refuses (fail closed).
 */
export async function lifecycleTransitionRefusal(p: {
  permissions: PermissionsService;
  getInitiatorCredentials: () => Promise<BackstageCredentials>;
  entityRef: string;
  /** Who to name when the credentials carry no user (the task's user ref). */
  fallbackUserRef: string;
}): Promise<NotAllowedError | undefined> {
  const initiator = await p.getInitiatorCredentials();
  const resourceRef = normalizeEntityRef(p.entityRef) ?? p.entityRef;
  // Backstage's permission client allows a service principal without asking the policy, so a
  // service's token (even one goldenPaths.serviceRequesters runs as a User) would move any
  // entity; §6.4 gives the transition to people of the owning team and the platform team only.
  const principal = initiator.principal as { type?: string; subject?: string };
  if (principal.type === 'service') {
    return new NotAllowedError(
      `${
        goldenPathsLifecycleTransitionPermission.name
      } is decided for users only: ${
        principal.subject ?? 'a service'
      } may not move ${resourceRef} through its lifecycle (archive, delete, deprecate, promote); a member of the owning team or the platform team runs this template. Nothing was changed.`,
    );
  }
  const [decision] = await p.permissions.authorize(
    [{ permission: goldenPathsLifecycleTransitionPermission, resourceRef }],
    { credentials: initiator },
  );
  if (isAllowedDecision(decision)) return undefined;
  const who =
    (initiator.principal as { userEntityRef?: string }).userEntityRef ??
    p.fallbackUserRef;
  return new NotAllowedError(
    `${goldenPathsLifecycleTransitionPermission.name} is not allowed for ${who} on ${resourceRef}; nothing was changed.`,
  );
}
