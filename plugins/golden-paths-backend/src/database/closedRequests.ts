import type { RequestStatus } from './GoldenPathsStore';

// A request whose run is over (§4.3 statuses): nothing a task sends may run, record or close
// anything under it any more. `succeeded` answers replays (ledger:open `replay`, a claim of a
// done step, a repeated close) but takes no claim; the others answer ledger:open with a refusal
// (GP-A02, "was compensated") or a fresh claim (superseded, §4.4). `failed` is not closed: a
// rerun resumes it.

/** Statuses after which no task writes to the request. */
export const CLOSED_STATUSES: readonly RequestStatus[] = [
  'succeeded',
  'rejected',
  'compensated',
  'superseded',
];

export const isClosed = (status: RequestStatus) =>
  CLOSED_STATUSES.includes(status);

/** The 409 text for a write on a closed request: what happened to it and what to do instead. */
export function closedRequestMessage(
  requestKey: string,
  status: RequestStatus,
  what: string,
): string {
  switch (status) {
    case 'succeeded':
      return `request "${requestKey}" already succeeded, so ${what} is refused: run it again with the same inputs to replay its result, or start a new request with a new key`;
    case 'compensated':
      return `request "${requestKey}" was compensated, so ${what} is refused; start a new request with a new key`;
    case 'rejected':
      return `request "${requestKey}" was rejected, so ${what} is refused; change the request and run it with a new key`;
    default:
      return `request "${requestKey}" was superseded, so ${what} is refused; open it again to start a fresh run`;
  }
}
