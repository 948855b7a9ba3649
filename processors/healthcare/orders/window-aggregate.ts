import { ORDER_STATUSES, type OrderStatus } from './events.ts';

/**
 * What one order adds to a tenant's windows: stored per order and window size, so an update or delete
 * retracts exactly what was added before (not what the order looks like now).
 */
export interface Contribution {
  createdAtMs: number;
  status: OrderStatus;
  amountMinor: number;
  /** Quantity per medication name. */
  meds: Record<string, number>;
}

/** One tumbling window of one tenant (the value of the windows store). */
export interface WindowAggregate {
  tenantCode: number | string;
  sizeMs: number;
  startMs: number;
  orderCount: number;
  revenueMinor: number;
  byStatus: Record<OrderStatus, { count: number; amountMinor: number }>;
  /** Quantity per medication; a medication whose quantity drops to 0 is removed. */
  meds: Record<string, number>;
}

export function windowStart(timeMs: number, sizeMs: number): number {
  return timeMs - (((timeMs % sizeMs) + sizeMs) % sizeMs);
}

export function sameContribution(a: Contribution | null, b: Contribution | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.createdAtMs !== b.createdAtMs || a.status !== b.status || a.amountMinor !== b.amountMinor)
    return false;
  const ka = Object.keys(a.meds);
  return ka.length === Object.keys(b.meds).length && ka.every((k) => a.meds[k] === b.meds[k]);
}

/**
 * Adds (`sign` 1) or retracts (`sign` -1) a contribution. Returns undefined when the window holds no order
 * any more (it is then deleted: a window with no orders is absent from query answers).
 */
export function applyContribution(
  agg: WindowAggregate | undefined,
  c: Contribution,
  sign: 1 | -1,
  init: { tenantCode: number | string; sizeMs: number; startMs: number },
): WindowAggregate | undefined {
  const next: WindowAggregate = agg
    ? { ...agg, byStatus: { ...agg.byStatus }, meds: { ...agg.meds } }
    : {
        ...init,
        orderCount: 0,
        revenueMinor: 0,
        byStatus: Object.fromEntries(
          ORDER_STATUSES.map((s) => [s, { count: 0, amountMinor: 0 }]),
        ) as WindowAggregate['byStatus'],
        meds: {},
      };
  next.orderCount += sign;
  next.revenueMinor += sign * c.amountMinor;
  const st = next.byStatus[c.status];
  next.byStatus[c.status] = { count: st.count + sign, amountMinor: st.amountMinor + sign * c.amountMinor };
  for (const [name, qty] of Object.entries(c.meds)) {
    const q = (next.meds[name] ?? 0) + sign * qty;
    if (q === 0) delete next.meds[name];
    else next.meds[name] = q;
  }
  return next.orderCount === 0 ? undefined : next;
}

/** The top medications by quantity (ties by name), at most `limit`. */
export function topMedications(meds: Record<string, number>, limit: number): { name: string; qty: number }[] {
  return Object.entries(meds)
    .map(([name, qty]) => ({ name, qty }))
    .sort((a, b) => b.qty - a.qty || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
}
