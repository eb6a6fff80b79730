import { EntitySubject } from '../catalog/entitySubject';
import { CheckResult, MissingEvidence, RawOutcome } from '../model/resultModel';
import { CompiledCheck } from '../standard/compiledStandard';
import { Waiver } from '../waivers/waiverTypes';

const PLATFORM_ERRORS = new Set([
  'access-denied',
  'timeout',
  'server-error',
  'unsupported-host',
]);
const SERVICE_ERRORS = new Set(['join-key-missing', 'not-found']);

/** Whether the check's platform capability is missing for this entity (no runtime = covered). */
export function capabilityMissing(
  check: CompiledCheck,
  subject: EntitySubject,
): boolean {
  const runtimes = check.capability?.availableFor?.runtimes;
  if (!check.capability || !runtimes || subject.runtime === undefined)
    return false;
  // The subject's runtime is read trimmed and lower-cased; a configured `Kubernetes` matches it.
  return !runtimes.some(r => r.trim().toLowerCase() === subject.runtime);
}

function platformMissing(m: MissingEvidence): boolean {
  return (
    m.cause === 'source-unavailable' ||
    m.cause === 'not-collected' ||
    (m.collectionError !== undefined && PLATFORM_ERRORS.has(m.collectionError))
  );
}

function serviceMissing(m: MissingEvidence): boolean {
  return (
    m.cause === 'join-key-missing' ||
    (m.collectionError !== undefined && SERVICE_ERRORS.has(m.collectionError))
  );
}

/** Attribution of a fail / unknown / waived result, first match wins (scorecards §2.9). */
export function attribute(
  raw: RawOutcome,
  waiver: Waiver | undefined,
  capabilityIsMissing: boolean,
): CheckResult['attribution'] {
  if (raw.state === 'pass' || raw.state === 'not-applicable') return null;
  return attributeDecided(raw, waiver, capabilityIsMissing);
}

/** `attribute` of a result known to be neither pass nor not-applicable. */
export function attributeDecided(
  raw: RawOutcome,
  waiver: Waiver | undefined,
  capabilityIsMissing: boolean,
): 'service' | 'platform' {
  if (waiver?.kind === 'platform-blocked') return 'platform';
  if (capabilityIsMissing) return 'platform';
  if (raw.state === 'unknown') {
    // One pass over the missing inputs, answering in the order of the rules.
    let service = raw.reason === 'LEDGER_NO_COVERAGE';
    let stale = false;
    const missing = raw.missing;
    for (let i = 0; i < missing.length; i++) {
      const m = missing[i];
      if (platformMissing(m)) return 'platform';
      if (!service && serviceMissing(m)) service = true;
      if (m.cause === 'stale') stale = true;
    }
    if (service) return 'service';
    // Stale evidence from a healthy source with no per-entity error: the collector has not reached it.
    if (stale) return 'platform';
  }
  return 'service';
}
