import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Evidence store, change ledger and ingestion API (plugin `evidence`, evidence.md §10). */
  evidence?: {
    clock?: {
      /**
       * Timestamps further than this ahead of the server clock are clamped and flagged SKEWED.
       * Default 5m.
       * @visibility backend
       */
      maxSkew?: string | HumanDuration;
    };
    ingest?: {
      /** @visibility backend */
      maxBodyBytes?: number;
      /** @visibility backend */
      maxBatchBodyBytes?: number;
      /** @visibility backend */
      maxBatchItems?: number;
      /** @visibility backend */
      maxValueBytes?: number;
      /**
       * How long an idempotency key binds its body. Default 7d.
       * @visibility backend
       */
      idempotencyRetention?: string | HumanDuration;
    };
    /**
     * Extra evidence kinds (or built-in windows shortened/lengthened), by kind id.
     * @visibility backend
     */
    kinds?: {
      [kind: string]: {
        /** @visibility backend */
        freshFor: string | HumanDuration;
        /** @visibility backend */
        keyed?: boolean;
      };
    };
    edges?: {
      /** @visibility backend */
      freshFor?: string | HumanDuration;
      /** @visibility backend */
      retainFor?: string | HumanDuration;
    };
    retention?: {
      /** @visibility backend */
      factHistoryRaw?: string | HumanDuration;
      /** @visibility backend */
      factHistory?: string | HumanDuration;
      /** @visibility backend */
      changes?: string | HumanDuration;
      /** @visibility backend */
      ciRuns?: string | HumanDuration;
      /** @visibility backend */
      healthLog?: string | HumanDuration;
      /** @visibility backend */
      unresolvedFacts?: string | HumanDuration;
      /** @visibility backend */
      tombstones?: string | HumanDuration;
      /** @visibility backend */
      collectionStatus?: string | HumanDuration;
      /**
       * Rows deleted per statement. Default 5000.
       * @visibility backend
       */
      chunkSize?: number;
    };
    /**
     * Platform-curated telemetry name → entity ref; wins over annotations, never void.
     * @visibility backend
     */
    aliases?: { [name: string]: string };
    /** Push sources and how often they are expected to write. */
    sources?: {
      [source: string]: {
        /** @visibility backend */
        expectEvery?: string | HumanDuration;
      };
    };
    demo?: {
      /**
       * Seeds demo evidence; never in production.
       * @visibility backend
       */
      enabled?: boolean;
      /** @visibility backend */
      prometheus?: 'seed' | 'exporter';
    };
  };
}
