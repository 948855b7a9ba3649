import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MillraceError } from '../../../src/index.ts';
import type { PluginContext } from '../../../src/index.ts';
import type { DeliveryPosition } from '../orders/delivery-processor.ts';
import { ORDER_STATUSES, validateOrderBody, type OrderStatus } from '../orders/events.ts';
import type { InventoryState } from '../orders/inventory.ts';
import { MAX_WINDOW_START, inventoryKey, orderKey, windowKey } from '../orders/keys.ts';
import type { OrderRecord } from '../orders/order-merge.ts';
import { DEFAULT_WINDOWS, type WindowSize } from '../orders/params.ts';
import { ORDER_STORES } from '../orders/stores.ts';
import { topMedications, windowStart, type WindowAggregate } from '../orders/window-aggregate.ts';

/** Where the routes find the pharmacy application; defaults match topology/pharmacy-orders.yaml. */
export interface OrderRoutesOptions {
  applicationId?: string;
  orderEventsTopic?: string;
  statusUpdatesTopic?: string;
  windows?: readonly WindowSize[];
}

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

const badRequest = (message: string) => new MillraceError('MR_HTTP_BAD_REQUEST', message);
const notFound = (message: string) => new MillraceError('MR_HTTP_NOT_FOUND', message);

/**
 * The pharmacy query and command routes. Reads go through `ctx.scan`/`ctx.get`, so they work whichever
 * instance holds the data; errors are MillraceErrors the server maps to `{code, message}` (400, 404, 503 with
 * Retry-After while the owning task restores). Stores keyed `<tenant>|…` live in the tenant's partition, not
 * the partition of the whole key, so exact-key reads of them are one-key scans (fan-out) rather than `get`.
 *
 * @example
 * ```ts
 * const plugin: MillracePlugin = { name: 'healthcare', register: registerOrders, routes: (s, ctx) => orderRoutes(s, ctx) };
 * ```
 */
