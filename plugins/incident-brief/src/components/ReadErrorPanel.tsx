import { Button } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import { ResponseError } from '@backstage/errors';

/** The HTTP status of a failed read, or undefined when no answer came (network, CORS, timeout). */
export function statusOf(error: Error): number | undefined {
  if (ResponseError.is(error)) return error.statusCode;
  const status = (error as { response?: { status?: unknown } }).response
    ?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The backend's own reason: `ResponseError`'s message is only "Request failed with 500 Internal
 * Server Error"; what went wrong (`hops must be …`, `not allowed to read …`) is its cause.
 */
function reasonOf(error: Error): string {
  if (ResponseError.is(error) && error.cause.message)
    return error.cause.message;
  return error.message;
}

/** Why a read failed, in the responder's words, from the status of the answer. */
export function readFailureText(error: Error): string {
  const status = statusOf(error);
  const reason = reasonOf(error);
  if (status === undefined)
    return `The incident-brief backend could not be reached (${reason}).`;
  if (status === 401)
    return `Your sign-in has expired or was not accepted (401: ${reason}); reload the page to sign in again.`;
  if (status === 403)
    return `You are not allowed to read this (${status}: ${reason}).`;
  if (status === 404)
    return `The incident-brief backend does not know this entity (404: ${reason}); it indexes a new catalog entity within a minute.`;
  if (status >= 500)
    return `The incident-brief backend failed (${status}: ${reason}).`;
  return `The request was refused (${status}: ${reason}).`;
}

/**
 * The error state of a card or the brief tab (IB §6.5: each card has its own error state). At
 * 2 AM "Request failed with 500" is not enough: it names what could not be loaded and why, says
 * what the responder can still use instead, and offers to try again without reloading the page
 * (the other cards keep what they show).
 */
export function ReadErrorPanel(props: {
  /** what could not be loaded: `the owner and on-call` */
  what: string;
  error: Error;
  /** where the responder finds the same facts, or what to do, while this part is down */
  fallback: string;
  onRetry: () => void;
}) {
  const { what, error, fallback, onRetry } = props;
  return (
    <Alert
      severity="error"
      action={
        <Button color="inherit" size="small" onClick={onRetry}>
          Try again
        </Button>
      }
    >
      <AlertTitle>Could not load {what}</AlertTitle>
      {`${readFailureText(error)} ${fallback}`}
    </Alert>
  );
}
