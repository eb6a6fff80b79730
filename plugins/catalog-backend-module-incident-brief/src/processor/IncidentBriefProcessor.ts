import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorCache,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import type { ObservedEdge } from '@internal/plugin-evidence-common';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { FailureLog } from '@internal/suite-node';
import { entityRefOf } from '@internal/plugin-incident-brief-common';
import { IncidentReadinessChecker } from '../readiness/IncidentReadinessChecker';
import { ReadinessFactWriter } from '../readiness/ReadinessFactWriter';
import {
  cachedDependencies,
  observedDependenciesOf,
  observedRelations,
} from './observedRelations';

/** Kinds that appear in service-graph telemetry (IB §2.5). */
const OBSERVED_KINDS = ['component', 'resource'];
const CACHE_KEY = 'observedDependencies';

/**
 * Emits `observedDependsOn` / `observedDependencyOf` relations from the evidence store's observed
 * edges, and reports incident-readiness gaps as `incident.readiness` facts.
 *
 * Nothing here becomes a processing error (R26): an evidence outage re-emits the relations of the
 * last successful read (kept in the processor cache), and a readiness gap is data.
 */
export class IncidentBriefProcessor implements CatalogProcessor {
  constructor(
    private readonly options: {
      evidence: EvidenceService;
      logger: LoggerService;
      readiness?: IncidentReadinessChecker;
      readinessWriter?: ReadinessFactWriter;
    },
  ) {
    this.readinessFailures = new FailureLog(options.logger);
  }

  /**
   * Readiness that cannot be checked (the catalog unreadable) ages out of briefs and scorecards
   * in a day: said at warn as it starts and every ten minutes, each entity at debug.
   */
  private readonly readinessFailures: FailureLog;

  getProcessorName(): string {
    return 'IncidentBriefProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    _location: LocationSpec,
    emit: CatalogProcessorEmit,
    cache: CatalogProcessorCache,
  ): Promise<Entity> {
    const kind = entity.kind.toLocaleLowerCase('en-US');
    const ref = entityRefOf(entity);
    if (OBSERVED_KINDS.includes(kind)) {
      for (const relation of observedRelations(
        ref,
        await this.observedDependencies(ref, cache),
      )) {
        emit(processingResult.relation(relation));
      }
    }
    if (this.options.readiness && IncidentReadinessChecker.appliesTo(entity)) {
      try {
        const report = await this.options.readiness.check(entity);
        this.options.readinessWriter?.enqueue(report);
        this.readinessFailures.recovered(
          'check',
          'incident readiness checked again',
        );
      } catch (error) {
        // readiness stays unknown until the catalog can be read again; never a processing error
        this.options.logger.debug(
          `incident readiness of ${ref} not checked: ${error}`,
        );
        this.readinessFailures.failed(
          'check',
          `incident readiness not checked (the last written stays for a day, then reads as unknown): ${error}`,
        );
      }
    }
    return entity;
  }

  private async observedDependencies(
    ref: string,
    cache: CatalogProcessorCache,
  ): Promise<string[]> {
    try {
      const read = await this.options.evidence.readEntities([ref], {
        include: ['edges'],
      });
      if (read.available) {
        const item = read.data.get(ref);
        // No item: the store holds no evidence for the entity, so nothing was observed. An
        // item without the edges asked for is a partial answer, not "no edges": taking it as
        // one would drop the relations until the next pass brings them back, and the catalog
        // would write and stitch the entity twice for nothing.
        const edges = item ? edgesOf(item.edges) : [];
        if (edges) {
          const dependencies = observedDependenciesOf(ref, edges);
          await cache.set(CACHE_KEY, dependencies);
          return dependencies;
        }
      }
    } catch (error) {
      // the client never rejects reads; guard anyway so a bug there cannot fail processing
      this.options.logger.warn(`observed edges of ${ref} not read: ${error}`);
    }
    // evidence unavailable or the answer partial: keep what was last observed instead of
    // dropping the relations
    return cachedDependencies(ref, await cache.get(CACHE_KEY));
  }
}

/** Both directions of an item's observed edges, or undefined when the item lacks them. */
function edgesOf(edges: unknown): ObservedEdge[] | undefined {
  if (typeof edges !== 'object' || edges === null) return undefined;
  const { outgoing, incoming } = edges as {
    outgoing?: unknown;
    incoming?: unknown;
  };
  if (!Array.isArray(outgoing)) return undefined;
  return [...outgoing, ...(Array.isArray(incoming) ? incoming : [])];
}
