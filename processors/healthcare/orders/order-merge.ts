import type { OrderBody, OrderEvent, OrderStatus, StatusEvent } from './events.ts';
import type { Contribution } from './window-aggregate.ts';

/**
 * One order in the orders table (`<tenant>|<orderId>`). The order's fields and its status are merged by
 * occurredAt, last writer wins, each with its own clock: an order event writes the body (and the status it
 * carries), a status change writes only the status. Equal times are ordered by eventId so every replay
 * merges the same way. A deleted order keeps its clocks (a tombstone), so an older update arriving after
 * the delete cannot resurrect it.
 */
export interface OrderRecord {
  orderId: string;
  tenant: string;
  tenantCode: number | string;
  /** Undefined once deleted. */
  body: OrderBody | undefined;
  deleted: boolean;
  orderAtMs: number;
  orderEventId: string;
  status: OrderStatus;
  statusAtMs: number;
  statusEventId: string;
  statusChanges: number;
  /** Status changes whose oldStatus disagreed with the status stored when they were applied. */
  statusMismatches: number;
}

/** Whether (aMs, aId) is later than (bMs, bId). */
export function isLater(aMs: number, aId: string, bMs: number, bId: string): boolean {
  return aMs > bMs || (aMs === bMs && aId > bId);
}

/** Applies an order event. `applied` is false when the event is older than what the record holds. */
export function applyOrderEvent(
  prev: OrderRecord | undefined,
  ev: OrderEvent,
): { next: OrderRecord; applied: boolean } {
  if (prev && !isLater(ev.occurredAtMs, ev.eventId, prev.orderAtMs, prev.orderEventId)) {
    return { next: prev, applied: false };
  }
  const body = ev.type === 'order.deleted' ? undefined : ev.order;
  const base: OrderRecord = prev ?? {
    orderId: ev.orderId,
    tenant: ev.tenant,
    tenantCode: ev.tenantCode,
    body: undefined,
    deleted: false,
    orderAtMs: ev.occurredAtMs,
    orderEventId: ev.eventId,
    status: body?.status ?? 'pending',
    statusAtMs: -1,
    statusEventId: '',
    statusChanges: 0,
    statusMismatches: 0,
  };
  const next: OrderRecord = {
    ...base,
    body,
    deleted: body === undefined,
    orderAtMs: ev.occurredAtMs,
    orderEventId: ev.eventId,
  };
  if (body !== undefined && isLater(ev.occurredAtMs, ev.eventId, base.statusAtMs, base.statusEventId)) {
    next.status = body.status;
    next.statusAtMs = ev.occurredAtMs;
    next.statusEventId = ev.eventId;
  }
  return { next, applied: true };
}

/** Applies a status change to an existing order; `mismatch` when its oldStatus disagrees with the record. */
export function applyStatusEvent(
  rec: OrderRecord,
  ev: StatusEvent,
): { next: OrderRecord; mismatch: boolean } {
  const mismatch = ev.oldStatus !== undefined && ev.oldStatus !== rec.status;
  const next: OrderRecord = {
    ...rec,
    statusChanges: rec.statusChanges + 1,
    statusMismatches: rec.statusMismatches + (mismatch ? 1 : 0),
  };
  if (isLater(ev.occurredAtMs, ev.eventId, rec.statusAtMs, rec.statusEventId)) {
    next.status = ev.newStatus;
    next.statusAtMs = ev.occurredAtMs;
    next.statusEventId = ev.eventId;
  }
  return { next, mismatch };
}

/** What the order adds to its windows now (null once deleted). */
export function contributionOf(rec: OrderRecord | undefined): Contribution | null {
  if (!rec || rec.deleted || rec.body === undefined) return null;
  return {
    createdAtMs: rec.body.createdAtMs,
    status: rec.status,
    amountMinor: rec.body.payableAmountMinor,
    meds: medicationQuantities(rec.body),
  };
}

/** Quantity per medication name of an order (an order may list a medication twice). */
export function medicationQuantities(body: OrderBody | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of body?.medications ?? []) out[m.name] = (out[m.name] ?? 0) + m.qty;
  return out;
}
