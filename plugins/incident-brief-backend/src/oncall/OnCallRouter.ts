import { OnCallAnswer } from '@internal/plugin-incident-brief-common';
import type { OnCallProvider } from '@internal/plugin-evidence-node';

/** When an `ok` answer's shift ends (NaN when it does not say). */
function untilMs(answer: OnCallAnswer): number {
  return answer.status === 'ok' ? Date.parse(answer.until) : NaN;
}

/** Whether an answer's shift ended at or before `atMs`. */
function endedBy(answer: OnCallAnswer, atMs: number): boolean {
  return answer.status === 'ok' && untilMs(answer) <= atMs;
}

/**
 * Routes an on-call source to its provider by prefix, with the provider timeout (2 s) and a short
 * answer cache (60 s) of IB §2.2/§6.5. A missing, slow or failing provider answers `unavailable`,
 * so resolution moves on to the next source (R20); this never rejects.
 */
export class OnCallRouter {
  private readonly cache = new Map<
    string,
    { answer: OnCallAnswer; expiresAt: number }
  >();
  /** When expired answers are next dropped: each source asked once would otherwise stay. */
  private nextSweepAt = 0;
  /**
   * Live asks in flight, by source: a page load asks the same sources from two routes at once
   * (the brief and the changes), and every responder opening pages in an incident would
   * otherwise multiply the calls against the provider's rate limit (8 calls for 4 sources on
   * one cold page load, measured); once limited, the source reads as unavailable.
   */
  private readonly inFlight = new Map<string, Promise<OnCallAnswer>>();

  constructor(
    private readonly providers: Record<string, OnCallProvider>,
    private readonly options: {
      timeoutMs: number;
      cacheTtlMs: number;
      now?: () => number;
    },
  ) {}

  async answer(
    source: string,
    at: Date,
    /** true on the one retry after a joined answer had ended (no further retries) */
    retried = false,
  ): Promise<OnCallAnswer> {
    const now = this.options.now?.() ?? Date.now();
    // cached answers are about "now"; an explicit incident time in the past is asked afresh
    const live = Math.abs(at.getTime() - now) < this.options.cacheTtlMs;
    const hit = live ? this.cache.get(source) : undefined;
    // An answer holds until its own `until` too: past a hand-off it names the previous person.
    if (hit && hit.expiresAt > now && !endedBy(hit.answer, at.getTime())) {
      return hit.answer;
    }

    if (!live) return this.ask(source, at);
    const pending = this.inFlight.get(source);
    if (pending) {
      // joined, but held to its shift as a cache hit is: past a hand-off, asked again once, the
      // same shared and cached way (the callers past it share that ask); a provider whose
      // answers are already over when given (clock skew) gets one more plain ask, no loop
      const shared = await pending;
      if (!endedBy(shared, at.getTime())) return shared;
      return retried ? this.ask(source, at) : this.answer(source, at, true);
    }
    const asked = this.ask(source, at).then(answer => {
      this.sweep(now);
      const until = untilMs(answer);
      this.cache.set(source, {
        answer,
        expiresAt: Number.isFinite(until)
          ? Math.min(now + this.options.cacheTtlMs, until)
          : now + this.options.cacheTtlMs,
      });
      return answer;
    });
    this.inFlight.set(source, asked);
    try {
      return await asked;
    } finally {
      if (this.inFlight.get(source) === asked) this.inFlight.delete(source);
    }
  }

  /** The provider's answer for `source` at `at`, stamped, or `unavailable`; never rejects. */
  private async ask(source: string, at: Date): Promise<OnCallAnswer> {
    const prefix = source.split(':')[0];
    const provider = this.providers[prefix];
    let answer: OnCallAnswer;
    if (!provider) {
      answer = {
        status: 'unavailable',
        reason: `provider ${prefix} not configured`,
      };
    } else {
      answer = await this.withTimeout(provider.currentOnCall(source, at));
      // The brief shows how old an answer is (§6.1 item 2): stamp when the provider answered,
      // unless it said so itself. A cache hit above returns this same stamp, so its age grows.
      if (answer.status === 'ok' && answer.fetchedAt === undefined) {
        answer = {
          ...answer,
          fetchedAt: new Date(this.options.now?.() ?? Date.now()).toISOString(),
        };
      }
    }
    return answer;
  }

  /** Drops expired answers, at most once per cache lifetime (so the map holds one TTL's sources). */
  private sweep(now: number): void {
    if (now < this.nextSweepAt) return;
    this.nextSweepAt = now + this.options.cacheTtlMs;
    for (const [source, entry] of this.cache) {
      if (entry.expiresAt <= now) this.cache.delete(source);
    }
  }

  private async withTimeout(
    call: Promise<OnCallAnswer>,
  ): Promise<OnCallAnswer> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<OnCallAnswer>(resolve => {
      timer = setTimeout(
        () =>
          resolve({
            status: 'unavailable',
            reason: `no answer within ${this.options.timeoutMs} ms`,
          }),
        this.options.timeoutMs,
      );
    });
    try {
      return await Promise.race([
        call.catch(
          (error): OnCallAnswer => ({
            status: 'unavailable',
            reason: String(error?.message ?? error),
          }),
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
