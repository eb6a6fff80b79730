import { buildGraphIndex } from '../graph/buildGraphIndex';
import { GraphIndex } from '../graph/GraphIndex';
import { T, demoEntities, demoObservedEdges } from './demoCatalog';

/** The demo catalog's graph index as of T. */
export function buildDemoIndex(): GraphIndex {
  return buildGraphIndex({
    entities: demoEntities(),
    observedEdges: demoObservedEdges(),
    asOf: { catalog: T, observedEdges: T },
  });
}
