import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { jsonBody, jsonShapeProblem, withinJsonDepth } from './jsonBody';
import { jsonErrorHandler } from './jsonErrorHandler';

/** `[[[…0…]]]`, `levels` arrays deep, as JSON text. */
const nested = (levels: number) =>
  `${'['.repeat(levels)}0${']'.repeat(levels)}`;

describe('withinJsonDepth', () => {
  it.each([
    [0, 1, true],
    [{}, 1, true],
    [{ a: { b: 1 } }, 1, false],
    [{ a: { b: 1 } }, 2, true],
    [JSON.parse(nested(64)), 64, true],
    [JSON.parse(nested(65)), 64, false],
  ])('%j within %i → %s', (value, max, expected) => {
    expect(withinJsonDepth(value, max)).toBe(expected);
  });

  it('walks 100,000 levels without a stack of its own', () => {
    expect(withinJsonDepth(JSON.parse(nested(100_000)), 64)).toBe(false);
  });
});

describe('jsonShapeProblem', () => {
  it.each<[string, 'depth' | 'protoKey' | undefined]>([
    ['{"a":{"b":[1,{"c":2}]}}', undefined],
    ['{"a":{"__proto__":{"x":1}}}', 'protoKey'],
    ['[{"__proto__":1}]', 'protoKey'],
    ['{"a":"__proto__"}', undefined],
    [nested(65), 'depth'],
  ])('%s → %s', (text, expected) => {
    expect(jsonShapeProblem(JSON.parse(text), 64, { protoKey: true })).toBe(
      expected,
    );
  });

  it('looks at __proto__ keys only when asked', () => {
    expect(
      jsonShapeProblem(JSON.parse('{"__proto__":{"x":1}}'), 64),
    ).toBeUndefined();
  });
});

describe('jsonBody', () => {
  const app = express();
  app.post('/', ...jsonBody({ limit: '1mb' }), (req, res) => {
    res.json({ got: JSON.stringify(req.body).length });
  });
  app.use(jsonErrorHandler({ logger: mockServices.logger.mock() }));

  const post = (text: string) =>
    request(app).post('/').set('Content-Type', 'application/json').send(text);

  it('passes a body as deep as the limit', async () => {
    const res = await post(`{"a":${nested(63)}}`);
    expect(res.status).toBe(200);
  });

  it('answers 400 for a deeper one before any handler walks it', async () => {
    const res = await post(`{"a":${nested(20_000)}}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('body is nested deeper than 64 levels');
  });

  it.each([
    [
      'application/x-www-form-urlencoded',
      '"application/x-www-form-urlencoded"',
    ],
    ['text/plain', '"text/plain"'],
    ['', 'none'],
  ])(
    'answers 415 for a JSON text sent as "%s", instead of a route seeing no body',
    async (type, shownType) => {
      const body = Buffer.from('{"reason":"Approved for the Q3 freeze."}');
      const res = await (type
        ? request(app).post('/').set('Content-Type', type).send(body)
        : request(app).post('/').send(body));
      expect(res.status).toBe(415);
      expect(res.body.error).toEqual({
        name: 'UnsupportedMediaTypeError',
        message: `content-type must be application/json (got ${shownType})`,
      });
    },
  );

  it('takes a request without a body, and JSON with a charset or a +json type', async () => {
    expect((await request(app).post('/')).status).toBe(200);
    for (const type of [
      'application/json; charset=utf-8',
      'application/merge-patch+json',
    ]) {
      const res = await request(app)
        .post('/')
        .set('Content-Type', type)
        .send('{"a":1}');
      expect(res.status).toBe(200);
    }
  });
});
