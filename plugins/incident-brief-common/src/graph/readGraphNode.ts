import { Entity } from '@backstage/catalog-model';
import {
  lowerCaseEn,
  entityRefOf,
  normalizeRef,
  refFromSpecOf,
  refKind,
  refName,
} from '../refs/entityRefs';
import { GraphNode, GraphNodeKind } from './types';
import { OPS_KEYS, splitList } from './opsKeys';
import { readAnnotation, readLabel, readTitle } from './entityMetadata';

const NODE_KINDS: GraphNodeKind[] = ['component', 'resource', 'api', 'system'];

/** True when the entity kind is a node of the dependency graph. */
export function isGraphNodeKind(kind: string): kind is GraphNodeKind {
  return (NODE_KINDS as string[]).includes(lowerCaseEn(kind));
}

const TIERS: Record<string, 1 | 2 | 3> = { '1': 1, '2': 2, '3': 3 };

/**
 * Reads a tier label; anything but 1, 2 or 3 is unknown (§2.3), a number (YAML `tier: 1`)
 * included. An own-property lookup: a label such as `constructor` or `toString` would otherwise
 * read a function from `Object.prototype`.
 */
export function readTier(entity: Entity): 1 | 2 | 3 | null {
  const raw = readLabel(entity, OPS_KEYS.tier)?.trim();
  return raw !== undefined && Object.hasOwn(TIERS, raw) ? TIERS[raw] : null;
}

/** Reads the customer-facing label; missing or other values are unknown. */
export function readCustomerFacing(entity: Entity): boolean | null {
  const raw = readLabel(entity, OPS_KEYS.customerFacing)?.trim();
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return null;
}

/** The effective lifecycle: `spec.lifecycle`, or the annotation for kinds without it. */
export function readLifecycle(entity: Entity): string | null {
  const spec = entity.spec?.lifecycle;
  if (typeof spec === 'string') return spec;
  return readAnnotation(entity, OPS_KEYS.lifecycle) ?? null;
}

/** The System ref of an entity, from `spec.system` or its `partOf` relation to a System. */
export function readSystem(entity: Entity): string | null {
  if (refKind(`${entity.kind}:x`) === 'system') return null;
  const spec = entity.spec?.system;
  if (typeof spec === 'string' && spec) {
    return refFromSpecOf(entity, spec, 'system');
  }
  const rel = entity.relations?.find(
    r => r.type === 'partOf' && refKind(r.targetRef) === 'system',
  );
  return rel ? normalizeRef(rel.targetRef) : null;
}

/**
 * The owner ref (`spec.owner`, defaulting to kind Group and to the entity's own namespace, as the
 * catalog reads it), or null.
 */
export function readOwner(entity: Entity): string | null {
  const spec = entity.spec?.owner;
  // a malformed owner (`group: `, which the catalog accepts) is no owner: unresolved, not a throw
  return typeof spec === 'string' && spec
    ? refFromSpecOf(entity, spec, 'group')
    : null;
}

/** Builds the node record of a catalog entity (id and telemetry presence are set by the index). */
export function readGraphNode(entity: Entity): Omit<GraphNode, 'id'> {
  const list = (key: string) => splitList(readAnnotation(entity, key));
  const kind = lowerCaseEn(entity.kind) as GraphNodeKind;
  const resourceType =
    kind === 'resource' && typeof entity.spec?.type === 'string'
      ? entity.spec.type
      : undefined;
  return {
    ref: entityRefOf(entity),
    kind,
    title: readTitle(entity),
    owner: readOwner(entity),
    system: readSystem(entity),
    lifecycle: readLifecycle(entity),
    tier: kind === 'api' ? null : readTier(entity),
    customerFacing: readCustomerFacing(entity),
    entryPoints: list(OPS_KEYS.entryPoints),
    regions: list(OPS_KEYS.regions),
    dataDomains: list(OPS_KEYS.dataDomains).filter(d => d !== 'none'),
    aliases: list(OPS_KEYS.aliases).map(a => lowerCaseEn(a)),
    ...(resourceType !== undefined ? { resourceType } : {}),
    telemetryPresence: false,
    resolved: true,
  };
}

/** Placeholder node for a ref named by a relation but absent from the catalog (R4). */
export function unresolvedGraphNode(ref: string): Omit<GraphNode, 'id'> {
  const kind = refKind(ref);
  return {
    ref,
    kind: kind && isGraphNodeKind(kind) ? kind : 'component',
    title: refName(ref),
    owner: null,
    system: null,
    lifecycle: null,
    tier: null,
    customerFacing: null,
    entryPoints: [],
    regions: [],
    dataDomains: [],
    aliases: [],
    telemetryPresence: false,
    resolved: false,
  };
}
