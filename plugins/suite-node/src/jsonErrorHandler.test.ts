import { mockServices } from '@backstage/backend-test-utils';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { jsonErrorHandler } from './jsonErrorHandler';

function app() {
  const logger = mockServices.logger.mock();
  const a = express();
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

  it('passes on an error that comes after the headers were sent', async () => {
    const res = await request(app().app).get('/late');
    expect(res.status).toBe(200);
    expect(res.text).toBe('partial | passed on: after the headers');
  });
});
