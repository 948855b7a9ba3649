import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  compileTopologySpec,
  createProcessorRegistry,
  createStreamsApp,
  type StreamsApp,
} from '../../../../src/index.ts';
import { registerOrders } from '../../../../processors/healthcare/orders/register.ts';
import {
  bootstrapServers,
  createTopics,
  eventually,
  produceStrings,
  readTopic,
  testKafka,
  uniqueName,
} from '../../../helpers/kafka.ts';
import { Scenario, type Rec } from './pharmacy-scenario.ts';

const PHASES = 5;
const TENANTS = Array.from({ length: 24 }, (_, i) => 1001 + i);
const CREATES = Number(process.env.MILLRACE_PHARMACY_CREATES ?? 360);

// The spec's guarantee (exactly-once), and at-least-once: its sends overlap, so it also checks that the records
// of a partition reach the changelogs in the order they were written (the restore of phase 3 replays them).
describe.each(['exactly_once_v2', 'at_least_once'] as const)(
  'pharmacy order analytics on the real broker (%s)',
  (guarantee) => {
    const kafka = testKafka();
    const topics = {
      orders: uniqueName('order-events'),
      status: uniqueName('status-updates'),
      inventory: uniqueName('inventory-adjustments'),
      delivery: uniqueName('delivery-tracking'),
      notifications: uniqueName('notifications'),
      late: uniqueName('orders.late'),
      alerts: uniqueName('restock-alerts'),
    };
    const appId = uniqueName('pharmacy-orders');
    const dirs: string[] = [];
    const s = new Scenario(TENANTS);
    let app: StreamsApp | undefined;

    const start = async () => {
      const spec = parse(readFileSync('topology/pharmacy-orders.yaml', 'utf8')) as {
        sources: Record<string, { topic: string }>;
      };
      const rename: Record<string, string> = {
        'order-events': topics.orders,
        'status-updates': topics.status,
        'inventory-adjustments': topics.inventory,
        'delivery-tracking': topics.delivery,
        notifications: topics.notifications,
        'orders.late': topics.late,
        'restock-alerts': topics.alerts,
      };
      // Test-unique topic names: rewrite every `topic:` of the spec.
      const text = JSON.stringify(spec).replace(/"topic":"([^"]+)"/g, (m, t: string) =>
        rename[t] ? `"topic":"${rename[t]}"` : m,
      );
      const registry = createProcessorRegistry();
      registerOrders(registry);
      const { topology, config } = compileTopologySpec(JSON.parse(text), registry);
      if (dirs.length === 0) {
        // Workaround for a runtime bug (see the report): the output collector sends up to 5000 records per
        // produce request without a byte limit, so one partition's batch can pass the broker's 1 MB
        // max.message.bytes and fail the commit (MESSAGE_TOO_LARGE). Pre-create the internal topics with a
        // larger limit; the runtime accepts existing internal topics with the expected partition counts.
        const counts: Record<string, number> = {
          [topics.orders]: 6,
          [topics.status]: 4,
          [topics.inventory]: 3,
          [topics.delivery]: 8,
        };
        const compiled = topology.compile({ applicationId: appId, partitionsOf: (t) => counts[t] ?? 3 });
        await kafka.admin().createTopics(
          compiled.internalTopics.map((t) => ({
            name: t.name,
            partitions: t.partitions,
            replicationFactor: 1,
            configs: { ...t.config, 'max.message.bytes': String(16 * 1024 * 1024) },
          })),
        );
      }
      const dir = mkdtempSync(join(tmpdir(), 'millrace-pharmacy-'));
      dirs.push(dir);
      const a = createStreamsApp(topology, {
        ...config,
        'processing.guarantee': guarantee,
        'application.id': appId,
        'bootstrap.servers': bootstrapServers(),
        'state.dir': dir,
        'commit.interval.ms': 200,
      });
      await a.start();
      await a.waitUntilRunning(60_000);
      return a;
    };

    const produce = async (recs: Rec[]) => {
      s.produced += recs.length;
      for (const role of ['orders', 'status', 'inventory', 'delivery'] as const) {
        const mine = recs.filter((r) => r.topic === role);
        if (mine.length > 0) {
          await produceStrings(
            kafka,
            topics[role],
            mine.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp })),
          );
        }
      }
    };

    const wait = async (what: string, check: () => boolean | Promise<boolean>) => {
      const ok = await eventually(check, 60_000, 200);
      if (!ok) throw new Error(`timed out waiting for ${what} (first difference: ${lastDifference})`);
    };

    let lastDifference = 'none';
    const ordersMatch =
      (
        f: (
          o: { orderAtMs: number; statusChanges: number; status: string },
          e: ReturnType<Scenario['orders']['get']> & object,
        ) => boolean,
      ) =>
      () => {
        const store = app!.store<string, { orderAtMs: number; statusChanges: number; status: string }>(
          'pharmacy-orders',
        );
        for (const key of s.touched) {
          const o = s.orders.get(key)!;
          const got = store.get(key);
          if (got === undefined || !f(got, o)) {
            const { applied: _a, body: _b, ...want } = o;
            lastDifference = `${key}: got ${JSON.stringify({ ...got, body: undefined })}, want ${JSON.stringify(want)}`;
            return false;
          }
        }
        return true;
      };

    beforeAll(async () => {
      await createTopics(kafka, [topics.orders], 6);
      await createTopics(kafka, [topics.status], 4);
      await createTopics(kafka, [topics.inventory], 3);
      await createTopics(kafka, [topics.delivery], 8);
      await createTopics(kafka, [topics.notifications, topics.late, topics.alerts], 3, {
        'max.message.bytes': String(16 * 1024 * 1024),
      });
      app = await start();
    });

    afterAll(async () => {
      await app?.close();
      await kafka.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    });

    it('matches the oracle: windows, orders, inventory, alerts, late events, DLQ and exactly-once notifications', async () => {
      for (let k = 0; k < PHASES; k++) {
        if (k === 3) {
          // A new instance with an empty state dir: every store is restored from its changelog.
          await app!.close();
          app = await start();
        }
        await produce(s.adjustments(k));
        await wait(`inventory of phase ${k}`, () => {
          const inv = app!.store<string, { stock: number }>('pharmacy-inventory');
          return [...s.inventory].every(([key, v]) => inv.get(key)?.stock === v.stock);
        });
        await produce(s.early(k, 10));
        await wait(`buffered statuses of phase ${k}`, () => {
          const p = app!.store<string, unknown[]>('pharmacy-pending-status');
          return [...s.pending.keys()].every((key) => p.get(key) !== undefined);
        });
        s.touched.clear();
        const orderRecs = s.orderPart(k, CREATES, 10);
        const malformed: Rec[] = [];
        s.malformed(malformed, k, 6);
        await produce([...orderRecs, ...malformed]);
        await wait(
          `order events of phase ${k}`,
          ordersMatch((got, o) => got.orderAtMs === o.orderAt),
        );
        s.touched.clear();
        await produce(s.statusPart(k));
        await produce(s.deliveries(k, 3000));
        await wait(
          `status changes of phase ${k}`,
          ordersMatch((got, o) => got.statusChanges === o.statusChanges),
        );
      }
      console.log(
        `pharmacy scenario: ${s.produced} events produced in ${PHASES} phases (${s.orders.size} orders)`,
      );
      if (process.env.MILLRACE_PHARMACY_CREATES === undefined)
        expect(s.produced).toBeGreaterThanOrEqual(100_000);

      // Orders: merged status, deletes, status-change and mismatch counts.
      const orders = app!.store<
        string,
        { status: string; deleted: boolean; statusChanges: number; statusMismatches: number }
      >('pharmacy-orders');
      const wrongOrders = [...s.orders].filter(([key, o]) => {
        const g = orders.get(key);
        return (
          !g ||
          g.deleted !== o.deleted ||
          g.status !== o.status ||
          g.statusMismatches !== o.mismatches ||
          g.statusChanges !== o.statusChanges
        );
      });
      expect(wrongOrders.map(([k]) => k).slice(0, 5)).toEqual([]);

      // Windows: every window, both sizes, equal to the oracle's windows recomputed from scratch.
      const expected = s.windows();
      const got = new Map<string, unknown>();
      for await (const { key, value } of app!
        .store<string, Record<string, unknown>>('pharmacy-windows')
        .all()) {
        const { orderCount, revenueMinor, byStatus, meds } = value;
        got.set(key, { orderCount, revenueMinor, byStatus, meds });
      }
      expect(got.size).toBe(expected.size);
      expect(got).toEqual(expected);

      // Inventory.
      const inv = app!.store<string, { stock: number; threshold: number | null }>('pharmacy-inventory');
      for (const [key, v] of s.inventory)
        expect([key, inv.get(key)?.stock, inv.get(key)?.threshold]).toEqual([key, v.stock, v.threshold]);

      // Late and duplicate counters per tenant.
      const stats = app!.store<string, { lateDropped: number; duplicates: number }>('pharmacy-order-stats');
      for (const t of TENANTS) {
        const st = stats.get(String(t));
        expect([t, st?.lateDropped ?? 0, st?.duplicates ?? 0]).toEqual([
          t,
          s.lateByTenant.get(t) ?? 0,
          s.dupByTenant.get(t) ?? 0,
        ]);
      }

      // Delivery positions: latest by event timestamp per delivery boy and per order.
      await wait('delivery positions', () => {
        const byBoy = app!.store<string, { orderId: string; timestampMs: number }>(
          'pharmacy-delivery-by-boy',
        );
        const byOrder = app!.store<string, { timestampMs: number }>('pharmacy-delivery-by-order');
        for (const [b, v] of s.byBoy) {
          const got = byBoy.get(b);
          if (got?.timestampMs !== v.ts || got.orderId !== v.orderId) {
            lastDifference = `delivery boy ${b}: got ${JSON.stringify(got)}, want ${JSON.stringify(v)}`;
            return false;
          }
        }
        for (const [o, v] of s.byOrder) {
          const got = byOrder.get(o);
          if (got?.timestampMs !== v.ts) {
            lastDifference = `delivery of order ${o}: got ${JSON.stringify(got)}, want ${JSON.stringify(v)}`;
            return false;
          }
        }
        return true;
      });

      // Stores show uncommitted writes (read-your-writes); the topics show committed transactions only, so
      // close the app (its last commit) before reading them.
      await app!.close();
      app = undefined;

      // One restock alert per crossing.
      const alerts = new Map<string, number>();
      for (const r of await readTopic(kafka, topics.alerts)) {
        const a = JSON.parse(r.value!.toString()) as { tenantCode: number; medication: string };
        alerts.set(
          `${a.tenantCode}|${a.medication}`,
          (alerts.get(`${a.tenantCode}|${a.medication}`) ?? 0) + 1,
        );
      }
      expect(alerts).toEqual(
        new Map([...s.inventory].filter(([, v]) => v.alerts > 0).map(([k, v]) => [k, v.alerts])),
      );

      // Late events: dropped from the windows (checked above), counted (above), and sent to orders.late once.
      const late = (await readTopic(kafka, topics.late)).map(
        (r) => (JSON.parse(r.value!.toString()) as { eventId: string }).eventId,
      );
      expect(late.length).toBe(s.late.size);
      expect(new Set(late)).toEqual(s.late);

      // Notifications: exactly one per order.created and per status.changed, read_committed.
      const notes = new Map<string, number>();
      for (const r of await readTopic(kafka, topics.notifications, 'read_committed')) {
        const n = JSON.parse(r.value!.toString()) as {
          type: string;
          orderId: string;
          notificationId: string;
        };
        const key = `${n.type}|${n.orderId}|${n.notificationId}`;
        notes.set(key, (notes.get(key) ?? 0) + 1);
      }
      expect([...notes.values()].filter((c) => c !== 1)).toEqual([]);
      expect(notes.size).toBe(s.notifications.size);
      expect(new Set(notes.keys())).toEqual(s.notifications);

      // Malformed events of every input are in <input>.dlq with the reason in headers.
      for (const role of ['orders', 'status', 'inventory', 'delivery'] as const) {
        const dead = await readTopic(kafka, `${topics[role]}.dlq`);
        expect([role, dead.length]).toEqual([role, s.dlq[role]]);
        for (const d of dead) {
          const headers = new Map(d.headers.map(([k, v]) => [k.toString(), v.toString()]));
          expect(headers.get('millrace.error.code')).toBe('MR_EVENT_INVALID');
          expect(headers.get('millrace.error.message')?.length).toBeGreaterThan(10);
        }
      }
    });
  },
);
