import type { KeyValueStore, Processor, ProcessorSupplier, StreamRecord } from '../../../src/index.ts';
import { geodesicDistance } from './geodesic.ts';
import type { GeoParams } from './geo-params.ts';
import {
  connectionKey,
  type CellMessage,
  type ConnectionEntry,
  type IndexedLocation,
} from './indexed-location.ts';

/**
 * Second stage of person connections (partitioned by cell): keeps the locations of each cell in
 * `cell-locations` (key `<cell>|<locationId>`) and, as they come and go, adds or retracts their matches in
 * `person-connections`, both directions. A pair is handled only in the home cell of its location with the
 * smaller locationId (see geo-cells.ts), so it is stored exactly once, whatever the arrival order. Pairs of
 * one person's own locations are not connections (the replaced API matched other persons only).
 */
export function connectionMatcherSupplier(
  geo: GeoParams,
  params: Readonly<Record<string, unknown>> = {},
): ProcessorSupplier<string, CellMessage> {
  const cellStoreName = typeof params.cellStore === 'string' ? params.cellStore : 'cell-locations';
  const connStoreName =
    typeof params.connectionStore === 'string' ? params.connectionStore : 'person-connections';
  return (): Processor<string, CellMessage> => {
    let cells!: KeyValueStore<string, IndexedLocation>;
    let connections!: KeyValueStore<string, ConnectionEntry>;
    return {
      init(context) {
        cells = context.getStateStore<KeyValueStore<string, IndexedLocation>>(cellStoreName);
        connections = context.getStateStore<KeyValueStore<string, ConnectionEntry>>(connStoreName);
      },
      async process(record: StreamRecord<string, CellMessage>) {
        const cell = record.key;
        const { op, loc } = record.value;
        const slot = `${cell}|${loc.locationId}`;
        const present = cells.get(slot);
        if (op === 'remove') {
          if (present === undefined || present.v !== loc.v) return;
          cells.delete(slot);
          await forEachPair(cell, loc, (own, other) => void connections.delete(connectionKey(own, other)));
          return;
        }
        if (present !== undefined) {
          if (present.v === loc.v) return; // a replay of what is already applied
          cells.delete(slot);
          await forEachPair(
            cell,
            present,
            (own, other) => void connections.delete(connectionKey(own, other)),
          );
        }
        await forEachPair(cell, loc, (own, other, distance) => {
          connections.put(connectionKey(own, other), { own, other, distance });
        });
        cells.put(slot, loc);
      },
    };

    /** Calls `f` for both directions of every pair of `loc` with the cell's locations this cell reports. */
    async function forEachPair(
      cell: string,
      loc: IndexedLocation,
      f: (own: IndexedLocation, other: IndexedLocation, distance: number) => void,
    ): Promise<void> {
      for await (const { value: other } of cells.prefixScan(`${cell}|`)) {
        if (other.locationId === loc.locationId || other.personId === loc.personId) continue;
        const ref = other.locationId < loc.locationId ? other : loc;
        if (ref.home !== cell) continue;
        const there = geodesicDistance(loc.latitude, loc.longitude, other.latitude, other.longitude);
        const back = geodesicDistance(other.latitude, other.longitude, loc.latitude, loc.longitude);
        if (Math.min(there, back) > geo.maxDistanceMeters) continue;
        f(loc, other, there);
        f(other, loc, back);
      }
    }
  };
}
