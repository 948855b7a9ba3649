/**
 * A k-way merge of sorted async iterables (each already ordered by `compare`), cut to `limit`. A small
 * binary heap holds the head of each source, so `limit` entries cost `limit · log(sources)` comparisons and
 * read at most `limit + sources` entries: a limited scan over many task stores stops early instead of
 * reading every matching entry first.
 *
 * Invariant: the heap holds at most one pending entry per source; a source is pulled again only after its
 * entry was yielded.
 */
export async function* mergeSorted<T>(
  sources: readonly AsyncIterable<T>[],
  compare: (a: T, b: T) => number,
  limit = Infinity,
): AsyncGenerator<T> {
  if (limit <= 0) return;
  type Head = { value: T; it: AsyncIterator<T>; order: number };
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const heap: Head[] = [];
  // Ties keep source order, so equal keys come out in the order their sources were given (stable).
  const less = (a: Head, b: Head) => {
    const c = compare(a.value, b.value);
    return c < 0 || (c === 0 && a.order < b.order);
  };
  const push = (h: Head) => {
    heap.push(h);
    for (let i = heap.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!less(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const pop = (): Head => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  };
  try {
    const firsts = await Promise.all(iterators.map((it) => it.next()));
    firsts.forEach((r, order) => {
      if (!r.done) push({ value: r.value, it: iterators[order]!, order });
    });
    let left = limit;
    while (heap.length > 0) {
      const h = pop();
      yield h.value;
      if (--left <= 0) return;
      const r = await h.it.next();
      if (!r.done) push({ value: r.value, it: h.it, order: h.order });
    }
  } finally {
    // Close every source early (releases backend cursors/read transactions of an abandoned scan).
    await Promise.all(iterators.map((it) => it.return?.().catch(() => undefined)));
  }
}
