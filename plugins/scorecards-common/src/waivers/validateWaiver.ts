import { normalizeEntityRef } from '../catalog/entityRefs';
import { SCORED_KINDS, ScoredKind } from '../model/checkModel';
import { CompiledStandard } from '../standard/compiledStandard';
import { isZonedInstant } from '../model/isoDates';
import { WaiverKind } from '../model/resultModel';
import { waiverStatusAt, wasApproved } from './activeWaivers';
import { Waiver } from './waiverTypes';

/** A waiver request as posted by a user (scorecards §2.8). */
export interface WaiverRequest {
  entityRef: string;
  checkId: string;
  kind: WaiverKind;
  reason: string;
  owner: string;
  requestedBy: string;
  expiresAt?: string;
  ticket?: string;
}

/**
 * Outcome of a waiver validation: ok, or an HTTP-style status with a message naming the field.
 * A 409 with `retryOf` is the same request again (same requester, kind, reason, expiry, owner and
 * ticket): the caller answers it with the stored waiver, as a retry of a write whose answer was
 * lost must get what the first call got, not an error.
 */
export type WaiverValidation =
  | { ok: true }
  | {
      ok: false;
      status: 400 | 403 | 404 | 409;
      message: string;
      retryOf?: Waiver;
    };

const DAY_MS = 86400000;

/** A ref in its normalized form (`kind:namespace/name`, lower case), or as given lower-cased. */
function comparableRef(ref: unknown): string {
  return (
    normalizeEntityRef(ref, '') ??
    (typeof ref === 'string' ? ref.trim().toLowerCase() : '')
  );
}

/** The scored kind a ref names (`component:…` → `Component`), or null for any other kind. */
function scoredKindOf(ref: string): ScoredKind | null {
  const kind = ref.slice(0, Math.max(ref.indexOf(':'), 0));
  return SCORED_KINDS.find(k => k.toLowerCase() === kind) ?? null;
}

