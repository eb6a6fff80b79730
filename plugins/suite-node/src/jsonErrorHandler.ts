import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ErrorRequestHandler } from 'express';

/** The HTTP status of each error Backstage's `@backstage/errors` names that a route may throw. */
const ERROR_STATUS: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  UnsupportedMediaTypeError: 415,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/**
 * The error handler at the end of a suite backend's router: the JSON error body Backstage's own
 * handler renders (`{ error: { name, message }, request, response }`), with two differences a
 * caller of a write API needs — a malformed JSON body says so (`body is not valid JSON: …`, with
 * body-parser's own 4xx status), and an unexpected error answers 500 `internal error` without
 * its message or its class name (which may name internals: a SQL statement, `SqliteError`),
 * logged in full instead.
 */
export function jsonErrorHandler(options: {
  logger: LoggerService;
}): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    // Errors that carry their own 4xx status, as Backstage's handler honours them: body-parser's
    // (malformed JSON, body too large) and a downstream client's (a catalog `ResponseError` 404).
    const ownStatus = clientErrorStatus(error);
    // express's router marks a path parameter it cannot percent-decode 400 but not `expose`.
    const badPath =
      error instanceof URIError &&
      (error as { status?: number }).status === 400;
    const status =
      ERROR_STATUS[error?.name] ?? ownStatus ?? (badPath ? 400 : 500);
    if (status === 500)
      options.logger.error(`${req.method} ${req.originalUrl} failed`, error);
    let message = error?.message;
    if (error?.type === 'entity.parse.failed') {
      message = `body is not valid JSON: ${error.message}`;
    } else if (badPath) {
      message = `a path parameter is not valid percent-encoding (${req.path}); encode it with encodeURIComponent`;
    }
    res.status(status).json({
      error: {
        name: status === 500 ? 'Error' : error?.name ?? 'Error',
        message: status === 500 ? 'internal error' : message,
      },
      request: { method: req.method, url: req.originalUrl },
      response: { statusCode: status },
    });
  };
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
