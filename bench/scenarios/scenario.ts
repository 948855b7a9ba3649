import type { Topology } from '../../src/index.ts';

/** One input record of a benchmark. */
export interface BenchEvent {
  readonly key: string;
  readonly value: string;
  /** Record timestamp, epoch ms. */
  readonly timestamp: number;
}

/** The topics and ids of one contender in one run. */
export interface ContenderTopics {
  /** The input topic(s), shared by every contender of the run. */
  readonly input: string;
  /** This contender's output topic (each has its own, so outputs never mix). */
  readonly output: string;
  /** application.id (Millrace, Kafka Streams) or consumer group (ceiling). */
  readonly appId: string;
}

/** A topic to create before a contender starts. */
export interface TopicToCreate {
  readonly name: string;
  readonly partitions: number;
  readonly configs?: Readonly<Record<string, string>>;
}

/**
 * A benchmark scenario: a deterministic input, the Millrace topology, and the name of the Kafka Streams
 * reference topology (bench/kafka-streams-reference, `scenario=<javaName>`) doing the same work.
 */
export interface Scenario {
  readonly name: string;
  readonly inputPartitions: number;
  /** Event `i` of the input; `keys` is the number of distinct keys (where the scenario has a choice). */
  event(i: number, keys: number): BenchEvent;
  readonly defaultKeys: number;
  /** The Millrace topology (built in the Millrace child process). */
  millraceTopology(t: ContenderTopics): Topology;
  /** Topics the Millrace app needs besides input and output (internal ones it creates itself). */
  millraceTopics(t: ContenderTopics): TopicToCreate[];
  /** Arguments of the Java reference (`key=value`), besides the common ones. */
  javaArgs(t: ContenderTopics): string[];
  /** Topics the Java reference needs besides input and output. */
  javaTopics(t: ContenderTopics): TopicToCreate[];
}

/** A small, fast, seedable PRNG (mulberry32, shared with `millrace loadgen`): the same i always gives the same event. */
export { seededRandom as random } from '../../src/cli/load-generator.ts';

/** 2026-01-01T00:00:00Z: every generated time is after it. */
export const T0_MS = Date.UTC(2026, 0, 1);
