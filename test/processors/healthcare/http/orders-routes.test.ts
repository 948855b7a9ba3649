import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { MillraceError, isMillraceError } from '../../../../src/index.ts';
import type { PluginContext, ScanRequest } from '../../../../src/server/plugin.ts';
import { orderRoutes } from '../../../../processors/healthcare/http/orders-routes.ts';
import { windowKey } from '../../../../processors/healthcare/orders/keys.ts';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
type Data = Record<string, Map<string, unknown>>;

/** A fake PluginContext over in-memory maps, scanning like the server does (sorted keys, inclusive bounds). */
function fakeContext(data: Data, restoring: boolean) {
  const produced: { topic: string; key: string | null; value: unknown }[] = [];
  const unavailable = () =>
    new MillraceError('MR_STORE_NOT_QUERYABLE', 'task 0_1 is restoring: retry shortly');
  const ctx: PluginContext = {
    apps: new Map(),
    get: async <V>(_app: string, store: string, key: string) => {
      if (restoring) throw unavailable();
      return { value: data[store]?.get(key) as V | undefined, servedBy: 'local' };
    },
    scan: async <V>(_app: string, store: string, r: ScanRequest) => {
      if (restoring) throw unavailable();
      return [...(data[store] ?? new Map<string, unknown>())]
        .filter(([k]) => (r.from === undefined || k >= r.from) && (r.to === undefined || k <= r.to))
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, value]) => ({ key, value: value as V }));
    },
    produce: async (topic, records) => {
      for (const r of records) produced.push({ topic, key: r.key, value: r.value });
    },
    log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  return { ctx, produced };
}

async function server(data: Data, restoring = false) {
  const f = Fastify();
  // The contract of the Millrace server's error handler: MillraceError code → status, {code, message}.
  const statuses: Record<string, number> = {
    MR_HTTP_BAD_REQUEST: 400,
    MR_HTTP_NOT_FOUND: 404,
    MR_STORE_NOT_QUERYABLE: 503,
  };
  f.setErrorHandler((err, _req, reply) => {
    const status = isMillraceError(err) ? (statuses[err.code] ?? 500) : 500;
    if (status === 503) void reply.header('retry-after', '2');
    return reply
      .code(status)
      .send({ code: isMillraceError(err) ? err.code : 'MR_INTERNAL', message: (err as Error).message });
  });
  const { ctx, produced } = fakeContext(data, restoring);
  await orderRoutes(f, ctx);
  return { f, produced };
}

const agg = (startMs: number, sizeMs: number, orderCount: number, meds: Record<string, number>) => ({
  tenantCode: 1001,
  sizeMs,
  startMs,
  orderCount,
  revenueMinor: orderCount * 100,
  byStatus: {
    pending: { count: orderCount, amountMinor: orderCount * 100 },
    paid: { count: 0, amountMinor: 0 },
    credit: { count: 0, amountMinor: 0 },
  },
  meds,
});

const data: Data = {
  'pharmacy-windows': new Map<string, unknown>([
    [windowKey('1001', 60_000, T0 + 60_000), agg(T0 + 60_000, 60_000, 2, { B: 1, A: 3 })],
    [windowKey('1001', 60_000, T0), agg(T0, 60_000, 1, { A: 1 })],
    [windowKey('1001', 3_600_000, T0), agg(T0, 3_600_000, 3, { A: 4, B: 1 })],
    [windowKey('10011', 60_000, T0), agg(T0, 60_000, 9, { Z: 9 })],
  ]),
  'pharmacy-inventory': new Map<string, unknown>([
    ['1001|ORS 1L', { tenantCode: 1001, medication: 'ORS 1L', stock: 4, threshold: 5, below: true }],
  ]),
};

