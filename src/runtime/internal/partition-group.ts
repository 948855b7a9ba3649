import type { SourceRecord } from '../../processor/task.ts';

/**
 * The buffered input of one task: a FIFO queue per input partition (the task's co-partitioned topics share
 * the partition number). `next()` returns the head with the lowest timestamp, so the records of a task's
 * inputs are processed in timestamp order as far as what has been fetched allows (Kafka Streams'
 * PartitionGroup). Within one partition, offset order is kept whatever the timestamps.
 */
export class PartitionGroup {
  readonly #queues = new Map<string, { records: SourceRecord[]; head: number }>();
  #size = 0;

  /** Appends fetched records of one topic partition (in offset order). */
  add(topic: string, records: readonly SourceRecord[]): void {
    let q = this.#queues.get(topic);
    if (!q) {
      q = { records: [], head: 0 };
      this.#queues.set(topic, q);
    }
    for (const r of records) q.records.push(r);
    this.#size += records.length;
  }

  get size(): number {
    return this.#size;
  }

  /** The buffered record with the lowest timestamp among the queue heads, removed; undefined when empty. */
  next(): SourceRecord | undefined {
    let best: { records: SourceRecord[]; head: number } | undefined;
    let bestTs = Infinity;
    for (const q of this.#queues.values()) {
      const r = q.records[q.head];
      if (r !== undefined && r.timestamp < bestTs) {
        best = q;
        bestTs = r.timestamp;
      }
    }
    if (!best) return undefined;
    const record = best.records[best.head++]!;
    this.#size--;
    if (best.head === best.records.length) {
      best.records = [];
      best.head = 0;
    } else if (best.head > 4096 && best.head * 2 > best.records.length) {
      best.records = best.records.slice(best.head);
      best.head = 0;
    }
    return record;
  }

  /** Drops everything buffered (the task is closing; its records will be fetched again from the commit). */
  clear(): void {
    this.#queues.clear();
    this.#size = 0;
  }
}
