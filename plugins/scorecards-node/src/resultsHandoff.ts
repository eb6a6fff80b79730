import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { EntityEvaluation } from '@internal/plugin-scorecards-common';

/**
 * One result set the catalog module hands over: the fields of an item of
 * `POST /internal/results`, with the engine's evaluation as the object it computed.
 *
 * @public
 */
export interface HandedResultSet {
  entityRef: string;
  evaluatedAt: string;
  /** 16 lowercase hex digits: `hashEntity` of the entity as the catalog processed it. */
  entityHash: string;
  /**
   * The catalog module's own object, which it may still hold and reuse: a receiver reads it and
   * stores copies, and never changes it.
   */
  evaluation: EntityEvaluation;
}

/**
 * What the scorecards backend does with handed result sets: exactly what
 * `POST /internal/results` does with a body of them. Resolves to the number of sets written or
 * already stored; rejects for sets it refuses, which retrying cannot help, with an `InputError`
 * naming the field (a 400 over HTTP) or an error of a 4xx `status` (more than 500 sets: 413),
 * and with any other error for a failure worth retrying.
 *
 * @public
 */
export type ResultSetsReceiver = (
  sets: readonly HandedResultSet[],
) => Promise<{ accepted: number }>;

/**
 * The in-process way from the scorecards catalog module to the scorecards backend, for the
 * usual deployment where the catalog and scorecards plugins run in one backend: the module's
 * result sets reach the backend's intake as the objects the engine built, without being
 * encoded to JSON, sent over HTTP and parsed again (at 5,000 sets an ingest, ~2 s of the
 * catalog's main thread). Where the backend runs in another process, nothing is registered
 * here and the module posts to `POST /internal/results/compact` as before.
 *
 * Each plugin gets its own view of one registry per process, which keeps the rule the HTTP
 * route enforces with credentials (SR39): only the `scorecards` plugin may register the intake,
 * and only the `catalog` plugin (where the scorecards catalog module runs) is given it. Any
 * other plugin's view registers nothing (it throws) and is given nothing.
 *
 * @public
 */
export interface ScorecardsResultsHandoff {
  /** Registers the intake; the scorecards backend plugin calls it once, at start-up. */
  setReceiver(receiver: ResultSetsReceiver): void;
  /** The registered intake; undefined while no scorecards backend runs in this process. */
  receiver(): ResultSetsReceiver | undefined;
}

/** The plugin that registers the intake, and the one it is handed to. */
const RECEIVING_PLUGIN = 'scorecards';
const HANDING_PLUGIN = 'catalog';

/**
 * One receiver, set once: the registry of a process, and the whole handoff where one object
 * plays both ends (tests, benchmarks).
 */
export class DefaultScorecardsResultsHandoff
  implements ScorecardsResultsHandoff
{
  #receiver: ResultSetsReceiver | undefined;

  setReceiver(receiver: ResultSetsReceiver): void {
    if (this.#receiver) {
      // Two scorecards backends in one process would record every result set twice.
      throw new Error(
        'scorecards: a results receiver is already registered in this process; install the scorecards backend plugin once',
      );
    }
    this.#receiver = receiver;
  }

  receiver(): ResultSetsReceiver | undefined {
    return this.#receiver;
  }

  /** What plugin `pluginId` may do with this registry (see {@link ScorecardsResultsHandoff}). */
  forPlugin(pluginId: string): ScorecardsResultsHandoff {
    return {
      setReceiver: receiver => {
        if (pluginId !== RECEIVING_PLUGIN) {
          throw new Error(
            `scorecards: only the ${RECEIVING_PLUGIN} plugin registers the results receiver, not ${pluginId}`,
          );
        }
        this.setReceiver(receiver);
      },
      receiver: () =>
        pluginId === HANDING_PLUGIN ? this.receiver() : undefined,
    };
  }
}

/** The registry of this backend process, behind every plugin's view. */
const resultsHandoffRegistryServiceRef =
  createServiceRef<DefaultScorecardsResultsHandoff>({
    id: 'scorecards.results-handoff.registry',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => new DefaultScorecardsResultsHandoff(),
      }),
  });

/**
 * {@link ScorecardsResultsHandoff} of this backend process, as the calling plugin may use it.
 *
 * @public
 */
export const scorecardsResultsHandoffServiceRef =
  createServiceRef<ScorecardsResultsHandoff>({
    id: 'scorecards.results-handoff',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          registry: resultsHandoffRegistryServiceRef,
          plugin: coreServices.pluginMetadata,
        },
        factory: ({ registry, plugin }) => registry.forPlugin(plugin.getId()),
      }),
  });
