import type { LoggerService } from '@backstage/backend-plugin-api';

/** Options of {@link FailureLog}. */
export interface FailureLogOptions {
  /** A failure that goes on is logged again after this long; default 10 minutes. */
  remindEveryMs?: number;
  clock?: () => number;
}

/**
 * Logs a failure that repeats (a task every few seconds, a flush every 2 s) when it starts, when
 * its message changes and every `remindEveryMs` while it lasts, with how long it has lasted;
 * the repeats in between go to `debug`. The recovery is logged once. Without it a background
 * task failing every 5 s writes some 720 identical warnings an hour.
 */
export class FailureLog {
  private readonly failing = new Map<
    string,
    { message: string; sinceMs: number; loggedAtMs: number }
  >();
  private readonly remindEveryMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly logger: LoggerService,
    options: FailureLogOptions = {},
  ) {
    this.remindEveryMs = options.remindEveryMs ?? 600_000;
    this.clock = options.clock ?? Date.now;
  }

  /** Whether a failure of `key` is being logged (it failed and has not recovered since). */
  isFailing(key: string): boolean {
    return this.failing.has(key);
  }

  /** A failure of `key`: a warning unless the same message was logged less than the reminder ago. */
  failed(key: string, message: string): void {
    const now = this.clock();
    const last = this.failing.get(key);
    if (
      last &&
      last.message === message &&
      now - last.loggedAtMs < this.remindEveryMs
    ) {
      this.logger.debug(message);
      return;
    }
    const sinceMs = last?.sinceMs ?? now;
    this.failing.set(key, { message, sinceMs, loggedAtMs: now });
    this.logger.warn(
      last
        ? `${message} (failing for ${durationText(now - sinceMs)})`
        : message,
    );
  }

  /** `key` works again: `message` at info if a failure of it was logged, else nothing. */
  recovered(key: string, message: string): void {
    const last = this.failing.get(key);
    if (!last) return;
    this.failing.delete(key);
    this.logger.info(
      `${message} (after ${durationText(this.clock() - last.sinceMs)})`,
    );
  }

  /** Forgets the failures of keys not in `keys` (a repository no entity names any more). */
  retainOnly(keys: ReadonlySet<string>): void {
    for (const key of this.failing.keys()) {
      if (!keys.has(key)) this.failing.delete(key);
    }
  }
}

function durationText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h`;
}
