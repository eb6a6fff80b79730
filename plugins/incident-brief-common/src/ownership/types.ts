import { MissingEvidence } from '../brief/missingEvidenceTypes';

/** What an on-call provider answers for one source at one time (§2.2). */
export type OnCallAnswer =
  | {
      status: 'ok';
      /** a user ref or a display name */
      primary: string;
      secondary?: string;
      until: string;
      url?: string;
      /**
       * when the provider gave this answer (ISO-8601 UTC): a cached or prefetched answer is as old
       * as its fetch, and the brief shows that age (§0, §6.1 item 2)
       */
      fetchedAt?: string;
    }
  | { status: 'unavailable'; reason: string }
  | { status: 'none' };

/**
 * Synchronous lookup of prefetched provider answers, keyed by source (`static:checkout-primary`,
 * `pagerduty:service/PPAY001`). The backend calls providers with their 2 s timeout first, so
 * resolution itself stays pure.
 */
export type OnCallLookup = (source: string) => OnCallAnswer;

/** The current on-call and where it came from. */
export interface ResolvedOnCall {
  source: string;
  primary: string;
  secondary?: string;
  until: string;
  url?: string;
  /** when the provider answered (§6.1 item 2); null when the lookup did not say */
  fetchedAt: string | null;
  /** resolution step 1–5 of §2.2 */
  step: 1 | 2 | 3 | 4 | 5;
  /** `inherited from group:…`, `fallback: system owner`, `via group:…` */
  label?: string;
}

/** One step of the escalation path, in order. */
export type EscalationStep =
  | { type: 'oncall'; source: string }
  | { type: 'user'; ref: string; name: string }
  | {
      type: 'group';
      ref: string;
      /** the group's on-call now, from its rotation */
      onCall: string | null;
      /** without an on-call answer: its members' names, whom the step then reaches (§2.2) */
      members?: string[];
    };

/** The Owner & escalation section (§6.1 item 2). */
export interface OwnershipResolution {
  owner: {
    ref: string | null;
    kind: 'group' | 'user' | null;
    resolved: boolean;
    membersCount: number | null;
  };
  onCall: ResolvedOnCall | null;
  /** found through steps 1–3 (a user owner or a system-owner fallback does not count; D7 gap b) */
  onCallResolvedBySteps1to3: boolean;
  skipped: { source: string; reason: string }[];
  escalation: EscalationStep[];
  chatChannel: string | null;
  runbook: string | null;
  dashboards: string[];
  triage: string | null;
  incidentLinks: {
    tool: 'pagerduty' | 'opsgenie' | 'firehydrant';
    value: string;
  }[];
  issues: MissingEvidence[];
}
