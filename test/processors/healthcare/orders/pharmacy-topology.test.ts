import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  compileTopologySpec,
  createProcessorRegistry,
  createTopologyTestDriver,
  jsonSerde,
  stringSerde,
  type TestInputTopic,
  type TopologyTestDriver,
} from '../../../../src/index.ts';
import { windowKey } from '../../../../processors/healthcare/orders/keys.ts';
import {
  deliveryEventJson,
  inventoryEventJson,
  orderEventJson,
  statusEventJson,
  type OrderSpec,
} from '../../../../processors/healthcare/orders/loadgen.ts';
import { registerOrders } from '../../../../processors/healthcare/orders/register.ts';

const str = stringSerde();
const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const MIN = 60_000;
const HOUR = 3_600_000;

function topology() {
  const registry = createProcessorRegistry();
  registerOrders(registry);
  return compileTopologySpec(readFileSync('topology/pharmacy-orders.yaml', 'utf8'), registry);
}

const order = (
  createdAtMs: number,
  meds: [string, number, number][],
  status: OrderSpec['status'] = 'pending',
): OrderSpec => ({
  orderType: 'delivery',
  customerName: 'A. Khan',
  medications: meds.map(([name, qty, priceCents]) => ({ name, qty, priceCents })),
  discountCents: 0,
  status,
  paymentMethod: 'cash',
  createdAtMs,
});

