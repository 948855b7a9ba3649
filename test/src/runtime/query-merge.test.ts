import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeSorted } from '../../../src/runtime/internal/query-merge.ts';

async function* from<T>(items: readonly T[], pulled: { n: number }): AsyncGenerator<T> {
  for (const x of items) {
    pulled.n++;
    yield x;
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('mergeSorted (the k-way merge of local task scans)', () => {
  it('equals sort-then-cut of the concatenation, for any sorted sources and limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 30 }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 300 }),
        async (lists, limit) => {
          const sources = lists.map((l) => [...l].sort((a, b) => a - b));
          const pulled = { n: 0 };
          const got = await collect(
            mergeSorted(
              sources.map((s) => from(s, pulled)),
              (a, b) => a - b,
              limit,
            ),
          );
          const expected = sources
            .flat()
            .sort((a, b) => a - b)
            .slice(0, limit);
          expect(got).toEqual(expected);
          // It stops early: at most one entry per source beyond what it yielded.
          expect(pulled.n).toBeLessThanOrEqual(got.length + sources.length);
        },
      ),
    );
  });

  it('closes every source when the consumer stops early', async () => {
    let closed = 0;
    const source = (xs: number[]) =>
      (async function* () {
        try {
          yield* xs;
        } finally {
          closed++;
        }
      })();
    const got: number[] = [];
    for await (const x of mergeSorted([source([1, 4, 9]), source([2, 3, 10])], (a, b) => a - b)) {
      got.push(x);
      if (got.length === 3) break;
    }
    expect(got).toEqual([1, 2, 3]);
    expect(closed).toBe(2);
  });
});
