import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

/**
 * A collector's schedule: a duration (`6h`, `PT6H`, `{ hours: 6 }`) sets the frequency and keeps
 * the default timeout and initial delay; an object with `frequency` is a full schedule. A
 * frequency or timeout of zero or less stops start-up naming the key.
 */
type CollectorSchedule =
  | string
  | HumanDuration
  | SchedulerServiceTaskScheduleDefinitionConfig;

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
     * Extra evidence kinds (or built-in windows shortened/lengthened), by kind id. Ids may hold
     * dots (`deploy.freeze-window`): they are keys, not paths.
     * @visibility backend
     */
    kinds?: {
      [kind: string]: {
        /**
         * How long a fact of the kind stays fresh. Default: the built-in kind's window, 7d for
         * a new kind.
         * @visibility backend
         */
        freshFor?: string | HumanDuration;
        /**
         * True when facts of the kind carry a `key` (URL, SLO id, on-call route). Default: the
         * built-in kind's (`link.status`, `oncall.schedule`, … are keyed), false for a new kind.
         * @visibility backend
         */
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
      /**
       * How long edge tombstones and the record of entities evidence left (an alias moved) are
       * kept for feed readers. Default 7 days.
       * @visibility backend
       */
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
     * Platform-curated telemetry name → full entity ref (`kind:namespace/name`; a short ref
     * stops start-up, naming the key); wins over annotations, never void. Names may hold dots
     * (`api.stripe.com`).
     * @visibility backend
     */
    aliases?: { [name: string]: string };
    /** Push sources (ids may hold dots) and how often they are expected to write. */
    sources?: {
      [source: string]: {
        /** @visibility backend */
        expectEvery?: string | HumanDuration;
      };
    };
    /** Repository-files collector (§4.2); reads through the backend's `UrlReader` integrations. */
    repo?: {
      /** Default true. */
      enabled?: boolean;
      /** Default 6h (timeout 2h, first run after 2 min). */
      schedule?: CollectorSchedule;
      /** Globs read from each repository; default the §4.2 list (`DEFAULT_REPO_PATHS` of evidence-common). Replaces it. */
      paths?: string[];
      /** Globs read in addition to `paths`. Default none. */
      extraPaths?: string[];
      /** Entity kinds whose repositories are read. Default [Component]. */
      kinds?: string[];
      /** Repository reads started per minute, spaced evenly; 0 = unlimited. Default 60. */
      requestsPerMinute?: number;
      /** Repositories read at once, a whole number from 1 to 64. Default 4. */
      concurrency?: number;
      /** Per repository. Default 60s. */
      timeout?: string | HumanDuration;
    };
    /** Prometheus / Alertmanager collector (§4.3); no `baseUrl` = disabled. */
    prometheus?: {
      /** Default true (with a `baseUrl`). */
      enabled?: boolean;
      /** Default 5m (timeout 4m, first run after 30 s). */
      schedule?: CollectorSchedule;
      /** Prometheus HTTP API base URL, without credentials (use `headers`). */
      baseUrl?: string;
      /** Alertmanager base URL, without credentials; unset = receivers unknown (`null`). */
      alertmanagerUrl?: string;
      /**
       * Headers sent on every Prometheus and Alertmanager call, e.g. `Authorization: Bearer …`:
       * the only place for credentials. Every value is secret (the annotation sits on the
       * values: on the map itself it would not hide them).
       */
      headers?: {
        /** @visibility secret */
        [name: string]: string;
      };
      /** Per HTTP call. Default 30s. */
      queryTimeout?: string | HumanDuration;
      presence?: {
        /** Label naming the service on `target_info`. Default `service`. */
        label?: string;
        /** Query listing services with telemetry. Default the §4.3 query. */
        query?: string;
      };
      rules?: {
        /** Default `service`. */
        serviceLabel?: string;
        /** Default `team`. */
        teamLabel?: string;
        /** Default `slo_id`. */
        sloIdLabel?: string;
      };
      /** SLO series; defaults are the Sloth recording-rule names (§4.3). */
      slo?: {
        idLabel?: string;
        objective?: string;
        lastSample?: string;
        burnRate1h?: string;
        budgetRemaining?: string;
      };
      /** Observed edges from service-graph metrics. */
      serviceGraph?: {
        /** Default `traces_service_graph_request_total`. */
        metric?: string;
        /** Series selector; default the metric, e.g. `traces_service_graph_request_total{env="prod"}`. */
        query?: string;
        /** Default `traces_service_graph_request_failed_total`. */
        failedQuery?: string;
        /** Older spelling of `failedQuery`; `failedQuery` wins. */
        failedMetric?: string;
        labels?: {
          /** Default `client`. */
          client?: string;
          /** Default `server`. */
          server?: string;
          /** Default `connection_type`. */
          connectionType?: string;
        };
        /** PromQL range of the rate. Default `5m`. */
        rateWindow?: string;
      };
    };
    /** On-call collector (§4.4); rotations come from `incidentBrief.onCall.static.schedules`. */
    oncall?: {
      /** Default true. */
      enabled?: boolean;
      /** Default 30m (timeout 10m, first run after 1 min). */
      schedule?: CollectorSchedule;
    };
    demo?: {
      /**
       * Seeds demo evidence and flags every row, collectors' included, as demo; never in
       * production (`DELETE /demo` then removes real evidence too).
       * @visibility backend
       */
      enabled?: boolean;
    };
  };
}
