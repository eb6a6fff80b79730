import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ErrorRequestHandler } from 'express';

/** The HTTP status of each error Backstage's `@backstage/errors` names that a route may throw. */
const ERROR_STATUS: Record<string, number> = {
  NotModifiedError: 304,
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  UnsupportedMediaTypeError: 415,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

// Statuses of a downstream service that say "retry later" rather than "this is a bug": passed on
// as they are so a caller can tell the two apart, with the message hidden as for a 500.
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * The error handler at the end of a suite backend's router: the JSON error body Backstage's own
 * handler renders (`{ error: { name, message }, request, response }`), with differences a
 * caller of a write API needs — a malformed JSON body says so (`body is not valid JSON: …`, with
 * body-parser's own 4xx status), a body over the limit names the limit and its size (413), and an unexpected error answers 500 `internal error` without
 * its message or its class name (which may name internals: a SQL statement, `SqliteError`),
 * logged in full instead. A downstream 502/503/504 keeps its status but not its message; a
 * downstream 401 (a token of this plugin refused) is a 502, logged, never the caller's own 401.
 */
export function jsonErrorHandler(options: {
  logger: LoggerService;
}): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const namedStatus = ERROR_STATUS[error?.name] as number | undefined;
    // A downstream service refused the token this plugin sent (its own, or one minted on the
    // caller's behalf, which httpAuth had accepted): the caller cannot fix that, so it is a
    // 502 and the operator's to see, not the caller's own 401.
    const refusedToken =
      error?.name === 'ResponseError' && error?.statusCode === 401;
    // Errors that carry their own 4xx status, as Backstage's handler honours them: body-parser's
    // (malformed JSON, body too large) and a downstream client's (a catalog `ResponseError` 404).
    const ownStatus = refusedToken ? undefined : clientErrorStatus(error);
    // A downstream service that is down or slow (a `ResponseError` 503): the caller may retry.
    let upstreamStatus: number | undefined;
    if (refusedToken) upstreamStatus = 502;
    else if (namedStatus === undefined && ownStatus === undefined)
      upstreamStatus = gatewayStatus(error);
    // express's router marks a path parameter it cannot percent-decode 400 but not `expose`.
    const badPath =
      error instanceof URIError &&
      (error as { status?: number }).status === 400;
    const status =
      namedStatus ?? ownStatus ?? upstreamStatus ?? (badPath ? 400 : 500);
    if (status === 304) {
      // Backstage answers a NotModifiedError 304, which has no body by definition.
      res.status(304).end();
      return;
    }
    if (status === 500)
      options.logger.error(`${req.method} ${req.originalUrl} failed`, error);
    // Not our bug, so no error log; the downstream message may name internals, so logs only.
    if (refusedToken) {
      options.logger.warn(
        `${req.method} ${req.originalUrl} failed: an upstream service refused this plugin's token (401); check service-to-service auth (backend.auth keys, external access)`,
        error,
      );
    } else if (upstreamStatus) {
      options.logger.warn(
        `${req.method} ${req.originalUrl} failed: upstream answered ${status}`,
        error,
      );
    } else if (
      error?.name === 'ResponseError' &&
      error?.statusCode === 403 &&
      namedStatus === undefined
    ) {
      // Passed on: with a token on the caller's behalf the refusal is the caller's to see. With
      // the plugin's own, the operator must grant it, so it is logged either way.
      options.logger.warn(
        `${req.method} ${req.originalUrl}: an upstream service answered 403 (passed on); if the call used this plugin's own credentials, the permission policy refuses the plugin`,
      );
    }
    let message = error?.message;
    if (error?.type === 'entity.parse.failed') {
      message = `body is not valid JSON: ${error.message}`;
    } else if (error?.type === 'entity.too.large') {
      message = tooLargeMessage(error);
    } else if (badPath) {
      message = `a path parameter is not valid percent-encoding (${req.path}); encode it with encodeURIComponent`;
    }
    const hidden = status === 500 || upstreamStatus !== undefined;
    if (status === 500) message = 'internal error';
    else if (refusedToken)
      message =
        'an upstream service refused this plugin; the portal operator has been told (logged)';
    else if (upstreamStatus) message = 'upstream unavailable; retry later';
    // A rule's id (golden paths' `GP-I03`), for clients that branch on the rule, not the text.
    const ruleId =
      !hidden && typeof error?.ruleId === 'string' ? error.ruleId : undefined;
    res.status(status).json({
      error: {
        name: hidden ? 'Error' : error?.name ?? 'Error',
        message,
      },
      ...(ruleId ? { ruleId } : {}),
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: status },
    });
  };
}

/** A byte count as a limit is written (`1 MB`, `64 KB`), exact bytes otherwise. */
function bytesText(bytes: number): string {
  if (bytes >= 1048576 && bytes % 1048576 === 0) return `${bytes / 1048576} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * body-parser answers a body over its limit (JSON or text alike) with the bare `request entity
 * too large`, which tells a client neither the limit nor how far over it is: this names both,
 * e.g. `body must be at most 1 MB (got 2000090 bytes); shorten the text fields or send less`.
 */
function tooLargeMessage(error: { limit?: unknown; length?: unknown }): string {
  const limit = Number(error.limit);
  const length = Number(error.length);
  return `body must be at most ${
    Number.isFinite(limit) ? bytesText(limit) : 'the size this route takes'
  }${
    Number.isFinite(length) ? ` (got ${length} bytes)` : ''
  }; shorten the text fields or send less`;
}

/** A whole-number 4xx `statusCode` or `status` the error carries, if any. */
function clientErrorStatus(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; status?: unknown } | undefined;
  for (const value of [e?.statusCode, e?.status]) {
    if (
      Number.isInteger(value) &&
      (value as number) >= 400 &&
      (value as number) < 500
    )
      return value as number;
  }
  return undefined;
}

/**
 * A whole-number 502, 503 or 504 the error carries as `statusCode` or `status`, or on its
 * `response` (`response.statusCode`, as some HTTP clients put it), if any.
 */
function gatewayStatus(error: unknown): number | undefined {
  const e = error as
    | { statusCode?: unknown; status?: unknown; response?: unknown }
    | undefined;
  const response = e?.response as { statusCode?: unknown } | undefined;
  for (const value of [e?.statusCode, e?.status, response?.statusCode]) {
    if (Number.isInteger(value) && GATEWAY_STATUSES.has(value as number))
      return value as number;
  }
  return undefined;
}
