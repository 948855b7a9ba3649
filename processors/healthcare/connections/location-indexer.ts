import type { KeyValueStore, Processor, ProcessorContext, ProcessorSupplier } from '../../../src/index.ts';
import { createGeoGrid } from './geo-cells.ts';
import type { GeoParams } from './geo-params.ts';
import type { CellMessage, IndexedLocation } from './indexed-location.ts';
import { decodeLocation, encodeCellMessage, encodeLocation, TAG_INDEX } from './location-codec.ts';
import { parseLocationEvent } from './location-event.ts';

/**
 * First stage of person connections (partitioned like `locations`, by personId): validates each location
 * (bad ones are dead-lettered from the input topic), keeps the current version of each locationId in
 * `location-index`, and sends the location to every cell near it (`add`); when a location moves, its old
 * version is first retracted from its old cells (`remove`). A location sent again unchanged is a no-op.
 * The index and the cell messages hold the binary form of location-codec.ts; a message is encoded once
 * and the same bytes go to each cell.
 */
export function locationIndexerSupplier(
  geo: GeoParams,
  params: Readonly<Record<string, unknown>> = {},
): ProcessorSupplier<string | null, unknown, string, Uint8Array> {
  const storeName = typeof params.indexStore === 'string' ? params.indexStore : 'location-index';
  return (): Processor<string | null, unknown, string, Uint8Array> => {
    const grid = createGeoGrid(geo);
    let ctx!: ProcessorContext<string, Uint8Array>;
    let index!: KeyValueStore<string, Uint8Array>;
    return {
      init(context) {
        ctx = context;
        index = context.getStateStore<KeyValueStore<string, Uint8Array>>(storeName);
      },
      async process(record) {
        const event = parseLocationEvent(record.key, record.value);
        const id = String(event.locationId);
        const stored = index.get(id);
        const old = stored === undefined ? undefined : decodeLocation(stored, [TAG_INDEX]);
        if (
          old !== undefined &&
          old.personId === event.personId &&
          old.latitude === event.latitude &&
          old.longitude === event.longitude &&
          old.creationNanos === event.creationNanos
        ) {
          return;
        }
        const loc: IndexedLocation = {
          ...event,
          v: ctx.recordMetadata()?.offset ?? 0,
          home: grid.homeCell(event.latitude, event.longitude),
        };
        index.put(id, encodeLocation(TAG_INDEX, loc));
        const send = async (op: CellMessage['op'], l: IndexedLocation) => {
          const value = encodeCellMessage({ op, loc: l });
          for (const cell of grid.cellsNear(l.latitude, l.longitude)) {
            await ctx.forward({ key: cell, value, timestamp: record.timestamp, headers: [] });
          }
        };
        if (old !== undefined) await send('remove', old);
        await send('add', loc);
      },
    };
  };
}
