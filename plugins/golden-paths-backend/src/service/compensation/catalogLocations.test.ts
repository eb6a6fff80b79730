import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { httpCatalogLocations } from './catalogLocations';

/** A catalog answering DELETE /locations/:id with the status and body the test sets. */
describe('httpCatalogLocations', () => {
  let server: Server;
  let answer: { status: number; body?: unknown } = { status: 204 };
  let base = '';
  beforeAll(async () => {
    const app = express();
    app.delete('/locations/:id', (_req, res) => {
      if (answer.body === undefined) res.status(answer.status).end();
      else res.status(answer.status).json(answer.body);
    });
    server = app.listen(0);
    await new Promise(resolve => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  const locations = () =>
    httpCatalogLocations({
      discovery: { getBaseUrl: async () => base } as any,
      auth: mockServices.auth(),
    });

  it('removes a location, and reads a 404 as already absent', async () => {
    answer = { status: 204 };
    await expect(
      locations().removeLocation('abc', mockCredentials.user()),
    ).resolves.toBe('removed');
    answer = { status: 404 };
    await expect(
      locations().removeLocation('abc', mockCredentials.user()),
    ).resolves.toBe('absent');
  });

  it('names the status, the permission a 403 lacks and the catalog’s message, never its whole error body', async () => {
    answer = {
      status: 403,
      body: {
        error: { name: 'NotAllowedError', message: 'Unauthorized' },
        request: { method: 'DELETE', url: '/api/catalog/locations/abc' },
        response: { statusCode: 403 },
      },
    };
    const error = await locations()
      .removeLocation('abc', mockCredentials.user())
      .catch(e => e);
    expect(error.message).toBe(
      'catalog answered 403 when removing location abc (the caller needs catalog.location.delete): Unauthorized',
    );
  });
});
