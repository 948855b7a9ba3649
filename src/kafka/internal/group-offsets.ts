import type { Consumer } from '@platformatic/kafka';
import { MillraceError } from '../../errors/index.ts';
import type { OffsetAndMetadata, TopicPartition } from '../types.ts';
import { overrideApiArguments } from './api-override.ts';
import { tpKey } from './base-options.ts';
import { hasKafkaError } from './errors.ts';

/**
 * How long a new owner keeps asking for committed offsets while the previous owner's transaction is being
 * completed (UNSTABLE_OFFSET_COMMIT). A crashed owner's open transaction is aborted by the coordinator after
 * its transaction timeout (10 s by default), so this bound is well above it.
 */
const STABLE_OFFSETS_TIMEOUT_MS = 120_000;
const STABLE_OFFSETS_RETRY_MS = 200;

/** One partition of an OffsetFetch answer (v0-v7 and v8+ parse partitions alike). */
interface FetchedPartition {
  partitionIndex: number;
  committedOffset: bigint;
  metadata: string | null;
}

/** An OffsetFetch answer: v8+ has a list of groups, older versions the topics of their one group. */
interface OffsetFetchResponse {
  groups?: { topics: OffsetFetchTopic[] }[];
  topics?: OffsetFetchTopic[];
}
interface OffsetFetchTopic {
  name: string;
  partitions: FetchedPartition[];
}

/** A topic of an OffsetCommit request, as the library's request writer takes it. */
interface OffsetCommitTopic {
  name: string;
  partitions: { partitionIndex: number; committedMetadata: string | null }[];
}

/**
 * The committed offsets of a group consumer, read and written with their metadata strings. The library
 * reads and writes offsets only: its OffsetCommit sends `committed_metadata` null, and its
 * `listCommittedOffsets` drops the `metadata` of the OffsetFetch answer. Both are set through
 * {@link overrideApiArguments}:
 *
 *   - OffsetCommit is called as api(connection, groupId, generationId, memberId, groupInstanceId, topics,
 *     callback): each partition of `topics` gets the metadata {@link commit} was given for it;
 *   - OffsetFetch is called as api(connection, groups, requireStable, callback): its callback is wrapped to
 *     keep the answer's metadata, and under read_committed `requireStable` is set (KIP-447: a new owner
 *     must not read an offset whose transaction is still being completed, as Java's consumer does).
 *
 * Fetches run one at a time, so each one reads the metadata of its own OffsetFetch answers.
 */
export class GroupOffsets {
  readonly #lib: Consumer;
  readonly #closed: () => boolean;
  /** The metadata of the last commit of each partition (read by the OffsetCommit override). */
  readonly #commitMetadata = new Map<string, string>();
  /** The partitions of the OffsetFetch answers of the fetch in progress (filled by the override). */
  #answers: Map<string, FetchedPartition> | undefined;
  #fetches: Promise<unknown> = Promise.resolve();

  constructor(lib: Consumer, options: { readCommitted: boolean; closed: () => boolean }) {
    this.#lib = lib;
    this.#closed = options.closed;
    const commitSet = overrideApiArguments(lib, 'OffsetCommit', (args) => {
      const topics = args[5];
      if (!Array.isArray(topics)) return;
      for (const t of topics as OffsetCommitTopic[])
        for (const p of t.partitions)
          p.committedMetadata = this.#commitMetadata.get(tpKey(t.name, p.partitionIndex)) ?? null;
    });
    const fetchSet = overrideApiArguments(lib, 'OffsetFetch', (args) => {
      if (options.readCommitted && args.length > 2) args[2] = true;
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback !== 'function') return;
      args[last] = (error: unknown, response: unknown) => {
        if (!error) this.#keepAnswer(response as OffsetFetchResponse);
        (callback as (error: unknown, response: unknown) => void)(error, response);
      };
    });
    if (!commitSet || !fetchSet) {
      throw new MillraceError(
        'MR_KAFKA_CONSUME',
        'this version of the Kafka client library does not let Millrace read and write offset metadata or fetch stable offsets (require_stable): use the version in package.json',
      );
    }
  }

  /** Commits the offsets, each with its metadata (none: null, which clears what was stored). */
  async commit(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    for (const o of offsets) {
      const key = tpKey(o.topic, o.partition);
      if (o.metadata === undefined) this.#commitMetadata.delete(key);
      else this.#commitMetadata.set(key, o.metadata);
    }
    await this.#lib.commit({
      offsets: offsets.map((o) => ({
        topic: o.topic,
        partition: o.partition,
        offset: o.offset,
        leaderEpoch: -1,
      })),
    });
  }

  /**
   * The committed offsets of `partitions` with their metadata (those without a commit are left out);
   * retried while a transaction that commits offsets of these partitions is pending.
   */
  fetch(partitions: readonly TopicPartition[]): Promise<OffsetAndMetadata[]> {
    if (partitions.length === 0) return Promise.resolve([]);
    const run = this.#fetches.then(() => this.#fetchStable(partitions));
    this.#fetches = run.catch(() => undefined);
    return run;
  }

  async #fetchStable(partitions: readonly TopicPartition[]): Promise<OffsetAndMetadata[]> {
    const deadline = Date.now() + STABLE_OFFSETS_TIMEOUT_MS;
    for (;;) {
      const answers = new Map<string, FetchedPartition>();
      this.#answers = answers;
      try {
        const committed = await this.#lib.listCommittedOffsets({ topics: topicsOf(partitions) });
        return withMetadata(partitions, committed, answers);
      } catch (error) {
        if (!hasKafkaError(error, 'UNSTABLE_OFFSET_COMMIT') || Date.now() > deadline || this.#closed())
          throw error;
        await new Promise((r) => setTimeout(r, STABLE_OFFSETS_RETRY_MS));
      } finally {
        this.#answers = undefined;
      }
    }
  }

  #keepAnswer(response: OffsetFetchResponse): void {
    const answers = this.#answers;
    if (answers === undefined) return;
    const topics = response.groups?.flatMap((g) => g.topics) ?? response.topics ?? [];
    for (const t of topics) for (const p of t.partitions) answers.set(tpKey(t.name, p.partitionIndex), p);
  }
}

/**
 * The library's offsets of `partitions` (-1 = no commit) with the metadata of the same answer; an empty
 * metadata string counts as none (Java's consumer reads a null metadata as "").
 */
function withMetadata(
  partitions: readonly TopicPartition[],
  committed: Map<string, bigint[]>,
  answers: Map<string, FetchedPartition>,
): OffsetAndMetadata[] {
  const out: OffsetAndMetadata[] = [];
  for (const tp of partitions) {
    const offset = committed.get(tp.topic)?.[tp.partition];
    if (offset === undefined || offset < 0n) continue;
    const answer = answers.get(tpKey(tp.topic, tp.partition));
    const metadata = answer?.committedOffset === offset ? answer.metadata : null;
    out.push(metadata ? { ...tp, offset, metadata } : { ...tp, offset });
  }
  return out;
}

/** Partitions grouped by topic, as the library's offset APIs take them. */
function topicsOf(partitions: readonly TopicPartition[]): { topic: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions)
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps }));
}
