import { InputError } from '@backstage/errors';
import express, { RequestHandler } from 'express';

/** Deeper than any body the suite's APIs define (a template request's parameters, an evaluation). */
export const MAX_JSON_DEPTH = 64;

/**
 * True when no object or array in `value` is nested more than `max` levels deep. Iterative:
 * `JSON.parse` builds a body 20,000 levels deep happily, but every recursive walk over it
 * afterwards (`JSON.stringify` when storing, a secret scan) overflows the stack.
 */
export function withinJsonDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return false;
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
  return true;
}

/**
 * The JSON body parser of the suite's write APIs: `express.json({ limit })`, then a 400
 * `body is nested deeper than 64 levels` instead of the 500 a stack overflow would give later.
 */
export function jsonBody(options: {
  limit: string | number;
  maxDepth?: number;
}): RequestHandler[] {
  const max = options.maxDepth ?? MAX_JSON_DEPTH;
  return [
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
