import { toMinorUnits } from './money.ts';
import { id, int, invalid, num, object, oneOf, optStr, str, time, type Json } from './internal/fields.ts';

/**
 * The validated, normalized events of the pharmacy inputs. Money is in integer minor units (cents), times
 * in epoch milliseconds; `tenant` is the tenantCode as text (the store-key form), `tenantCode` as sent.
 */
export const ORDER_STATUSES = ['pending', 'paid', 'credit'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderedMedication {
  name: string;
  qty: number;
  priceMinor: number;
}

export interface OrderBody {
  orderType: 'delivery' | 'counter';
  customerName: string;
  medications: OrderedMedication[];
  totalAmountMinor: number;
  discountMinor: number;
  payableAmountMinor: number;
  status: OrderStatus;
  paymentMethod: string | undefined;
  createdAtMs: number;
}

export interface OrderEvent {
  kind: 'order';
  eventId: string;
  type: 'order.created' | 'order.updated' | 'order.deleted';
  orderId: string;
  tenant: string;
  tenantCode: number | string;
  occurredAtMs: number;
  /** Absent only on order.deleted. */
  order: OrderBody | undefined;
}

export interface StatusEvent {
  kind: 'status';
  eventId: string;
  orderId: string;
  tenant: string;
  tenantCode: number | string;
  oldStatus: OrderStatus | undefined;
  newStatus: OrderStatus;
  changedBy: string | undefined;
  reason: string | undefined;
  occurredAtMs: number;
}

export interface InventoryEvent {
  kind: 'inventory';
  eventId: string;
  tenant: string;
  tenantCode: number | string;
  medication: string;
  delta: number | undefined;
  set: number | undefined;
  threshold: number | undefined;
}

export interface DeliveryEvent {
  eventId: string;
  orderId: string;
  deliveryBoyId: string;
  lat: number;
  lon: number;
  timestampMs: number;
  speed: number | undefined;
  heading: number | undefined;
  eta: string | number | undefined;
}

/** A pharmacy event after validation: what the order processor consumes. */
export type PharmacyEvent = OrderEvent | StatusEvent | InventoryEvent;

const tenantOf = (o: Json, path: string) => ({
  tenant: id(o, 'tenantCode', path),
  tenantCode: o.tenantCode as number | string,
});

/** Validates an `order-events` value (parsed JSON). Throws `MR_EVENT_INVALID` saying which field is wrong. */
export function validateOrderEvent(value: unknown): OrderEvent {
  const e = object(value, 'event');
  const type = oneOf(e, 'type', 'event', ['order.created', 'order.updated', 'order.deleted'] as const);
  const order = type === 'order.deleted' && e.order == null ? undefined : validateOrderBody(e.order);
  return {
    kind: 'order',
    eventId: id(e, 'eventId', 'event'),
    type,
    orderId: id(e, 'orderId', 'event'),
    ...tenantOf(e, 'event'),
    occurredAtMs: time(e, 'occurredAt', 'event'),
    order,
  };
}

/** Validates the `order` object of an order event (also used by `POST /tenants/:t/orders`). */
export function validateOrderBody(value: unknown): OrderBody {
  const o = object(value, 'event.order');
  const p = 'event.order';
  if (!Array.isArray(o.medications) || o.medications.length === 0 || o.medications.length > 200) {
    throw invalid(`${p}.medications must be a non-empty array (at most 200 items)`);
  }
  const medications = o.medications.map((m: unknown, i: number) => {
    const mp = `${p}.medications[${i}]`;
    const mo = object(m, mp);
    return {
      name: str(mo, 'name', mp),
      qty: int(mo, 'qty', mp, 1),
      priceMinor: toMinorUnits(mo.price, `${mp}.price`),
    };
  });
  const totalAmountMinor = toMinorUnits(o.totalAmount, `${p}.totalAmount`);
  const discountMinor = o.discount == null ? 0 : toMinorUnits(o.discount, `${p}.discount`);
  const payableAmountMinor = toMinorUnits(o.payableAmount, `${p}.payableAmount`);
  if (payableAmountMinor < 0 || totalAmountMinor < 0 || discountMinor < 0) {
    throw invalid(`${p}: totalAmount, discount and payableAmount must not be negative`);
  }
  return {
    orderType: oneOf(o, 'orderType', p, ['delivery', 'counter'] as const),
    customerName: str(o, 'customerName', p),
    medications,
    totalAmountMinor,
    discountMinor,
    payableAmountMinor,
    status: oneOf(o, 'status', p, ORDER_STATUSES),
    paymentMethod: optStr(o, 'paymentMethod', p, 64),
    createdAtMs: time(o, 'createdAt', p),
  };
}

/** Validates a `status-updates` value. */
export function validateStatusEvent(value: unknown): StatusEvent {
  const e = object(value, 'event');
  oneOf(e, 'type', 'event', ['status.changed'] as const);
  return {
    kind: 'status',
    eventId: id(e, 'eventId', 'event'),
    orderId: id(e, 'orderId', 'event'),
    ...tenantOf(e, 'event'),
    oldStatus: e.oldStatus == null ? undefined : oneOf(e, 'oldStatus', 'event', ORDER_STATUSES),
    newStatus: oneOf(e, 'newStatus', 'event', ORDER_STATUSES),
    changedBy: optStr(e, 'changedBy', 'event', 128),
    reason: optStr(e, 'reason', 'event', 1024),
    occurredAtMs: time(e, 'occurredAt', 'event'),
  };
}

/** Validates an `inventory-adjustments` value: exactly one of `delta` and `set`, or only `threshold`. */
export function validateInventoryEvent(value: unknown): InventoryEvent {
  const e = object(value, 'event');
  const has = (k: string) => e[k] !== undefined && e[k] !== null;
  if (has('delta') && has('set')) throw invalid('event: give either "delta" or "set", not both');
  if (!has('delta') && !has('set') && !has('threshold')) {
    throw invalid('event: an adjustment needs "delta", "set" or "threshold"');
  }
  return {
    kind: 'inventory',
    eventId: id(e, 'eventId', 'event'),
    ...tenantOf(e, 'event'),
    medication: str(e, 'medication', 'event'),
    delta: has('delta') ? int(e, 'delta', 'event') : undefined,
    set: has('set') ? int(e, 'set', 'event', 0) : undefined,
    threshold: has('threshold') ? int(e, 'threshold', 'event', 0) : undefined,
  };
}

/** Validates a `delivery-tracking` value. */
export function validateDeliveryEvent(value: unknown): DeliveryEvent {
  const e = object(value, 'event');
  const opt = (k: string, lo: number, hi: number) => (e[k] == null ? undefined : num(e, k, 'event', lo, hi));
  const eta = e.eta;
  if (eta != null && typeof eta !== 'string' && typeof eta !== 'number') {
    throw invalid('event.eta must be a string or a number');
  }
  return {
    eventId: id(e, 'eventId', 'event'),
    orderId: id(e, 'orderId', 'event'),
    deliveryBoyId: id(e, 'deliveryBoyId', 'event'),
    lat: num(e, 'lat', 'event', -90, 90),
    lon: num(e, 'lon', 'event', -180, 180),
    timestampMs: time(e, 'timestamp', 'event'),
    speed: opt('speed', 0, 1000),
    heading: opt('heading', 0, 360),
    eta: (eta ?? undefined) as string | number | undefined,
  };
}
