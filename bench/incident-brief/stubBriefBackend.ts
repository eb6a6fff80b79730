/**
 * The incident-brief backend plugin in `startTestBackend` over a synthetic catalog: a paged
 * in-memory catalog service, an evidence service without evidence, mock auth and permissions
 * allowing everything. The plugin's code (index, routes, restricted filter) is the real one.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EvidenceService,
  evidenceServiceRef,
} from '@internal/plugin-evidence-node';
import incidentBriefPlugin from '@internal/plugin-incident-brief-backend';
import { AddressInfo } from 'node:net';

/**
 * The catalog reads the index store makes (paged `queryEntities`, `getEntitiesByRefs`), over an
 * array. catalogServiceMock filters and sorts the whole catalog on every page, which at 100,000
 * entities takes minutes and would only time the mock.
 */
export function pagedCatalog(entities: Entity[]): CatalogService {
  const byRef = new Map(
    entities.map(e => [
      `${e.kind}:default/${e.metadata.name}`.toLocaleLowerCase('en-US'),
      e,
    ]),
  );
  return {
    async queryEntities(request: any) {
      const offset = request?.cursor ? Number(request.cursor) : 0;
      const limit = request?.limit ?? 500;
      const items = entities.slice(offset, offset + limit);
      const next = offset + limit;
      return {
        items,
        totalItems: entities.length,
        pageInfo: next < entities.length ? { nextCursor: String(next) } : {},
      };
    },
    async getEntitiesByRefs(request: { entityRefs: string[] }) {
      return {
        items: request.entityRefs.map(r =>
          byRef.get(r.toLocaleLowerCase('en-US')),
        ),
      };
    },
  } as Partial<CatalogService> as CatalogService;
}

export function fakeEvidence(): EvidenceService {
  const now = () => new Date().toISOString();
  return {
    async readEntities(refs: string[]) {
      return {
        available: true,
        asOf: now(),
        data: new Map(refs.map(r => [r, { facts: [], collection: [] }])),
      };
    },
    async queryChanges() {
      return { available: true, asOf: now(), data: [] };
    },
    // the brief's ledger summary: no entity ever had a record
    async changeSummary() {
      return { available: true, asOf: now(), data: new Map() };
    },
    async observedEdges() {
      return { available: true, asOf: now(), data: [] };
    },
    async edgeChanges() {
      return {
        available: true,
        asOf: now(),
        data: {
          edges: [],
          removed: [],
          cursor: 'c0',
          hasMore: false,
          reset: false,
        },
      };
    },
    async sourceHealth() {
      return { available: true, asOf: now(), data: [] };
    },
  } as Partial<EvidenceService> as EvidenceService;
}

/** Starts the plugin over `entities`; `authorization` is a mock user's header for its API. */
export async function startStubBriefBackend(entities: Entity[]) {
  const backend = await startTestBackend({
    features: [
      incidentBriefPlugin,
      createServiceFactory({
        service: evidenceServiceRef,
        deps: {},
        factory: fakeEvidence,
      }),
      createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () => pagedCatalog(entities),
      }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    authorization: mockCredentials.user.header(),
    stop: () => backend.stop(),
  };
}
