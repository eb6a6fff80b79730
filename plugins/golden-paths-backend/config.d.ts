export interface Config {
  /** Golden paths (design note golden-paths.md §9); keys read by golden-paths-backend. */
  goldenPaths?: {
    /**
     * Kill switches (§4.7), re-read on every request: a reloaded config source takes effect
     * without a deploy. OR-ed with the runtime switches of `PUT /kill-switches/:scope/:id`.
     * `templates` and `actions` are read as plain maps, so names that are not config keys work
     * (`node.v2`, `2fa-service`, `svc--v2`, `goldenpath:register`). `disabled` is true or false
     * (or the text "true"/"false"), `since` an ISO instant with a zone (optional: without it the
     * GP-K01/K02/K03 line leaves the time out); a malformed entry, an unknown key or a template
     * name with capital letters (it would never match) stops the backend at start with an error
     * naming its path. One reloaded later leaves runs refused and is named in `configError` of
     * GET /kill-switches.
     */
    killSwitch?: {
      /** Switches off every golden path (GP-K03). */
      all?: { disabled?: boolean; reason?: string; since?: string };
      /** By template `metadata.name`, in lower case as the catalog normalizes it (GP-K01). */
      templates?: {
        [name: string]: { disabled?: boolean; reason?: string; since?: string };
      };
      /** By action id, e.g. `goldenpath:register` (GP-K02). */
      actions?: {
        [id: string]: { disabled?: boolean; reason?: string; since?: string };
      };
    };
    /** Alias of `killSwitch`; both are read and a switch is off when either says so. */
    killSwitches?: {
      all?: { disabled?: boolean; reason?: string; since?: string };
      templates?: {
        [name: string]: { disabled?: boolean; reason?: string; since?: string };
      };
      actions?: {
        [id: string]: { disabled?: boolean; reason?: string; since?: string };
      };
    };
    /** Approvals (§6). */
    approvals?: {
      /** Days until a pending approval expires (GP-A05), above 0 and at most 3650. Default 7. */
      expiresAfterDays?: number;
      /**
       * Route groups per trigger (`production-data`, `iam`, `network`, `cost`, `tier-1`,
       * `destructive`, `exception`). Unset triggers use the §6.1 production defaults. A trigger
       * set to an empty list is refused at start-up: its approvals would be decided by nobody.
       */
      routes?: { [trigger: string]: string[] };
      /** Members may approve their own request with `breakGlass: true` (§6.2 rule 8). */
      breakGlassGroup?: string;
    };
    /**
     * Scorecard level ids, lowest first, that the promote gate G-P1 ranks (scorecards §2.2).
     * Default [L0, L1, L2, L3], the scorecards engine's levels.
     */
    levels?: string[];
    /** Lifecycle gates (§7.1), shown on `GET /lifecycle/gates` and the Lifecycle card. */
    lifecycle?: {
      promote?: {
        /** G-P1: the level promotion needs, one of `levels` (default L0, L1, L2, L3). Default L2. */
        minLevel?: string;
        /** G-P2: days a successful staging deploy counts. Default 30. */
        stagingDeployWithinDays?: number;
      };
      archive?: {
        /** G-A2: days without observed traffic before archiving. Default 14. */
        quietDays?: number;
      };
      delete?: {
        /** G-X2: days in `archived` before deletion. Default 30. */
        minArchivedDays?: number;
      };
    };
    /** Publishing (§9); the backend reads only the local root, for compensation (§8). */
    publish?: {
      local?: {
        /**
         * Directory of the bare repositories golden paths publish (default
         * ./.data/golden-paths/repos). Compensation deletes a repository only inside it.
         */
        root?: string;
      };
    };
    /** The local-postgres provisioner, shared with the scaffolder module. */
    database?: {
      local?: {
        /**
         * Its admin connection. The reconciler (§8 step 4) reads through it whether each
         * request's database still exists (one `pg_database` query); unset, databases are
         * listed as not checkable.
         * @visibility secret
         */
        connection?: string;
      };
    };
    /**
     * Reconciler (§8 step 4): checks every `succeeded` request against reality (local
     * repository, catalog entity) and records each distinct mismatch once as a
     * `golden-path-drift-detected` event on the request. It fixes nothing.
     */
    reconciler?: {
      /** Default true; false schedules no task. */
      enabled?: boolean;
      /** Minutes between runs; one runner across replicas (scheduler scope global). Default 10. */
      frequencyMinutes?: number;
      /** Minutes a run may take before it is aborted. Default: frequencyMinutes. */
      timeoutMinutes?: number;
    };
    /** The catalog's Groups and Users, read for approvals and the policy's membership checks. */
    groupDirectory?: {
      /**
       * Seconds one read may take before the approval or check that waits on it fails (a
       * number above 0). Default 30; raise it for an organisation whose read takes longer.
       */
      timeoutSeconds?: number;
    };
    /** Request ledger (§4.3). */
    ledger?: {
      /** Claim lease in minutes. Default 15. */
      leaseMinutes?: number;
      /** Service principals allowed to write the ledger. Default [plugin:scaffolder]. */
      writers?: string[];
      /** Days a succeeded request keeps its row. Default 90. */
      retainSucceededDays?: number;
      /** Days audit events are kept. Default 400. */
      retainEventsDays?: number;
    };
  };
}
