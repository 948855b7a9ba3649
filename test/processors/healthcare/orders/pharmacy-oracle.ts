/**
 * The oracle of the pharmacy integration test: a plain sequential model of the semantics of the issue (LWW
 * merge, windows recomputed from scratch from the contributions applied, inventory crossings), fed every
 * event the scenario (pharmacy-scenario.ts) generates. Phase k's event times lie in [P_k, P_k + 4 min)
 * with P_k = B + 3k hours.
 */
import {
  deliveryEventJson,
  inventoryEventJson,
  orderEventJson,
  statusEventJson,
  payableCents,
  type OrderSpec,
} from '../../../../processors/healthcare/orders/loadgen.ts';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const GRACE = 5 * MIN;
export const SIZES = [
  { name: '1m', sizeMs: MIN },
  { name: '1h', sizeMs: HOUR },
] as const;
/**
 * The scenario's base time: an hour boundary 18 hours ago, so every event time lies in the past (the broker
 * refuses timestamps more than an hour ahead) and within a day: the windows' changelogs (compact,delete, kept
 * for the window retention plus a day by record time) keep everything until the restore of phase 3.
 */
export const B = Math.floor(Date.now() / HOUR) * HOUR - 18 * HOUR;
export const phaseStart = (k: number) => B + k * 3 * HOUR;

export type Status = OrderSpec['status'];
export interface Rec {
  topic: 'orders' | 'status' | 'inventory' | 'delivery';
  key: string;
  value: string;
  timestamp: number;
}

interface Contribution {
  createdAtMs: number;
  status: Status;
  amount: number;
  meds: Map<string, number>;
}
export interface OracleOrder {
  tenant: number;
  orderId: string;
  phase: number;
  body: OrderSpec | undefined;
  deleted: boolean;
  orderAt: number;
  orderEv: string;
  status: Status;
  statusAt: number;
  statusEv: string;
  statusChanges: number;
  mismatches: number;
  applied: Map<string, Contribution | null>;
  early: boolean;
}

const later = (aMs: number, aId: string, bMs: number, bId: string) => aMs > bMs || (aMs === bMs && aId > bId);
const medsOf = (b: OrderSpec | undefined) => {
  const m = new Map<string, number>();
  for (const x of b?.medications ?? []) m.set(x.name, (m.get(x.name) ?? 0) + x.qty);
  return m;
};

/**
 * The sequential model of the pharmacy semantics: each event the scenario generates is written to `out` and
 * applied here, so the model holds what the application's stores, windows and notifications must show.
 */
export class PharmacyOracle {
  readonly orders = new Map<string, OracleOrder>();
  readonly pending = new Map<string, { id: string; old: Status; next: Status; at: number }[]>();
  readonly inventory = new Map<
    string,
    { stock: number; threshold: number | null; below: boolean; alerts: number }
  >();
  readonly late = new Set<string>();
  readonly lateByTenant = new Map<number, number>();
  readonly dupByTenant = new Map<number, number>();
  readonly notifications = new Set<string>();
  readonly byBoy = new Map<string, { orderId: string; ts: number; lat: number }>();
  readonly byOrder = new Map<string, { ts: number; lat: number }>();
  readonly dlq = { orders: 0, status: 0, inventory: 0, delivery: 0 };
  readonly seen = new Set<string>();
  produced = 0;
  /** Orders changed since the test last cleared it: what the next wait checks. */
  readonly touched = new Set<string>();
  readonly tenants: number[];
  constructor(tenants: number[]) {
    this.tenants = tenants;
  }

  /** Windows recomputed from every order's applied contributions: key → aggregate. */
  windows(): Map<
    string,
    {
      orderCount: number;
      revenueMinor: number;
      byStatus: Record<Status, { count: number; amountMinor: number }>;
      meds: Record<string, number>;
    }
  > {
    const out = new Map<
      string,
      ReturnType<PharmacyOracle['windows']> extends Map<string, infer V> ? V : never
    >();
    for (const o of this.orders.values()) {
      for (const { name, sizeMs } of SIZES) {
        const c = o.applied.get(name);
        if (!c) continue;
        const start = c.createdAtMs - (c.createdAtMs % sizeMs);
        const key = `${o.tenant}|${String(sizeMs).padStart(10, '0')}|${String(start).padStart(15, '0')}`;
        const w = out.get(key) ?? {
          orderCount: 0,
          revenueMinor: 0,
          byStatus: {
            pending: { count: 0, amountMinor: 0 },
            paid: { count: 0, amountMinor: 0 },
            credit: { count: 0, amountMinor: 0 },
          },
          meds: {},
        };
        w.orderCount += 1;
        w.revenueMinor += c.amount;
        w.byStatus[c.status].count += 1;
        w.byStatus[c.status].amountMinor += c.amount;
        for (const [m, q] of c.meds) w.meds[m] = (w.meds[m] ?? 0) + q;
        out.set(key, w);
      }
    }
    return out;
  }

