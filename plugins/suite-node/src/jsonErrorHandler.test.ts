import { mockServices } from '@backstage/backend-test-utils';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotModifiedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { jsonErrorHandler } from './jsonErrorHandler';

function app() {
  const logger = mockServices.logger.mock();
  const a = express();
  // before the app-wide parser, which would have read the body already
  a.post('/small', express.json({ limit: 1024 }), (_req, res) => {
    res.json({});
  });
  a.use(express.json());
  a.post('/input', () => {
    throw new InputError('limit must be at most 100');
  });
  a.get('/things/:id', (_req, res) => {
    res.json({});
  });
  a.get('/denied', () => {
    throw new NotAllowedError('not allowed to waive');
  });
  a.get('/rule', () => {
    throw Object.assign(new ConflictError('GP-I03: already running'), {
      ruleId: 'GP-I03',
    });
  });
  a.get('/starting', () => {
    throw new ServiceUnavailableError('the index is still loading');
  });
  a.get('/downstream', () => {
    // what a catalog client's ResponseError looks like to a route
    throw Object.assign(new Error('entity not found'), {
      name: 'ResponseError',
      statusCode: 404,
    });
  });
  a.get('/unchanged', () => {
    throw new NotModifiedError('etag matches');
  });
  a.get('/upstream/:status', req => {
    // a downstream client's ResponseError for a gateway status; its message may name the host
    throw Object.assign(new Error('db-7.internal answered 503'), {
      name: 'ResponseError',
      statusCode: Number(req.params.status),
    });
  });
  a.get('/upstream-response', () => {
    // a client that carries the status on its response only (got's HTTPError)
    throw Object.assign(new Error('gateway timeout from db-7.internal'), {
      name: 'HTTPError',
      response: { statusCode: 504 },
    });
  });
  a.get('/upstream-other', () => {
    // a downstream 500 is still our bug as far as the caller can tell
    throw Object.assign(new Error('db-7.internal crashed'), {
      name: 'ResponseError',
      statusCode: 500,
    });
  });
  a.get('/boom', () => {
    // a driver's own error class names the database behind the API
    const error = new Error('connection to db-7.internal refused');
    error.name = 'SqliteError';
    throw error;
  });
  a.get('/late', (_req, res, next) => {
    res.status(200).write('partial');
    next(new Error('after the headers'));
  });
  a.use(jsonErrorHandler({ logger }));
  // what express would get next: ends the response with what it was passed
  a.use(
    (
      err: Error,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => res.end(` | passed on: ${err.message}`),
  );
  return { app: a, logger };
}

describe('jsonErrorHandler', () => {
  it.each([
    ['post', '/input', 400, 'InputError', 'limit must be at most 100'],
    ['get', '/denied', 403, 'NotAllowedError', 'not allowed to waive'],
    ['get', '/downstream', 404, 'ResponseError', 'entity not found'],
    [
      'get',
      '/starting',
      503,
      'ServiceUnavailableError',
      'the index is still loading',
    ],
  ] as const)('%s %s → %i %s', async (method, path, status, name, message) => {
    const res = await request(app().app)[method](path);
    expect(res.status).toBe(status);
    expect(res.body).toEqual({
      error: { name, message },
      request: { method: method.toUpperCase(), url: path },
      response: { statusCode: status },
    });
  });

  it('answers a body over the limit 413 naming the limit and its size, for every suite backend', async () => {
    const res = await request(app().app)
      .post('/small')
      .send({ text: 'x'.repeat(2000) });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual({
      name: 'PayloadTooLargeError',
      message:
        'body must be at most 1 KB (got 2011 bytes); shorten the text fields or send less',
    });
  });

  it('answers 400 for a path parameter express cannot percent-decode', async () => {
    const { app: a, logger } = app();
    const res = await request(a).get('/things/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'URIError',
      message:
        'a path parameter is not valid percent-encoding (/things/%E0%A4%A); encode it with encodeURIComponent',
    });
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('says a malformed JSON body is one, with body-parser’s status', async () => {
    const res = await request(app().app)
      .post('/input?x=1')
      .set('Content-Type', 'application/json')
      .send('{"limit": ');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^body is not valid JSON: /);
    expect(res.body.request).toEqual({ method: 'POST', url: '/input?x=1' });
  });

  it('answers an unexpected error 500 without its message, and logs it in full', async () => {
    const { app: a, logger } = app();
    const res = await request(a).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body.error).toEqual({
      name: 'Error',
      message: 'internal error',
    });
    expect(JSON.stringify(res.body)).not.toContain('db-7');
    expect(logger.error).toHaveBeenCalledWith(
      'GET /boom failed',
      expect.objectContaining({
        message: 'connection to db-7.internal refused',
      }),
    );
  });

  it('answers NotModifiedError 304 without a body and logs nothing', async () => {
    const { app: a, logger } = app();
    const res = await request(a).get('/unchanged');
    expect(res.status).toBe(304);
    expect(res.text).toBe('');
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it.each([502, 503, 504])(
    'passes a downstream %i on without its message, logged as a warning',
    async status => {
      const { app: a, logger } = app();
      const res = await request(a).get(`/upstream/${status}`);
      expect(res.status).toBe(status);
      expect(res.body).toEqual({
        error: { name: 'Error', message: 'upstream unavailable; retry later' },
        request: { method: 'GET', url: `/upstream/${status}` },
        response: { statusCode: status },
      });
      expect(JSON.stringify(res.body)).not.toContain('db-7');
      expect(logger.warn).toHaveBeenCalledWith(
        `GET /upstream/${status} failed: upstream answered ${status}`,
        expect.objectContaining({ message: 'db-7.internal answered 503' }),
      );
      expect(logger.error).not.toHaveBeenCalled();
    },
  );

  it('answers a downstream 401 (a token of this plugin refused) 502, logged for the operator, never as the caller’s own 401', async () => {
    const { app: a, logger } = app();
    const res = await request(a).get('/upstream/401');
    expect(res.status).toBe(502);
    expect(res.body.error).toEqual({
      name: 'Error',
      message:
        'an upstream service refused this plugin; the portal operator has been told (logged)',
    });
    expect(logger.warn).toHaveBeenCalledWith(
      "GET /upstream/401 failed: an upstream service refused this plugin's token (401); check service-to-service auth (backend.auth keys, external access)",
      expect.objectContaining({ message: 'db-7.internal answered 503' }),
    );
  });

  it('passes a downstream 403 on, and logs it for the operator', async () => {
    const { app: a, logger } = app();
    const res = await request(a).get('/upstream/403');
    expect(res.status).toBe(403);
    expect(res.body.error.name).toBe('ResponseError');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('an upstream service answered 403 (passed on)'),
    );
    // A 403 of our own (the caller's permission) is not an upstream's.
    const own = app();
    await request(own.app).get('/denied');
    expect(own.logger.warn).not.toHaveBeenCalled();
  });

  it('answers the rule id an error carries beside its message', async () => {
    const res = await request(app().app).get('/rule');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      error: { name: 'ConflictError', message: 'GP-I03: already running' },
      ruleId: 'GP-I03',
      request: { method: 'GET', url: '/rule' },
      response: { statusCode: 409 },
    });
  });

  it('reads a gateway status from the error’s response too', async () => {
    const { app: a, logger } = app();
    const res = await request(a).get('/upstream-response');
    expect(res.status).toBe(504);
    expect(res.body.error).toEqual({
      name: 'Error',
      message: 'upstream unavailable; retry later',
    });
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it.each(['/upstream/501', '/upstream/500', '/upstream-other'])(
    'answers other 5xx statuses of %s 500 internal error, logged as errors',
    async path => {
      const { app: a, logger } = app();
      const res = await request(a).get(path);
      expect(res.status).toBe(500);
      expect(res.body.error).toEqual({
        name: 'Error',
        message: 'internal error',
      });
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(logger.warn).not.toHaveBeenCalled();
    },
  );

  it('passes on an error that comes after the headers were sent', async () => {
    const res = await request(app().app).get('/late');
    expect(res.status).toBe(200);
    expect(res.text).toBe('partial | passed on: after the headers');
  });
});
