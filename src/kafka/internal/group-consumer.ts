import { Consumer, type ConsumerGroupJoinPayload } from '@platformatic/kafka';
import { MillraceError } from '../../errors/index.ts';
import type {
  AutoOffsetReset,
  ConsumedRecord,
  ConsumerGroupMetadata,
  ConsumerOptions,
  KafkaClientOptions,
  KafkaConsumer,
  OffsetAndMetadata,
  TopicPartition,
  TopicPartitionOffset,
} from '../types.ts';
import { toLibraryAssigner } from './assignor-bridge.ts';
import { baseOptions, tpKey } from './base-options.ts';
import { CloseGuard, toMillraceError, wrapKafka } from './errors.ts';
import { Fetcher } from './fetcher.ts';
import { GroupOffsets } from './group-offsets.ts';
import { Signal } from './signal.ts';

const EMPTY = Buffer.alloc(0);

/** A revocation waiting for the next poll(): the library's JoinGroup waits on `release`. */
interface PendingRevoke {
  readonly lost: boolean;
  readonly release: () => void;
}

/**
 * {@link KafkaConsumer} over the library Consumer, using its group membership (JoinGroup/SyncGroup/heartbeats,
 * classic eager protocol) but not its MessagesStream: records are pulled with explicit positions by a Fetcher.
 *
 * Rebalance callbacks run inside poll(), as in Java. The library calls `protocolsMetadata` before every
 * JoinGroup; that hook parks the join until the next poll() has run onPartitionsRevoked (so the engine can still
 * commit with the current generation), then returns this member's userData for the subscription.
 */
export class GroupConsumer implements KafkaConsumer {
  readonly groupId: string;
  readonly #lib: Consumer;
  readonly #fetcher: Fetcher;
  readonly #offsets: GroupOffsets;
  readonly #options: ConsumerOptions;
  readonly #reset: AutoOffsetReset;
  readonly #guard = new CloseGuard('Kafka consumer');
  readonly #wake = new Signal();
  readonly #assigned = new Map<string, TopicPartition>();
  readonly #positions = new Map<string, bigint>();
  readonly #paused = new Set<string>();
  #pendingAssign: TopicPartition[] | null = null;
  #pendingRevoke: PendingRevoke | null = null;
  #inCallback = false;
  #subscribed = false;
  #backgroundError: unknown = null;

