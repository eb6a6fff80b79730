import type { FastifyInstance } from 'fastify';

let ready = true;

export function setReady(value: boolean): void {
  ready = value;
}

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) =>
    ready ? { status: 'ready' } : reply.code(503).send({ status: 'not-ready' }),
  );
}
