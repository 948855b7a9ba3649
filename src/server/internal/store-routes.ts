import type { FastifyInstance } from 'fastify';
import { BUILTIN_SCOPES } from '../route-config.ts';
import { FORWARDED_HEADER } from './forwarder.ts';
import { ERROR_SCHEMA, notFound } from './http-errors.ts';
import { StoreQuery } from './store-query.ts';

const NAME = { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' } as const;
const KEY_PARAM = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const errors = {
  400: ERROR_SCHEMA,
  401: ERROR_SCHEMA,
  403: ERROR_SCHEMA,
  404: ERROR_SCHEMA,
  503: ERROR_SCHEMA,
};

/** Generic interactive-query routes for every store of every application. */
export function storeRoutes(server: FastifyInstance, query: StoreQuery, maxLimit: number): void {
  const config = { scope: BUILTIN_SCOPES.storesRead };
  const forwarded = (h: Record<string, unknown>) => h[FORWARDED_HEADER] === '1';

  server.get(
    '/stores',
    {
      config,
      schema: {
        tags: ['stores'],
        summary: 'Every queryable store of every application',
        response: {
          200: {
            type: 'object',
            properties: {
              stores: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    applicationId: { type: 'string' },
                    store: { type: 'string' },
                    partitions: { type: 'integer' },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    async () => ({ stores: query.stores() }),
  );

  server.get<{ Params: { app: string; store: string; key: string } }>(
    '/stores/:app/:store/keys/:key',
    {
      config,
      schema: {
        tags: ['stores'],
        summary: 'The value of one key, read on the instance that owns it (forwarded if needed)',
        params: {
          type: 'object',
          properties: { app: NAME, store: NAME, key: KEY_PARAM },
          required: ['app', 'store', 'key'],
        },
        querystring: { type: 'object', additionalProperties: false, properties: {} },
        response: {
          200: {
            type: 'object',
            properties: { key: { type: 'string' }, value: {}, servedBy: { type: 'string' } },
          },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const { app, store, key } = req.params;
      const r = await query.get(app, store, key, forwarded(req.headers));
      reply.header('x-millrace-served-by', r.servedBy);
      if (r.value === undefined) throw notFound(`no value for this key in store "${store}"`, r.servedBy);
      return { key, value: r.value, servedBy: r.servedBy };
    },
  );

  server.get<{
    Params: { app: string; store: string };
    Querystring: { from?: string; to?: string; prefix?: string; limit?: number };
  }>(
    '/stores/:app/:store',
    {
      config,
      schema: {
        tags: ['stores'],
        summary: 'Scan a store across every instance: all, a key range (from/to inclusive) or a key prefix',
        params: { type: 'object', properties: { app: NAME, store: NAME }, required: ['app', 'store'] },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: KEY_PARAM,
            to: KEY_PARAM,
            prefix: KEY_PARAM,
            limit: { type: 'integer', minimum: 1, maximum: maxLimit, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              entries: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { key: {}, value: {}, servedBy: { type: 'string' } },
                },
              },
              count: { type: 'integer' },
              servedBy: { type: 'array', items: { type: 'string' } },
            },
          },
          ...errors,
        },
      },
    },
    async (req) => {
      const { app, store } = req.params;
      const r = await query.scan(app, store, req.query, forwarded(req.headers));
      return { entries: r.entries, count: r.entries.length, servedBy: r.servedBy };
    },
  );
}

export { StoreQuery };
