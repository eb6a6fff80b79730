/**
 * A backend with the REAL catalog (`@backstage/plugin-catalog-backend`, its processing engine,
 * stitcher and database), the REAL auth path (backend-defaults `auth` / `httpAuth` / `userInfo`
 * services, `@backstage/plugin-auth-backend` issuing user tokens through the guest provider) and
 * the REAL permission path (backend-defaults `permissions` service → `@backstage/plugin-permission-
 * backend` over HTTP → allow-all policy, `permission.enabled: true`), plus the incident-brief
 * backend reading that catalog through `catalogServiceRef` like in production.
 *
 * Entities enter the catalog the way an adopter's integration delivers them: an entity provider
 * applies one `full` mutation; the catalog then processes (validation, built-in kinds processor
 * emitting `dependsOn`/`dependencyOf`, `ownedBy`, `partOf`) and stitches each entity. Ingestion is
 * complete when no refresh_state row is unprocessed and the stitch queue is empty.
 *
 * Database: `better-sqlite3` in memory, or (`database: 'pg'`) a throwaway PostgreSQL server on
 * 127.0.0.1:55441 started and removed by this run (fsync on), as production catalogs use.
 *
 * `compression: true`: every answer goes through the compression middleware that backend-defaults'
 * root HTTP router applies in production (`MiddlewareFactory.compression()`: gzip for a client
 * that accepts it, as browsers and `fetch` do, above 1 kB); `startTestBackend`'s root router has
 * none.
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import type { RequestListener, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Knex } from 'knex';
import { startThrowawayPostgres } from '../evidence/throwawayPostgres';

export interface RealCatalogBackend {
  baseUrl: string;
  /** `Authorization` header value of a real Backstage user token (guest provider). */
  userAuthorization: string;
  /**
   * Applies one full mutation and waits until every entity is processed and stitched; rejects
   * when that takes longer than `budgetMs`.
   */
  ingest(
    entities: Entity[],
    options: { budgetMs: number; onProgress?: (line: string) => void },
  ): Promise<{ mutationMs: number; totalMs: number }>;
  database: string;
  stop(): Promise<void>;
}

function databaseConfig(database: 'sqlite' | 'pg') {
  if (database === 'pg') {
    const pg = startThrowawayPostgres(55441);
    return {
      label: `${pg.version}, throwaway server on 127.0.0.1:${pg.port}, fsync on`,
      stop: pg.stop,
      config: {
        client: 'pg',
        connection: {
          host: '127.0.0.1',
          port: pg.port,
          user: 'postgres',
          password: 'unused',
        },
      },
    };
  }
  return {
    label: 'SQLite (better-sqlite3, in memory)',
    stop: () => {},
    config: { client: 'better-sqlite3', connection: ':memory:' },
  };
}

export async function startRealCatalogBackend(options: {
  features: any[];
  evidence: () => EvidenceService;
  database: 'sqlite' | 'pg';
  compression?: boolean;
}): Promise<RealCatalogBackend> {
  let connection: EntityProviderConnection | undefined;
  let knex: Knex | undefined;
  const provider: EntityProvider = {
    getProviderName: () => 'incident-brief-bench',
    async connect(c) {
      connection = c;
    },
  };
  const benchModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'incident-brief-bench',
    register(reg) {
      reg.registerInit({
        deps: {
          processing: catalogProcessingExtensionPoint,
          database: coreServices.database,
        },
        async init({ processing, database }) {
          processing.addEntityProvider(provider);
          // the catalog plugin's own client (the manager caches one per plugin)
          knex = await database.getClient();
        },
      });
    },
  });

  const db = databaseConfig(options.database);
  const backend = await startTestBackend({
    features: [
      import('@backstage/plugin-catalog-backend'),
      benchModule,
      import('@backstage/plugin-auth-backend'),
      import('@backstage/plugin-auth-backend-module-guest-provider'),
      import('@backstage/plugin-permission-backend'),
      import('@backstage/plugin-permission-backend-module-allow-all-policy'),
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      userInfoServiceFactory,
      createServiceFactory({
        service: evidenceServiceRef,
        deps: {},
        factory: options.evidence,
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            baseUrl: 'http://localhost:7007',
            database: db.config,
          },
          auth: {
            environment: 'development',
            providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
          },
          permission: { enabled: true },
          catalog: {
            // no periodic re-processing during the measurement (a real catalog re-processes
            // every 100–150 s, which would only slow its reads: this keeps the baseline fast)
            processingInterval: { hours: 24 },
          },
        },
      }),
      ...options.features,
    ],
  });
  if (options.compression) compressAnswers(backend.server);
  const { port } = backend.server.address() as AddressInfo;
  // the client side uses the loopback address, as part A does (plugin-to-plugin calls inside the
  // backend go through startTestBackend's discovery, which names `localhost`)
  const baseUrl = `http://127.0.0.1:${port}`;

  const res = await fetch(`${baseUrl}/api/auth/guest/refresh?env=development`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in failed: ${res.status} ${await res.text()}`);
  }
  const body = (await res.json()) as {
    backstageIdentity: { token: string };
  };
  const userAuthorization = `Bearer ${body.backstageIdentity.token}`;

  return {
    baseUrl,
    userAuthorization,
    database: db.label,
    async ingest(entities, { budgetMs, onProgress }) {
      if (!connection || !knex) throw new Error('catalog module not started');
      const started = performance.now();
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity: {
            ...entity,
            metadata: {
              ...entity.metadata,
              annotations: {
                ...entity.metadata.annotations,
                'backstage.io/managed-by-location':
                  'url:https://bench.example/catalog',
                'backstage.io/managed-by-origin-location':
                  'url:https://bench.example/catalog',
              },
            },
          },
          locationKey: 'incident-brief-bench',
        })),
      });
      const mutationMs = performance.now() - started;
      let quiet = 0;
      let lastReport = 0;
      for (;;) {
        const [{ n: unprocessed }] = await knex('refresh_state')
          .whereNull('processed_entity')
          .count({ n: '*' });
        const [{ n: queued }] = await knex('stitch_queue').count({ n: '*' });
        const [{ n: stitched }] = await knex('final_entities')
          .whereNotNull('final_entity')
          .count({ n: '*' });
        const now = performance.now();
        if (onProgress && now - lastReport > 15_000) {
          lastReport = now;
          onProgress(
            `  ingest ${((now - started) / 1000).toFixed(
              0,
            )} s: unprocessed ${unprocessed}, stitch queue ${queued}, stitched ${stitched}/${
              entities.length
            }`,
          );
        }
        if (
          Number(unprocessed) === 0 &&
          Number(queued) === 0 &&
          Number(stitched) >= entities.length
        ) {
          if (++quiet >= 2) break;
        } else quiet = 0;
        if (now - started > budgetMs) {
          throw new Error(
            `ingestion budget of ${
              budgetMs / 1000
            } s exceeded: unprocessed ${unprocessed}, stitch queue ${queued}, stitched ${stitched}/${
              entities.length
            }`,
          );
        }
        await new Promise(r => setTimeout(r, 500));
      }
      return { mutationMs, totalMs: performance.now() - started };
    },
    async stop() {
      await backend.stop();
      db.stop();
    },
  };
}

/** Puts production's compression middleware in front of the test backend's express app. */
function compressAnswers(server: Server) {
  const compress = MiddlewareFactory.create({
    config: new ConfigReader({}),
    logger: mockServices.rootLogger(),
  }).compression();
  const [app] = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (req, res) =>
    compress(req as any, res as any, () => app(req, res)),
  );
}
