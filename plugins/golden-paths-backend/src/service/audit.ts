import type { AuditorService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';
import type { GoldenPathsStore, NewEvent } from '../database/GoldenPathsStore';

/** Severities of §4.5. */
export type AuditSeverity = 'low' | 'medium' | 'high' | 'critical';

/**
 * One audit record (§4.5). It holds keys, fingerprints, rule ids and outcomes — never request
 * values. `request` is the HTTP request when there is one (the auditor then records the caller);
 * the reconciler has none.
 */
export interface AuditRecord {
  eventId: string;
  severity: AuditSeverity;
  at: string;
  requestKey?: string;
  record: Record<string, unknown>;
  /** Marks the auditor event failed with this message. */
  failed?: string;
  request?: Request;
}

/**
 * Writes one audit record to `gp_events` and through `coreServices.auditor`. A write whose
 * record must commit with it (one whose repeat records nothing: a close, a kill-switch change,
 * an approval opening, a decision, a real compensation run, a step repair) hands
 * `auditEventOf(p)` to the store instead and calls `emitAuditorEvent` after the commit.
 */
export async function writeAudit(
  deps: { auditor: AuditorService; store: GoldenPathsStore },
  p: AuditRecord,
): Promise<void> {
  const event = await startAuditorEvent(deps.auditor, p);
  await deps.store.appendEvent(auditEventOf(p));
  await finishAuditorEvent(event, p);
}

/** The `gp_events` row of one audit record. */
export function auditEventOf(p: AuditRecord): NewEvent {
  return {
    requestKey: p.requestKey,
    at: p.at,
    eventType: p.eventId,
    severity: p.severity,
    record: {
      at: p.at,
      requestKey: p.requestKey,
      redaction: 'none',
      ...p.record,
    },
  };
}

/** The `coreServices.auditor` half of an audit record whose `gp_events` row is committed. */
export async function emitAuditorEvent(
  auditor: AuditorService,
  p: AuditRecord,
): Promise<void> {
  await finishAuditorEvent(await startAuditorEvent(auditor, p), p);
}

function startAuditorEvent(auditor: AuditorService, p: AuditRecord) {
  return auditor.createEvent({
    eventId: p.eventId,
    severityLevel: p.severity,
    ...(p.request ? { request: p.request } : {}),
    meta: { requestKey: p.requestKey, ...p.record } as JsonObject,
  });
}

async function finishAuditorEvent(
  event: Awaited<ReturnType<typeof startAuditorEvent>>,
  p: AuditRecord,
): Promise<void> {
  if (p.failed) {
    await event.fail({
      error: new Error(p.failed),
      meta: p.record as JsonObject,
    });
  } else {
    await event.success({ meta: p.record as JsonObject });
  }
}