  /** True the first time event `id` is seen; a later copy is counted as the tenant's duplicate. */
  firstSeen(id: string, tenant: number): boolean {
    if (this.seen.has(id)) {
      this.dupByTenant.set(tenant, (this.dupByTenant.get(tenant) ?? 0) + 1);
      return false;
    }
    this.seen.add(id);
    return true;
  }

  #invChange(tenant: number, med: string, f: (s: number) => number, threshold?: number) {
    const key = `${tenant}|${med}`;
    const s = this.inventory.get(key) ?? { stock: 0, threshold: null, below: false, alerts: 0 };
    s.stock = f(s.stock);
    if (threshold !== undefined) s.threshold = threshold;
    const below = s.threshold !== null && s.stock < s.threshold;
    if (below && !s.below) s.alerts += 1;
    s.below = below;
    this.inventory.set(key, s);
  }

  #contribution(o: OracleOrder): Contribution | null {
    if (o.deleted || !o.body) return null;
    return {
      createdAtMs: o.body.createdAtMs,
      status: o.status,
      amount: payableCents(o.body),
      meds: medsOf(o.body),
    };
  }

  /** Applies the order's current contribution to each window size unless one of the windows closed. */
  #windows(o: OracleOrder, eventId: string, phase: number) {
    const now = this.#contribution(o);
    let isLate = false;
    for (const { name, sizeMs } of SIZES) {
      const old = o.applied.get(name) ?? null;
      const same =
        (old === null && now === null) ||
        (old !== null &&
          now !== null &&
          old.createdAtMs === now.createdAtMs &&
          old.status === now.status &&
          old.amount === now.amount &&
          old.meds.size === now.meds.size &&
          [...old.meds].every(([k, v]) => now.meds.get(k) === v));
      if (same) continue;
      const closed = (c: Contribution | null) =>
        c !== null && c.createdAtMs - (c.createdAtMs % sizeMs) + sizeMs + GRACE <= phaseStart(phase);
      if (closed(old) || closed(now)) isLate = true;
      else o.applied.set(name, now);
    }
    if (isLate) {
      this.late.add(eventId);
      this.lateByTenant.set(o.tenant, (this.lateByTenant.get(o.tenant) ?? 0) + 1);
    }
  }

  #applyStatus(o: OracleOrder, id: string, old: Status, next: Status, at: number) {
    o.statusChanges += 1;
    if (old !== o.status) o.mismatches += 1;
    if (later(at, id, o.statusAt, o.statusEv)) {
      o.status = next;
      o.statusAt = at;
      o.statusEv = id;
    }
  }

  orderEvent(
    out: Rec[],
    phase: number,
    tenant: number,
    e: {
      id: string;
      type: 'order.created' | 'order.updated' | 'order.deleted';
      orderId: string;
      at: number;
      body?: OrderSpec;
    },
    early = false,
  ) {
    const value = orderEventJson({
      eventId: e.id,
      type: e.type,
      orderId: e.orderId,
      tenantCode: tenant,
      occurredAtMs: e.at,
      order: e.body,
    });
    out.push({ topic: 'orders', key: String(tenant), value, timestamp: e.at });
    if (!this.firstSeen(e.id, tenant)) return;
    if (e.type === 'order.created') this.notifications.add(`order.created|${e.orderId}|${e.id}`);
    const key = `${tenant}|${e.orderId}`;
    let o = this.orders.get(key);
    if (o && !later(e.at, e.id, o.orderAt, o.orderEv)) return;
    const beforeMeds = o && !o.deleted ? medsOf(o.body) : new Map<string, number>();
    const isNew = o === undefined;
    o ??= {
      tenant,
      orderId: e.orderId,
      phase,
      body: undefined,
      deleted: false,
      orderAt: e.at,
      orderEv: e.id,
      status: e.body?.status ?? 'pending',
      statusAt: -1,
      statusEv: '',
      statusChanges: 0,
      mismatches: 0,
      applied: new Map(),
      early,
    };
    o.body = e.type === 'order.deleted' ? undefined : e.body;
    o.deleted = o.body === undefined;
    o.orderAt = e.at;
    o.orderEv = e.id;
    if (o.body && later(e.at, e.id, o.statusAt, o.statusEv)) {
      o.status = o.body.status;
      o.statusAt = e.at;
      o.statusEv = e.id;
    }
    this.orders.set(key, o);
    this.touched.add(key);
    const afterMeds = medsOf(o.body);
    for (const m of new Set([...beforeMeds.keys(), ...afterMeds.keys()])) {
      const d = (beforeMeds.get(m) ?? 0) - (afterMeds.get(m) ?? 0);
      if (d !== 0) this.#invChange(tenant, m, (s) => s + d);
    }
    if (isNew) {
      const waiting = (this.pending.get(key) ?? []).sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
      this.pending.delete(key);
      for (const w of waiting) this.#applyStatus(o, w.id, w.old, w.next, w.at);
    }
    this.#windows(o, e.id, phase);
  }

  statusEvent(
    out: Rec[],
    phase: number,
    tenant: number,
    orderId: string,
    id: string,
    old: Status,
    next: Status,
    at: number,
  ) {
    out.push({
      topic: 'status',
      key: String(tenant),
      value: statusEventJson({
        eventId: id,
        orderId,
        tenantCode: tenant,
        oldStatus: old,
        newStatus: next,
        occurredAtMs: at,
      }),
      timestamp: at,
    });
    if (!this.firstSeen(id, tenant)) return;
    this.notifications.add(`status.changed|${orderId}|${id}`);
    const key = `${tenant}|${orderId}`;
    const o = this.orders.get(key);
    if (!o) {
      this.pending.set(key, [...(this.pending.get(key) ?? []), { id, old, next, at }]);
      return;
    }
    this.#applyStatus(o, id, old, next, at);
    this.touched.add(key);
    this.#windows(o, id, phase);
  }

  inventoryEvent(
    out: Rec[],
    tenant: number,
    id: string,
    med: string,
    body: { set?: number; delta?: number; threshold?: number },
    timestamp: number,
  ) {
    out.push({
      topic: 'inventory',
      key: String(tenant),
      value: inventoryEventJson({ eventId: id, tenantCode: tenant, medication: med, ...body }),
      timestamp,
    });
    if (!this.firstSeen(id, tenant)) return;
    this.#invChange(
      tenant,
      med,
      (s) => (body.set !== undefined ? body.set : s) + (body.delta ?? 0),
      body.threshold,
    );
  }

  deliveryEvent(out: Rec[], id: string, boy: string, orderId: string, lat: number, ts: number) {
    out.push({
      topic: 'delivery',
      key: boy,
      value: deliveryEventJson({ eventId: id, orderId, deliveryBoyId: boy, lat, lon: 67, timestampMs: ts }),
      timestamp: ts,
    });
    if (this.seen.has(id)) return;
    this.seen.add(id);
    if ((this.byBoy.get(boy)?.ts ?? -1) <= ts) this.byBoy.set(boy, { orderId, ts, lat });
    if ((this.byOrder.get(orderId)?.ts ?? -1) <= ts) this.byOrder.set(orderId, { ts, lat });
  }

  malformed(out: Rec[], phase: number, n: number) {
    const t = phaseStart(phase);
    const bad = [
      '{"eventId":',
      '{}',
      '{"eventId":"m","type":"order.created","orderId":"x","tenantCode":1001,"occurredAt":"yesterday"}',
      'null',
    ];
    for (let i = 0; i < n; i++) {
      const v = bad[i % bad.length] as string;
      out.push({ topic: 'orders', key: String(this.tenants[0]), value: v, timestamp: t });
      out.push({
        topic: 'status',
        key: '1001',
        value: v.replace('order.created', 'status.changed'),
        timestamp: t,
      });
      out.push({
        topic: 'inventory',
        key: '1001',
        value: i % 2 ? v : '{"eventId":"m","tenantCode":1001,"medication":"A","delta":1,"set":2}',
        timestamp: t,
      });
      out.push({
        topic: 'delivery',
        key: 'boy-1',
        value:
          i % 2
            ? v
            : '{"eventId":"m","orderId":"o","deliveryBoyId":"boy-1","lat":95,"lon":0,"timestamp":"2026-01-01T00:00:00Z"}',
        timestamp: t,
      });
    }
    this.dlq.orders += n;
    this.dlq.status += n;
    this.dlq.inventory += n;
    this.dlq.delivery += n;
  }
}
