import type { KeyValueStore } from '../../../../src/index.ts';
import { dedupeIndexKey, dedupeIndexUpTo, dedupeKey } from '../keys.ts';

/**
 * Remembers eventIds for a retention of stream time. Two entries per id in one store (keys.ts): the id
 * itself and a time index entry, so purging expired ids is one range scan instead of a full scan.
 */
export class EventDeduper {
  readonly #store: KeyValueStore<string, unknown>;
  readonly #retentionMs: number;

  constructor(store: KeyValueStore<string, unknown>, retentionMs: number) {
    this.#store = store;
    this.#retentionMs = retentionMs;
  }

  /** True the first time an eventId is seen (and records it), false for a repeat within the retention. */
  firstSeen(eventId: string, nowMs: number): boolean {
    const key = dedupeKey(eventId);
    const seen = this.#store.get(key);
    if (typeof seen === 'number' && nowMs - seen < this.#retentionMs) return false;
    if (typeof seen === 'number') this.#store.delete(dedupeIndexKey(seen, eventId));
    this.#store.put(key, nowMs);
    this.#store.put(dedupeIndexKey(nowMs, eventId), 1);
    return true;
  }

  /** Forgets ids seen more than the retention before `streamTimeMs`. */
  async purge(streamTimeMs: number): Promise<number> {
    const cutoff = streamTimeMs - this.#retentionMs;
    if (cutoff <= 0) return 0;
    const expired: string[] = [];
    for await (const { key } of this.#store.range('t|', dedupeIndexUpTo(cutoff))) expired.push(key);
    for (const key of expired) {
      const eventId = key.slice(key.indexOf('|', 2) + 1);
      this.#store.delete(key);
      this.#store.delete(dedupeKey(eventId));
    }
    return expired.length;
  }
}
