/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one probe is let through. */
  openForMs: number;
  now: () => number;
  /**
   * Told when the circuit opens (again, after a failed probe: `reopened`) and when a success
   * closes it after failures, so the host can log an outage once per transition, not per call.
   */
  onChange?: (change: CircuitChange) => void;
}

/** A transition of the circuit, with how long the failures have lasted. */
export type CircuitChange =
  | { state: 'open'; reopened: boolean; failingForMs: number }
  | { state: 'closed'; failingForMs: number };

/**
 * Stops calling a backend that keeps failing, so a catalog processing loop does not wait
 * out a timeout per entity during an outage (evidence §5.4: 3 failures, open 30 s, one probe).
 */
export class CircuitBreaker {
  #consecutiveFailures = 0;
  #openedAt: number | undefined;
  #probeInFlight = false;
  #since: number | undefined;

  constructor(private readonly options: CircuitBreakerOptions) {}

  /** Whether a call may go out now; while half-open only one probe is allowed. */
  tryAcquire(): boolean {
    if (this.#openedAt === undefined) return true;
    if (this.options.now() - this.#openedAt < this.options.openForMs) {
      return false;
    }
    if (this.#probeInFlight) return false;
    this.#probeInFlight = true;
    return true;
  }

  /** Records a successful call: closes the circuit. */
  onSuccess(): void {
    if (this.#openedAt !== undefined && this.#since !== undefined) {
      this.options.onChange?.({
        state: 'closed',
        failingForMs: this.options.now() - this.#since,
      });
    }
    this.#consecutiveFailures = 0;
    this.#openedAt = undefined;
    this.#probeInFlight = false;
    this.#since = undefined;
  }

  /** Records a failed call: opens after the configured number in a row, or re-opens after a failed probe. */
  onFailure(): void {
    const now = this.options.now();
    this.#since ??= now;
    this.#consecutiveFailures += 1;
    const reopened = this.#probeInFlight;
    if (reopened || this.#consecutiveFailures >= this.options.failures) {
      // Calls that went out before it opened may still fail: only the opening is a change.
      if (reopened || this.#openedAt === undefined) {
        this.options.onChange?.({
          state: 'open',
          reopened,
          failingForMs: now - this.#since,
        });
      }
      this.#openedAt = now;
    }
    this.#probeInFlight = false;
  }

  /** When the current run of failures began, for `since` in unavailable answers. */
  failingSince(): number | undefined {
    return this.#since;
  }
}
