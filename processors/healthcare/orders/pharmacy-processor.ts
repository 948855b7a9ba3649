import type {
  KeyValueStore,
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  StreamRecord,
} from '../../../src/index.ts';
import type { InventoryEvent, OrderEvent, PharmacyEvent, StatusEvent } from './events.ts';
import { iso } from './internal/fields.ts';
import { EventDeduper } from './internal/dedupe.ts';
import { applyInventoryChange, type InventoryChange, type InventoryState } from './inventory.ts';
import { inventoryKey, orderKey, windowKey } from './keys.ts';
import {
  applyOrderEvent,
  applyStatusEvent,
  contributionOf,
  medicationQuantities,
  type OrderRecord,
} from './order-merge.ts';
import type { OrderAnalyticsParams } from './params.ts';
import { ORDER_STORES, type OrderStats } from './stores.ts';
import {
  applyContribution,
  sameContribution,
  windowStart,
  type Contribution,
  type WindowAggregate,
} from './window-aggregate.ts';

/** What the processor forwards: the YAML splits it by `out` to the notifications, late and alert topics. */
export interface PharmacyOutput {
  out: 'notification' | 'late' | 'alert';
  value: Record<string, unknown>;
}

type Store<V> = KeyValueStore<string, V>;
type Ctx = ProcessorContext<string, PharmacyOutput>;

/**
 * The pharmacy order analytics of one task: every input event of a tenant, in one partition (order-events
 * keyed by tenantCode; status changes and inventory adjustments repartitioned by tenantCode into the same
 * partition count). Per event, after eventId dedupe:
 * - order events merge into the orders table (last writer wins by occurredAt), apply their medication
 *   quantity differences to the inventory, and update the windows; order.created notifies;
 * - status changes merge into their order, or wait in the pending store until it is created; each notifies;
 * - inventory adjustments set/shift the stock or threshold; falling below the threshold alerts once.
 *
 * Windows (tumbling, per configured size) retract the contribution last applied for the order and add the
 * new one. A change touching a window that closed (its end + grace ≤ the task's stream time) is dropped for
 * that size, counted, and sent to orders.late; the stored contribution stays what the window holds.
 */
export function pharmacyOrdersProcessor(
  params: OrderAnalyticsParams,
): ProcessorSupplier<string, PharmacyEvent, string, PharmacyOutput> {
  return () => new PharmacyOrdersProcessor(params);
}

class PharmacyOrdersProcessor implements Processor<string, PharmacyEvent, string, PharmacyOutput> {
  readonly #p: OrderAnalyticsParams;
  #ctx!: Ctx;
  #dedupe!: EventDeduper;
  #orders!: Store<OrderRecord>;
  #pending!: Store<StatusEvent[]>;
  #contribs!: Store<Record<string, Contribution | null>>;
  #windows!: Store<WindowAggregate>;
  #inventory!: Store<InventoryState>;
  #stats!: Store<OrderStats>;

  constructor(params: OrderAnalyticsParams) {
    this.#p = params;
  }

