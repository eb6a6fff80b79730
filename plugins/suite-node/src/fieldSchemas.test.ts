import { InputError } from '@backstage/errors';
import { z } from 'zod';
import {
  fullRef,
  isoTime,
  oneOf,
  parse,
  storableText,
  withoutNul,
} from './fieldSchemas';

const body = z
  .object({
    entityRef: fullRef('entityRef'),
    at: isoTime('at').optional(),
    stage: oneOf('stage', ['deploy', 'create']).optional(),
    limit: z.number().int().optional(),
    note: withoutNul('note', z.string()).optional(),
    reason: storableText('reason', z.string()).optional(),
  })
  .strict();

/** The message `parse` throws for `value`, or the parsed value. */
function outcome(value: unknown) {
  try {
    return parse(body, value);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
}

describe('parse with the field schemas', () => {
  it.each([
    [{}, 'entityRef is required'],
    [
      { entityRef: 'component:default/svc', reason: 'a\u0000b' },
      'reason must not contain NUL characters (U+0000)',
    ],
    // stored as U+FFFD by both databases: a retry would no longer match what was stored
    [
      { entityRef: 'component:default/svc', reason: 'v\ud800x' },
      'reason must be well-formed text (it holds a lone UTF-16 surrogate)',
    ],
    [
      { entityRef: 'component:default/svc', reason: 'x\udc00' },
      'reason must be well-formed text (it holds a lone UTF-16 surrogate)',
    ],
    [
      { entityRef: 'svc' },
      'entityRef "svc" is not a full ref (kind:namespace/name)',
    ],
    [
      { entityRef: 'component:default/svc', at: '2026-03-14' },
      'at must be an ISO-8601 UTC timestamp (got "2026-03-14")',
    ],
    [
      { entityRef: 'component:default/svc', stage: 'prod' },
      'stage must be one of deploy, create (got "prod")',
    ],
    [
      { entityRef: 'component:default/svc', extra: 1, more: 2 },
      'unknown field extra, more; remove it',
    ],
    [{ entityRef: 42 }, 'entityRef must be a string (got 42)'],
    [
      { entityRef: `component:default/${'x'.repeat(310)}` },
      'entityRef must be at most 320 characters',
    ],
    [
      { entityRef: 'component:default/svc', at: ['2026-03-14T02:00:00Z'] },
      'at must be a string (got ["2026-03-14T02:00:00Z"])',
    ],
    [
      { entityRef: 'component:default/svc', at: '2026-04-31T00:00:00Z' },
      'at must be an ISO-8601 UTC timestamp (got "2026-04-31T00:00:00Z")',
    ],
    [
      { entityRef: 'component:default/svc', at: '-271821-04-20T00:00:00Z' },
      'at must be an ISO-8601 UTC timestamp (got "-271821-04-20T00:00:00Z")',
    ],
    // "forever" in a local zone is year 10000 in UTC, written `+010000-…`, which sorts before
    // every other stored time as text
    [
      { entityRef: 'component:default/svc', at: '9999-12-31T23:59:59-05:00' },
      'at must fall in the years 0000–9999 once in UTC (got "9999-12-31T23:59:59-05:00"); for a time without an end leave the field out',
    ],
    [
      { entityRef: 'component:default/svc', at: '0000-01-01T00:30:00+01:00' },
      'at must fall in the years 0000–9999 once in UTC (got "0000-01-01T00:30:00+01:00"); for a time without an end leave the field out',
    ],
    [
      { entityRef: 'component:default/svc', note: 'a\u0000b' },
      'note must not contain NUL characters (U+0000)',
    ],
    // zod's own messages get the field's path in front
    [
      { entityRef: 'component:default/svc', limit: 1.5 },
      'limit: Invalid input: expected int, received number',
    ],
  ])('%j → %s', (value, message) => {
    expect(outcome(value)).toBe(message);
  });

  it('normalizes what it accepts: refs lower-cased, instants in UTC', () => {
    expect(
      outcome({
        entityRef: 'Component:Default/Checkout',
        at: '2026-03-14T03:00:00+01:00',
        stage: 'deploy',
        note: 'a\u0001b',
        reason: 'paired surrogates are text: \ud83d\ude42',
      }),
    ).toEqual({
      entityRef: 'component:default/checkout',
      at: '2026-03-14T02:00:00.000Z',
      stage: 'deploy',
      note: 'a\u0001b',
      reason: 'paired surrogates are text: 🙂',
    });
  });

  it('takes the first and last instants of the years 0000–9999, whatever the zone they are written in', () => {
    for (const [at, utc] of [
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['9999-12-31T23:59:59+01:00', '9999-12-31T22:59:59.000Z'],
      ['0000-01-01T00:00:00Z', '0000-01-01T00:00:00.000Z'],
      ['0000-01-01T00:00:00-01:00', '0000-01-01T01:00:00.000Z'],
    ]) {
      expect(outcome({ entityRef: 'component:default/svc', at })).toEqual({
        entityRef: 'component:default/svc',
        at: utc,
      });
    }
  });

  it('reads a missing body as an empty object', () => {
    expect(outcome(undefined)).toBe('entityRef is required');
  });
});
