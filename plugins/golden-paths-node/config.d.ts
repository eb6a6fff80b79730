export interface Config {
  /** Golden paths (design note golden-paths.md §9); the key read by golden-paths-node. */
  goldenPaths?: {
    /** The ledger client other backend plugins (the scaffolder module) use. */
    client?: {
      /**
       * Seconds one call to the golden-paths backend may take, answer body included; past it
       * the call fails with a `ServiceUnavailableError` saying the outcome is unknown (re-read
       * the ledger before retrying), instead of holding the scaffolder task. Default 10; at most
       * 2147483.647 (the longest timer Node keeps).
       */
      timeoutSeconds?: number;
    };
  };
}
