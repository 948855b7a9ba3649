import type { KeyValueBytesStore } from '../key-value-bytes-store.ts';
import {
  decodeWindowKey,
  encodeWindowKey,
  escapeKey,
  keyTimeBound,
  segmentBound,
  type WindowKeyParts,
} from './window-key-codec.ts';

/** One entry of a segmented store, decoded. */
export interface SegmentedEntry extends WindowKeyParts {
  readonly value: Uint8Array;
}

/**
 * Time-segmented entries on top of a key-value bytes store (the write-buffer and change-logging layers stay
 * underneath, so window stores are buffered, logged and restored like any other store). Entries are keyed
 * by (segment, key, time, suffix), see window-key-codec.ts.
 *
 * Retention (Kafka Streams' segmented stores): the store tracks the largest time it was written with
 * (`observedTime`); entries with `time <= observedTime - retentionMs` are expired. Reads hide them at once;
 * {@link SegmentedBytesStore.expire} deletes whole expired segments (one range scan), so a long run keeps at
 * most `retention + segmentInterval` of data.
 */
export class SegmentedBytesStore {
  readonly inner: KeyValueBytesStore;
  readonly retentionMs: number;
  readonly segmentIntervalMs: number;
  #observedTime = -1;
  /** Segments below this one are known to be deleted. */
  #firstLiveSegment = 0;

  constructor(inner: KeyValueBytesStore, retentionMs: number, segmentIntervalMs?: number) {
    this.inner = inner;
    this.retentionMs = retentionMs;
    this.segmentIntervalMs = segmentIntervalMs ?? Math.max(1, Math.floor(retentionMs / 2));
  }

  get observedTime(): number {
    return this.#observedTime;
  }

  /** The smallest time still live. */
  minLiveTime(): number {
    return this.#observedTime - this.retentionMs + 1;
  }

  segmentOf(time: number): number {
    return Math.floor(time / this.segmentIntervalMs);
  }

  /** Writes (or deletes, with null) an entry; an already expired time is ignored, as in Kafka Streams. */
  put(key: Uint8Array, time: number, suffix: number, value: Uint8Array | null): void {
    if (time > this.#observedTime) this.#observedTime = time;
    if (time < this.minLiveTime()) return;
    const k = encodeWindowKey(this.segmentOf(time), escapeKey(key), time, suffix);
    if (value === null) this.inner.delete(k);
    else this.inner.put(k, value);
  }

  get(key: Uint8Array, time: number, suffix: number): Uint8Array | undefined {
    if (time < this.minLiveTime()) return undefined;
    return this.inner.get(encodeWindowKey(this.segmentOf(time), escapeKey(key), time, suffix));
  }

  /** Entries of one key with `from <= time <= to`, in time (then suffix) order; one range scan per segment. */
  async *fetch(key: Uint8Array, from: number, to: number, reverse = false): AsyncGenerator<SegmentedEntry> {
    const lo = Math.max(from, this.minLiveTime(), 0);
    if (to < lo) return;
    const escaped = escapeKey(key);
    const first = this.segmentOf(lo);
    const last = this.segmentOf(to);
    for (let i = 0; i <= last - first; i++) {
      const s = reverse ? last - i : first + i;
      const scan = this.inner.scan({
        gte: keyTimeBound(s, escaped, lo),
        lt: keyTimeBound(s, escaped, to + 1),
        reverse,
      });
      for await (const { key: k, value } of scan) yield { ...decodeWindowKey(k), value };
    }
  }

  /** Entries of every key with `from <= time <= to`: one range scan over the segments in between. */
  async *fetchAll(from: number, to: number): AsyncGenerator<SegmentedEntry> {
    const lo = Math.max(from, this.minLiveTime(), 0);
    if (to < lo) return;
    const scan = this.inner.scan({
      gte: segmentBound(this.segmentOf(lo)),
      lt: segmentBound(this.segmentOf(to) + 1),
    });
    for await (const { key, value } of scan) {
      const parts = decodeWindowKey(key);
      if (parts.time >= lo && parts.time <= to) yield { ...parts, value };
    }
  }

  /** Every live entry, segment by segment. */
  async *all(): AsyncGenerator<SegmentedEntry> {
    const lo = this.minLiveTime();
    for await (const { key, value } of this.inner.scan({})) {
      const parts = decodeWindowKey(key);
      if (parts.time >= lo) yield { ...parts, value };
    }
  }

  /** True when a segment fell out of retention since the last {@link expire}. */
  needsExpiry(): boolean {
    return (
      this.#observedTime >= 0 && this.segmentOf(Math.max(0, this.minLiveTime())) > this.#firstLiveSegment
    );
  }

  /**
   * Deletes the segments that are wholly expired (every time in them `< minLiveTime`). Returns undefined
   * when there is nothing to delete, so a synchronous caller stays synchronous.
   */
  expire(): void | Promise<void> {
    if (!this.needsExpiry()) return undefined;
    const cutoff = this.segmentOf(Math.max(0, this.minLiveTime()));
    return (async () => {
      const doomed: Uint8Array[] = [];
      for await (const { key } of this.inner.scan({ lt: segmentBound(cutoff) })) doomed.push(key);
      for (const k of doomed) this.inner.delete(k);
      this.#firstLiveSegment = Math.max(this.#firstLiveSegment, cutoff);
    })();
  }

  approximateNumEntries(): number {
    return this.inner.approximateNumEntries();
  }
}
