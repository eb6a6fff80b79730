export interface Config {
  /** Golden paths (design note golden-paths.md §9). */
  goldenPaths?: {};
}
