import { z } from 'zod';
import { SECONDS_PER_DAY, SECONDS_PER_HOUR } from '../time/timestamps';

/**
 * A registered evidence kind: its default freshness window and optional value schema.
 *
 * @public
 */
export interface EvidenceKindDefinition {
  id: string;
  /** Default window (`evidence.kinds.<kind>.freshFor`); records may only shorten it. */
  freshForSeconds: number;
  /** True when facts of the kind carry a `key` (URL, SLO id, on-call route). */
  keyed?: boolean;
  /** Validates `value`; unknown members are allowed so producers can add data first. */
  schema?: z.ZodType;
}

const DAY = SECONDS_PER_DAY;
const HOUR = SECONDS_PER_HOUR;

/**
 * The built-in kinds of §2.2 with their default windows.
 *
 * @public
 */
export const BUILTIN_EVIDENCE_KINDS: readonly EvidenceKindDefinition[] = [
  { id: 'repo.files', freshForSeconds: 7 * DAY },
  { id: 'repo.settings', freshForSeconds: 7 * DAY },
  { id: 'ci.summary', freshForSeconds: 30 * DAY },
  { id: 'ci.security', freshForSeconds: 7 * DAY },
  { id: 'oncall.schedule', freshForSeconds: 24 * HOUR, keyed: true },
  { id: 'telemetry.presence', freshForSeconds: 24 * HOUR },
  { id: 'alerts.rules', freshForSeconds: 24 * HOUR },
  { id: 'slo.definitions', freshForSeconds: 24 * HOUR },
  { id: 'slo.status', freshForSeconds: 24 * HOUR },
  { id: 'slo.alerts', freshForSeconds: 24 * HOUR },
  { id: 'link.status', freshForSeconds: 7 * DAY, keyed: true },
  { id: 'vulns.summary', freshForSeconds: 7 * DAY },
  { id: 'backup.status', freshForSeconds: 7 * DAY },
  // An event rather than a state: kept 400 d, consumers apply their own 180-d check window.
  { id: 'rollback.drill', freshForSeconds: 400 * DAY },
  { id: 'cost.tagging', freshForSeconds: 7 * DAY },
  { id: 'cost.monthly', freshForSeconds: 35 * DAY },
  { id: 'cost.utilisation', freshForSeconds: 35 * DAY },
  { id: 'incidents.open', freshForSeconds: 1 * HOUR },
  { id: 'change.freeze', freshForSeconds: 1 * HOUR },
  { id: 'incident.readiness', freshForSeconds: 24 * HOUR },
];

/**
 * Source ids reserved for the built-in collectors; pushes naming them are refused.
 *
 * @public
 */
export const RESERVED_SOURCES = ['repo', 'prometheus', 'oncall', 'ci'] as const;

/**
 * Kind id → definition, as the backend resolves it from built-ins, config and extensions.
 *
 * @public
 */
export type EvidenceKindRegistry = ReadonlyMap<string, EvidenceKindDefinition>;

/**
 * Builds a kind registry: built-ins first, then `extra` definitions (config or extension point)
 * replacing a built-in of the same id.
 *
 * @public
 */
export function createKindRegistry(
  extra: readonly EvidenceKindDefinition[] = [],
): EvidenceKindRegistry {
  const map = new Map<string, EvidenceKindDefinition>();
  for (const kind of [...BUILTIN_EVIDENCE_KINDS, ...extra]) {
    map.set(kind.id, { ...map.get(kind.id), ...kind });
  }
  return map;
}
