import { randomUUID } from 'node:crypto';
import { Consumer } from '@platformatic/kafka';
import type {
  ChangelogRecords,
  ConsumedRecord,
  KafkaClientOptions,
  PartitionReader,
  PartitionReaderOptions,
  TopicPartition,
  TopicPartitionOffset,
} from '../types.ts';
import { baseOptions, tpKey } from './base-options.ts';
import { CloseGuard } from './errors.ts';
import { Fetcher, type FetchResult } from './fetcher.ts';
import { installRawFetchParser } from './raw-fetch.ts';

/**
 * Fetch sizes of restore and standby reads. Moderate on purpose: the restore decodes one response while the
 * backend writes the previous one, and ~8 MiB responses keep both busy (one 50 MiB response held the whole
 * 300,000-record bench changelog: 1.6 s of fetching and decoding before the first write). A partition's share
 * (2 MiB) lets one response cover several changelog partitions.
 */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
const DEFAULT_MAX_BYTES_PER_PARTITION = 2 * 1024 * 1024;

/**
 * {@link PartitionReader}: a library Consumer that never joins its (random, unused) group, used only for
 * fetch and list-offsets with positions kept here.
 */
export class PartitionReaderImpl implements PartitionReader {
  readonly #lib: Consumer;
  readonly #fetcher: Fetcher;
  readonly #guard = new CloseGuard('Kafka partition reader');
  readonly #positions = new Map<string, TopicPartitionOffset>();

  constructor(client: KafkaClientOptions, options: PartitionReaderOptions) {
    const readCommitted = options.isolationLevel === 'read_committed';
    this.#lib = new Consumer({
      ...baseOptions(client, 'reader'),
      // Required by the library; this consumer never joins it, so no group is ever created.
      groupId: `${client.clientId}-reader-${randomUUID()}`,
      autocommit: false,
      isolationLevel: readCommitted ? 1 : 0,
    });
    // Before the Fetcher's own override of Fetch (see installRawFetchParser). Without it (another library
    // version) both polls still work, on the library's parsed batches.
    installRawFetchParser(this.#lib);
    this.#fetcher = new Fetcher(this.#lib, {
      readCommitted,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      maxBytesPerPartition: options.maxBytesPerPartition ?? DEFAULT_MAX_BYTES_PER_PARTITION,
    });
  }

  get closed(): boolean {
    return this.#guard.closed;
  }

  assign(partitions: readonly TopicPartitionOffset[]): void {
    this.#guard.check();
    for (const p of partitions) {
      this.#lib.topics.track(p.topic);
      this.#positions.set(tpKey(p.topic, p.partition), {
        topic: p.topic,
        partition: p.partition,
        offset: p.offset,
      });
    }
  }

  unassign(partitions: readonly TopicPartition[]): void {
    this.#guard.check();
    for (const p of partitions) this.#positions.delete(tpKey(p.topic, p.partition));
  }

  assignment(): TopicPartition[] {
    this.#guard.check();
    return [...this.#positions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  position(tp: TopicPartition): bigint | undefined {
    this.#guard.check();
    return this.#positions.get(tpKey(tp.topic, tp.partition))?.offset;
  }

  async poll(maxWaitMs: number): Promise<ConsumedRecord[]> {
    this.#guard.check();
    const positions = [...this.#positions.values()];
    const result = await this.#fetcher.fetch(positions, maxWaitMs);
    await this.#advance(positions, result);
    return result.records;
  }

  async pollChangelog(maxWaitMs: number): Promise<ChangelogRecords[]> {
    this.#guard.check();
    const positions = [...this.#positions.values()];
    const result = await this.#fetcher.fetchChangelog(positions, maxWaitMs);
    await this.#advance(positions, result);
    return result.records;
  }

  /** Moves the fetched positions to the next offsets of a fetch round; out-of-range partitions throw. */
  async #advance(
    positions: readonly TopicPartitionOffset[],
    result: Pick<FetchResult, 'nextOffsets' | 'outOfRange'>,
  ): Promise<void> {
    for (const p of positions) {
      const key = tpKey(p.topic, p.partition);
      const next = result.nextOffsets.get(key);
      // Only advance partitions not moved or removed while the fetch was in flight.
      if (next !== undefined && this.#positions.get(key)?.offset === p.offset)
        this.#positions.set(key, { ...p, offset: next });
    }
    // With no reset policy this throws for any out-of-range partition: the caller must seek.
    await this.#fetcher.resetOutOfRange(
      result.outOfRange.map((p) => ({
        ...p,
        offset: positions.find((q) => q.topic === p.topic && q.partition === p.partition)!.offset,
      })),
      'none',
    );
  }

  async endOffsets(
    partitions: readonly TopicPartition[],
    options: { highWatermark?: boolean } = {},
  ): Promise<TopicPartitionOffset[]> {
    this.#guard.check();
    for (const p of partitions) this.#lib.topics.track(p.topic);
    return options.highWatermark === true
      ? this.#fetcher.listOffsets(partitions, 'latest', false)
      : this.#fetcher.listOffsets(partitions, 'latest');
  }

  async *readToEnd(from: TopicPartitionOffset): AsyncIterable<ConsumedRecord[]> {
    this.#guard.check();
    this.#lib.topics.track(from.topic);
    const [end] = await this.#fetcher.listOffsets([from], 'latest');
    const endOffset = end!.offset;
    let position = from.offset;
    while (position < endOffset) {
      this.#guard.check();
      const result = await this.#fetcher.fetch(
        [{ topic: from.topic, partition: from.partition, offset: position }],
        500,
      );
      await this.#fetcher.resetOutOfRange(
        result.outOfRange.map((p) => ({ ...p, offset: position })),
        'none',
      );
      const records = result.records.filter((r) => r.offset < endOffset);
      position = result.nextOffsets.get(tpKey(from.topic, from.partition)) ?? position;
      if (records.length > 0) yield records;
    }
  }

  async close(): Promise<void> {
    if (!this.#guard.markClosed()) return;
    await this.#lib.close(true);
  }
}
