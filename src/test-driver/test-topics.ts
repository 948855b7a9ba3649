import type { KeyValue } from '../../state/types.ts';
import type { Headers } from '../processor/record.ts';

/** A record read from an output topic. */
export interface TestRecord<K, V> {
  readonly key: K | null;
  readonly value: V | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** A record to pipe into an input topic; the timestamp defaults to the topic's clock. */
export interface TestInputRecord<K, V> {
  key: K | null;
  value: V | null;
  timestamp?: number;
  headers?: Headers;
}

/**
 * An input topic of a {@link TopologyTestDriver} (Kafka Streams' `TestInputTopic`). Records are processed
 * when piped: for synchronous topologies the outputs are there when the call returns; the returned promise
 * also covers asynchronous processors (await it).
 *
 * @example
 * ```ts
 * const input = driver.createInputTopic('lines', stringSerde(), stringSerde());
 * await input.pipeInput(null, 'hello world', 1_000);
 * ```
 */
export interface TestInputTopic<K, V> {
  pipeInput(key: K | null, value: V | null, timestampMs?: number): Promise<void>;
  pipeValue(value: V | null, timestampMs?: number): Promise<void>;
  pipeRecordList(records: readonly TestInputRecord<K, V>[]): Promise<void>;
  pipeKeyValueList(records: readonly KeyValue<K | null, V | null>[]): Promise<void>;
  /** Moves this topic's clock (the default timestamp of the next record) forward. */
  advanceTime(ms: number): void;
}

/**
 * An output topic of a {@link TopologyTestDriver} (Kafka Streams' `TestOutputTopic`). Reading consumes.
 *
 * @example
 * ```ts
 * const output = driver.createOutputTopic('counts', stringSerde(), longSerde());
 * expect(output.readKeyValuesToMap()).toEqual(new Map([['hello', 1]]));
 * ```
 */
export interface TestOutputTopic<K, V> {
  /** The next record; throws `MR_TEST_DRIVER` when the topic is empty. */
  readRecord(): TestRecord<K, V>;
  readKeyValue(): KeyValue<K | null, V | null>;
  readValue(): V | null;
  readRecordsToList(): TestRecord<K, V>[];
  readKeyValuesToList(): KeyValue<K | null, V | null>[];
  /** The latest value per key (a null value deletes the key, as a table would). */
  readKeyValuesToMap(): Map<K, V>;
  isEmpty(): boolean;
  getQueueSize(): number;
}
