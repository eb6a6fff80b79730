import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  BlastRadiusAnswer,
  EdgeFilter,
  IncidentBrief,
  OwnerBrief,
  SearchDirection,
} from '@internal/plugin-incident-brief-common';

/** Availability of an evidence read, as the backend reports it next to the data it fed. */
export type EvidenceAvailability =
  | { available: true; asOf: string }
  | { available: false; cause: string; since: string };

/** `GET …/brief`: the brief of incident-brief-common plus where its evidence stood. */
export type BriefResponse = IncidentBrief & {
  evidence: {
    ledger: EvidenceAvailability;
    catalogAsOf: string;
    observedEdgesAsOf: string;
  };
  changes: {
    /** changes in window of entities the caller may not read: omitted, only counted (IB §6.5) */
    restricted?: number;
    /** the latest fields withheld because they are about an entity the caller may not read */
    latestRestricted?: LatestField[];
  };
};

/**
 * `GET …/owner` (ours): the brief's owner section with its confidence and the header fields it is
 * read with — what the Owner & on-call card shows, without the rest of the brief.
 */
export type OwnerResponse = OwnerBrief;

/** The latest-change fields of a changes section, as `latestRestricted` names them. */
export type LatestField = 'lastChange' | 'lastSuccessfulDeploy';

/** Whose changes `GET …/changes` lists besides the entity's own (IB §4.4). */
export type ChangesScope = 'dependencies' | 'dependents' | 'both';

/** `GET …/changes`: changes in window of the entity and its dependencies and/or dependents. */
export type ChangesResponse = Omit<IncidentBrief['changes'], 'items'> & {
  entityRef: string;
  /** absent from backends before `scope` */
  scope?: ChangesScope;
  /** hops of dependents in scope (0 unless `scope` is `dependents` or `both`) */
  dependentHops?: number;
  items: (IncidentBrief['changes']['items'][number] & {
    relation?: 'self' | 'dependency' | 'dependent';
  })[];
  ledger: EvidenceAvailability;
  /** changes of entities the caller may not read: omitted from `items`, only counted (IB §6.5) */
  restricted?: number;
  /**
   * `lastChange` / `lastSuccessfulDeploy` withheld (null) because they are about a System member or
   * an API provider the caller may not read; absent from older backends
   */
  latestRestricted?: LatestField[];
};

/** Query of `GET …/blast-radius` (IB §3.1); omitted fields take the backend's defaults. */
export interface BlastRadiusQuery {
  hops?: number;
  edges?: EdgeFilter;
  direction?: SearchDirection;
  includeStale?: boolean;
  limit?: number;
  cursor?: string;
}

/** Query of `GET …/brief`, `…/brief.md` and `…/changes`. */
export interface BriefQuery {
  /** incident time (ISO-8601), default now */
  at?: string;
  /** window before `at`: `90m`, `24h`, `7d` (≤ 30d) */
  window?: string;
  hops?: number;
}

/** Reads briefs, blast radius and changes from `incident-brief-backend`. */
export interface IncidentBriefApi {
  /** The JSON brief of an entity (IB §6.1). */
  getBrief(entityRef: string, query?: BriefQuery): Promise<BriefResponse>;
  /**
   * The owner section of the brief (owner, on-call, escalation), at `at` (default now); the same
   * as `getBrief(…).owner` without downloading the rest. Optional: without it the plugin reads the
   * owner from `getBrief` ({@link readOwner}).
   */
  getOwner?(
    entityRef: string,
    query?: Pick<BriefQuery, 'at'>,
  ): Promise<OwnerResponse>;
  /** The same brief as markdown (IB §6.3), exactly what "Copy as markdown" copies. */
  getBriefMarkdown(entityRef: string, query?: BriefQuery): Promise<string>;
  /** The blast radius (or dependencies) of an entity. */
  getBlastRadius(
    entityRef: string,
    query?: BlastRadiusQuery,
  ): Promise<BlastRadiusAnswer>;
  /**
   * Changes in window for the entity and its dependencies (IB §4.4); `scope` adds or swaps in its
   * dependents (callers), `hops` is the depth in each direction.
   */
  getChanges(
    entityRef: string,
    query?: BriefQuery & { scope?: ChangesScope },
  ): Promise<ChangesResponse>;
}

/** API reference of {@link IncidentBriefApi}. */
export const incidentBriefApiRef = createApiRef<IncidentBriefApi>().with({
  id: 'plugin.incident-brief.service',
});

/** The owner section of a brief, with the header fields it is read with. */
export function ownerSectionOf(brief: BriefResponse): OwnerResponse {
  const { header, owner, confidence } = brief;
  return {
    header: {
      title: header.title,
      ref: header.ref,
      generatedAt: header.generatedAt,
      incidentTime: header.incidentTime,
      evaluatedAt: header.evaluatedAt,
    },
    owner,
    confidence: { owner: confidence.owner },
  };
}

/**
 * The owner read of `api`: its `getOwner` when it has one, else the owner section of its
 * `getBrief` (an implementation of this interface from before the method).
 */
export async function readOwner(
  api: Pick<IncidentBriefApi, 'getBrief' | 'getOwner'>,
  entityRef: string,
  query?: Pick<BriefQuery, 'at'>,
): Promise<OwnerResponse> {
  if (api.getOwner) return api.getOwner(entityRef, query);
  return ownerSectionOf(await api.getBrief(entityRef, query));
}
