export interface Config {
  goldenPaths?: {
    publish?: {
      /** local | github | gitlab (default local); this module only acts in local mode. */
      mode?: string;
      local?: {
        /** Directory of the bare repositories golden paths publish (default ./.data/golden-paths/repos). */
        root?: string;
        /** Seconds between scans of the root (default 2). */
        scanSeconds?: number;
      };
    };
  };
}
