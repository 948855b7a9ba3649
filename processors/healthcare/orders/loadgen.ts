import { seededRandom } from '../../../src/index.ts';
import type { DeliveryEvent } from './events.ts';

/**
 * Load generators of realistic pharmacy events (order-events, status-updates, delivery-tracking,
 * inventory-adjustments), with a configurable share of malformed events, for benchmarks, demos and tests.
 * Deterministic for a seed. Values are JSON text as producers send them (money as decimal numbers).
 *
 * @example
 * ```ts
 * const load = createPharmacyLoad({ seed: 7, tenants: 20, malformedShare: 0.01, startMs: Date.UTC(2026, 0, 1) });
 * for (let i = 0; i < 1000; i++) {
 *   const r = load.next(); // { topic: 'order-events', key: '1003', value: '{"eventId":…}', timestampMs, malformed }
 * }
 * ```
 */

export type PharmacyTopicRole = 'orders' | 'status' | 'delivery' | 'inventory';

/** One generated record. `key` is what a well-behaved producer would use (tenantCode or deliveryBoyId). */
export interface GeneratedRecord {
  role: PharmacyTopicRole;
  topic: string;
  key: string | null;
  value: string;
  timestampMs: number;
  /** True when the value is deliberately invalid (it must end in `<topic>.dlq`). */
  malformed: boolean;
}

export interface PharmacyLoadOptions {
  seed?: number;
  /** Tenant codes are 1001, 1002, … (default 10). */
  tenants?: number;
  /** Share of malformed events per topic, 0..1 (default 0). */
  malformedShare?: number;
  /** Event time of the first event (default 2026-01-01T00:00:00Z). */
  startMs?: number;
  /** Mean event-time step between events in ms (default 50). */
  stepMs?: number;
  /** Mix of roles (weights; default orders 5, status 3, delivery 3, inventory 1). */
  mix?: Partial<Record<PharmacyTopicRole, number>>;
  topics?: Partial<Record<PharmacyTopicRole, string>>;
}

export interface PharmacyLoad {
  next(): GeneratedRecord;
}

export const MEDICATIONS = [
  'Paracetamol 500mg',
  'Amoxicillin 250mg',
  'Ibuprofen 400mg',
  'Metformin 500mg',
  'Omeprazole 20mg',
  'Cetirizine 10mg',
  'Atorvastatin 10mg',
  'Salbutamol Inhaler',
  'ORS Sachet',
  'Vitamin D3 1000IU',
] as const;

const NAMES = ['A. Khan', 'B. Silva', 'C. Okafor', 'D. Müller', 'E. Tanaka', 'F. Haddad', 'G. Rossi'];