  constructor(client: KafkaClientOptions, options: ConsumerOptions) {
    this.groupId = options.groupId;
    this.#options = options;
    this.#reset = options.autoOffsetReset ?? 'earliest';
    const readCommitted = options.isolationLevel === 'read_committed';
    this.#lib = new Consumer({
      ...baseOptions(client, 'consumer'),
      groupId: options.groupId,
      autocommit: false,
      isolationLevel: readCommitted ? 1 : 0,
      ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeout: options.sessionTimeoutMs }),
      ...(options.rebalanceTimeoutMs === undefined ? {} : { rebalanceTimeout: options.rebalanceTimeoutMs }),
      ...(options.heartbeatIntervalMs === undefined
        ? {}
        : { heartbeatInterval: options.heartbeatIntervalMs }),
      protocolsMetadata: () => this.#beforeJoin(),
      ...(options.assignor === undefined ? {} : { partitionAssigner: toLibraryAssigner(options.assignor) }),
      ...(options.groupInstanceId === undefined ? {} : { groupInstanceId: options.groupInstanceId }),
    });
    // Offsets with their metadata; under read_committed fetched with require_stable (KIP-447).
    this.#offsets = new GroupOffsets(this.#lib, { readCommitted, closed: () => this.#guard.closed });
    this.#fetcher = new Fetcher(this.#lib, {
      readCommitted,
      maxBytes: options.maxBytes ?? 50 * 1024 * 1024,
      maxBytesPerPartition: options.maxBytesPerPartition ?? 1024 * 1024,
    });
    this.#lib.on('consumer:group:join', (payload: ConsumerGroupJoinPayload) => {
      this.#pendingAssign = (payload.assignments ?? []).flatMap((a) =>
        a.partitions.map((partition) => ({ topic: a.topic, partition })),
      );
      this.#wake.notify();
    });
    // Errors of background rejoins: surfaced by the next poll() rather than crashing the process.
    this.#lib.on('error', (error: unknown) => {
      this.#backgroundError = error;
      this.#wake.notify();
    });
  }

  get closed(): boolean {
    return this.#guard.closed;
  }

  async subscribe(topics: readonly string[]): Promise<void> {
    this.#guard.check();
    this.#lib.topics.trackAll(...topics);
    for (const topic of this.#lib.topics.current)
      if (!topics.includes(topic)) this.#lib.topics.untrack(topic);
    this.#subscribed = true;
    await wrapKafka(
      'MR_KAFKA_CONSUME',
      `join group "${this.groupId}"`,
      'check that the topics exist and the broker is reachable',
      () => this.#lib.joinGroup({}),
    );
  }

  async poll(maxWaitMs: number): Promise<ConsumedRecord[]> {
    this.#guard.check();
    if (!this.#subscribed) {
      throw new MillraceError(
        'MR_KAFKA_CONSUME',
        `consumer of group "${this.groupId}" polled before subscribe(): subscribe first`,
      );
    }
    const deadline = Date.now() + maxWaitMs;
    this.#throwBackgroundError();
    await this.#runRebalanceCallbacks(deadline);

    const positions = this.#fetchable();
    if (positions.length === 0) {
      await this.#wake.wait(Math.max(0, deadline - Date.now()));
      await this.#runRebalanceCallbacks(deadline);
      return [];
    }
    const result = await this.#fetcher.fetch(positions, Math.max(0, deadline - Date.now()));
    const used = new Map(positions.map((p) => [tpKey(p.topic, p.partition), p.offset]));
    // Keep only partitions still assigned at the offset we fetched from (a seek or rebalance may have happened).
    const current = (topic: string, partition: number): boolean => {
      const key = tpKey(topic, partition);
      return this.#assigned.has(key) && this.#positions.get(key) === used.get(key);
    };
    for (const [key, next] of result.nextOffsets) {
      const [topic, partition] = splitKey(key);
      if (current(topic, partition)) this.#positions.set(key, next);
    }
    const resets = await this.#fetcher.resetOutOfRange(
      result.outOfRange
        .filter((p) => current(p.topic, p.partition))
        .map((p) => ({ ...p, offset: used.get(tpKey(p.topic, p.partition))! })),
      this.#reset,
    );
    for (const r of resets) this.#positions.set(tpKey(r.topic, r.partition), r.offset);
    return result.records.filter(
      (r) => this.#assigned.has(tpKey(r.topic, r.partition)) && used.has(tpKey(r.topic, r.partition)),
    );
  }

  assignment(): TopicPartition[] {
    this.#guard.check();
    return [...this.#assigned.values()];
  }

  async commit(offsets: readonly OffsetAndMetadata[]): Promise<void> {
    this.#guard.check();
    if (offsets.length === 0) return;
    await wrapKafka(
      'MR_KAFKA_CONSUME',
      `commit offsets of group "${this.groupId}"`,
      'the member may have left the group: poll again to rejoin',
      () => this.#offsets.commit(offsets),
    );
  }

  async committed(partitions: readonly TopicPartition[]): Promise<OffsetAndMetadata[]> {
    this.#guard.check();
    return wrapKafka(
      'MR_KAFKA_CONSUME',
      `read committed offsets of group "${this.groupId}"`,
      'check the broker',
      () => this.#offsets.fetch(partitions),
    );
  }

  position(tp: TopicPartition): bigint | undefined {
    this.#guard.check();
    return this.#positions.get(tpKey(tp.topic, tp.partition));
  }

  seek(tp: TopicPartition, offset: bigint): void {
    this.#guard.check();
    const key = tpKey(tp.topic, tp.partition);
    if (!this.#assigned.has(key)) {
      throw new MillraceError(
        'MR_KAFKA_CONSUME',
        `cannot seek ${tp.topic}-${tp.partition}: it is not assigned to this member`,
      );
    }
    this.#positions.set(key, offset);
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.#guard.check();
    for (const tp of partitions) this.#paused.add(tpKey(tp.topic, tp.partition));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.#guard.check();
    for (const tp of partitions) this.#paused.delete(tpKey(tp.topic, tp.partition));
  }

  paused(): TopicPartition[] {
    this.#guard.check();
    return [...this.#paused].filter((k) => this.#assigned.has(k)).map((k) => this.#assigned.get(k)!);
  }

  groupMetadata(): ConsumerGroupMetadata {
    this.#guard.check();
    return {
      groupId: this.groupId,
      generationId: this.#lib.generationId,
      memberId: this.#lib.memberId ?? '',
      groupInstanceId: this.#options.groupInstanceId ?? null,
    };
  }

  async close(): Promise<void> {
    if (!this.#guard.markClosed()) return;
    this.#pendingRevoke?.release();
    this.#pendingRevoke = null;
    this.#wake.notify();
    if (this.#options.groupInstanceId !== undefined && this.#options.leaveGroupOnClose === false) {
      // Keep the static member's place: the library sends LeaveGroup only for a known member id, so forget
      // it first; leaveGroup() then just stops the membership (heartbeats) without telling the coordinator.
      this.#lib.memberId = null;
      await new Promise<void>((resolve) => this.#lib.leaveGroup(true, () => resolve()));
    }
    await this.#lib.close(true);
  }

  /** Called by the library before each JoinGroup: park it until poll() has revoked what this member owns. */
  #beforeJoin(): Promise<Buffer> {
    const userData = (): Buffer => {
      const u = this.#options.userData;
      return typeof u === 'function' ? u() : (u ?? EMPTY);
    };
    // An assignment the application never saw is simply dropped.
    this.#pendingAssign = null;
    if (this.#assigned.size === 0 || this.#inCallback || this.#guard.closed)
      return Promise.resolve(userData());
    return new Promise<Buffer>((resolve, reject) => {
      this.#pendingRevoke?.release();
      this.#pendingRevoke = {
        lost: this.#lib.memberId === null,
        release: () => {
          try {
            resolve(userData());
          } catch (error) {
            reject(error as Error);
          }
        },
      };
      this.#wake.notify();
    });
  }

  async #runRebalanceCallbacks(deadline: number): Promise<void> {
    const listener = this.#options.listener;
    const revoke = this.#pendingRevoke;
    if (revoke !== null) {
      this.#pendingRevoke = null;
      const partitions = [...this.#assigned.values()];
      this.#inCallback = true;
      try {
        // Positions and assignment stay readable inside the callback (as in Java), then are dropped.
        if (revoke.lost && listener?.onPartitionsLost) await listener.onPartitionsLost(partitions);
        else await listener?.onPartitionsRevoked?.(partitions);
      } finally {
        this.#inCallback = false;
        this.#assigned.clear();
        this.#positions.clear();
        this.#paused.clear();
        revoke.release();
      }
      // The join is now in flight: wait for its assignment, within the poll's budget.
      while (this.#pendingAssign === null && !this.#guard.closed && Date.now() < deadline) {
        await this.#wake.wait(deadline - Date.now());
        this.#throwBackgroundError();
      }
    }
    const assigned = this.#pendingAssign;
    if (assigned === null) return;
    this.#pendingAssign = null;
    for (const tp of assigned) this.#assigned.set(tpKey(tp.topic, tp.partition), tp);
    // One OffsetFetch per assignment, before the callback: it positions the partitions and hands the
    // listener the offsets' metadata (where Kafka Streams keeps its partition time).
    const committed = await wrapKafka(
      'MR_KAFKA_CONSUME',
      `read committed offsets of group "${this.groupId}"`,
      'check the broker; if it says UNSTABLE_OFFSET_COMMIT, a transaction of the previous owner stays open: check its transaction timeout',
      () => this.#offsets.fetch(assigned),
    );
    this.#inCallback = true;
    try {
      await listener?.onPartitionsAssigned?.(assigned, committed);
    } finally {
      this.#inCallback = false;
    }
    await this.#initPositions(
      assigned.filter((tp) => !this.#positions.has(tpKey(tp.topic, tp.partition))),
      committed,
    );
  }

  /** Committed offsets, or the reset policy where the group has none. */
  async #initPositions(
    partitions: readonly TopicPartition[],
    committed: readonly TopicPartitionOffset[],
  ): Promise<void> {
    if (partitions.length === 0) return;
    const offsets = new Map(committed.map((o) => [tpKey(o.topic, o.partition), o.offset]));
    const missing: TopicPartition[] = [];
    for (const tp of partitions) {
      const key = tpKey(tp.topic, tp.partition);
      const offset = offsets.get(key);
      if (offset !== undefined) this.#positions.set(key, offset);
      else missing.push(tp);
    }
    if (missing.length === 0) return;
    if (this.#reset === 'none') {
      throw new MillraceError(
        'MR_KAFKA_CONSUME',
        `group "${this.groupId}" has no committed offset for ${missing.map((p) => `${p.topic}-${p.partition}`).join(', ')} and autoOffsetReset is "none": set the offsets with the reset tool`,
      );
    }
    for (const o of await this.#fetcher.listOffsets(missing, this.#reset))
      this.#positions.set(tpKey(o.topic, o.partition), o.offset);
  }

  #fetchable(): TopicPartitionOffset[] {
    const result: TopicPartitionOffset[] = [];
    for (const [key, tp] of this.#assigned) {
      const offset = this.#positions.get(key);
      if (offset !== undefined && !this.#paused.has(key)) result.push({ ...tp, offset });
    }
    return result;
  }

  #throwBackgroundError(): void {
    const error = this.#backgroundError;
    if (error === null) return;
    this.#backgroundError = null;
    throw toMillraceError(
      'MR_KAFKA_CONSUME',
      `stay in group "${this.groupId}"`,
      'check the broker; poll again to rejoin',
      error,
    );
  }
}

function splitKey(key: string): [string, number] {
  const i = key.lastIndexOf(':');
  return [key.slice(0, i), Number(key.slice(i + 1))];
}
