import type { KeyValueStore } from '../../state/types.ts';
import type { SessionStore, WindowStore } from '../../state/window-store.ts';
import type { Serde } from '../serdes/serde.ts';
import type { Topology } from '../topology/topology.ts';
import { DriverImpl } from './internal/driver-impl.ts';
import type { TestInputTopic, TestOutputTopic } from './test-topics.ts';

/** Options of {@link createTopologyTestDriver}. */
export interface TopologyTestDriverOptions {
  /** `application.id` (prefixes internal topics); default `dummy-topology-test-driver-app-id`, as in Kafka. */
  applicationId?: string;
  /** The mocked wall clock's start (ms); default `Date.now()`. */
  initialWallClockTimeMs?: number;
  /**
   * `statestore.cache.max.bytes` of the driver's tasks (default 10 MiB; 0: no cache). As in Kafka Streams'
   * driver, caches are flushed after every record and every wall-clock punctuation, so cached aggregations
   * still emit once per input record; a cache only folds several updates of one key by one record.
   */
  cacheMaxBytes?: number;
}

/**
 * Runs a topology without a broker (Kafka Streams' `TopologyTestDriver`): every topic has one partition,
 * repartition topics are routed in memory, stores are in-memory, and the wall clock is mocked. Outputs
 * are captured per topic; outputs to a topic the topology also reads are fed back, as Kafka's driver does.
 *
 * @example
 * ```ts
 * const driver = createTopologyTestDriver(builder.build());
 * const input = driver.createInputTopic('lines', stringSerde(), stringSerde());
 * const output = driver.createOutputTopic('counts', stringSerde(), longSerde());
 * await input.pipeInput(null, 'a b a');
 * output.readKeyValuesToMap(); // Map { 'a' => 2, 'b' => 1 }
 * driver.close();
 * ```
 */
export interface TopologyTestDriver {
  createInputTopic<K, V>(
    topic: string,
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    options?: { startTimestampMs?: number; autoAdvanceMs?: number },
  ): TestInputTopic<K, V>;
  createOutputTopic<K, V>(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>): TestOutputTopic<K, V>;
  /** Moves the mocked wall clock and fires due wall-clock punctuators. */
  advanceWallClockTime(ms: number): Promise<void>;
  /** A store of the topology (task or global) by name; throws `MR_TEST_DRIVER` if there is none. */
  getKeyValueStore<K, V>(name: string): KeyValueStore<K, V>;
  /**
   * A window store by name (windowed aggregations over time or sliding windows hold `Timestamped` values);
   * throws `MR_TEST_DRIVER` if there is none or it is not a window store.
   */
  getWindowStore<K, V>(name: string): WindowStore<K, V>;
  /** A session store by name (session-windowed aggregations); throws `MR_TEST_DRIVER` otherwise. */
  getSessionStore<K, V>(name: string): SessionStore<K, V>;
  /** Topics that received output so far. */
  producedTopicNames(): string[];
  /** Records the topology's windowed operations dropped as late (Kafka Streams' `dropped-records` sensor). */
  droppedRecordCount(): number;
  close(): void;
}

/** Makes a {@link TopologyTestDriver} for `topology`. */
export function createTopologyTestDriver(
  topology: Topology,
  options: TopologyTestDriverOptions = {},
): TopologyTestDriver {
  return new DriverImpl(topology, options);
}
