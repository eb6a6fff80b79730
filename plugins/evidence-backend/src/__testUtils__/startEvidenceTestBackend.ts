import {
  AuditorService,
  PermissionsService,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { Server } from 'http';
import { Knex } from 'knex';
import { EvidenceReader } from '../database/EvidenceReader';
import { EvidenceStore } from '../database/EvidenceStore';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { createRouter } from '../service/router';

/** The vector clock of the suite (evidence.md). */
export const T = '2026-03-14T02:05:00.000Z';

/** A catalog entity fixture. */
export function entity(
  kind: string,
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  };
}

/** A started test backend and the handles a test steers it with. */
export interface EvidenceTestBackend {
  server: Server;
  stop(): Promise<void>;
  knex: Knex;
  clock: { now: Date };
  resolver: AliasResolver;
  store(): EvidenceStore;
  /** Change ids per committed write, as published on `evidence.changes`. */
  committed: string[][];
}

/**
 * Starts a backend with the evidence router over a test database, a controllable clock and
 * alias map, and the given permissions service (real httpAuth and httpRouter from Backstage).
 */
export async function startEvidenceTestBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  options: {
    entities?: Entity[];
    permissions?: PermissionsService;
    config?: object;
    /** Replaces the auditor (default: the one of `startTestBackend`), e.g. to see its events. */
    auditor?: AuditorService;
  } = {},
): Promise<EvidenceTestBackend> {
  const knex = await databases.init(databaseId);
  const clock = { now: new Date(T) };
  const evidenceOptions = readEvidenceOptions(
    new ConfigReader({ evidence: options.config ?? {} }),
  );
  const resolver = new AliasResolver(evidenceOptions.aliases);
  resolver.rebuild(options.entities ?? []);
  const committed: string[][] = [];
  let store!: EvidenceStore;

  const testPlugin = createBackendPlugin({
    pluginId: 'evidence',
    register(env) {
      env.registerInit({
        deps: {
          database: coreServices.database,
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
          logger: coreServices.logger,
          auditor: coreServices.auditor,
        },
        async init(deps) {
          store = await EvidenceStore.create({
            database: deps.database,
            resolver,
            options: evidenceOptions,
            logger: deps.logger,
            clock: () => clock.now,
          });
          store.onChangesCommitted(async ids => {
            committed.push(ids);
          });
          deps.httpRouter.use(
            await createRouter({
              store,
              reader: new EvidenceReader(store.db, resolver, evidenceOptions),
              resolver,
              options: evidenceOptions,
              httpAuth: deps.httpAuth,
              permissions: deps.permissions,
              logger: deps.logger,
              auditor: deps.auditor,
              clock: () => clock.now,
            }),
          );
        },
      });
    },
  });

  const backend = await startTestBackend({
    features: [
      testPlugin,
      mockServices.database.factory({ knex }),
      ...(options.permissions
        ? [
            mockServices.permissions.mock({
              authorize: options.permissions.authorize,
              authorizeConditional: options.permissions.authorizeConditional,
            }).factory,
          ]
        : [mockServices.permissions.factory()]),
      ...(options.auditor
        ? [mockServices.auditor.mock(options.auditor).factory]
        : []),
    ],
  });
  return {
    server: backend.server,
    // The start-up credential redaction runs in the background: let it finish first, so it
    // never reads a database the test already tore down.
    stop: async () => {
      await store?.credentialRedaction;
      await backend.stop();
    },
    knex,
    clock,
    resolver,
    store: () => store,
    committed,
  };
}
