/** One kill switch (golden-paths.md §4.7). */
interface GoldenPathKillSwitch {
  /**
   * Whether the switch is thrown. Default false: a switch that only names a `reason` is off,
   * as golden-paths-backend reads it (both packages declare these keys; a required flag here
   * made schema validation refuse such a switch).
   */
  disabled?: boolean;
  /** Shown to the requester in GP-K01/K02/K03. */
  reason?: string;
  /** ISO instant the switch was thrown, e.g. 2026-11-23T09:30:00Z. */
  since?: string;
}

/** Config kill switches: `all`, per template name, per action id. */
interface GoldenPathKillSwitches {
  all?: GoldenPathKillSwitch;
  templates?: { [templateName: string]: GoldenPathKillSwitch };
  actions?: { [actionId: string]: GoldenPathKillSwitch };
}

export interface Config {
  /** Golden paths (design note golden-paths.md §9). Every value has the note's default. */
  goldenPaths?: {
    publish?: {
      /**
       * Where golden paths publish (default local). Any other value stops the backend at startup.
       * `gitlab` is accepted here but every create request is refused at validate (GP-U03): no
       * template has a GitLab publish step yet. `github` needs `github.org` (GP-U03 otherwise)
       * and is refused for database requests (the github-terraform provisioner is not built).
       */
      mode?: 'local' | 'github' | 'gitlab';
      local?: {
        /** Directory of the bare repositories golden paths publish (default ./.data/golden-paths/repos). */
        root?: string;
        /**
         * Name of the infrastructure repository under `root` that the database actions write
         * `resources/<name>-<env>.yaml` to (default platform-infra).
         */
        infraRepo?: string;
      };
      /** goldenpath:publish:git (§4.9). */
      git?: {
        /**
         * Remotes outside local.root that publish:git may push to. Each entry is a URL (or scp
         * form `git@host:org`); it admits remotes with exactly its scheme, host, port and user
         * part, spelled as the entry spells it (a remote carrying a user part the entry does not
         * name, even an empty `https://@…` or `https://git:@…`, is refused) whose path is
         * the entry's path or below it on a `/` boundary: `https://github.com/acme` admits
         * `https://github.com/acme/x.git`, not `https://github.com/acme-evil/x.git` nor
         * `https://github.com.evil.com/…`. Not a string prefix.
         */
        allowedRemotes?: string[];
        /** Commit author of published repositories. */
        author?: { name?: string; email?: string };
        /**
         * Default branch (default main): what publish:git pushes, what the descriptor's links
         * name, and (through goldenpath:validate's `publish` output) what publish:github creates.
         */
        defaultBranch?: string;
      };
      github?: {
        /** Organisation the repositories are created in; required in github mode (GP-U03). */
        org?: string;
        /** `publish:github` repoVisibility (default internal); others stop the backend at startup. */
        visibility?: 'private' | 'internal' | 'public';
      };
      gitlab?: { group?: string };
    };
    database?: {
      /** local-postgres (default) | github-terraform (not in this module yet). */
      provisioner?: string;
      local?: {
        /**
         * Admin connection (CREATEDB + CREATEROLE) of the local-postgres provisioner.
         * @visibility secret
         */
        connection?: string;
        /** host:port apps connect to; default the admin connection's. */
        endpoint?: string;
      };
      /** Overrides of the C15 price-book slice (default v2026.11.0 illustrative prices). */
      priceBook?: {
        version?: string;
        hourly?: { [sku: string]: string | number };
        storagePerGiBMonth?: string | number;
        hoursPerMonth?: number;
        tiers?: {
          [tier: string]: {
            ha?: boolean;
            readReplicas?: number;
            approvalThresholdMonthly?: string | number;
          };
        };
      };
    };
    /** Local secret store of the local-postgres provisioner (files mode 0600). */
    secrets?: { local?: { dir?: string } };
    /** Platform CI callers written into generated repositories (§3.1). */
    ci?: {
      reusableWorkflow?: string;
      version?: string;
      deployWorkflow?: string;
    };
    /** Base images pinned by digest (§3.1 Dockerfile). */
    baseImages?: { node?: string };
    /** Scorecard level a new service starts at (§2.3, default L0). */
    scorecard?: { expectedStartLevel?: string };
    /** Dashboard link written into descriptors, `{name}` replaced by the entity name. */
    dashboardUrlTemplate?: string;
    /** How long goldenpath:register waits for the entity (seconds, default 20). */
    register?: { waitSeconds?: number };
    /**
     * The User a service's token runs golden paths as, by the token's subject
     * (`external:<subject>` for a static external-access token, `plugin:<id>` for a plugin):
     * machines (CI, other portals) call the scaffolder API with the form's validation, whose
     * rules name a user (team membership, approver ≠ requester, who opened the request). A task
     * started by a subject without an entry is refused (GP-O05). `user` is a full User entity
     * ref, e.g. a bot account registered in the catalog as a member of the teams it creates for.
     */
    serviceRequesters?: Array<{ subject: string; user: string }>;
    policy?: {
      /** CalVer policy version, recorded with every request (default 2026.11.0). */
      version?: string;
      /** Seconds validate may reuse the catalog's Group projection (default 5; 0 = every run). */
      groupCacheSeconds?: number;
      /**
       * GP-O03 outcome: warn (demo, default) | deny (production). Any other value (`Deny`)
       * stops the backend at startup instead of falling back to warn.
       */
      ownerMembership?: 'warn' | 'deny';
      reservedNames?: string[];
      regions?: {
        offered?: string[];
        forbidden?: Array<{ region: string; reason: string }>;
        residency?: {
          'critical-pii'?: string[];
          'pci-regulated'?: string[];
        };
      };
    };
    approvals?: {
      routes?: { [trigger: string]: string[] };
    };
    /** Config kill switches, re-read on every goldenpath:validate run (§4.7). */
    killSwitch?: GoldenPathKillSwitches;
    /** Alias of killSwitch; a switch off in either is off. */
    killSwitches?: GoldenPathKillSwitches;
  };
}
