import type { FastifyInstance } from 'fastify';
import { BUILTIN_SCOPES } from '../route-config.ts';
import { FORWARDED_HEADER } from './forwarder.ts';
import { ERROR_SCHEMA, notFound } from './http-errors.ts';
import { StoreQuery } from './store-query.ts';
import { WindowQuery } from './window-query.ts';

const NAME = { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' } as const;
const KEY_PARAM = { type: 'string', minLength: 1, maxLength: 1024 } as const;
/** Epoch milliseconds or an RFC 3339 date-time (checked further by `parseTime`). */
const TIME_PARAM = {
  type: 'string',
  pattern:
    '^([0-9]{1,15}|[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2}))$',
  description: 'epoch milliseconds or RFC 3339 (2026-01-01T00:00:00Z)',
} as const;
const WINDOW_ENTRY = {
  type: 'object',
  properties: {
    key: {},
    start: { type: 'string', format: 'date-time' },
    end: { type: ['string', 'null'], format: 'date-time' },
    value: {},
    servedBy: { type: 'string' },
  },
} as const;
const errors = {
  400: ERROR_SCHEMA,
  401: ERROR_SCHEMA,
  403: ERROR_SCHEMA,
  404: ERROR_SCHEMA,
  503: ERROR_SCHEMA,
};

/** Generic interactive-query routes for every store of every application. */
export function storeRoutes(server: FastifyInstance, query: StoreQuery, maxLimit: number): void {
  const windows = new WindowQuery(query, maxLimit);
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

  const windowQuery = {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: TIME_PARAM,
      to: TIME_PARAM,
      limit: { type: 'integer', minimum: 1, maximum: maxLimit, default: 100 },
    },
  } as const;

  server.get<{
    Params: { app: string; store: string; key: string };
    Querystring: { from?: string; to?: string; limit?: number };
  }>(
    '/stores/:app/:store/windows/:key',
    {
      config,
      schema: {
        tags: ['stores'],
        summary:
          'The windows of one key in a window or session store, read on the instance that owns the key (forwarded if needed). Window store: windows starting in [from, to]; session store: sessions overlapping [from, to]',
        params: {
          type: 'object',
          properties: { app: NAME, store: NAME, key: KEY_PARAM },
          required: ['app', 'store', 'key'],
        },
        querystring: windowQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              key: { type: 'string' },
              entries: { type: 'array', items: WINDOW_ENTRY },
              count: { type: 'integer' },
              servedBy: { type: 'string' },
            },
          },
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const { app, store, key } = req.params;
      const r = await windows.fetch(app, store, key, req.query, forwarded(req.headers));
      reply.header('x-millrace-served-by', r.servedBy);
      return { key, entries: r.entries, count: r.entries.length, servedBy: r.servedBy };
    },
  );

  server.get<{
    Params: { app: string; store: string };
    Querystring: { from?: string; to?: string; limit?: number };
  }>(
    '/stores/:app/:store/windows',
    {
      config,
      schema: {
        tags: ['stores'],
        summary:
          'The windows of every key of a window or session store across every instance, merged (ordered by key, start, end)',
        params: { type: 'object', properties: { app: NAME, store: NAME }, required: ['app', 'store'] },
        querystring: windowQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              entries: { type: 'array', items: WINDOW_ENTRY },
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
      const r = await windows.scan(app, store, req.query, forwarded(req.headers));
      return { entries: r.entries, count: r.entries.length, servedBy: r.servedBy };
    },
  );
}

export { StoreQuery };
