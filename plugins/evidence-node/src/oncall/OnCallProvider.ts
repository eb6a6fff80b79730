/**
 * One provider's answer to "who is on call now" (incident-brief §2.2). Structurally the same as
 * incident-brief-common's `OnCallAnswer`, so the brief and the evidence collector share it.
 */
export type OnCallAnswer =
  | {
      status: 'ok';
      /** a user ref or a display name */
      primary: string;
      secondary?: string;
      until: string;
      url?: string;
    }
  | { status: 'unavailable'; reason: string }
  | { status: 'none' };

/**
 * A source of "who is on call now" for one provider (`static`, `pagerduty`, `opsgenie`; IB §2.2,
 * evidence §4.4, R-17). `sourceRef` is the full source as annotated, e.g. `static:checkout-primary`.
 * Used live by incident-brief and on a schedule by the evidence on-call collector.
 */
export interface OnCallProvider {
  currentOnCall(sourceRef: string, at: Date): Promise<OnCallAnswer>;
  /** Levels of the escalation policy behind the route, when the provider knows them. */
  escalationLevels?(sourceRef: string): Promise<number | undefined>;
  /**
   * Whether the schedule behind the route exists at the provider; lets a `none` answer tell
   * "nobody on call" from "no such schedule". Providers without it are taken to exist.
   */
  scheduleExists?(sourceRef: string): Promise<boolean>;
}
