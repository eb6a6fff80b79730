import { InputError } from '@backstage/errors';
import express, { ErrorRequestHandler, RequestHandler } from 'express';
import { shown } from './fieldSchemas';

/** Deeper than any body the suite's APIs define (a template request's parameters, an evaluation). */
export const MAX_JSON_DEPTH = 64;

/**
 * Why a parsed JSON value cannot be taken as it is, or undefined when it can. Iterative, since the
 * point is a value no recursive walk survives:
 *
 * - `depth`: an object or array nested more than `max` levels deep. `JSON.parse` builds a body
 *   20,000 levels deep happily, but every recursive walk over it afterwards (`JSON.stringify`
 *   when storing, a fingerprint, a secret scan) overflows the stack: a 500;
 * - `protoKey` (only with `protoKey: true`): a key named `__proto__` at any depth, which
 *   `JSON.parse` makes an own key while a schema drops it without a word, so a body stored
 *   without it and a fingerprint taken of it disagree.
 */
export function jsonShapeProblem(
  value: unknown,
  max: number,
  options: { protoKey?: boolean } = {},
): 'depth' | 'protoKey' | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return 'depth';
    if (
      options.protoKey &&
      !Array.isArray(node) &&
      Object.hasOwn(node, '__proto__')
    ) {
      return 'protoKey';
    }
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
  return undefined;
}

/** True when no object or array in `value` is nested more than `max` levels deep. */
export function withinJsonDepth(value: unknown, max: number): boolean {
  return jsonShapeProblem(value, max) !== 'depth';
}

/** A body sent in a media type a route does not read (`jsonErrorHandler` answers 415). */
export class UnsupportedMediaTypeError extends Error {
  name = 'UnsupportedMediaTypeError';
}

/**
 * The JSON body parser of the suite's write APIs: a 415 for a body that is not sent as JSON (or
 * as one of `alsoAccept`, which a route parses itself), `express.json({ limit })`, then a 400
 * `body is nested deeper than 64 levels` instead of the 500 a stack overflow would give later.
 * Without the 415, `express.json` skipped such a body and the route saw none: `curl -d
 * '{"reason":…}'` without a Content-Type approved a waiver with no reason, or was refused for a
 * missing field it had sent.
 */
export function jsonBody(options: {
  limit: string | number;
  maxDepth?: number;
  alsoAccept?: { types: readonly string[]; named: string };
}): RequestHandler[] {
  const max = options.maxDepth ?? MAX_JSON_DEPTH;
  const types = [
    'application/json',
    'application/*+json',
    ...(options.alsoAccept?.types ?? []),
  ];
  const named = options.alsoAccept?.named ?? 'application/json';
  return [
    (req, _res, next) => {
      // false only for a request that has a body of another type (null without one); an empty
      // body (Content-Length: 0, as clients send a bare POST) is no body either.
      if (req.header('content-length') !== '0' && req.is(types) === false) {
        const type = req.header('content-type');
        next(
          new UnsupportedMediaTypeError(
            `content-type must be ${named} (got ${
              type ? JSON.stringify(type) : 'none'
            })`,
          ),
        );
        return;
      }
      next();
    },
    express.json({ limit: options.limit }),
    (req, _res, next) => {
      if (req.body !== undefined && !withinJsonDepth(req.body, max)) {
        next(new InputError(`body is nested deeper than ${max} levels`));
        return;
      }
      next();
    },
  ];
}

/** What a received body is, for `body must be a JSON object (got …)`. */
export function bodyShown(input: unknown): string {
  return Array.isArray(input) ? 'an array' : shown(input);
}

/**
 * body-parser's strict mode refuses a top-level `null`, `"x"`, `5` or `true` as a syntax error,
 * which `jsonErrorHandler` words `body is not valid JSON`. It is valid JSON, just not a body any
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

/** {@link jsonBody}, with {@link notAnObjectBody}'s message for valid JSON that is no object. */
export function jsonObjectBody(
  options: Parameters<typeof jsonBody>[0],
): (RequestHandler | ErrorRequestHandler)[] {
  return [...jsonBody(options), notAnObjectBody];
}
