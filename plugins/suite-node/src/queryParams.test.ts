import { InputError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { isIsoDate, isIsoInstant, oneOf } from './fieldSchemas';
import { NO_QUERY, parseQuery } from './queryParams';

const schema = z.object({
  hops: z.string().optional(),
  edges: oneOf('edges', ['all', 'declared']).default('all'),
});

/** What express's own query parser makes of a query string, parsed by `parseQuery`. */
async function outcome(search: string): Promise<unknown> {
  const app = express();
  app.get('/', (req, res) => {
    try {
      res.json({ parsed: parseQuery(schema, req.query) });
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      res.json({ message: (error as Error).message });
    }
  });
  return (await request(app).get(`/${search}`)).body;
}

describe('parseQuery', () => {
  it.each([
    ['?hops=2', { parsed: { hops: '2', edges: 'all' } }],
    ['', { parsed: { edges: 'all' } }],
    ['?hops=1&hops=2', { message: 'hops must be given once (got 2 values)' }],
    ['?edges[a]=1', { message: 'edges must be a single value, not edges[…]' }],
    // An object whose own toString is a string: printing it would throw.
    [
      '?edges[toString]=1',
      { message: 'edges must be a single value, not edges[…]' },
    ],
    [
      '?hop=0',
      { message: 'unknown query parameter hop; use one of hops, edges' },
    ],
    [
      '?edges=some',
      { message: 'edges must be one of all, declared (got "some")' },
    ],
  ])('%s → %j', async (search, expected) => {
    expect(await outcome(search)).toEqual(expected);
  });

  it('refuses any parameter of a route that takes none (NO_QUERY)', () => {
    expect(parseQuery(NO_QUERY, {})).toEqual({});
    expect(() => parseQuery(NO_QUERY, { limit: '1' })).toThrow(
      'unknown query parameter limit; this route takes none',
    );
  });
});

describe('isIsoInstant', () => {
  it.each([
    ['2024-02-29T00:00:00Z', true],
    ['0004-02-29T00:00:00Z', true], // a leap year that Date.UTC would read as 1904
    ['0100-02-29T00:00:00Z', false],
    ['2026-03-14T03:00:00.123+01:00', true],
    ['2026-03-14T03:00+0100', true],
    ['2024-02-30T00:00:00Z', false],
    ['2023-02-29T00:00:00Z', false],
    ['2024-04-31T00:00:00Z', false],
    // without a zone the server's own zone would decide the instant
    ['2024-01-01T00:00:00', false],
    ['2024-01-01', false],
    ['2024-01-01T25:00:00Z', false],
    ['yesterday', false],
    // outside the years toISOString writes with four digits, once in UTC
    ['9999-12-31T23:59:59Z', true],
    ['9999-12-31T23:59:59-05:00', false],
    ['0000-01-01T00:00:00Z', true],
    ['0000-01-01T00:00:00+00:01', false],
  ])('%s → %s', (value, expected) => {
    expect(isIsoInstant(value)).toBe(expected);
  });
});

describe('isIsoDate', () => {
  it.each([
    ['2024-02-29', true],
    ['0004-02-29', true],
    ['2027-02-31', false], // Date.parse reads it as 3 March
    ['2023-02-29', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-3-14', false],
    ['2026-03-14T00:00:00Z', false],
    [' 2026-03-14', false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });
});
