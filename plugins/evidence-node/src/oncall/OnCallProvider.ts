import { OnCallAnswer } from '@internal/plugin-incident-brief-common';

/**
 * A source of "who is on call now" for one provider (`static`, `pagerduty`, `opsgenie`; IB §2.2).
 * `sourceRef` is the full source as annotated, e.g. `static:checkout-primary`.
 */
export interface OnCallProvider {
  currentOnCall(sourceRef: string, at: Date): Promise<OnCallAnswer>;
}
