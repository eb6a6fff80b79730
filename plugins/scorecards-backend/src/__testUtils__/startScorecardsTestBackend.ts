import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import {
  ScorecardsResultsHandoff,
  scorecardsResultsHandoffServiceRef,
} from '@internal/plugin-scorecards-node';
import { Knex } from 'knex';
import { initScorecards, ScorecardsDeps } from '../service/initScorecards';

type Feature = Parameters<typeof startTestBackend>[0]['features'] extends
  | (infer F)[]
  | undefined
  ? F
  : never;

/** What a router test started: its HTTP server, how to stop it, and what `initScorecards` returned. */
export interface ScorecardsTestBackend {
  server: any;
  stop: () => Promise<void>;
  handles: Awaited<ReturnType<typeof initScorecards>>;
  /**
   * The results handoff as the catalog plugin sees it (a stand-in `catalog` plugin is
   * installed for it): the intake the plugin registered, as the scorecards module is given it.
   */
  handoff: ScorecardsResultsHandoff;
}

/**
 * The scorecards backend as the router tests run it: `initScorecards` inside a test plugin with
 * the core services of `startTestBackend`, the test's database, the services the test controls
 * (permissions, auditor, catalog, evidence, clock), the scheduler's tasks not run at startup,
 * requests without a token unauthenticated, and `scorecards` config from the test (with
 * `history.settleMinutes` 0 unless it sets one).
 */
export async function startScorecardsTestBackend(options: {
  knex: Knex;
  services: Pick<
    ScorecardsDeps,
    'permissions' | 'auditor' | 'catalog' | 'evidence'
  >;
  clock: () => Date;
  scorecards: JsonObject;
  /** a scheduler mock of the test's own (default: `mockServices.scheduler`) */
  scheduler?: { factory(options: { skipTaskRunOnStartup: boolean }): any };
  /** further service factories, e.g. a `userInfo` mock */
  features?: Feature[];
}): Promise<ScorecardsTestBackend> {
  let handles: ScorecardsTestBackend['handles'] | undefined;
  let handoff: ScorecardsResultsHandoff | undefined;
  const testPlugin = createBackendPlugin({
    pluginId: 'scorecards',
    register(env) {
      env.registerInit({
        deps: {
          config: coreServices.rootConfig,
          logger: coreServices.logger,
          database: coreServices.database,
          httpRouter: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          auth: coreServices.auth,
          permissionsRegistry: coreServices.permissionsRegistry,
          userInfo: coreServices.userInfo,
          scheduler: coreServices.scheduler,
          resultsHandoff: scorecardsResultsHandoffServiceRef,
        },
        async init(deps) {
          handles = await initScorecards(
            { ...deps, ...options.services },
            options.clock,
          );
        },
      });
    },
  });
  const catalogStandIn = createBackendPlugin({
    pluginId: 'catalog',
    register(env) {
      env.registerInit({
        deps: { resultsHandoff: scorecardsResultsHandoffServiceRef },
        async init({ resultsHandoff }) {
          handoff = resultsHandoff;
        },
      });
    },
  });
  const scheduler = options.scheduler ?? mockServices.scheduler;
  const backend = await startTestBackend({
    features: [
      testPlugin,
      catalogStandIn,
      mockServices.database.factory({ knex: options.knex }),
      scheduler.factory({ skipTaskRunOnStartup: true }),
      // Requests without a token are unauthenticated (the default would be a mock user).
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      mockServices.rootConfig.factory({
        data: {
          scorecards: {
            ...options.scorecards,
            // §2.10's history from an entity's first change on, unless the test sets it.
            history: {
              settleMinutes: 0,
              ...(options.scorecards.history as JsonObject | undefined),
            },
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return {
    server: backend.server,
    stop: () => backend.stop(),
    handles: handles!,
    handoff: handoff!,
  };
}
