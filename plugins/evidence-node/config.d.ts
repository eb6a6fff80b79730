export interface Config {
  /**
   * The static on-call rotations `StaticOnCallProvider` reads (incident-brief.md §6.5), for
   * incident-brief-backend's on-call router and evidence-backend's on-call collector alike.
   */
  incidentBrief?: {
    onCall?: {
      static?: {
        /**
         * Static rotations, referenced as `static:<name>` in `ops.example.com/oncall`. Names may
         * hold dots (read as one map). Members take turns per rotation starting at `handoff`;
         * the next member is secondary.
         */
        schedules?: {
          [name: string]: {
            /** User entity refs in rotation order. */
            members: string[];
            /** Default weekly. */
            rotation?: 'daily' | 'weekly';
            /**
             * ISO-8601 instant with a zone at which `members[0]` takes over. Default
             * 1970-01-05T09:00:00Z (a Monday).
             */
            handoff?: string;
          };
        };
      };
    };
  };
  /** Evidence (design note evidence.md §10); the keys read by evidence-node. */
  evidence?: {
    /**
     * The evidence client other backend plugins and catalog modules use (§5.4). Unset keys keep
     * the defaults; a value outside its range stops the backend at start-up, naming the key.
     */
    client?: {
      /** Milliseconds reads are collected into one batch. Default 5. */
      batchWindowMs?: number;
      /** Entity refs per `POST /read`, 1–5000. Default 200. */
      maxRefsPerCall?: number;
      /** Calls in flight at once, at least 1. Default 4. */
      maxInFlight?: number;
      /** Milliseconds an answer is cached. Default 60000. */
      cacheTtlMs?: number;
      /** Milliseconds a ledger answer is cached; above 5000 it is clamped to 5000. Default 5000. */
      ledgerCacheTtlMs?: number;
      /** Answers the cache keeps, at least 1; the oldest go first. Default 10000. */
      cacheMaxEntries?: number;
      /** Milliseconds one call may take, a whole number of at least 1. Default 2000. */
      timeoutMs?: number;
      /** Consecutive failures that open the circuit breaker, at least 1. Default 3. */
      breakerFailures?: number;
      /** Milliseconds the breaker stays open. Default 30000. */
      breakerOpenForMs?: number;
    };
    /**
     * The repository collector's globs (§4.2), also read by evidence-node so that
     * `collectedRepoPaths()` reports them (scorecards warns at load about a `repo-file` check
     * path none of them matches). The collector's other `evidence.repo.*` keys are
     * evidence-backend's.
     */
    repo?: {
      /** `false`: the collector is off, so `collectedRepoPaths()` reports no glob. Default true. */
      enabled?: boolean;
      /** Globs read from each repository; replaces the default list of §4.2. */
      paths?: string[];
      /** Globs read in addition to `paths`. Default none. */
      extraPaths?: string[];
    };
  };
}
