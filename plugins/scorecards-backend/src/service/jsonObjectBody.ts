import { InputError } from '@backstage/errors';
import { jsonBody } from '@internal/suite-node';
import { ErrorRequestHandler, RequestHandler } from 'express';
import { bodyShown } from './validation';

/**
 * body-parser's strict mode refuses a top-level `null`, `"x"`, `5` or `true` as a syntax error,
 * which the error handler words `body is not valid JSON`. It is valid JSON, just not a body any
 * route takes: say that instead (`body must be a JSON object (got null)`). Real syntax errors
 * pass on unchanged.
 */
export const notAnObjectBody: ErrorRequestHandler = (
  error,
  _req,
  _res,
  next,
) => {
  if (error?.type === 'entity.parse.failed' && typeof error.body === 'string') {
    let value: unknown;
    try {
      value = JSON.parse(error.body);
    } catch {
      next(error);
      return;
    }
    next(
      new InputError(`body must be a JSON object (got ${bodyShown(value)})`),
    );
    return;
  }
  next(error);
};

/** The suite's JSON body parser (`jsonBody`), with `notAnObjectBody`'s message. */
export function jsonObjectBody(options: {
  limit: string | number;
}): (RequestHandler | ErrorRequestHandler)[] {
  return [...jsonBody(options), notAnObjectBody];
}
