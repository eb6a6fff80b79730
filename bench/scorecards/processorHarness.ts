import { CatalogProcessorCache } from '@backstage/plugin-catalog-node';
import {
  STATE_KEY,
  encodeState,
} from '@internal/plugin-catalog-backend-module-scorecards/src/processor/cachedState';

/** What the benches that drive `ScorecardsProcessor` directly share. */

/**
 * The processor cache of one entity, as the catalog keeps it between visits (state.cache). With
 * `firstSeenAt`, it holds what the processor's earlier visit wrote (`scorecard-v2`), as the
 * catalog's cache does for every entity it processed before: a visit without it, of an entity the
 * snapshot holds, may be a dry run (`POST /validate-entity`) and is neither offered nor reused.
 */
export function entityCache(firstSeenAt?: string): CatalogProcessorCache {
  const values = new Map<string, unknown>(
    firstSeenAt ? [[STATE_KEY, encodeState({ firstSeenAt })]] : [],
  );
  return {
    async get(key: string) {
      return values.get(key) as any;
    },
    async set(key: string, value: any) {
      // Stored as the catalog stores it: JSON, read back as a fresh value on the next visit.
      values.set(key, JSON.parse(JSON.stringify(value)));
    },
  };
}

/** The location every bench entity is processed from. */
export const benchLocation = { type: 'file', target: '/bench/catalog.yaml' };

const noop = () => {};

/** A logger that prints warnings and errors only. */
export const quietLogger: any = {
  info: noop,
  debug: noop,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
  child: () => quietLogger,
};
