import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../../src/index.ts';
import {
  CellLocations,
  type CellLocation,
} from '../../../../processors/healthcare/connections/cell-locations.ts';

const at = (id: number, atHome: boolean, creationNanos = '1597746826000000000'): CellLocation => ({
  locationId: id,
  personId: id * 10,
  latitude: 37.5 + id / 1e5,
  longitude: -122.3 - id / 1e5,
  creationNanos,
  v: id + 1000,
  atHome,
});

function all(c: CellLocations): CellLocation[] {
  const out: CellLocation[] = [];
  for (let o = c.first; o < c.end; o = c.next(o)) out.push(c.at(o));
  return out;
}

describe('CellLocations', () => {
  it('adds, finds and removes entries, keeping the others intact', () => {
    let c = new CellLocations(undefined);
    expect(c.toBytes()).toBeUndefined();
    const a = at(1, true);
    const b = at(2, false, '-5');
    const d = at(3, true, '');
    c = c.with(a).with(b).with(d);
    expect(all(c)).toEqual([a, b, d]);
    expect(c.find(4)).toBe(-1);
    const o = c.find(2);
    expect(c.at(o)).toEqual(b);
    expect([c.locationId(o), c.personId(o), c.latitude(o), c.longitude(o), c.atHome(o)]).toEqual([
      2,
      20,
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

  it('refuses a value of another format with MR_SERDE', () => {
    try {
      new CellLocations(new TextEncoder().encode('{"locationId":1}'));
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err) && err.code).toBe('MR_SERDE');
    }
  });
});
