// Operation keys (golden-paths.md §3.2): every unit of work is identified by its business
// identity — the hour it covers, the order it settles, the message it handles — never by a run
// id or the time of the attempt. Two runs that meet the same unit use the same key, so the
// claim table lets only one of them do the work and gives the other the recorded result.

export const JOB_NAME = '${{ values.request.name }}';

/** schedule | queue, as requested from the golden path. */
export const TRIGGER = '${{ values.request.trigger }}';

/** A run that takes longer is stopped by the platform; a claim older than this is stale. */
export const MAX_RUNTIME_MINUTES = ${{ values.request.maxRuntimeMinutes }};

export interface Window {
  /** ISO instant, inclusive. */
  from: string;
  /** ISO instant, exclusive. */
  to: string;
}

/** The key of one unit of work. */
export function operationKey(unitId: string): string {
  return `${JOB_NAME}:${unitId}`;
}

/** The key of a whole run: the job and the window it covers, the same for every retry. */
export function runKey(window: Window): string {
  return `${JOB_NAME}:${window.from}/${window.to}`;
}

/** The window a scheduled run covers by default: the last full hour before `now`. */
export function defaultWindow(now: Date): Window {
  const to = new Date(now);
  to.setUTCMinutes(0, 0, 0);
  const from = new Date(to.getTime() - 3_600_000);
  return { from: from.toISOString(), to: to.toISOString() };
}
