import { timestampMs } from '../time/timestamps';

/**
 * How a fact write lands against the latest row of its `(subject, source, kind, key)` (§3.5):
 * `created` (first value) and `new-version` (201, history row), `reconfirmed` (200, times
 * advance, no history row), `out-of-order` (200, history only, latest unchanged, `OUT_OF_ORDER`).
 *
 * @public
 */
export type FactWriteDecision =
  | { decision: 'created'; status: 201; historyRow: true; updatesLatest: true }
  | {
      decision: 'new-version';
      status: 201;
      historyRow: true;
      updatesLatest: true;
    }
  | {
      decision: 'reconfirmed';
      status: 200;
      historyRow: false;
      updatesLatest: true;
    }
  | {
      decision: 'out-of-order';
      status: 200;
      historyRow: true;
      updatesLatest: false;
      flag: 'OUT_OF_ORDER';
    };

/**
 * Decides a fact write from the latest stored version and the incoming one (EV13).
 *
 * @public
 */
export function decideFactWrite(
  latest: { observedAt: string; valueFingerprint: string } | undefined,
  incoming: { observedAt: string; valueFingerprint: string },
): FactWriteDecision {
  if (!latest) {
    return {
      decision: 'created',
      status: 201,
      historyRow: true,
      updatesLatest: true,
    };
  }
  const before = timestampMs(latest.observedAt);
  const at = timestampMs(incoming.observedAt);
  if (at < before) {
    return {
      decision: 'out-of-order',
      status: 200,
      historyRow: true,
      updatesLatest: false,
      flag: 'OUT_OF_ORDER',
    };
  }
  if (incoming.valueFingerprint === latest.valueFingerprint) {
    return {
      decision: 'reconfirmed',
      status: 200,
      historyRow: false,
      updatesLatest: true,
    };
  }
  // Equal observedAt with another value: the later receipt wins and becomes a new version.
  return {
    decision: 'new-version',
    status: 201,
    historyRow: true,
    updatesLatest: true,
  };
}
