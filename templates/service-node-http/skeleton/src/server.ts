import Fastify, { LogController } from 'fastify';
import { loggerOptions } from './logger.ts';
import { healthRoutes } from './routes/health.ts';

export function buildServer() {
  const app = Fastify({
    logger: loggerOptions,
    genReqId: request =>
      String(request.headers['x-correlation-id'] ?? crypto.randomUUID()),
    // the request id is the correlation id (top-level requestIdLogLabel is deprecated, FSTDEP024)
    logController: new LogController({ requestIdLogLabel: 'correlation_id' }),
  });
  app.register(healthRoutes);
  return app;
}

if (import.meta.main) {
  const app = buildServer();
  await app.listen({ host: '0.0.0.0', port: Number(process.env.PORT ?? 8080) });
}
