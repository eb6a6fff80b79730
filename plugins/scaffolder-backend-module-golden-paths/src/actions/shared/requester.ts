import { InputError } from '@backstage/errors';
import { currentInvocation, type Invocation } from './audit';

/**
 * GP-O05 (ours, beside the owner rules it makes possible): every golden-path decision names a
 * user — GP-O03 checks the requester's membership of the owning team, an approver may not be the
 * requester (§6.2), `ledger:open` records who opened the request — and a task started with a
 * service token has none (the scaffolder gives it no `ctx.user`). Deciding for it as a guest, as
 * these actions once did, named someone who did not ask in policy and audit; so such a task is
 * refused by the first golden-path action it runs, before anything is read or created.
 */
export function noRequesterMessage(initiator: string | undefined): string {
  return `GP-O05: This task was started without a signed-in user${
    initiator ? ` (by ${initiator})` : ''
  }, so there is nobody to check against the owning team, to keep from approving their own request or to notify. Nothing was created; run the template from the portal or with a user's token, or ask the platform team to name the User this service runs as in goldenPaths.serviceRequesters.`;
}

/**
 * The task's requester: `ctx.user.ref`, else the initiator when that is a user (the scaffolder
 * sets both from the same credentials; the second is a fallback), else the GP-O05 refusal.
 */
export function requesterOf(ctx: { user?: { ref?: string } }): string {
  const ref = ctx.user?.ref;
  if (ref) return ref;
  const initiator = currentInvocation()?.initiator;
  if (initiator?.user) return initiator.ref;
  throw new InputError(noRequesterMessage(initiator?.ref));
}

/** Who started a task: a user's entity ref, or a service's subject (`plugin:…`, `external:…`). */
export interface Initiator {
  ref: string;
  user: boolean;
  /** The service subject a `goldenPaths.serviceRequesters` User stands for. */
  onBehalfOf?: string;
}

/**
 * Who the task's initiator credentials name, as Backstage's own auditor names actors. A service's
 * subject is only ever recorded (GP-O05's text, the refused invocation's audit record).
 */
export function initiatorOf(credentials: {
  principal: unknown;
}): Initiator | undefined {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p?.type === 'user' && p.userEntityRef) {
    return { ref: p.userEntityRef, user: true };
  }
  if (p?.type === 'service' && p.subject) {
    return { ref: p.subject, user: false };
  }
  return undefined;
}

/**
 * The service subject a task without `ctx.user` runs for as a `goldenPaths.serviceRequesters`
 * User, if it does: what its audit records name beside that User (`actorOf`).
 */
export function serviceOf(
  ctx: { user?: { ref?: string } },
  invocation: Invocation | undefined = currentInvocation(),
): string | undefined {
  return ctx.user?.ref ? undefined : invocation?.initiator?.onBehalfOf;
}
