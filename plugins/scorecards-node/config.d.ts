export interface Config {
  /** Scorecards (design note scorecards.md §7.6). */
  scorecards?: {
    /**
     * The standard inline (same shape as a standard file). Set this or `standardFile`;
     * neither means the built-in `default@7`.
     */
    standard?: object;
    /** Path of the standard YAML file, relative to the backend's working directory. */
    standardFile?: string;
    /** Same as `standardFile`, as a list of exactly one file (the note's spelling). */
    standardFiles?: string[];
    /** Lifecycle values considered valid. Default experimental, production, deprecated, archived. */
    lifecycles?: string[];
    /** Lifecycles that get a level. Default experimental, production. */
    ratedLifecycles?: string[];
    /** Expected level per tier (L0–L3). Defaults tier1 L3, tier2 L2, tier3 L1, unknown L1, experimental L1. */
    expectedLevels?: {
      tier1?: string;
      tier2?: string;
      tier3?: string;
      unknown?: string;
      experimental?: string;
    };
    /**
     * Per evidence kind id (dots are part of the id: `slo.status`), a freshness window in
     * seconds, 0 or more; only ever shortens a record's own.
     */
    evidenceWindows?: { [kind: string]: number };
    /** Platform capabilities checks may depend on (§2.9). */
    platformCapabilities?: Array<{
      id: string;
      owner: string;
      availableFor?: { runtimes?: string[] };
      issue?: string;
    }>;
    waivers?: {
      /**
       * Days before a waiver's expiry to warn: one or two whole days from 1 to 365. The larger
       * starts the amber "expiring soon" on the card and waiver tables and is the rollups'
       * "expiring" window; the smaller starts the red "expiring very soon". One value is the
       * amber window, red staying at 3 days inside it ([30]: amber from 30, red from 3; a value
       * of 3 or less is red from that day).
       * Default [14, 3].
       */
      expiryWarningDays?: number[];
      /** Maximum days of a false-positive waiver. Default 14. */
      falsePositiveMaxDays?: number;
    };
    linkCheck?: {
      /** Hosts the link checker may call. */
      allowedHosts?: string[];
    };
    processor?: {
      /** How often the catalog module re-reads the catalog snapshot. Default 60 s. */
      snapshotInterval?: { [unit: string]: number } | string;
      /**
       * How often a snapshot refresh reads the whole catalog even when the entities' etags say
       * nothing changed (between, a refresh reads only the entities whose etag is new). An
       * entity that declares its own `metadata.etag` keeps it through edits, which only a full
       * read sees; 0 reads everything at every refresh. Default 10 min.
       */
      snapshotFullReadInterval?: { [unit: string]: number } | string;
      /** How often the catalog module re-reads active waivers from the backend. Default 60 s. */
      waiverInterval?: { [unit: string]: number } | string;
      /**
       * How often the catalog module's evidence mirror asks the evidence store for the
       * entities written since its last poll. Default 5 s.
       */
      evidenceInterval?: { [unit: string]: number } | string;
      /**
       * Longest time an evaluation is reused for an entity whose inputs (entity, evidence,
       * the catalog lookups it made, waivers) did not change. Within it, a reuse ends at the
       * first instant at which time alone could change an outcome (evidence turning stale, a
       * ledger, traffic or observed-edge window closing, a retirement date, a waiver expiring,
       * a rollout phase starting), which the engine notes while it evaluates; an evaluation
       * that ran an extension check type not declaring `notesTimeLimits` is reused for 5 min
       * at most. Default 1 h; 0 evaluates on every processing.
       */
      reuseFor?: { [unit: string]: number } | string;
      /**
       * Whether the catalog module posts changed result sets to the scorecards backend
       * (`POST /api/scorecards/internal/results`), so latest results and transitions follow the
       * catalog instead of the backend's 10-minute pass. Default true.
       */
      publishResults?: boolean;
      /**
       * Whether those result sets are posted in their wire form (`compactEvaluation`: ~1/3
       * smaller, ~30 % less CPU on both sides) to `POST /internal/results/compact`, falling back
       * to full sets when the backend lacks that route. Default true (a bulk import ×0.91 the
       * wall time and −15 % CPU of full sets, steady passes unchanged: docs/benchmarks.md).
       */
      compactResults?: boolean;
      /**
       * Whether an entity scored while an entity it names (owner, System, Domain, APIs,
       * dependencies, parent component) was not in the catalog is processed again as soon as
       * that entity arrives, through catalog refresh keys (`scorecards:awaits:<ref>`), instead
       * of at the catalog's next loop. More than 100 arrivals at once (a bulk import) are left
       * to the loop, which costs less then. Default true.
       */
      reprocessOnArrival?: boolean;
    };
  };
}
