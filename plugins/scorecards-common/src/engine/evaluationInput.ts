import { Entity } from '@backstage/catalog-model';
import { CatalogIndex } from '../catalog/catalogIndex';
import {
  EntityCollectionStatus,
  EvidenceFact,
  LedgerRecord,
  ObservedEdge,
  SourceHealth,
} from '../evidence/evidenceTypes';
import { ResultState } from '../model/resultModel';
import { CompiledStandard } from '../standard/compiledStandard';
import { Waiver } from '../waivers/waiverTypes';

/** Everything one evaluation reads (scorecards §2.5); the engine never fetches. */
export interface EvaluationInput {
  now: string;
  entity: Entity;
  catalog: CatalogIndex;
  standard: CompiledStandard;
  /** Facts of the entity, plus keyed facts it may need (owner-group on-call schedules, link checks). */
  facts?: readonly EvidenceFact[];
  /** Ledger records; records of other entities are ignored. */
  ledger?: readonly LedgerRecord[];
  /** Observed edges; only those touching the entity are read. */
  observedEdges?: readonly ObservedEdge[];
  sourceHealth?: readonly SourceHealth[];
  collection?: readonly EntityCollectionStatus[];
  waivers?: readonly Waiver[];
  firstSeenAt?: string;
  /** The previous results, to carry `since` forward while a state holds. */
  previous?: readonly {
    checkId: string;
    state: ResultState;
    reason: string;
    since: string;
  }[];
}
