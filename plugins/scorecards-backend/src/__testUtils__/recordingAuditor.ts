import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
} from '@backstage/backend-plugin-api';

/** One audit event as the router created it, and how it ended. */
export interface RecordedAuditEvent {
  options: AuditorServiceCreateEventOptions;
  outcome?: 'success' | 'fail';
  /** Meta passed to `success()` / `fail()`. */
  outcomeMeta?: AuditorServiceCreateEventOptions['meta'];
  error?: Error;
}

/** An AuditorService that records events and how each ended (tests only). */
export function recordingAuditor() {
  const events: RecordedAuditEvent[] = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      const event: RecordedAuditEvent = { options };
      events.push(event);
      return {
        async success(params) {
          event.outcome = 'success';
          event.outcomeMeta = params?.meta;
        },
        async fail({ error, meta }) {
          event.outcome = 'fail';
          event.outcomeMeta = meta;
          event.error = error;
        },
      };
    },
  };
  return { auditor, events };
}
