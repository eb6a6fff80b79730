import {
  KubernetesValidatorFunctions,
  parseEntityRef,
} from '@backstage/catalog-model';
import { EntityRelationSpec } from '@backstage/plugin-catalog-node';
import type { ObservedEdge } from '@internal/plugin-evidence-common';
import {
  GraphNodeKind,
  normalizeRef,
  tryNormalizeRef,
} from '@internal/plugin-incident-brief-common';

// `kind:namespace/name` of the catalog's own limits (kind and namespace 63, name 63) fits well
// within the 255 characters of a relation's target column.
const MAX_RELATION_REF = 255;

/**
 * Kinds an observed dependency can have: the nodes of the dependency graph (IB §2.4). The
 * evidence store maps telemetry names through `evidence.aliases` too, which may name any ref; a
 * Group, User, Domain, Location or Template is never something a service calls, and a relation
 * to one would be a wrong edge in the catalog and in catalog-graph.
 */
const DEPENDENCY_KINDS: readonly GraphNodeKind[] = [
  'component',
  'resource',
  'api',
  'system',
];

/** Relation from a dependent to a dependency seen in traffic (display only; IB §2.5). */
export const RELATION_OBSERVED_DEPENDS_ON = 'observedDependsOn';
/** Reverse of {@link RELATION_OBSERVED_DEPENDS_ON}. */
export const RELATION_OBSERVED_DEPENDENCY_OF = 'observedDependencyOf';

/**
 * The dependencies an entity was observed calling: the mapped dependency side of every edge whose
 * dependent is the entity, without self-loops (R15), unmapped names (R16) or kinds that cannot be
 * a dependency (`DEPENDENCY_KINDS`), sorted and unique. The evidence store already turned
 * messaging series into consumer → producer.
 */
export function observedDependenciesOf(
  entityRef: string,
  edges: ObservedEdge[],
): string[] {
  const self = normalizeRef(entityRef);
  const out = new Set<string>();
  for (const edge of edges) {
    if (!edge.dependentRef || !edge.dependencyRef || edge.aliasConflict) {
      continue;
    }
    // one malformed edge is skipped, not every edge of the entity with it
    const dependent = relationRef(edge.dependentRef);
    const dependency = relationRef(edge.dependencyRef);
    if (dependent === self && dependency && dependency !== self) {
      if (isDependencyKind(dependency)) out.add(dependency);
    }
  }
  return [...out].sort();
}

/**
 * The dependencies kept in the processor cache, held to the rules of
 * {@link observedDependenciesOf}: the cache outlives the code that wrote it (a value written by
 * an earlier version of this module, or damaged), and what it holds is emitted as relations
 * during an evidence outage, where one value that is not a ref would fail the entity's
 * processing.
 */
export function cachedDependencies(
  entityRef: string,
  cached: unknown,
): string[] {
  if (!Array.isArray(cached)) return [];
  const self = normalizeRef(entityRef);
  const out = new Set<string>();
  for (const raw of cached) {
    const dependency = relationRef(raw);
    if (dependency && dependency !== self && isDependencyKind(dependency)) {
      out.add(dependency);
    }
  }
  return [...out].sort();
}

function isDependencyKind(ref: string): boolean {
  const kind = parseEntityRef(ref).kind as GraphNodeKind;
  return DEPENDENCY_KINDS.includes(kind);
}

/**
 * A ref fit for a catalog relation, or null: `kind:namespace/name` whose parts pass the catalog's
 * own validators (the default entity policy), so evidence naming something no entity could be
 * called — a space, a newline, a 64-character name, a second `/` — is skipped rather than
 * written as a dangling relation. The length check first keeps a huge value from being parsed.
 */
function relationRef(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > MAX_RELATION_REF) return null;
  const ref = tryNormalizeRef(raw);
  if (!ref) return null;
  const { kind, namespace, name } = parseEntityRef(ref);
  return KubernetesValidatorFunctions.isValidKind(kind) &&
    KubernetesValidatorFunctions.isValidNamespace(namespace) &&
    KubernetesValidatorFunctions.isValidObjectName(name)
    ? ref
    : null;
}

/** Both directions of each observed dependency, as catalog relation specs. */
export function observedRelations(
  entityRef: string,
  dependencies: string[],
): EntityRelationSpec[] {
  const self = normalizeRef(entityRef);
  return dependencies.flatMap(dependency => {
    const target = parseEntityRef(dependency);
    const source = parseEntityRef(self);
    return [
      { source, type: RELATION_OBSERVED_DEPENDS_ON, target },
      { source: target, type: RELATION_OBSERVED_DEPENDENCY_OF, target: source },
    ];
  });
}