/** Validates a waiver request against the check's rules and existing waivers (SR16). */
export function validateWaiverRequest(
  request: WaiverRequest,
  standard: CompiledStandard,
  existing: readonly Waiver[],
  now: string,
): WaiverValidation {
  // A waiver covers a result; an entity that is never scored (§2.1), or a check whose
  // appliesTo.kinds leaves the entity's kind out, has none, so the waiver could never count.
  // Kind only: it is fixed by the ref, while type, lifecycle and tier may change while the
  // waiver is open.
  const entityRef = comparableRef(request.entityRef);
  const kind = scoredKindOf(entityRef);
  if (!kind)
    return {
      ok: false,
      status: 400,
      message: `entityRef ${request.entityRef} is a ${
        entityRef.split(':')[0] || 'ref without a kind'
      }, which is not scored; waivers apply to ${SCORED_KINDS.join(', ')}`,
    };
  const nowMs = Date.parse(now);
  // A retry of a stored request is recognised (the 409 naming its waiver, with `retryOf`) before
  // any rule that moves with the clock (retirement, expiry in the future, maxDays): accepted just
  // before a limit and retried after it, it would otherwise get the 400 of a new request although
  // it exists.
  const retried = existing.find(
    w =>
      isOpenAt(w, nowMs) &&
      comparableRef(w.entityRef) === entityRef &&
      isSameRequest(w, request),
  );
  if (retried)
    return { ...openWaiverConflict(retried, request, nowMs), retryOf: retried };
  const check = standard.byId.get(request.checkId);
  if (!check)
    return {
      ok: false,
      status: 404,
      message: `check ${request.checkId} does not exist`,
    };
  if (!check.kinds.has(kind))
    return {
      ok: false,
      status: 400,
      message: `check ${request.checkId} does not apply to ${
        request.entityRef
      }: its appliesTo.kinds is ${[...check.kinds].join(
        ', ',
      )}, so a waiver on it would never count`,
    };
  // SR30: a retired check is no longer evaluated and its waivers are closed; one requested now
  // would never cover anything.
  if (check.retiresAtMs !== null && check.retiresAtMs <= nowMs)
    return {
      ok: false,
      status: 400,
      message: `check ${request.checkId} retired at ${check.definition.retiresAt} and is no longer evaluated; it cannot be waived`,
    };
  if (!check.waiverAllowed)
    return {
      ok: false,
      status: 400,
      message: `check ${request.checkId} cannot be waived`,
    };
  if ((request.reason ?? '').trim().length < 20) {
    return {
      ok: false,
      status: 400,
      message: `reason must be at least 20 characters (got ${
        (request.reason ?? '').trim().length
      })`,
    };
  }
  if (!request.expiresAt)
    return { ok: false, status: 400, message: 'expiresAt is required' };
  // Date.parse alone takes free text, rolls 2026-04-31 over to 1 May and reads a zone-less
  // time in the server's zone: the stored expiry would not be the one the user asked for.
  if (
    typeof request.expiresAt !== 'string' ||
    !isZonedInstant(request.expiresAt)
  ) {
    return {
      ok: false,
      status: 400,
      message: `expiresAt must be an ISO-8601 UTC timestamp (got "${request.expiresAt}")`,
    };
  }
  const expiresMs = Date.parse(request.expiresAt);
  if (expiresMs <= nowMs)
    return {
      ok: false,
      status: 400,
      message: 'expiresAt must be in the future',
    };
  const maxDays =
    request.kind === 'false-positive'
      ? Math.min(
          check.waiverMaxDays,
          standard.config.waivers.falsePositiveMaxDays,
        )
      : check.waiverMaxDays;
  const days = (expiresMs - nowMs) / DAY_MS;
  if (days > maxDays) {
    return {
      ok: false,
      status: 400,
      message: `expiresAt must be at most ${maxDays} days after now for check ${
        request.checkId
      } (got ${Math.ceil(days)} days)`,
    };
  }
  // Refs name entities case-insensitively (`Component:default/Ref-API` is ref-api), and a ref
  // without a namespace is in `default`: compared normalized, so one entity has one open waiver.
  const open = existing.find(
    w =>
      w.checkId === request.checkId &&
      comparableRef(w.entityRef) === entityRef &&
      isOpenAt(w, nowMs),
  );
  if (open) return openWaiverConflict(open, request, nowMs);
  return { ok: true };
}

/** SR16: one pending or active waiver per entity and check. */
function isOpenAt(waiver: Waiver, nowMs: number): boolean {
  return ['pending', 'active'].includes(waiverStatusAt(waiver, nowMs));
}

function openWaiverConflict(
  open: Waiver,
  request: WaiverRequest,
  nowMs: number,
): { ok: false; status: 409; message: string } {
  const status = waiverStatusAt(open, nowMs);
  return {
    ok: false,
    status: 409,
    message: `${
      status === 'active' ? 'an' : 'a'
    } ${status} waiver already exists for ${request.entityRef} and ${
      request.checkId
    }: ${open.id}`,
  };
}

/**
 * Whether `waiver` is what `request` would store: the same requester asking for the same
 * waiver (kind, reason as stored — trimmed —, expiry instant, owner and ticket).
 */
function isSameRequest(waiver: Waiver, request: WaiverRequest): boolean {
  return (
    waiver.checkId === request.checkId &&
    waiver.kind === request.kind &&
    waiver.reason === (request.reason ?? '').trim() &&
    waiver.owner === request.owner &&
    waiver.requestedBy === request.requestedBy &&
    (waiver.ticket ?? '') === (request.ticket ?? '') &&
    typeof request.expiresAt === 'string' &&
    Date.parse(waiver.expiresAt) === Date.parse(request.expiresAt)
  );
}

