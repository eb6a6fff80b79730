/** A duration object as `readDurationFromConfig` reads it (`@backstage/types` HumanDuration). */
interface Duration {
  /** Counted as 365 days. */
  years?: number;
  /** Counted as 30 days. */
  months?: number;
  weeks?: number;
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}

export interface Config {
  /** Incident brief (incident-brief.md §6.5). Durations: `'24h'`, ISO `'PT24H'` or `{ hours: 24 }`. */
  incidentBrief?: {
    blastRadius?: {
      /** Hops when a request names none, at most `maxHops`. Default 3. */
      defaultHops?: number;
      /**
       * The most hops a request may ask for (brief, blast radius, changes), 1–10: lower it to bound
       * the work one request can ask of the index. Default 10.
       */
      maxHops?: number;
      /** Page size of `impacted` when a request names none (max 5,000). Default 200. */
      listLimit?: number;
    };
    observedEdges?: {
      /** An observed edge is fresh while `now − lastSeen` is within this. Default 24h. */
      freshFor?: string | Duration;
      /** Stale observed edges are kept this long, then dropped. Default 30d. */
      retainFor?: string | Duration;
    };
    /** Resource `spec.type`s whose dependents are impacted asynchronously. Default queue, topic, stream. */
    asyncResourceTypes?: string[];
    changes?: {
      /** "Changes in window" before the incident time. Default 24h. */
      window?: string | Duration;
      /** Dependency depth of the change scope. Default 2. */
      dependencyHops?: number;
      /** How far back the ledger is read per brief (coverage, history). Default 30d. */
      lookback?: string | Duration;
    };
    onCall?: {
      /** Provider call timeout; a slower provider is ONCALL_PROVIDER_UNAVAILABLE. Default 2s. */
      timeout?: string | Duration;
      /** How long an answer about "now" is reused; 0 asks the provider every time. Default 60s. */
      cacheTtl?: string | Duration;
      // `static.schedules` is declared by @internal/plugin-evidence-node, whose
      // StaticOnCallProvider reads it for this plugin and for evidence-backend's collector.
    };
    index?: {
      /** Incremental refresh (edge feed + catalog etag scan). Default 60s. */
      refreshInterval?: string | Duration;
      /** Full rebuild and swap (compaction, deletions, alias changes). Default 10m. */
      fullSyncInterval?: string | Duration;
    };
    /**
     * Change risk write-back (evidence.md §3.5, §11 R-13). Risk is computed on each
     * `evidence.changes` event and stored write-once in evidence; a sweep scores what the events
     * missed.
     */
    risk?: {
      sweep?: {
        /** How often the sweep runs (one runner across replicas). Default 5m. */
        frequency?: string | Duration;
        /**
         * How far back the sweep looks for changes still without risk: changes whose
         * `[effectiveAt, finishedAt ?? now]` reaches into this window. Default 7d.
         */
        lookback?: string | Duration;
      };
      /**
       * A change whose SLO health (D5) is unknown when it is scored (no fresh `slo.status` yet) is
       * not stored until this long after its receipt, so a collector that runs after the
       * ledger write can still deliver it; past it, the unknown is stored. Default 10m; 0 stores
       * at once.
       */
      healthGrace?: string | Duration;
    };
  };
}