describe('pharmacy order routes', () => {
  it('answers one tenant and size of windows, ordered by start, with top medications', async () => {
    const { f } = await server(data);
    const res = await f.inject(`/tenants/1001/analytics?window=1m&from=${new Date(T0).toISOString()}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      tenantCode: number;
      windows: { start: string; orderCount: number; topMedications: unknown }[];
    }>();
    expect(body.tenantCode).toBe(1001);
    expect(body.windows.map((w) => [w.start, w.orderCount])).toEqual([
      [new Date(T0).toISOString(), 1],
      [new Date(T0 + 60_000).toISOString(), 2],
    ]);
    expect(body.windows[1]?.topMedications).toEqual([
      { name: 'A', qty: 3 },
      { name: 'B', qty: 1 },
    ]);
    const top = await f.inject(
      `/tenants/1001/medications/top?window=1h&at=${new Date(T0 + 5000).toISOString()}&limit=1`,
    );
    expect(top.json()).toEqual({
      tenantCode: 1001,
      window: '1h',
      start: new Date(T0).toISOString(),
      end: new Date(T0 + 3_600_000).toISOString(),
      medications: [{ name: 'A', qty: 4 }],
    });
  });

  it('answers 400 naming the parameter, 404 for a missing key, 503 with Retry-After while restoring', async () => {
    const { f } = await server(data);
    const bad = await f.inject('/tenants/1001/analytics?window=5m');
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'MR_HTTP_BAD_REQUEST']);
    expect(bad.json().message).toMatch(/parameter "window" must be one of 1m, 1h/);
    expect((await f.inject('/tenants/1001/analytics?window=1m&from=yesterday')).json().message).toMatch(
      /parameter "from"/,
    );
    expect((await f.inject('/tenants/1001/medications/top?limit=0')).json().message).toMatch(
      /parameter "limit"/,
    );
    const inv = await f.inject(`/tenants/1001/inventory/${encodeURIComponent('ORS 1L')}`);
    expect(inv.json()).toEqual({ tenantCode: 1001, medication: 'ORS 1L', stock: 4, threshold: 5 });
    const missing = await f.inject('/tenants/1001/orders/nope');
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'MR_HTTP_NOT_FOUND']);
    const { f: restoring } = await server(data, true);
    const r = await restoring.inject('/tenants/1001/orders/o1');
    expect([r.statusCode, r.headers['retry-after']]).toEqual([503, '2']);
  });

  it('publishes order.created and status.changed events and answers 202; bad bodies are 400 and publish nothing', async () => {
    const { f, produced } = await server(data);
    const order = {
      orderId: 'o7',
      orderType: 'counter',
      customerName: 'B. Silva',
      medications: [{ name: 'A', qty: 1, price: 2.5 }],
      totalAmount: 2.5,
      discount: 0,
      payableAmount: 2.5,
      status: 'pending',
      createdAt: new Date(T0).toISOString(),
    };
    const res = await f.inject({ method: 'POST', url: '/tenants/1001/orders', payload: order });
    expect(res.statusCode).toBe(202);
    expect(produced[0]).toMatchObject({
      topic: 'order-events',
      key: '1001',
      value: { type: 'order.created', orderId: 'o7', tenantCode: 1001 },
    });
    const badMoney = await f.inject({
      method: 'POST',
      url: '/tenants/1001/orders',
      payload: { ...order, medications: [{ name: 'A', qty: 1, price: 2.505 }] },
    });
    expect(badMoney.statusCode).toBe(400);
    expect(badMoney.json().message).toMatch(/price has 3 fractional digits/);
    const put = await f.inject({
      method: 'PUT',
      url: '/tenants/1001/orders/o7/status',
      payload: { oldStatus: 'pending', newStatus: 'paid' },
    });
    expect(put.statusCode).toBe(202);
    expect(produced[1]).toMatchObject({
      topic: 'status-updates',
      key: '1001',
      value: { type: 'status.changed', orderId: 'o7', newStatus: 'paid' },
    });
    const badStatus = await f.inject({
      method: 'PUT',
      url: '/tenants/1001/orders/o7/status',
      payload: { newStatus: 'lost' },
    });
    expect(badStatus.statusCode).toBe(400);
    expect(produced).toHaveLength(2);
  });
});
