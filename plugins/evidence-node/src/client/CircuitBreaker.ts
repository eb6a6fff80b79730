/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failures: number;
  /** How long the circuit stays open before one probe is let through. */
  openForMs: number;
  now: () => number;
}

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
    if (
      this.#probeInFlight ||
      this.#consecutiveFailures >= this.options.failures
    ) {
      this.#openedAt = now;
    }
    this.#probeInFlight = false;
  }

  /** When the current run of failures began, for `since` in unavailable answers. */
  failingSince(): number | undefined {
    return this.#since;
  }
}