/** Decimal text of cents for JSON (`1230` → `12.30`): producers send money as decimal numbers. */
export function centsToDecimal(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** An order body as producers send it; money fields are raw JSON decimals (see {@link toJsonWithMoney}). */
export interface OrderSpec {
  orderType: 'delivery' | 'counter';
  customerName: string;
  medications: { name: string; qty: number; priceCents: number }[];
  discountCents: number;
  status: 'pending' | 'paid' | 'credit';
  paymentMethod: string;
  createdAtMs: number;
}

/** A random order of up to 3 medications. */
export function randomOrder(rand: () => number, createdAtMs: number): OrderSpec {
  const n = 1 + Math.floor(rand() * 3);
  const meds = new Map<string, { name: string; qty: number; priceCents: number }>();
  for (let i = 0; i < n; i++) {
    const name = MEDICATIONS[Math.floor(rand() * MEDICATIONS.length)] as string;
    meds.set(name, { name, qty: 1 + Math.floor(rand() * 4), priceCents: 50 + Math.floor(rand() * 5000) });
  }
  const medications = [...meds.values()];
  const total = medications.reduce((s, m) => s + m.qty * m.priceCents, 0);
  return {
    orderType: rand() < 0.6 ? 'delivery' : 'counter',
    customerName: NAMES[Math.floor(rand() * NAMES.length)] as string,
    medications,
    discountCents: rand() < 0.3 ? Math.floor(total * 0.1) : 0,
    status: 'pending',
    paymentMethod: rand() < 0.5 ? 'cash' : 'card',
    createdAtMs,
  };
}

export function payableCents(o: OrderSpec): number {
  return o.medications.reduce((s, m) => s + m.qty * m.priceCents, 0) - o.discountCents;
}

/** The JSON text of an order event, money written as JSON decimal numbers (e.g. `"price":12.30`). */
export function orderEventJson(e: {
  eventId: string;
  type: 'order.created' | 'order.updated' | 'order.deleted';
  orderId: string;
  tenantCode: number;
  occurredAtMs: number;
  order?: OrderSpec | undefined;
}): string {
  const o = e.order;
  const total = o ? o.medications.reduce((s, m) => s + m.qty * m.priceCents, 0) : 0;
  const order = o
    ? `{"orderType":${JSON.stringify(o.orderType)},"customerName":${JSON.stringify(o.customerName)},"medications":[${o.medications
        .map(
          (m) => `{"name":${JSON.stringify(m.name)},"qty":${m.qty},"price":${centsToDecimal(m.priceCents)}}`,
        )
        .join(
          ',',
        )}],"totalAmount":${centsToDecimal(total)},"discount":${centsToDecimal(o.discountCents)},"payableAmount":${centsToDecimal(payableCents(o))},"status":"${o.status}","paymentMethod":"${o.paymentMethod}","createdAt":"${new Date(o.createdAtMs).toISOString()}"}`
    : 'null';
  return `{"eventId":${JSON.stringify(e.eventId)},"type":"${e.type}","orderId":${JSON.stringify(e.orderId)},"tenantCode":${e.tenantCode},"occurredAt":"${new Date(e.occurredAtMs).toISOString()}","order":${order}}`;
}

export function statusEventJson(e: {
  eventId: string;
  orderId: string;
  tenantCode: number;
  oldStatus: string;
  newStatus: string;
  occurredAtMs: number;
}): string {
  return JSON.stringify({
    eventId: e.eventId,
    type: 'status.changed',
    orderId: e.orderId,
    tenantCode: e.tenantCode,
    oldStatus: e.oldStatus,
    newStatus: e.newStatus,
    changedBy: 'pharmacist-1',
    occurredAt: new Date(e.occurredAtMs).toISOString(),
    reason: 'payment received',
  });
}

export function deliveryEventJson(
  e: Pick<DeliveryEvent, 'eventId' | 'orderId' | 'deliveryBoyId' | 'lat' | 'lon' | 'timestampMs'>,
): string {
  return JSON.stringify({
    ...e,
    timestampMs: undefined,
    timestamp: new Date(e.timestampMs).toISOString(),
    speed: 18.5,
    heading: 90,
    eta: new Date(e.timestampMs + 600_000).toISOString(),
  });
}

export function inventoryEventJson(e: {
  eventId: string;
  tenantCode: number;
  medication: string;
  delta?: number;
  set?: number;
  threshold?: number;
}): string {
  return JSON.stringify(e);
}

/** Malformed variants, one per kind of mistake a producer makes. */
const MALFORMED = [
  () => '{"eventId":"x","type":', // not JSON
  () => '{}', // missing fields
  (good: string) => good.replace(/"tenantCode":\d+/, '"tenantCode":"10|01"'),
  (good: string) =>
    good.replace(
      /"occurredAt":"[^"]*"|"timestamp":"[^"]*"/,
      '"occurredAt":"yesterday","timestamp":"yesterday"',
    ),
  (good: string) => good.replace(/"price":[0-9.]+/, '"price":1.005').replace(/"delta":-?\d+/, '"delta":1.5'),
] as const;

/** A mixed, endless stream of pharmacy events across the four inputs. */
export function createPharmacyLoad(options: PharmacyLoadOptions = {}): PharmacyLoad {
  const rand = seededRandom(options.seed ?? 1);
  const tenants = options.tenants ?? 10;
  const malformedShare = options.malformedShare ?? 0;
  const step = options.stepMs ?? 50;
  const mix = { orders: 5, status: 3, delivery: 3, inventory: 1, ...options.mix };
  const topics = {
    orders: 'order-events',
    status: 'status-updates',
    delivery: 'delivery-tracking',
    inventory: 'inventory-adjustments',
    ...options.topics,
  };
  const roles = Object.entries(mix) as [PharmacyTopicRole, number][];
  const weight = roles.reduce((s, [, w]) => s + w, 0);
  const open: { tenantCode: number; orderId: string; status: OrderSpec['status'] }[] = [];
  let now = options.startMs ?? Date.UTC(2026, 0, 1);
  let seq = 0;
  const pick = (): PharmacyTopicRole => {
    let r = rand() * weight;
    for (const [role, w] of roles) if ((r -= w) < 0) return role;
    return 'orders';
  };
  return {
    next(): GeneratedRecord {
      now += Math.floor(rand() * 2 * step);
      seq += 1;
      const tenantCode = 1001 + Math.floor(rand() * tenants);
      let role = pick();
      if ((role === 'status' || role === 'delivery') && open.length === 0) role = 'orders';
      let key: string | null = String(tenantCode);
      let value: string;
      if (role === 'orders') {
        const orderId = `ord-${seq}`;
        value = orderEventJson({
          eventId: `ev-${seq}`,
          type: 'order.created',
          orderId,
          tenantCode,
          occurredAtMs: now,
          order: randomOrder(rand, now),
        });
        open.push({ tenantCode, orderId, status: 'pending' });
        if (open.length > 1000) open.shift();
      } else if (role === 'status') {
        const o = open[Math.floor(rand() * open.length)]!;
        const newStatus = o.status === 'pending' ? (rand() < 0.8 ? 'paid' : 'credit') : 'paid';
        value = statusEventJson({
          eventId: `ev-${seq}`,
          orderId: o.orderId,
          tenantCode: o.tenantCode,
          oldStatus: o.status,
          newStatus,
          occurredAtMs: now,
        });
        o.status = newStatus;
        key = String(o.tenantCode);
      } else if (role === 'delivery') {
        const o = open[Math.floor(rand() * open.length)]!;
        const boy = `boy-${1 + Math.floor(rand() * 50)}`;
        value = deliveryEventJson({
          eventId: `ev-${seq}`,
          orderId: o.orderId,
          deliveryBoyId: boy,
          lat: 24.8 + rand() * 0.2,
          lon: 67.0 + rand() * 0.2,
          timestampMs: now,
        });
        key = boy;
      } else {
        const medication = MEDICATIONS[Math.floor(rand() * MEDICATIONS.length)] as string;
        value = inventoryEventJson(
          rand() < 0.3
            ? { eventId: `ev-${seq}`, tenantCode, medication, set: 500, threshold: 50 }
            : { eventId: `ev-${seq}`, tenantCode, medication, delta: 20 + Math.floor(rand() * 100) },
        );
      }
      const malformed = rand() < malformedShare;
      if (malformed) {
        const bad = MALFORMED[Math.floor(rand() * MALFORMED.length)]!(value);
        // A variant that does not apply to this kind of event (no such field) falls back to one that always does.
        value = bad === value ? '{}' : bad;
      }
      return { role, topic: topics[role], key, value, timestampMs: now, malformed };
    },
  };
}
