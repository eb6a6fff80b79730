import type { Request, Response } from 'express';
import { promisify } from 'node:util';
import { constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Bodies from this size on are gzipped here, at level 1: a shared service's blast-radius page
 * (~190 kB of JSON) takes 0.8 ms instead of the root router's 1.8 ms at level 6, for 20 kB instead
 * of 17 kB on the wire (docs/benchmarks.md, "Run 12"). Smaller bodies take the usual way.
 */
export const FAST_GZIP_FROM_BYTES = 32 * 1024;

/**
 * Sends `value` as JSON the way `res.json` does, except for large bodies a client accepts gzip
 * for: those are gzipped at level 1 and sent with `Content-Encoding: gzip`, which the root
 * router's compression middleware leaves alone ("already encoded"). No ETag is computed for
 * them either (express hashes the whole body for it, 0.1–0.4 ms for such a page; the card
 * never revalidates).
 */
export async function sendJson(
  req: Request,
  res: Response,
  value: unknown,
): Promise<void> {
  const body = JSON.stringify(value);
  if (
    body.length < FAST_GZIP_FROM_BYTES ||
    // as the compression middleware: no Accept-Encoding header, no encoding
    !req.headers['accept-encoding'] ||
    !req.acceptsEncodings('gzip')
  ) {
    res.type('json').send(body);
    return;
  }
  const gzipped = await gzipAsync(body, { level: constants.Z_BEST_SPEED });
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', gzipped.length);
  res.vary('Accept-Encoding');
  res.end(gzipped);
}
