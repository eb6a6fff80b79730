import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { EvidenceReader } from '@internal/plugin-evidence-backend/src/database/EvidenceReader';
import {
  BatchMode,
  EvidenceStore,
} from '@internal/plugin-evidence-backend/src/database/EvidenceStore';
import { AliasResolver } from '@internal/plugin-evidence-backend/src/service/AliasResolver';
import { readEvidenceOptions } from '@internal/plugin-evidence-backend/src/service/evidenceConfig';
import { createRouter } from '@internal/plugin-evidence-backend/src/service/router';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startThrowawayPostgres } from './throwawayPostgres';

/** A running backend with the evidence router (real httpAuth, httpRouter and permissions mocks). */
export interface BenchBackend {
  baseUrl: string;
  /** A service principal's header. */
  authorization: string;
  /** A user's header: reads pass the per-entity read filter (permissions allow all here). */
  userAuthorization: string;
  store: EvidenceStore;
  reader: EvidenceReader;
  knex: Knex;
  stop(): Promise<void>;
}

/** Components `component:default/bench-<i>` for the alias map, so some writes resolve. */
export function benchEntities(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `bench-${i}`, namespace: 'default' },
    spec: {},
  }));
}

/**
 * Runs `use` on a fresh database of the kind `database` names: `pg`, a throwaway PostgreSQL
 * on `port` (its `version` given), or otherwise SQLite in a file of a temporary directory;
 * both are removed afterwards. `use` destroys the knex (`BenchBackend.stop` does).
 */
export async function withBenchDatabase<T>(
  database: string,
  port: number,
  use: (db: { knex: Knex; isPg: boolean; version?: string }) => Promise<T>,
): Promise<T> {
  const isPg = database === 'pg';
  const pg = isPg ? startThrowawayPostgres(port) : undefined;
  const dir = pg
    ? undefined
    : mkdtempSync(join(tmpdir(), 'evidence-bench-sqlite-'));
  try {
    const knex = pg
      ? benchKnex({ pg: pg.connectionString() })
      : benchKnex({ sqlite: join(dir!, 'evidence.sqlite') });
    return await use({ knex, isPg, version: pg?.version });
  } finally {
    pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

/** A knex for PostgreSQL (a connection string) or SQLite (a file path). */
export function benchKnex(target: { pg: string } | { sqlite: string }): Knex {
  return 'pg' in target
    ? knexFactory({
        client: 'pg',
        connection: target.pg,
        pool: { min: 0, max: 10 },
      })
    : knexFactory({
        client: 'better-sqlite3',
        connection: { filename: target.sqlite },
        useNullAsDefault: true,
      });
}

/**
 * Starts the evidence plugin's store and router over `knex` the way the plugin wires them
 * (without collectors, scheduler tasks and the events publisher, which the benchmark does not
 * exercise), listening on an ephemeral port.
 */
export async function startBenchBackend(options: {
  knex: Knex;
  batchMode: BatchMode;
  entities: Entity[];
}): Promise<BenchBackend> {
  const evidenceOptions = readEvidenceOptions(new ConfigReader({}));
  const resolver = new AliasResolver(evidenceOptions.aliases);
  resolver.rebuild(options.entities);
  let store!: EvidenceStore;
  let reader!: EvidenceReader;
  const plugin = createBackendPlugin({
    pluginId: 'evidence',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          logger: coreServices.logger,
        },
        async init(deps) {
          store = await EvidenceStore.create({
            database: deps.database,
            resolver,
            options: evidenceOptions,
            logger: deps.logger,
            batchMode: options.batchMode,
          });
          reader = new EvidenceReader(store.db, resolver, evidenceOptions);
          deps.httpRouter.use(
            await createRouter({
              store,
              reader,
              resolver,
              options: evidenceOptions,
              httpAuth: deps.httpAuth,
              permissions: deps.permissions,
              logger: deps.logger,
            }),
          );
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      plugin,
      mockServices.database.factory({ knex: options.knex }),
      mockServices.permissions.factory(),
      mockServices.rootLogger.factory({ level: 'warn' }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/evidence`,
    authorization: mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('external:bench'),
      targetPluginId: 'evidence',
    }),
    // a user's reads go through the per-entity catalog.entity.read filter, a service's do not
    userAuthorization: mockCredentials.user.header('user:default/bench-reader'),
    store,
    reader,
    knex: options.knex,
    stop: async () => {
      await backend.stop();
      await options.knex.destroy();
    },
  };
}
