import { ResponseError } from '@backstage/errors';

/** A failed call as the UI shows it: an optional headline and the server's message verbatim. */
export interface FailureView {
  status?: number;
  /** For 403: "You are not allowed to approve this waiver (permission scorecards.waiver.approve)". */
  title?: string;
  /** The backend's `error.message`, unchanged (e.g. `reason must be at least 20 characters (got 9)`). */
  message: string;
}

/** The permission a backend 403 message names (`scorecards.waiver.approve is not allowed on check x`). */
const PERMISSION_IN_MESSAGE = /\b((?:scorecards|catalog)\.[a-z]+\.[a-z]+)\b/;

/**
 * Turns an error of the scorecards client into what the dialogs show. `action` completes
 * "You are not allowed to …"; `permission` is the one the route checks, used when the server
 * message names none (e.g. `approver must differ from requester`).
 */
export function describeFailure(
  error: unknown,
  action: string,
  permission: string,
): FailureView {
  if (ResponseError.is(error)) {
    const status = error.statusCode;
    const message = error.body?.error?.message || error.message;
    if (status === 403) {
      const named = PERMISSION_IN_MESSAGE.exec(message)?.[1] ?? permission;
      return {
        status,
        title: `You are not allowed to ${action} (permission ${named})`,
        message,
      };
    }
    return { status, message };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
