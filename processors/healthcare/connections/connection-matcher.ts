import type { KeyValueStore, Processor, ProcessorSupplier, StreamRecord } from '../../../src/index.ts';
import { CellLocations } from './cell-locations.ts';
import { geodesicDistance, surelyFartherThan } from './geodesic.ts';
import type { GeoParams } from './geo-params.ts';
import { connectionKey, type ConnectionEntry, type VersionedLocation } from './indexed-location.ts';
import {
  decodeLocation,
  entryOffset,
  homeIs,
  readEntry,
  TAG_ADD,
  TAG_REMOVE,
  type LocationEntry,
} from './location-codec.ts';

/**
 * Second stage of person connections (partitioned by cell): keeps the locations of each cell in one entry
 * of `cell-locations` (key = cell id, value: {@link CellLocations}) and, as they come and go, adds or
 * retracts their matches in `person-connections`, both directions. The input is a cell message in the
 * binary form of location-codec.ts, whose entry is copied into the cell as it is. A pair is handled only in the home cell of its location with the
 * smaller locationId (see geo-cells.ts), so it is stored exactly once, whatever the arrival order. Pairs of
 * one person's own locations are not connections (the replaced API matched other persons only).
 */
export function connectionMatcherSupplier(
  geo: GeoParams,
  params: Readonly<Record<string, unknown>> = {},
): ProcessorSupplier<string, Uint8Array> {
  const cellStoreName = typeof params.cellStore === 'string' ? params.cellStore : 'cell-locations';
  const connStoreName =
    typeof params.connectionStore === 'string' ? params.connectionStore : 'person-connections';
  const max = geo.maxDistanceMeters;
  return (): Processor<string, Uint8Array> => {
    let cells!: KeyValueStore<string, Uint8Array>;
    let connections!: KeyValueStore<string, ConnectionEntry>;
    const retract = (own: VersionedLocation, other: VersionedLocation) =>
      void connections.delete(connectionKey(own, other));
    const add = (own: VersionedLocation, other: VersionedLocation, distance: number) =>
      connections.put(connectionKey(own, other), { own, other, distance });
    return {
      init(context) {
        cells = context.getStateStore<KeyValueStore<string, Uint8Array>>(cellStoreName);
        connections = context.getStateStore<KeyValueStore<string, ConnectionEntry>>(connStoreName);
      },
      process(record: StreamRecord<string, Uint8Array>) {
        const cell = record.key;
        const msg = record.value;
        const tag = msg[0];
        if (tag !== TAG_ADD && tag !== TAG_REMOVE) decodeLocation(msg, [TAG_ADD, TAG_REMOVE]); // throws
        const e = entryOffset(msg);
        const loc = readEntry(msg, e);
        let here = new CellLocations(cells.get(cell));
        const at = here.find(loc.locationId);
        const present = at < 0 ? undefined : here.at(at);
        if (tag === TAG_REMOVE) {
          if (present === undefined || present.v !== loc.v) return;
          here = here.without(at);
          store(cell, here);
          forEachPair(here, present, present.atHome, retract);
          return;
        }
        if (present !== undefined) {
          if (present.v === loc.v) return; // a replay of what is already applied
          here = here.without(at);
          forEachPair(here, present, present.atHome, retract);
        }
        const atHome = homeIs(msg, cell);
        forEachPair(here, loc, atHome, add);
        store(cell, here.with(msg, e, atHome));
      },
    };

    function store(cell: string, locations: CellLocations): void {
      const bytes = locations.toBytes();
      if (bytes === undefined) cells.delete(cell);
      else cells.put(cell, bytes);
    }

    /**
     * Calls `f` for both directions of every pair of `loc` with the cell's other locations that this cell
     * reports. Reads four numbers of each entry; decodes only the ones within the distance.
     */
    function forEachPair(
      here: CellLocations,
      loc: LocationEntry,
      locAtHome: boolean,
      f: (own: VersionedLocation, other: VersionedLocation, distance: number) => void,
    ): void {
      const { latitude, longitude } = loc;
      let own: VersionedLocation | undefined;
      for (let o = here.first; o < here.end; o = here.next(o)) {
        const otherId = here.locationId(o);
        if (otherId === loc.locationId || here.personId(o) === loc.personId) continue;
        if (!(otherId < loc.locationId ? here.atHome(o) : locAtHome)) continue;
        const lat = here.latitude(o);
        const lon = here.longitude(o);
        if (surelyFartherThan(latitude, longitude, lat, lon, max)) continue;
        const there = geodesicDistance(latitude, longitude, lat, lon);
        const back = geodesicDistance(lat, lon, latitude, longitude);
        if (Math.min(there, back) > max) continue;
        own ??= versioned(loc);
        const other = versioned(here.at(o));
        f(own, other, there);
        f(other, own, back);
      }
    }
  };
}

/** The location without its cell-relative flag, as a connection stores it. */
function versioned(l: LocationEntry): VersionedLocation {
  return {
    locationId: l.locationId,
    personId: l.personId,
    latitude: l.latitude,
    longitude: l.longitude,
    creationNanos: l.creationNanos,
    v: l.v,
  };
}
