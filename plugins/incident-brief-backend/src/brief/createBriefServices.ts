import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EvidenceService,
  StaticOnCallProvider,
} from '@internal/plugin-evidence-node';
import { IncidentBriefOptions } from '../config';
import { GraphIndexStore } from '../graph/GraphIndexStore';
import { OnCallRouter } from '../oncall/OnCallRouter';
import { BriefService } from './BriefService';
import { CatalogEntityCache } from '@internal/plugin-incident-brief-node';

/**
 * The graph index and the brief service over it, wired once for the plugin (and for tests that
 * need the plugin's wiring without its router and schedules).
 */
export function createBriefServices(deps: {
  catalog: CatalogService;
  auth: AuthService;
  evidence: EvidenceService;
  logger: LoggerService;
  /** The root config: on-call providers read `incidentBrief.onCall.static` from it. */
  config: Config;
  options: IncidentBriefOptions;
}): { store: GraphIndexStore; briefs: BriefService } {
  const { catalog, auth, evidence, logger, config, options } = deps;
  const store = new GraphIndexStore({
    catalog,
    auth,
    evidence,
    logger,
    graph: options.graph,
    fullSyncIntervalMs: options.index.fullSyncIntervalMs,
  });
  const briefs = new BriefService({
    store,
    entities: new CatalogEntityCache({ catalog, auth, ttlMs: 60_000 }),
    evidence,
    onCall: new OnCallRouter(
      { static: StaticOnCallProvider.fromConfig(config) },
      options.onCall,
    ),
    options,
  });
  return { store, briefs };
}
