import {
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
 * already stored; rejects with an `InputError` for sets it refuses (retrying cannot help), with
 * any other error for a failure worth retrying.
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
 * It is a root service, so the catalog plugin and the scorecards plugin of one process see
 * the same instance. No credentials are involved: both ends are code in the same process.
 *
 * @public
 */
export interface ScorecardsResultsHandoff {
  /** Registers the intake; the scorecards backend plugin calls it once, at start-up. */
  setReceiver(receiver: ResultSetsReceiver): void;
  /** The registered intake; undefined while no scorecards backend runs in this process. */
  receiver(): ResultSetsReceiver | undefined;
}

/** The default {@link ScorecardsResultsHandoff}: one receiver, set once. */
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
}

/**
 * {@link ScorecardsResultsHandoff} of this backend process.
 *
 * @public
 */
export const scorecardsResultsHandoffServiceRef =
  createServiceRef<ScorecardsResultsHandoff>({
    id: 'scorecards.results-handoff',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {},
        factory: () => new DefaultScorecardsResultsHandoff(),
      }),
  });
