import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServer } from '../src/server.ts';

test('GET /healthz answers 200', async () => {
  const app = buildServer();
  const response = await app.inject({ method: 'GET', url: '/healthz' });
  assert.equal(response.statusCode, 200);
  await app.close();
});
