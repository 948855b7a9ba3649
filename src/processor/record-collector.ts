import type { Headers } from './record.ts';

/**
 * Where a task sends what its sinks emit (Kafka Streams' `RecordCollector`): the Kafka runtime produces to
 * Kafka, the TopologyTestDriver keeps the records in memory. Keys and values are already serialized.
 * `partition` is set when the sink has a partitioner; otherwise the collector partitions by the key bytes
 * (murmur2, as Java does).
 *
 * @example
 * ```ts
 * const collector: RecordCollector = { send: (topic, key, value) => sent.push({ topic, key, value }) };
 * ```
 */
export interface RecordCollector {
  send(
    topic: string,
    key: Uint8Array | null,
    value: Uint8Array | null,
    timestamp: number,
    headers: Headers,
    partition?: number,
  ): void;
}
