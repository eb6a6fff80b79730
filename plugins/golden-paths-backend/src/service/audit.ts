import type { AuditorService } from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/config';
import type { Request } from 'express';
import type { GoldenPathsStore } from '../database/GoldenPathsStore';

/** Severities of §4.5. */
export type AuditSeverity = 'low' | 'medium' | 'high' | 'critical';

/**
 * Writes one audit record (§4.5) to `gp_events` and through `coreServices.auditor`. The record
 * holds keys, fingerprints, rule ids and outcomes — never request values. `request` is the HTTP
 * request when there is one (the auditor then records the caller); the reconciler has none.
 */
export async function writeAudit(
  deps: { auditor: AuditorService; store: GoldenPathsStore },
  p: {
    eventId: string;
    severity: AuditSeverity;
    at: string;
    requestKey?: string;
    record: Record<string, unknown>;
    /** Marks the auditor event failed with this message. */
    failed?: string;
    request?: Request;
  },
): Promise<void> {
  const event = await deps.auditor.createEvent({
    eventId: p.eventId,
    severityLevel: p.severity,
    ...(p.request ? { request: p.request } : {}),
    meta: { requestKey: p.requestKey, ...p.record } as JsonObject,
  });
  await deps.store.appendEvent({
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
  });
  if (p.failed) {
    await event.fail({
      error: new Error(p.failed),
      meta: p.record as JsonObject,
    });
  } else {
    await event.success({ meta: p.record as JsonObject });
  }
}