  init(context: Ctx): void {
    this.#ctx = context;
    const s = <V>(name: string) => context.getStateStore<Store<V>>(name);
    this.#dedupe = new EventDeduper(s<unknown>(ORDER_STORES.dedupe), this.#p.dedupeRetentionMs);
    this.#orders = s(ORDER_STORES.orders);
    this.#pending = s(ORDER_STORES.pendingStatus);
    this.#contribs = s(ORDER_STORES.contributions);
    this.#windows = s(ORDER_STORES.windows);
    this.#inventory = s(ORDER_STORES.inventory);
    this.#stats = s(ORDER_STORES.stats);
    context.schedule(this.#p.purgeIntervalMs, 'stream-time', (now) => this.#purge(now));
  }

  process(record: StreamRecord<string, PharmacyEvent>): void {
    const ev = record.value;
    if (!this.#dedupe.firstSeen(ev.eventId, this.#ctx.currentStreamTimeMs())) {
      this.#bump(ev.tenant, 'duplicates');
      return;
    }
    if (ev.kind === 'order') this.#onOrder(ev, record.timestamp);
    else if (ev.kind === 'status') this.#onStatus(ev, record.timestamp);
    else this.#onInventory(ev, record.timestamp);
  }

  #onOrder(ev: OrderEvent, ts: number): void {
    const key = orderKey(ev.tenant, ev.orderId);
    const prev = this.#orders.get(key);
    const { next, applied } = applyOrderEvent(prev, ev);
    if (ev.type === 'order.created') {
      this.#emit(ev.tenant, ts, 'notification', {
        notificationId: ev.eventId,
        type: 'order.created',
        tenantCode: ev.tenantCode,
        orderId: ev.orderId,
        occurredAt: iso(ev.occurredAtMs),
        status: ev.order?.status,
        payableAmountMinor: ev.order?.payableAmountMinor,
      });
    }
    if (!applied) return;
    // Inventory follows the order's medications: new quantities are taken, old ones restocked.
    const before = prev && !prev.deleted ? medicationQuantities(prev.body) : {};
    const after = medicationQuantities(next.body);
    for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const delta = (before[name] ?? 0) - (after[name] ?? 0);
      if (delta !== 0) this.#changeInventory(ev.tenant, ev.tenantCode, name, { delta }, ts);
    }
    let rec = next;
    if (prev === undefined) rec = this.#drainPending(key, rec);
    this.#orders.put(key, rec);
    this.#updateWindows(rec, ts, ev);
  }

  #onStatus(ev: StatusEvent, ts: number): void {
    this.#emit(ev.tenant, ts, 'notification', {
      notificationId: ev.eventId,
      type: 'status.changed',
      tenantCode: ev.tenantCode,
      orderId: ev.orderId,
      occurredAt: iso(ev.occurredAtMs),
      oldStatus: ev.oldStatus,
      newStatus: ev.newStatus,
    });
    const key = orderKey(ev.tenant, ev.orderId);
    const rec = this.#orders.get(key);
    if (rec === undefined) {
      // The order has not arrived yet (the two topics are not ordered with each other): wait for it.
      this.#pending.put(key, [...(this.#pending.get(key) ?? []), ev]);
      return;
    }
    const { next, mismatch } = applyStatusEvent(rec, ev);
    if (mismatch) this.#bump(ev.tenant, 'statusMismatches');
    this.#orders.put(key, next);
    this.#updateWindows(next, ts, ev);
  }

  #drainPending(key: string, rec: OrderRecord): OrderRecord {
    const waiting = this.#pending.get(key);
    if (waiting === undefined) return rec;
    this.#pending.delete(key);
    let cur = rec;
    const ordered = [...waiting].sort(
      (a, b) => a.occurredAtMs - b.occurredAtMs || (a.eventId < b.eventId ? -1 : 1),
    );
    for (const ev of ordered) {
      const { next, mismatch } = applyStatusEvent(cur, ev);
      if (mismatch) this.#bump(ev.tenant, 'statusMismatches');
      cur = next;
    }
    return cur;
  }

  #onInventory(ev: InventoryEvent, ts: number): void {
    this.#changeInventory(ev.tenant, ev.tenantCode, ev.medication, ev, ts);
  }

  #changeInventory(
    tenant: string,
    tenantCode: number | string,
    medication: string,
    change: InventoryChange,
    ts: number,
  ): void {
    const key = inventoryKey(tenant, medication);
    const { next, crossed } = applyInventoryChange(
      this.#inventory.get(key),
      { tenantCode, medication },
      change,
    );
    this.#inventory.put(key, next);
    if (crossed) {
      this.#emit(tenant, ts, 'alert', {
        tenantCode,
        medication,
        stock: next.stock,
        threshold: next.threshold,
        at: iso(ts),
      });
    }
  }

  /** Moves the order's window contributions to what it holds now, size by size, unless a window closed. */
  #updateWindows(rec: OrderRecord, ts: number, ev: OrderEvent | StatusEvent): void {
    const key = orderKey(rec.tenant, rec.orderId);
    const now = contributionOf(rec);
    const stored = this.#contribs.get(key) ?? {};
    const streamTime = this.#ctx.currentStreamTimeMs();
    const late: string[] = [];
    let changed = false;
    for (const { name, sizeMs } of this.#p.windows) {
      const old = stored[name] ?? null;
      if (sameContribution(old, now)) continue;
      const closed = (c: Contribution | null) =>
        c !== null && windowStart(c.createdAtMs, sizeMs) + sizeMs + this.#p.graceMs <= streamTime;
      if (closed(old) || closed(now)) {
        late.push(name);
        continue;
      }
      if (old !== null) this.#addToWindow(rec, sizeMs, old, -1);
      if (now !== null) this.#addToWindow(rec, sizeMs, now, 1);
      stored[name] = now;
      changed = true;
    }
    if (changed) {
      if (Object.values(stored).every((c) => c === null)) this.#contribs.delete(key);
      else this.#contribs.put(key, stored);
    }
    if (late.length > 0) {
      this.#bump(rec.tenant, 'lateDropped');
      this.#emit(rec.tenant, ts, 'late', {
        eventId: ev.eventId,
        type: ev.kind === 'order' ? ev.type : 'status.changed',
        tenantCode: rec.tenantCode,
        orderId: rec.orderId,
        occurredAt: iso(ev.occurredAtMs),
        createdAt: now !== null ? iso(now.createdAtMs) : undefined,
        windows: late,
        streamTime: iso(streamTime),
        reason: `later than the ${this.#p.graceMs} ms grace of the ${late.join(', ')} window(s)`,
      });
    }
  }

  #addToWindow(rec: OrderRecord, sizeMs: number, c: Contribution, sign: 1 | -1): void {
    const startMs = windowStart(c.createdAtMs, sizeMs);
    const key = windowKey(rec.tenant, sizeMs, startMs);
    const next = applyContribution(this.#windows.get(key), c, sign, {
      tenantCode: rec.tenantCode,
      sizeMs,
      startMs,
    });
    if (next === undefined) this.#windows.delete(key);
    else this.#windows.put(key, next);
  }

  #bump(tenant: string, counter: keyof OrderStats): void {
    const s = this.#stats.get(tenant) ?? { lateDropped: 0, statusMismatches: 0, duplicates: 0 };
    this.#stats.put(tenant, { ...s, [counter]: s[counter] + 1 });
  }

  #emit(tenant: string, ts: number, out: PharmacyOutput['out'], value: Record<string, unknown>): void {
    void this.#ctx.forward({ key: tenant, value: { out, value }, timestamp: ts, headers: [] });
  }

  /** Forgets expired eventIds and deletes windows past their retention. */
  async #purge(streamTimeMs: number): Promise<void> {
    await this.#dedupe.purge(streamTimeMs);
    const expired: string[] = [];
    for await (const { key, value } of this.#windows.all()) {
      if (value.startMs + value.sizeMs + this.#p.windowRetentionMs <= streamTimeMs) expired.push(key);
    }
    for (const key of expired) this.#windows.delete(key);
  }
}
