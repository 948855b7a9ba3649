import { readFileSync } from 'node:fs';
import fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { pino } from 'pino';
import { MillraceError } from '../../errors/index.ts';
import type { PluginContext } from '../plugin.ts';
import '../route-config.ts';
import type { MillraceServerOptions } from '../server-options.ts';
import { createAuthenticator, requireScope } from './auth.ts';
import { createForwarder } from './forwarder.ts';
import { errorHandler, formatSchemaErrors } from './http-errors.ts';
import { healthRoutes } from './health-routes.ts';
import { createPluginContext } from './plugin-context.ts';
import { startQueryThreads, type QueryThreads } from './query-threads.ts';
import { StoreQuery } from './store-query.ts';
import { storeRoutes } from './store-routes.ts';
import { topologyRoutes } from './topology-routes.ts';

/** A built server: Fastify (for `inject()` in tests), the plugin context, listen and close. */
export interface MillraceServer {
  readonly fastify: FastifyInstance;
  readonly context: PluginContext;
  /** Listens; resolves to the bound `host:port`. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new MillraceError(
      'MR_SERVER_CONFIG_INVALID',
      `cannot read the TLS ${what} file ${path} (${(cause as Error).message}): fix server.tls.${what}File`,
      { cause },
    );
  }
}

/**
 * Builds the HTTP server of a `millrace run` process: interactive queries over every store of every app,
 * health, metrics, topology, OpenAPI docs at `/docs`, bearer-token auth, then the plugins' routes.
 *
 * @example
 * ```ts
 * const server = await createMillraceServer({ apps: new Map([['orders', app]]), auth: { token: process.env.MILLRACE_API_TOKEN } });
 * await server.listen(8080, '0.0.0.0');
 * ```
 */
export async function createMillraceServer(options: MillraceServerOptions): Promise<MillraceServer> {
  const retryAfter = options.retryAfterSeconds ?? 2;
  const maxLimit = options.maxScanLimit ?? 10_000;
  const tls = options.tls;
  const https = tls ? { cert: readPem(tls.certFile, 'cert'), key: readPem(tls.keyFile, 'key') } : undefined;
  const ca = tls?.caFile ? readPem(tls.caFile, 'ca') : undefined;
  const authenticate = await createAuthenticator(options.auth);
  // Request lines carry the route pattern and status, never the URL or bodies: keys may be patient ids.
  const logger = pino({ level: options.logLevel ?? 'info', base: { component: 'http' } });
  const server = fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    ...(https ? { https } : {}),
    routerOptions: { maxParamLength: 2048 },
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: false } },
    schemaErrorFormatter: formatSchemaErrors,
    frameworkErrors: (err, _req, reply) => {
      // Typed loosely: the framework hands a reply of no particular route.
      const r = reply as unknown as { code(n: number): { type(t: string): { send(b: unknown): void } } };
      r.code(400)
        .type('application/json')
        .send({ code: 'MR_HTTP_BAD_REQUEST', message: `the URL is malformed (${err.message})` });
    },
  }) as unknown as FastifyInstance;

  const query = new StoreQuery(
    options.apps,
    createForwarder({
      timeoutMs: options.forwardTimeoutMs ?? 5000,
      token: options.auth?.internalToken ?? options.auth?.token,
      tls: !!tls,
      ...(ca ? { ca } : {}),
    }),
    maxLimit,
  );
  const plugin = createPluginContext(options.apps, query, logger, options.kafka);

  server.setErrorHandler(errorHandler(retryAfter));
  server.setNotFoundHandler((req) => {
    throw new MillraceError(
      'MR_HTTP_NOT_FOUND',
      `no route ${req.method} ${req.routeOptions.url ?? 'for this URL'}: see /docs`,
    );
  });
  server.addHook('onRequest', async (req) => {
    const cfg = req.routeOptions.config;
    const route = req.routeOptions.url ?? '';
    if (!authenticate || cfg?.public || route === '/docs' || route.startsWith('/docs/')) return;
    requireScope(await authenticate(req.headers.authorization), cfg?.scope);
  });
  server.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    options.metrics?.observeHttp(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const line = {
      method: req.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) req.log.warn(line, 'request answered');
    else req.log.info(line, 'request answered');
  });

  await server.register(swagger, {
    openapi: {
      info: {
        title: 'Millrace',
        description: 'Interactive queries, health, metrics and topology',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: authenticate ? [{ bearer: [] }] : [],
    },
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  healthRoutes(server, options.apps, options.metrics, retryAfter);
  storeRoutes(server, query, maxLimit);
  topologyRoutes(server, options.topologies ?? new Map());
  for (const p of options.plugins ?? []) {
    if (!p.routes) continue;
    await server.register(async (scope) => {
      await p.routes!(scope, plugin.context);
    });
  }
  await server.ready();

  const threads =
    options.threads ?? Math.max(0, ...[...options.apps.values()].map((a) => a.config['query.threads'] ?? 0));
  let workers: QueryThreads | undefined;
  return {
    fastify: server,
    context: plugin.context,
    async listen(port, host = '0.0.0.0') {
      if (threads > 0) {
        workers = await startQueryThreads({
          threads,
          port,
          host,
          fastify: server,
          apps: options.apps,
          metrics: options.metrics,
          tls: https,
          auth: options.auth,
          logLevel: options.logLevel ?? 'info',
        });
        return `${host}:${workers.port}`;
      }
      await server.listen({ port, host });
      const addr = server.server.address();
      return typeof addr === 'object' && addr ? `${host}:${addr.port}` : String(addr);
    },
    async close() {
      await workers?.close();
      await server.close();
      await plugin.close();
    },
  };
}
