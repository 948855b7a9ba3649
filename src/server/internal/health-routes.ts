import type { FastifyInstance } from 'fastify';
import type { StreamsApp } from '../../runtime/streams-app.ts';
import type { MillraceMetrics } from '../../metrics/index.ts';

/** Readiness of one app: RUNNING and no store restore left. */
export function appReadiness(app: StreamsApp) {
  let restoring = 0;
  for (const p of app.metrics.restoreProgress.values()) if (!p.done) restoring++;
  return { state: app.state, restoringStores: restoring, ready: app.state === 'RUNNING' && restoring === 0 };
}

/** `/health/live`, `/health/ready` and `/metrics`: public, for probes and Prometheus. */
export function healthRoutes(
  server: FastifyInstance,
  apps: ReadonlyMap<string, StreamsApp>,
  metrics: MillraceMetrics | undefined,
  retryAfterSeconds: number,
): void {
  const config = { public: true };
  server.get(
    '/health/live',
    {
      config,
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process answers and no application has failed',
        response: {
          200: { type: 'object', properties: { live: { type: 'boolean' } } },
          503: { type: 'object', properties: { live: { type: 'boolean' } } },
        },
      },
    },
    async (_req, reply) => {
      const failed = [...apps.values()].some((a) => a.state === 'ERROR');
      if (failed) reply.code(503);
      return { live: !failed };
    },
  );
  server.get(
    '/health/ready',
    {
      config,
      schema: {
        tags: ['health'],
        summary: 'Readiness: every application RUNNING and every store restore done (503 otherwise)',
      },
    },
    async (_req, reply) => {
      const byApp: Record<string, ReturnType<typeof appReadiness>> = {};
      for (const [id, app] of apps) byApp[id] = appReadiness(app);
      const ready = Object.values(byApp).every((a) => a.ready);
      if (!ready) reply.code(503).header('retry-after', String(retryAfterSeconds));
      return { ready, apps: byApp };
    },
  );
  if (metrics)
    server.get(
      '/metrics',
      { config, schema: { tags: ['health'], summary: 'Prometheus metrics (text format)' } },
      async (_req, reply) => reply.type(metrics.contentType).send(await metrics.render()),
    );
}
