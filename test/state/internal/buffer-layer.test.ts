import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferLayer, SortedIds } from '../../../state/internal/buffer-layer.ts';
import { toLatin1 } from '../../../state/internal/bytes.ts';
import type { KeyRange } from '../../../state/internal/key-range.ts';

const bytes = fc.uint8Array({ minLength: 0, maxLength: 3, max: 4 });
const bound = fc.option(fc.record({ key: bytes, inclusive: fc.boolean() }), { nil: undefined });

/** The oracle: every id of the keys written so far, sorted, filtered by the bounds. */
function naive(keys: Set<string>, range: KeyRange): string[] {
  const lo = range.lower === undefined ? undefined : toLatin1(range.lower.key);
  const hi = range.upper === undefined ? undefined : toLatin1(range.upper.key);
  return [...keys].sort().filter((id) => {
    if (lo !== undefined && (id < lo || (!range.lower!.inclusive && id === lo))) return false;
    if (hi !== undefined && (id > hi || (!range.upper!.inclusive && id === hi))) return false;
    return true;
  });
}

describe('BufferLayer.idsInRange (sorted ids kept incrementally)', () => {
  it('equals a sort-and-filter of the written keys after any interleaving of puts and scans', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.record({ put: bytes }), fc.record({ scan: fc.record({ lower: bound, upper: bound }) })),
          { maxLength: 200 },
        ),
        (ops) => {
          const layer = new BufferLayer();
          const keys = new Set<string>();
          for (const op of ops) {
            if ('put' in op) {
              layer.put('s', op.put, op.put);
              keys.add(toLatin1(op.put));
            } else {
              const range: KeyRange = { ...op.scan, empty: false };
              expect(layer.idsInRange('s', range)).toEqual(naive(keys, range));
            }
          }
          expect(layer.idsInRange('s', { lower: undefined, upper: undefined, empty: false })).toEqual(
            [...keys].sort(),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits chunks and stays sorted over many keys in adversarial (descending, interleaved) order', () => {
    const ids = new SortedIds();
    const all: string[] = [];
    for (let i = 5_000; i > 0; i--) {
      const id = String((i * 7919) % 10_007).padStart(5, '0');
      if (all.includes(id)) continue;
      ids.insert(id);
      all.push(id);
    }
    all.sort();
    expect(ids.size).toBe(all.length);
    expect(ids.range(undefined, true, undefined, true)).toEqual(all);
    expect(ids.range('02000', false, '02100', true)).toEqual(all.filter((x) => x > '02000' && x <= '02100'));
  });

  it('builds from unsorted ids at once (SortedIds.of) and keeps order through later inserts', () => {
    const first = Array.from({ length: 3_000 }, (_, i) => String((i * 7919) % 10_007).padStart(5, '0'));
    const ids = SortedIds.of(first);
    const later = Array.from({ length: 2_000 }, (_, i) => String(10_007 + ((i * 104_729) % 9_973)));
    for (const id of new Set(later)) ids.insert(id);
    const all = [...new Set([...first, ...later])].sort();
    expect(ids.size).toBe(all.length);
    expect(ids.range(undefined, true, undefined, true)).toEqual(all);
  });
});
