import { compareStrings } from '../refs/compareStrings';
import { Entity } from '@backstage/catalog-model';
import { entityRefOf } from '../refs/entityRefs';
import { buildAliasMap } from './buildAliasMap';
import { GraphIndex } from './GraphIndex';
import { GraphIndexOptions, ObservedEdgeRecord } from './types';

/** Inputs of a full index build: a catalog snapshot and the observed-edge records. */
export interface GraphIndexInput {
  entities: Entity[];
  observedEdges: ObservedEdgeRecord[];
  asOf: { catalog: string; observedEdges: string };
  options?: GraphIndexOptions;
  /**
   * An index whose observed state is carried over (`GraphIndex.carryObservationsFrom`): a
   * rebuild while the evidence feed cannot be read keeps the observations it last had (R17).
   */
  carryObservationsFrom?: GraphIndex;
}

/** Builds the dependency graph index in O(V + E) (plus sorting refs), ready for searches. */
export function buildGraphIndex(input: GraphIndexInput): GraphIndex {
  const index = new GraphIndex(input.options, input.asOf);
  // sorting first makes interned ids independent of input order (R19)
  // each ref computed once, not once per comparison
  const entities = input.entities
    .map(entity => ({ entity, ref: entityRefOf(entity) }))
    .sort((a, b) => compareStrings(a.ref, b.ref))
    .map(e => e.entity);
  index.bulkLoading = true;
  for (const entity of entities) index.upsertEntity(entity);
  const aliases = buildAliasMap(entities);
  index.aliasConflicts = aliases.conflicts;
  index.addObservedEdges(input.observedEdges, aliases);
  if (input.carryObservationsFrom) {
    index.carryObservationsFrom(input.carryObservationsFrom);
  }
  index.compact();
  return index;
}