describe('topology/pharmacy-orders.yaml in the TopologyTestDriver', () => {
  let driver: TopologyTestDriver;
  let orders: TestInputTopic<string, string>;
  let statuses: TestInputTopic<string, string>;
  let inventory: TestInputTopic<string, string>;
  const store = <V>(name: string) => driver.getKeyValueStore<string, V>(name);
  const out = (topic: string) => driver.createOutputTopic(topic, str, jsonSerde<Record<string, unknown>>());
  const sendOrder = (
    eventId: string,
    type: 'order.created' | 'order.updated' | 'order.deleted',
    orderId: string,
    at: number,
    body?: OrderSpec,
  ) =>
    orders.pipeInput(
      '1001',
      orderEventJson({ eventId, type, orderId, tenantCode: 1001, occurredAtMs: at, order: body }),
      at,
    );
  const sendStatus = (eventId: string, orderId: string, oldStatus: string, newStatus: string, at: number) =>
    statuses.pipeInput(
      '1001',
      statusEventJson({ eventId, orderId, tenantCode: 1001, oldStatus, newStatus, occurredAtMs: at }),
      at,
    );

  beforeEach(() => {
    const { topology: t, config } = topology();
    driver = createTopologyTestDriver(t, { applicationId: config['application.id'] });
    orders = driver.createInputTopic('order-events', str, str);
    statuses = driver.createInputTopic('status-updates', str, str);
    inventory = driver.createInputTopic('inventory-adjustments', str, str);
  });

  it('aggregates windows, retracts updates and deletes, moves inventory and notifies once per create', async () => {
    await sendOrder('e1', 'order.created', 'o1', T0, order(T0, [['Paracetamol', 2, 150]]));
    await sendOrder(
      'e2',
      'order.created',
      'o2',
      T0 + 10_000,
      order(T0 + 10_000, [
        ['Paracetamol', 1, 150],
        ['ORS', 3, 99],
      ]),
    );
    await sendOrder('e3', 'order.updated', 'o1', T0 + 20_000, order(T0, [['Paracetamol', 5, 150]], 'paid'));
    await sendOrder('e3', 'order.updated', 'o1', T0 + 20_000, order(T0, [['Paracetamol', 5, 150]], 'paid')); // duplicate
    await sendOrder('e4', 'order.deleted', 'o2', T0 + 30_000);

    const minute = store<Record<string, unknown>>('pharmacy-windows').get(windowKey('1001', MIN, T0));
    expect(minute).toMatchObject({
      orderCount: 1,
      revenueMinor: 750,
      byStatus: {
        pending: { count: 0, amountMinor: 0 },
        paid: { count: 1, amountMinor: 750 },
        credit: { count: 0, amountMinor: 0 },
      },
      meds: { Paracetamol: 5 },
    });
    expect(store('pharmacy-windows').get(windowKey('1001', HOUR, T0))).toMatchObject({
      orderCount: 1,
      revenueMinor: 750,
    });
    // Paracetamol: -2 (o1) -1 (o2) -3 (o1 2→5) +1 (o2 deleted) = -5; ORS: -3 +3 = 0.
    expect(store<{ stock: number }>('pharmacy-inventory').get('1001|Paracetamol')?.stock).toBe(-5);
    expect(store<{ stock: number }>('pharmacy-inventory').get('1001|ORS')?.stock).toBe(0);
    const notes = out('notifications')
      .readRecordsToList()
      .map((r) => r.value!);
    expect(notes.map((n) => `${n.type}:${n.orderId}`)).toEqual(['order.created:o1', 'order.created:o2']);
    expect(store<{ duplicates: number }>('pharmacy-order-stats').get('1001')?.duplicates).toBe(1);
  });

  it('buffers a status change that arrives before its order, applies it by occurredAt and counts mismatches', async () => {
    await sendStatus('s1', 'o9', 'pending', 'paid', T0 + 5_000);
    expect(store('pharmacy-pending-status').get('1001|o9')).toHaveLength(1);
    await sendOrder('c9', 'order.created', 'o9', T0, order(T0, [['Ibuprofen', 1, 1000]]));
    expect(store('pharmacy-pending-status').get('1001|o9')).toBeUndefined();
    expect(store<{ status: string }>('pharmacy-orders').get('1001|o9')?.status).toBe('paid');
    // An older status change loses (last writer wins) but is still checked against the stored status.
    await sendStatus('s2', 'o9', 'credit', 'pending', T0 + 1_000);
    const rec = store<{ status: string; statusMismatches: number; statusChanges: number }>(
      'pharmacy-orders',
    ).get('1001|o9');
    expect(rec).toMatchObject({ status: 'paid', statusChanges: 2, statusMismatches: 1 });
    expect(store('pharmacy-windows').get(windowKey('1001', MIN, T0))).toMatchObject({
      byStatus: { paid: { count: 1, amountMinor: 1000 }, pending: { count: 0, amountMinor: 0 } },
    });
    expect(
      out('notifications')
        .readRecordsToList()
        .map((r) => r.value!)
        .map((n) => n.type),
    ).toEqual(['status.changed', 'order.created', 'status.changed']);
  });

  it('drops, counts and forwards changes to windows closed by the grace, but still updates orders and inventory', async () => {
    await sendOrder('e1', 'order.created', 'o1', T0, order(T0, [['Paracetamol', 1, 100]]));
    // Stream time moves 2 hours on: o1's windows (1m and 1h) are closed.
    await sendOrder(
      'e2',
      'order.created',
      'o2',
      T0 + 2 * HOUR,
      order(T0 + 2 * HOUR, [['Paracetamol', 1, 100]]),
    );
    await sendOrder('e3', 'order.updated', 'o1', T0 + 2 * HOUR + 1, order(T0, [['Paracetamol', 4, 100]]));
    await sendOrder('e4', 'order.created', 'o3', T0 + 2 * HOUR + 2, order(T0 + 30 * MIN, [['ORS', 1, 100]]));
    // Within the grace: 4 minutes old, the 1-minute window has not closed yet.
    await sendOrder(
      'e5',
      'order.created',
      'o4',
      T0 + 2 * HOUR + 3,
      order(T0 + 2 * HOUR - 4 * MIN, [['ORS', 1, 100]]),
    );

    expect(store('pharmacy-windows').get(windowKey('1001', MIN, T0))).toMatchObject({
      orderCount: 1,
      revenueMinor: 100,
    });
    expect(store('pharmacy-windows').get(windowKey('1001', HOUR, T0))).toMatchObject({
      orderCount: 1,
      meds: { Paracetamol: 1 },
    });
    expect(store('pharmacy-windows').get(windowKey('1001', MIN, T0 + 2 * HOUR - 4 * MIN))).toMatchObject({
      orderCount: 1,
    });
    expect(
      store<{ body: { medications: { qty: number }[] } }>('pharmacy-orders').get('1001|o1')?.body
        .medications[0]?.qty,
    ).toBe(4);
    expect(store<{ stock: number }>('pharmacy-inventory').get('1001|Paracetamol')?.stock).toBe(-5);
    const late = out('orders.late')
      .readRecordsToList()
      .map((r) => r.value!);
    expect(late.map((l) => [l.eventId, l.windows])).toEqual([
      ['e3', ['1m', '1h']],
      ['e4', ['1m', '1h']],
    ]);
    expect(store<{ lateDropped: number }>('pharmacy-order-stats').get('1001')?.lateDropped).toBe(2);
  });

  it('alerts once per crossing below the threshold, not once per order while below', async () => {
    const adjust = (eventId: string, body: Record<string, number>) =>
      inventory.pipeInput(
        '1001',
        inventoryEventJson({ eventId, tenantCode: 1001, medication: 'ORS', ...body }),
        T0,
      );
    await adjust('i1', { set: 10, threshold: 5 });
    await sendOrder('e1', 'order.created', 'o1', T0, order(T0, [['ORS', 4, 100]])); // 6
    await sendOrder('e2', 'order.created', 'o2', T0, order(T0, [['ORS', 2, 100]])); // 4: crossing
    await sendOrder('e3', 'order.created', 'o3', T0, order(T0, [['ORS', 1, 100]])); // 3: still below
    await adjust('i2', { delta: 10 }); // 13: back above
    await sendOrder('e4', 'order.updated', 'o3', T0 + 1, order(T0, [['ORS', 10, 100]])); // 4: crossing
    await sendOrder('e5', 'order.deleted', 'o2', T0 + 2); // 6
    const alerts = out('restock-alerts')
      .readRecordsToList()
      .map((r) => r.value!);
    expect(alerts.map((a) => a.stock)).toEqual([4, 4]);
    expect(store('pharmacy-inventory').get('1001|ORS')).toMatchObject({
      stock: 6,
      threshold: 5,
      below: false,
    });
  });

  it('rejects malformed events of every input with MR_EVENT_INVALID naming the field, leaving no state behind', async () => {
    const bad = async (f: () => Promise<void>) => {
      try {
        await f();
        return 'accepted';
      } catch (err) {
        const e = err as { code?: string; message: string };
        return `${e.code}: ${e.message}`;
      }
    };
    expect(await bad(() => orders.pipeInput('1001', '{"eventId":', T0))).toMatch(
      /MR_EVENT_INVALID.*not valid JSON/,
    );
    const good = orderEventJson({
      eventId: 'x',
      type: 'order.created',
      orderId: 'o1',
      tenantCode: 1001,
      occurredAtMs: T0,
      order: order(T0, [['A', 1, 100]]),
    });
    expect(
      await bad(() => orders.pipeInput('1001', good.replace('"price":1.00', '"price":1.005'), T0)),
    ).toMatch(/medications\[0\]\.price has 3 fractional digits/);
    expect(await bad(() => orders.pipeInput('9999', good, T0))).toMatch(
      /record key must be the event's tenantCode/,
    );
    expect(
      await bad(() =>
        statuses.pipeInput(
          '1001',
          '{"type":"status.changed","eventId":"s","orderId":"o","tenantCode":1001,"newStatus":"lost","occurredAt":"2026-01-01T00:00:00Z"}',
          T0,
        ),
      ),
    ).toMatch(/event.newStatus must be one of pending, paid, credit/);
    expect(
      await bad(() =>
        inventory.pipeInput(
          '1001',
          '{"eventId":"i","tenantCode":1001,"medication":"A","delta":1,"set":2}',
          T0,
        ),
      ),
    ).toMatch(/either "delta" or "set"/);
    const deliveries = driver.createInputTopic('delivery-tracking', str, str);
    expect(
      await bad(() =>
        deliveries.pipeInput(
          'b1',
          '{"eventId":"d","orderId":"o","deliveryBoyId":"b1","lat":91,"lon":0,"timestamp":"2026-01-01T00:00:00Z"}',
          T0,
        ),
      ),
    ).toMatch(/event.lat must be a number in \[-90, 90\]/);
    expect(store('pharmacy-orders').get('1001|o1')).toBeUndefined();
    expect(store('pharmacy-dedupe').approximateNumEntries()).toBe(0);
  });

  it('keeps the latest delivery position per delivery boy and per order, by event timestamp', async () => {
    const d = driver.createInputTopic('delivery-tracking', str, str);
    const pos = (eventId: string, boy: string, orderId: string, lat: number, at: number) =>
      d.pipeInput(
        boy,
        deliveryEventJson({ eventId, orderId, deliveryBoyId: boy, lat, lon: 67, timestampMs: at }),
        at,
      );
    await pos('d1', 'b1', 'o1', 24.1, T0);
    await pos('d2', 'b1', 'o1', 24.3, T0 + 2000);
    await pos('d3', 'b1', 'o1', 24.2, T0 + 1000); // older: ignored
    await pos('d4', 'b1', 'o2', 24.4, T0 + 3000);
    expect(store('pharmacy-delivery-by-boy').get('b1')).toMatchObject({ orderId: 'o2', lat: 24.4 });
    expect(store('pharmacy-delivery-by-order').get('o1')).toMatchObject({
      lat: 24.3,
      timestamp: new Date(T0 + 2000).toISOString(),
    });
    // A day of stream time later, the purge drops both (1-day retention).
    await pos('d5', 'b2', 'o3', 24.5, T0 + 25 * HOUR);
    expect(store('pharmacy-delivery-by-boy').get('b1')).toBeUndefined();
    expect(store('pharmacy-delivery-by-order').get('o1')).toBeUndefined();
    expect(store('pharmacy-delivery-by-order').get('o3')).toBeDefined();
  });
});
