// Exit codes of one run (golden-paths.md §3.2). The scheduler, the alerts and the runbook read
// them, so keep their meaning when you change the code.
export const EXIT = {
  /** Everything planned was done (or was already done by an earlier run). */
  ok: 0,
  /** An unexpected error; see the job.failed event. */
  unexpected: 1,
  /** Bad arguments or configuration; nothing was read or changed. */
  badArguments: 2,
  /** Input validation failed before any change was made. */
  validationFailed: 3,
  /** A dependency (source, queue, downstream API) failed. */
  dependencyFailure: 4,
  /** Some units were done, others failed; a rerun does only the rest. */
  partialSuccess: 5,
  /** --dry-run found work to do (not an error). */
  dryRunChanges: 10,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