/**
 * Whether `ref` names the person who requested the waiver. Refs name entities case-insensitively:
 * `user:default/Ana` is the requester `user:default/ana` (two sign-in resolvers may spell one
 * user differently). The API and the UI ask this one question, so a button is never offered that
 * the backend then refuses.
 */
export function isWaiverRequester(
  waiver: Pick<Waiver, 'requestedBy'>,
  ref: string,
): boolean {
  return comparableRef(ref) === comparableRef(waiver.requestedBy);
}

/**
 * Whether a revoked waiver was its requester's withdrawal: revoked by the requester before anyone
 * approved it, so it never counted. The API answers a repeat withdrawal for such a waiver only;
 * the UI says "withdrawn" instead of "revoked … no longer counts".
 */
export function wasWithdrawn(
  waiver: Pick<
    Waiver,
    'status' | 'requestedBy' | 'revokedBy' | 'approvedBy' | 'approvedAt'
  >,
): boolean {
  return (
    waiver.status === 'revoked' &&
    waiver.approvedBy === undefined &&
    waiver.approvedAt === undefined &&
    waiver.revokedBy !== undefined &&
    isWaiverRequester(waiver, waiver.revokedBy)
  );
}

/**
 * Validates an approval (or a rejection): only pending waivers before their expiry, and the
 * approver differs from the requester (SR17).
 */
export function validateWaiverApproval(
  waiver: Waiver,
  approverRef: string,
  now: string,
): WaiverValidation {
  // `user:default/Ana` is the requester `user:default/ana`, and may not approve her own request.
  if (isWaiverRequester(waiver, approverRef)) {
    return {
      ok: false,
      status: 403,
      message: 'approver must differ from requester',
    };
  }
  const status = waiverStatusAt(waiver, Date.parse(now));
  if (status === 'expired' && !wasApproved(waiver))
    return {
      ok: false,
      status: 409,
      message: `waiver ${waiver.id} expired before it was decided (expiresAt ${waiver.expiresAt}); request a new one`,
    };
  if (status !== 'pending')
    return {
      ok: false,
      status: 409,
      message: `waiver ${waiver.id} is ${status}, not pending`,
    };
  return { ok: true };
}

/** Whole days until a waiver expires (the card's countdown), floored; negative once expired. */
export function waiverDaysLeft(waiver: Waiver, now: string): number {
  return Math.floor((Date.parse(waiver.expiresAt) - Date.parse(now)) / DAY_MS);
}

/** Days before expiry the red warning starts when only the amber window is configured. */
export const DEFAULT_WAIVER_RED_DAYS = 3;

/**
 * The amber and red windows of `scorecards.waivers.expiryWarningDays` (§2.8): of two values
 * the larger is amber, the smaller red. One value is the amber window (the one the rollups
 * count "expiring" within), with red at the default 3 days inside it; a window of 3 days or
 * less is all red, being that close already. Read this way, one value never turns a whole
 * month red.
 */
export function waiverExpiryWindows(days: readonly number[]): {
  amberDays: number;
  redDays: number;
} {
  const amberDays = Math.max(...days);
  const redDays =
    days.length === 1
      ? Math.min(amberDays, DEFAULT_WAIVER_RED_DAYS)
      : Math.min(...days);
  return { amberDays, redDays };
}

/**
 * Expiry warning of a waiver: `red` within the red window (3 d), `amber` within the amber one
 * (14 d); `thresholds` as configured, see {@link waiverExpiryWindows}.
 */
export function waiverExpiryWarning(
  waiver: Waiver,
  now: string,
  thresholds: readonly number[] = [14, DEFAULT_WAIVER_RED_DAYS],
): 'none' | 'amber' | 'red' {
  const msLeft = Date.parse(waiver.expiresAt) - Date.parse(now);
  const { amberDays, redDays } = waiverExpiryWindows(thresholds);
  if (msLeft <= redDays * DAY_MS) return 'red';
  if (msLeft <= amberDays * DAY_MS) return 'amber';
  return 'none';
}
