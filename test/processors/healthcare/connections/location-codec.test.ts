import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../../src/index.ts';
import type { IndexedLocation } from '../../../../processors/healthcare/connections/indexed-location.ts';
import {
  decodeLocation,
  encodeCellMessage,
  encodeLocation,
  entryEnd,
  entryOffset,
  homeIs,
  TAG_ADD,
  TAG_INDEX,
  TAG_REMOVE,
} from '../../../../processors/healthcare/connections/location-codec.ts';

const loc: IndexedLocation = {
  locationId: 9_007_199_254_740_991,
  personId: 17,
  latitude: -33.91234567890123,
  longitude: 179.9999999999999,
  creationNanos: '-1597746826123456789',
  v: 123_456_789_012,
  home: '71234:99821',
};

function refused(f: () => unknown): void {
  try {
    f();
    expect.unreachable();
  } catch (err) {
    expect(isMillraceError(err) && err.code).toBe('MR_SERDE');
  }
}

describe('location codec', () => {
  it('round-trips indexed locations exactly (ids up to 2^53, odd and even digit counts, signs)', () => {
    for (const creationNanos of ['-1597746826123456789', '1597746826000000000', '0', '7', '12']) {
      for (const ids of [
        { locationId: 0, personId: 0, v: 0 },
        { locationId: 127, personId: 128, v: 16_383 },
        loc,
      ]) {
        const l = { ...loc, ...ids, creationNanos };
        expect(decodeLocation(encodeLocation(TAG_INDEX, l), [TAG_INDEX])).toEqual(l);
      }
    }
  });

  it('encodes cell messages with their op as the tag, the home cell, and an entry that ends the bytes', () => {
    const add = encodeCellMessage({ op: 'add', loc });
    const remove = encodeCellMessage({ op: 'remove', loc });
    expect([add[0], remove[0]]).toEqual([TAG_ADD, TAG_REMOVE]);
    expect(decodeLocation(add, [TAG_ADD])).toEqual(loc);
    expect(homeIs(add, '71234:99821')).toBe(true);
    expect(homeIs(add, '71234:99822')).toBe(false);
    expect(homeIs(add, '71234:9982')).toBe(false);
    expect(entryEnd(add, entryOffset(add))).toBe(add.byteLength);
  });

  it('refuses another tag, truncated bytes, bad ids and bad times with MR_SERDE', () => {
    const bytes = encodeLocation(TAG_INDEX, loc);
    refused(() => decodeLocation(bytes, [TAG_ADD, TAG_REMOVE]));
    refused(() => decodeLocation(bytes.subarray(0, bytes.byteLength - 1), [TAG_INDEX]));
    refused(() => decodeLocation(bytes.subarray(0, 30), [TAG_INDEX]));
    refused(() => decodeLocation(new TextEncoder().encode('{"locationId":1}'), [TAG_INDEX]));
    refused(() => encodeLocation(TAG_INDEX, { ...loc, locationId: -1 }));
    refused(() => encodeLocation(TAG_INDEX, { ...loc, v: 2 ** 53 }));
    refused(() => encodeLocation(TAG_INDEX, { ...loc, creationNanos: '12a' }));
  });
});
