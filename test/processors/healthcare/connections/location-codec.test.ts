import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../../src/index.ts';
import type { IndexedLocation } from '../../../../processors/healthcare/connections/indexed-location.ts';
import {
  decodeCellMessage,
  decodeLocation,
  encodeCellMessage,
  encodeLocation,
  TAG_INDEX,
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

describe('location codec', () => {
  it('round-trips an indexed location exactly', () => {
    expect(decodeLocation(encodeLocation(TAG_INDEX, loc), [TAG_INDEX])).toEqual(loc);
  });

  it('round-trips add and remove cell messages', () => {
    for (const op of ['add', 'remove'] as const) {
      expect(decodeCellMessage(encodeCellMessage({ op, loc }))).toEqual({ op, loc });
    }
  });

  it('refuses another tag, and truncated bytes, with MR_SERDE', () => {
    const bytes = encodeLocation(TAG_INDEX, loc);
    const refused = (f: () => unknown) => {
      try {
        f();
        expect.unreachable();
      } catch (err) {
        expect(isMillraceError(err) && err.code).toBe('MR_SERDE');
      }
    };
    refused(() => decodeCellMessage(bytes));
    refused(() => decodeLocation(bytes.subarray(0, bytes.byteLength - 1), [TAG_INDEX]));
    refused(() => decodeLocation(bytes.subarray(0, 30), [TAG_INDEX]));
    refused(() => decodeLocation(new TextEncoder().encode('{"locationId":1}'), [TAG_INDEX]));
  });
});
