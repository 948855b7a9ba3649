import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../../src/index.ts';
import { CellLocations } from '../../../../processors/healthcare/connections/cell-locations.ts';
import {
  encodeLocation,
  entryOffset,
  TAG_ADD,
  type LocationEntry,
} from '../../../../processors/healthcare/connections/location-codec.ts';

const entry = (id: number, atHome: boolean, creationNanos = '1597746826000000000'): LocationEntry => ({
  locationId: id,
  personId: id * 10,
  latitude: 37.5 + id / 1e5,
  longitude: -122.3 - id / 1e5,
  creationNanos,
  v: id + 1000,
  atHome,
});

/** Adds `e` the way the matcher does: from a cell message, flagged for this cell. */
function add(c: CellLocations, e: LocationEntry): CellLocations {
  const msg = encodeLocation(TAG_ADD, { ...e, home: e.atHome ? 'here' : 'elsewhere' });
  return c.with(msg, entryOffset(msg), e.atHome);
}

function all(c: CellLocations): LocationEntry[] {
  const out: LocationEntry[] = [];
  for (let o = c.first; o < c.end; o = c.next(o)) out.push(c.at(o));
  return out;
}

describe('CellLocations', () => {
  it('adds, finds and removes entries, keeping the others intact', () => {
    let c = new CellLocations(undefined);
    expect(c.toBytes()).toBeUndefined();
    const a = entry(1, true);
    const b = entry(300_000, false, '-5');
    const d = entry(3, true, '0');
    c = add(add(add(c, a), b), d);
    expect(all(c)).toEqual([a, b, d]);
    expect(c.find(4)).toBe(-1);
    const o = c.find(300_000);
    expect(c.at(o)).toEqual(b);
    expect([c.locationId(o), c.personId(o), c.latitude(o), c.longitude(o), c.atHome(o)]).toEqual([
      300_000,
      3_000_000,
      b.latitude,
      b.longitude,
      false,
    ]);
    c = c.without(o);
    expect(all(c)).toEqual([a, d]);
    // What is stored reads back the same.
    const stored = c.toBytes();
    expect(stored).toBeDefined();
    expect(all(new CellLocations(stored))).toEqual([a, d]);
    c = c.without(c.find(1));
    c = c.without(c.find(3));
    expect(c.toBytes()).toBeUndefined();
  });

  it('sets and clears the at-home flag of the copied entry', () => {
    const msg = encodeLocation(TAG_ADD, { ...entry(1, false), home: 'x' });
    const c = new CellLocations(undefined).with(msg, entryOffset(msg), true);
    expect(c.atHome(c.first)).toBe(true);
    const copied = c.toBytes() as Uint8Array;
    const back = new CellLocations(undefined).with(copied, c.first, false);
    expect(back.atHome(back.first)).toBe(false);
    expect(back.at(back.first)).toEqual(entry(1, false));
  });

  it('refuses a value of another format with MR_SERDE', () => {
    try {
      new CellLocations(new TextEncoder().encode('{"locationId":1}'));
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err) && err.code).toBe('MR_SERDE');
    }
  });
});
