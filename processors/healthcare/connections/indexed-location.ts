import type { LocationEvent } from './location-event.ts';

/**
 * A location as the spatial index carries it: the event, its version (the input offset of the record
 * that set it: a location sent again with the same locationId gets a new version) and its home cell.
 */
export interface IndexedLocation extends VersionedLocation {
  readonly home: string;
}

/** What the location indexer sends to a cell (repartition topic `location-cells`, key = cell id). */
export interface CellMessage {
  readonly op: 'add' | 'remove';
  readonly loc: IndexedLocation;
}

/** A location and its version, as a connection records it. */
export interface VersionedLocation extends LocationEvent {
  readonly v: number;
}

/** One materialized connection (store `person-connections`): a location of a person and one near it. */
export interface ConnectionEntry {
  readonly own: VersionedLocation;
  readonly other: VersionedLocation;
  /** Geodesic distance from own to other, meters. */
  readonly distance: number;
}

/**
 * Key of a connection in `person-connections`:
 * `<own personId>|<own locationId>|<other locationId>|<own version>|<other version>`. Queries scan the
 * prefix `<personId>|`. The versions make each (add, retract) pair of one cell touch only its own entry,
 * so matches of an old position retracted by one cell never erase matches of the new one added by another.
 */
export function connectionKey(own: VersionedLocation, other: VersionedLocation): string {
  return `${own.personId}|${own.locationId}|${other.locationId}|${own.v}|${other.v}`;
}

/** The prefix of every connection of `personId`. */
export function connectionPrefix(personId: number): string {
  return `${personId}|`;
}
