import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { IncomingMessage, get } from 'node:http';
import { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { gunzipSync } from 'node:zlib';
import { FAST_GZIP_FROM_BYTES, sendJson } from './sendJson';

const large = {
  impacted: Array.from({ length: 2000 }, (_, i) => [
    `component:default/svc-${i}`,
    'component',
    i % 3,
  ]),
};
const small = { impacted: [['component:default/svc-1', 'component', 1]] };

/** An app whose root router compresses as production's does (backend-defaults' middleware). */
function app(value: unknown) {
  const middleware = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger: mockServices.logger.mock(),
  });
  const a = express();
  a.use(middleware.compression());
  a.get('/answer', (req, res) => sendJson(req, res, value));
  return a;
}

/** The raw response, undecoded (Node's `http`: no client-side decoding), and its bytes. */
async function raw(value: unknown, acceptEncoding?: string) {
  const server = app(value).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const { port } = server.address() as AddressInfo;
    const res = await new Promise<IncomingMessage>((resolve, reject) =>
      get(
        {
          host: '127.0.0.1',
          port,
          path: '/answer',
          headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {},
        },
        resolve,
      ).on('error', reject),
    );
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return {
      res: { status: res.statusCode, headers: res.headers },
      bytes: Buffer.concat(chunks),
    };
  } finally {
    server.close();
  }
}

describe('sendJson', () => {
  it('gzips a large body once, behind the root router’s compression', async () => {
    expect(JSON.stringify(large).length).toBeGreaterThan(FAST_GZIP_FROM_BYTES);
    const { res, bytes } = await raw(large, 'gzip, deflate, br');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(res.headers['content-length'])).toBe(bytes.length);
    // one gzip layer: decoding once gives the JSON back
    expect(JSON.parse(gunzipSync(bytes).toString('utf8'))).toEqual(large);
  });

  it('sends a large body unencoded to a client that asks for no encoding', async () => {
    const { res, bytes } = await raw(large);

    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(large);
  });

  it('leaves a small body to the usual way (compression middleware, ETag)', async () => {
    const { res, bytes } = await raw(small, 'gzip');

    expect(res.headers['content-encoding']).toBeUndefined(); // below its 1 kB threshold
    expect(res.headers.etag).toBeDefined();
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(small);
  });
});
