import type { KeyValueStore, ProcessorContext, ProcessorSupplier, StreamRecord } from '../../../src/index.ts';
import type { DeliveryEvent } from './events.ts';
import { EventDeduper } from './internal/dedupe.ts';
import { iso } from './internal/fields.ts';
import type { DeliveryParams } from './params.ts';
import { ORDER_STORES } from './stores.ts';

/** The latest position of a delivery (value of the by-boy and by-order stores). */
export interface DeliveryPosition {
  deliveryBoyId: string;
  orderId: string;
  lat: number;
  lon: number;
  timestamp: string;
  timestampMs: number;
  speed?: number | undefined;
  heading?: number | undefined;
  eta?: string | number | undefined;
}

type Store = KeyValueStore<string, DeliveryPosition>;

/**
 * Keeps the latest position (by the event's `timestamp`, not arrival) per key in `store`, dropping entries
 * older than the retention of stream time. `by: 'boy'` runs on delivery-tracking (keyed by deliveryBoyId),
 * dedupes eventIds and forwards each new position keyed by orderId (to a repartition topic); `by: 'order'`
 * runs after that repartition.
 */
export function deliveryLatestProcessor(
  by: 'boy' | 'order',
  params: DeliveryParams,
): ProcessorSupplier<string, DeliveryEvent | DeliveryPosition, string, DeliveryPosition> {
  return () => {
    let ctx!: ProcessorContext<string, DeliveryPosition>;
    let store!: Store;
    let dedupe: EventDeduper | undefined;
    return {
      init: (c) => {
        ctx = c;
        store = c.getStateStore<Store>(
          by === 'boy' ? ORDER_STORES.deliveryByBoy : ORDER_STORES.deliveryByOrder,
        );
        if (by === 'boy') {
          dedupe = new EventDeduper(
            c.getStateStore<KeyValueStore<string, unknown>>(ORDER_STORES.deliveryDedupe),
            params.dedupeRetentionMs,
          );
        }
        c.schedule(params.purgeIntervalMs, 'stream-time', async (now) => {
          await dedupe?.purge(now);
          const expired: string[] = [];
          for await (const { key, value } of store.all()) {
            if (value.timestampMs + params.retentionMs <= now) expired.push(key);
          }
          for (const key of expired) store.delete(key);
        });
      },
      process: (r: StreamRecord<string, DeliveryEvent | DeliveryPosition>) => {
        const v = r.value;
        if (
          dedupe !== undefined &&
          'eventId' in v &&
          !dedupe.firstSeen(v.eventId, ctx.currentStreamTimeMs())
        ) {
          return;
        }
        const pos: DeliveryPosition = {
          deliveryBoyId: v.deliveryBoyId,
          orderId: v.orderId,
          lat: v.lat,
          lon: v.lon,
          timestamp: iso(v.timestampMs),
          timestampMs: v.timestampMs,
          speed: v.speed,
          heading: v.heading,
          eta: v.eta,
        };
        const key = by === 'boy' ? pos.deliveryBoyId : pos.orderId;
        const stored = store.get(key);
        if (stored === undefined || stored.timestampMs <= pos.timestampMs) store.put(key, pos);
        if (by === 'boy')
          return ctx.forward({ key: pos.orderId, value: pos, timestamp: r.timestamp, headers: [] });
      },
    };
  };
}
