export interface Config {
  /** Scorecards (design note scorecards.md §7.6); the other keys are declared by scorecards-node. */
  scorecards?: {
    /** Local demo portal only. */
    demo?: {
      /**
       * Seeds the demo's waivers at start-up (payment-service's exception on slo-burn-alert,
       * scorecards.md §6.3), once per active period. Never enable it in production config.
       */
      waivers?: boolean;
      /**
       * Seeds the demo's campaign at start-up (tier-1 Components to L2, scorecards.md §2.11)
       * unless its id is stored. Never enable it in production config.
       */
      campaigns?: boolean;
    };
    /** Deploy and creation gates (`GET /api/scorecards/gate`) and gate readiness (`GET /checks`). */
    gates?: {
      /**
       * What an unknown result of a counted check does at the gate when the check does not set
       * `gateOnUnknown` itself (SR29). Default `warn`.
       */
      unknown?: 'warn' | 'block';
      /** Thresholds of gate readiness on the checks page (§2.4), shares between 0 and 1. */
      readiness?: {
        /** Highest unknown rate of a check that is ready to gate. Default 0.05. */
        maxUnknownRate?: number;
        /** Highest share of upheld false-positive disputes (30 days) among failures. Default 0.01. */
        maxUpheldDisputeShare?: number;
      };
    };
    /** History kept by the backend (scorecards.md §2.10). */
    history?: {
      /**
       * Transitions and daily rollup snapshots older than this many days are deleted by the
       * daily task (00:05 UTC). A whole number ≥ 1; default 730. Below 90 the card's 90-day
       * trend loses its older transitions.
       */
      retainDays?: number;
      /**
       * For this many minutes after an entity is first seen, its result changes update its latest
       * results but are not written as transitions: on a fresh install or a newly registered
       * entity the first minutes' changes are the catalog finishing its import and collectors
       * running for the first time, not the entity's history. A number ≥ 0; default 10; 0
       * writes every change.
       */
      settleMinutes?: number;
      /**
       * For this many days after an entity left the catalog, registering it again under the same
       * ref (a location unregistered and added back, a catalog-info.yaml moved) keeps the
       * first-seen time it left with, so `enforce-new` checks (SR28) do not treat it as new;
       * after that a service registered under the ref is new. A number ≥ 0; default 14; 0
       * forgets at once.
       */
      departedGraceDays?: number;
    };
    /**
     * The link checker (scorecards.md §2.5 `link.status`): requests the runbook and dashboard
     * links of scored entities and writes their HTTP status as evidence.
     */
    linkCheck?: {
      /**
       * Hosts the checker may call: exact host names or `*.example.com` wildcards (no scheme,
       * port or path). Redirects to other hosts are not followed. Empty or absent: nothing is
       * checked. Also read by the engine (declared in scorecards-node as well).
       */
      allowedHosts?: string[];
      /** How often the checker runs: `24h`, `PT24H` or `{ hours: 24 }`. Default 24 h. */
      interval?: { [unit: string]: number } | string;
      /** Time budget of one URL, redirects included: `5s` or `{ seconds: 5 }`. Default 5 s. */
      timeout?: { [unit: string]: number } | string;
    };
  };
}