export async function orderRoutes(
  server: FastifyInstance,
  ctx: PluginContext,
  options: OrderRoutesOptions = {},
): Promise<void> {
  const app = options.applicationId ?? 'pharmacy-orders';
  const windows = options.windows ?? DEFAULT_WINDOWS;
  const read = { config: { scope: 'pharmacy:read' } };
  const write = { config: { scope: 'pharmacy:write' } };
  const one = async <V>(store: string, key: string): Promise<V | undefined> =>
    (await ctx.scan<V>(app, store, { from: key, to: key, limit: 1 })).find((e) => e.key === key)?.value;

  server.get('/tenants/:tenantCode/analytics', read, async (req) => {
    const tenant = tenantParam(req.params as Params);
    const q = req.query as Query;
    const w = windowParam(q.window, windows, undefined);
    const from = q.from === undefined ? 0 : timeParam(q.from, 'from');
    const to = q.to === undefined ? undefined : timeParam(q.to, 'to');
    if (to !== undefined && to < from) throw badRequest('parameter "to" must not be before "from"');
    const fromKey = windowKey(tenant, w.sizeMs, windowStart(from, w.sizeMs));
    const toKey = windowKey(tenant, w.sizeMs, to === undefined ? MAX_WINDOW_START : Math.max(0, to - 1));
    const found = await ctx.scan<WindowAggregate>(app, ORDER_STORES.windows, { from: fromKey, to: toKey });
    return {
      tenantCode: tenantOut(tenant),
      window: w.name,
      windows: found
        .map((e) => e.value)
        .sort((a, b) => a.startMs - b.startMs)
        .map((a) => ({
          start: new Date(a.startMs).toISOString(),
          end: new Date(a.startMs + a.sizeMs).toISOString(),
          orderCount: a.orderCount,
          revenueMinor: a.revenueMinor,
          byStatus: a.byStatus,
          topMedications: topMedications(a.meds, 10),
        })),
    };
  });

  server.get('/tenants/:tenantCode/medications/top', read, async (req) => {
    const tenant = tenantParam(req.params as Params);
    const q = req.query as Query;
    const w = windowParam(q.window, windows, '1h');
    const at = q.at === undefined ? Date.now() : timeParam(q.at, 'at');
    const limit = q.limit === undefined ? 10 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw badRequest('parameter "limit" must be an integer from 1 to 100');
    }
    const start = windowStart(at, w.sizeMs);
    const agg = await one<WindowAggregate>(ORDER_STORES.windows, windowKey(tenant, w.sizeMs, start));
    return {
      tenantCode: tenantOut(tenant),
      window: w.name,
      start: new Date(start).toISOString(),
      end: new Date(start + w.sizeMs).toISOString(),
      medications: agg ? topMedications(agg.meds, limit) : [],
    };
  });

  server.get('/tenants/:tenantCode/orders/:orderId', read, async (req) => {
    const p = req.params as Params;
    const tenant = tenantParam(p);
    const orderId = idParam(p.orderId, 'orderId');
    const rec = await one<OrderRecord>(ORDER_STORES.orders, orderKey(tenant, orderId));
    if (rec === undefined || rec.deleted || rec.body === undefined) {
      throw notFound(`order "${orderId}" of tenant ${tenant} does not exist (or was deleted)`);
    }
    // The merged status (order events and status changes) replaces the body's own.
    const { createdAtMs, status: _bodyStatus, ...body } = rec.body;
    return {
      orderId: rec.orderId,
      tenantCode: rec.tenantCode,
      status: rec.status,
      ...body,
      createdAt: new Date(createdAtMs).toISOString(),
      updatedAt: new Date(Math.max(rec.orderAtMs, rec.statusAtMs)).toISOString(),
      statusChanges: rec.statusChanges,
      statusMismatches: rec.statusMismatches,
    };
  });

  server.get('/tenants/:tenantCode/inventory/:medication', read, async (req) => {
    const p = req.params as Params;
    const tenant = tenantParam(p);
    const medication = p.medication ?? '';
    if (medication.length === 0 || medication.length > 256) {
      throw badRequest('parameter "medication" must be 1 to 256 characters');
    }
    const inv = await one<InventoryState>(ORDER_STORES.inventory, inventoryKey(tenant, medication));
    if (inv === undefined) throw notFound(`tenant ${tenant} has no inventory of "${medication}"`);
    return {
      tenantCode: inv.tenantCode,
      medication: inv.medication,
      stock: inv.stock,
      threshold: inv.threshold,
    };
  });

  server.get('/deliveries/:deliveryBoyId/location', read, async (req) => {
    const id = idParam((req.params as Params).deliveryBoyId, 'deliveryBoyId');
    const { value } = await ctx.get<DeliveryPosition>(app, ORDER_STORES.deliveryByBoy, id);
    if (value === undefined) throw notFound(`no position of delivery boy "${id}" in the last day`);
    return {
      deliveryBoyId: value.deliveryBoyId,
      orderId: value.orderId,
      lat: value.lat,
      lon: value.lon,
      timestamp: value.timestamp,
    };
  });

  server.post('/tenants/:tenantCode/orders', write, async (req, reply) => {
    const tenant = tenantParam(req.params as Params);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const orderId = body.orderId === undefined ? randomUUID() : idParam(body.orderId, 'orderId');
    const { orderId: _ignored, ...order } = body;
    try {
      validateOrderBody(order);
    } catch (err) {
      throw badRequest((err as Error).message.replace(/^event\.order/, 'body'));
    }
    const eventId = randomUUID();
    const value = {
      eventId,
      type: 'order.created',
      orderId,
      tenantCode: tenantOut(tenant),
      occurredAt: new Date().toISOString(),
      order,
    };
    await ctx.produce(options.orderEventsTopic ?? 'order-events', [{ key: tenant, value }]);
    return reply.code(202).send({ eventId, orderId });
  });

  server.put('/tenants/:tenantCode/orders/:orderId/status', write, async (req, reply) => {
    const p = req.params as Params;
    const tenant = tenantParam(p);
    const orderId = idParam(p.orderId, 'orderId');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const status = (k: string, required: boolean): OrderStatus | undefined => {
      const v = body[k];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || !(ORDER_STATUSES as readonly string[]).includes(v)) {
        throw badRequest(`body.${k} must be one of ${ORDER_STATUSES.join(', ')}`);
      }
      return v as OrderStatus;
    };
    const eventId = randomUUID();
    const value = {
      eventId,
      type: 'status.changed',
      orderId,
      tenantCode: tenantOut(tenant),
      oldStatus: status('oldStatus', false),
      newStatus: status('newStatus', true),
      changedBy: typeof body.changedBy === 'string' ? body.changedBy : undefined,
      reason: typeof body.reason === 'string' ? body.reason : undefined,
      occurredAt: new Date().toISOString(),
    };
    await ctx.produce(options.statusUpdatesTopic ?? 'status-updates', [{ key: tenant, value }]);
    return reply.code(202).send({ eventId, orderId });
  });
}

function idParam(v: unknown, name: string): string {
  const text = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
  if (typeof text !== 'string' || !/^[^|\s]{1,128}$/.test(text)) {
    throw badRequest(
      `parameter "${name}" must be an identifier of 1 to 128 characters without spaces or "|"`,
    );
  }
  return text;
}

const tenantParam = (p: Params): string => idParam(p.tenantCode, 'tenantCode');

/** Tenant codes are sent as numbers by the producers (`"tenantCode":1001`): answer in the same form. */
function tenantOut(tenant: string): number | string {
  return /^[0-9]{1,15}$/.test(tenant) ? Number(tenant) : tenant;
}

function windowParam(
  v: string | undefined,
  sizes: readonly WindowSize[],
  fallback: string | undefined,
): WindowSize {
  const name = v ?? fallback;
  const w = sizes.find((s) => s.name === name);
  if (w === undefined)
    throw badRequest(`parameter "window" must be one of ${sizes.map((s) => s.name).join(', ')}`);
  return w;
}

function timeParam(v: string, name: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(v)
    ? Date.parse(v)
    : NaN;
  if (Number.isNaN(ms) || ms < 0)
    throw badRequest(`parameter "${name}" must be an RFC 3339 time, e.g. 2026-01-05T10:00:00Z`);
  return ms;
}
