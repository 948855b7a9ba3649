import {
  Admin,
  FindCoordinatorKeyTypes,
  type Consumer,
  type Message,
  type MessageToProduce,
  type Producer,
} from '@platformatic/kafka';
import { MillraceError } from '../../errors/index.ts';
import type {
  ConsumerGroupMetadata,
  KafkaClientOptions,
  ProducerRecord,
  RecordMetadata,
  TopicPartitionOffset,
  TransactionalProducer,
  TransactionalProducerOptions,
} from '../types.ts';
import { overrideApiArgument, overrideApiArguments } from './api-override.ts';
import { baseOptions } from './base-options.ts';
import { CloseGuard, wrapKafka } from './errors.ts';
import { RecordSender, type LibraryMetadata } from './producer.ts';

/** The library's Transaction (not exported by name). */
type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;
/** What Transaction.addPartitions takes (the library's MessageRecord[]). */
type PartitionedMessages = Parameters<Transaction['addPartitions']>[1];

/** Kafka Streams' `transaction.timeout.ms` under exactly-once (it overrides the producer's 60 s default). */
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 10_000;

/**
 * {@link TransactionalProducer} over the library's `Producer.beginTransaction()` / `Transaction`.
 *
 * sendOffsetsToTransaction (KIP-447): the library's Transaction only takes offsets as consumed `Message`s of its
 * own consumer (`addConsumer(consumer)` → AddOffsetsToTxn, `addOffset(message)` → TxnOffsetCommit of
 * `message.offset + 1` with `message.metadata.consumer` = { groupId, generationId, memberId, coordinatorId }).
 * We feed it the group metadata the caller passes and one synthetic message per partition (offset − 1), after
 * looking up the group coordinator. The library commits one partition per TxnOffsetCommit; we hand it the
 * first partition and replace the request's topics with all of them, so one request carries every offset
 * (as Kafka's Java producer sends them): one round trip per commit instead of one per input partition.
 *
 * The library hard-codes fields we set through {@link overrideApiArguments}: TxnOffsetCommit's group_instance_id
 * (it sends null; we send the static member's id, so the coordinator fences a zombie of that instance with
 * FENCED_INSTANCE_ID) and topics (above), and InitProducerId's transaction_timeout_ms (it sends its request
 * timeout, 5 s by default, which aborts any transaction open longer than that).
 */
export class TransactionalProducerImpl implements TransactionalProducer {
  readonly transactionalId: string;
  readonly #client: KafkaClientOptions;
  readonly #sender: RecordSender;
  readonly #guard = new CloseGuard('Kafka transactional producer');
  #transaction: Transaction | null = null;
  /**
   * The turns of the open transaction: sends and coordinator requests (AddPartitionsToTxn, AddOffsetsToTxn)
   * go one after the other, in call order. The coordinator answers a second request in flight with
   * CONCURRENT_TRANSACTIONS, and a send must not overtake an earlier one (the records of a partition stay
   * in call order). A send's turn ends once its requests are handed to the library, not when they are
   * acknowledged: produce requests pipeline (as Java's producer does), and only a send adding partitions
   * waits for the coordinator first. Never rejects.
   */
  #admission: Promise<unknown> = Promise.resolve();
  /** The partitions the open transaction holds (see TransactionPartitions). */
  #partitions: TransactionPartitions | undefined;
  #admin: Admin | null = null;
  readonly #coordinators = new Map<string, number>();
  /** The group instance id of the offsets being added (read by the TxnOffsetCommit override). */
  #groupInstanceId: string | null = null;
  /** Every offset being added, as TxnOffsetCommit's topics (read by the TxnOffsetCommit override). */
  #offsetTopics: TxnOffsetTopic[] | undefined;

  constructor(client: KafkaClientOptions, options: TransactionalProducerOptions) {
    this.transactionalId = options.transactionalId;
    this.#client = client;
    this.#sender = new RecordSender(
      client,
      {
        idempotent: true,
        transactionalId: options.transactionalId,
        ...(options.compression ? { compression: options.compression } : {}),
      },
      'txn-producer',
    );
    const timeout = options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS;
    // api(connection, transactionalId, transactionTimeoutMs, producerId, producerEpoch, callback)
    const timeoutSet = overrideApiArgument(this.#sender.lib, 'InitProducerId', 2, () => timeout);
    // api(connection, transactionalId, groupId, producerId, producerEpoch, generationId, memberId,
    //     groupInstanceId, topics, callback)
    const instanceSet = overrideApiArguments(this.#sender.lib, 'TxnOffsetCommit', (args) => {
      if (args.length <= 8) return;
      args[7] = this.#groupInstanceId;
      if (this.#offsetTopics !== undefined) args[8] = this.#offsetTopics;
    });
    if (!timeoutSet || !instanceSet) {
      throw new MillraceError(
        'MR_KAFKA_TRANSACTION',
        'this version of the Kafka client library does not let Millrace set the transaction timeout: use the version in package.json',
      );
    }
  }

  get closed(): boolean {
    return this.#guard.closed;
  }

  get inTransaction(): boolean {
    return this.#transaction !== null;
  }

  async beginTransaction(): Promise<void> {
    this.#guard.check();
    if (this.#transaction !== null) {
      throw new MillraceError(
        'MR_KAFKA_TRANSACTION',
        `transaction of "${this.transactionalId}" already open: commit or abort it first`,
      );
    }
    const transaction = await wrapKafka(
      'MR_KAFKA_TRANSACTION',
      `begin a transaction of "${this.transactionalId}"`,
      'check the broker (transaction.state.log) and that no other live producer uses this transactional id',
      () => this.#sender.lib.beginTransaction(),
    );
    this.#partitions = new TransactionPartitions(transaction);
    this.#transaction = transaction;
  }

  /**
   * Sends inside the open transaction. Safe to call again before an earlier send resolves: the partitions
   * of each send are added to the transaction in call order (see #admission), and the records of one
   * partition are produced in call order.
   */
  async send(records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    const transaction = this.#open('send');
    const partitions = this.#partitions!;
    // This send's turn: it adds its partitions and hands its requests to the library after every earlier
    // send and coordinator request, and the next one waits until it has.
    const turn = this.#admission;
    let release!: () => void;
    this.#admission = new Promise<void>((resolve) => (release = resolve));
    try {
      return await this.#sender.send(
        records,
        (messages) => {
          this.#checkNotFenced(transaction, 'produce records');
          return wrapKafka(
            'MR_KAFKA_PRODUCE',
            `produce records in transaction "${this.transactionalId}"`,
            'abort the transaction and retry it',
            () => transaction.send({ messages }),
          );
        },
        async (metadata, messages) => {
          await turn;
          this.#checkNotFenced(transaction, 'add partitions');
          const missing = partitions.missing(messages);
          if (missing.length === 0) return;
          await wrapKafka(
            'MR_KAFKA_PRODUCE',
            `add partitions to transaction "${this.transactionalId}"`,
            'abort the transaction and retry it',
            () => partitions.add(metadata, missing),
          );
        },
        release,
      );
    } finally {
      release();
    }
  }

  /** Runs `step` after every coordinator request queued before it (see #admission). */
  #admit<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#admission.then(step);
    this.#admission = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  }

  async addOffsetsGroupToTransaction(groupId: string): Promise<void> {
    const transaction = this.#open('addOffsetsGroupToTransaction');
    await wrapKafka(
      'MR_KAFKA_TRANSACTION',
      `add group "${groupId}" to transaction "${this.transactionalId}"`,
      'abort the transaction; if the producer was fenced, close its tasks and rejoin',
      async () => {
        // The library only reads `groupId` from the consumer it is given; it remembers the group for the
        // rest of the transaction, so sendOffsetsToTransaction's own addConsumer is then a no-op.
        await this.#admit(() => {
          this.#checkNotFenced(transaction, 'add offsets');
          return transaction.addConsumer({ groupId } as Consumer);
        });
      },
    );
  }

  async sendOffsetsToTransaction(
    offsets: readonly TopicPartitionOffset[],
    group: ConsumerGroupMetadata,
  ): Promise<void> {
    const transaction = this.#open('sendOffsetsToTransaction');
    if (offsets.length === 0) return;
    await wrapKafka(
      'MR_KAFKA_TRANSACTION',
      `add offsets of group "${group.groupId}" to transaction "${this.transactionalId}"`,
      'abort the transaction; if the consumer was fenced (rebalance), close its tasks and rejoin',
      async () => {
        this.#checkNotFenced(transaction, 'add offsets');
        const coordinatorId = await this.#groupCoordinator(group.groupId);
        this.#groupInstanceId = group.groupInstanceId;
        // The library only reads `groupId` from the consumer it is given (a no-op once the group is in).
        await this.#admit(() => transaction.addConsumer({ groupId: group.groupId } as Consumer));
        const first = offsets[0]!;
        const message = {
          topic: first.topic,
          partition: first.partition,
          offset: first.offset - 1n,
          metadata: {
            consumer: {
              groupId: group.groupId,
              generationId: group.generationId,
              memberId: group.memberId,
              coordinatorId,
            },
          },
        } as unknown as Message;
        this.#checkNotFenced(transaction, 'add offsets');
        this.#offsetTopics = txnOffsetTopics(offsets);
        try {
          await transaction.addOffset(message);
        } catch (error) {
          this.#coordinators.delete(group.groupId); // it may have moved
          throw error;
        } finally {
          this.#offsetTopics = undefined;
        }
      },
    );
  }

  async commitTransaction(): Promise<void> {
    const transaction = this.#open('commitTransaction');
    await this.#admission;
    this.#checkNotFenced(transaction, 'commit');
    await wrapKafka(
      'MR_KAFKA_TRANSACTION',
      `commit transaction "${this.transactionalId}"`,
      'abort it, then redo the work',
      () => transaction.commit(),
    );
    this.#transaction = null;
  }

  async abortTransaction(): Promise<void> {
    const transaction = this.#open('abortTransaction');
    await this.#admission;
    try {
      await wrapKafka(
        'MR_KAFKA_TRANSACTION',
        `abort transaction "${this.transactionalId}"`,
        'close this producer and create a new one',
        () => transaction.abort(),
      );
    } finally {
      this.#transaction = null;
    }
  }

  async close(): Promise<void> {
    if (!this.#guard.markClosed()) return;
    this.#transaction = null;
    await Promise.all([this.#sender.lib.close(true), this.#admin?.close()]);
  }

  #open(operation: string): Transaction {
    this.#guard.check();
    if (this.#transaction === null) {
      throw new MillraceError(
        'MR_KAFKA_TRANSACTION',
        `${operation} outside a transaction of "${this.transactionalId}": call beginTransaction() first`,
      );
    }
    return this.#transaction;
  }

  /**
   * After INVALID_PRODUCER_EPOCH the library forgets its transaction, and would then send the next records
   * of that (dead) transaction with a fresh NON-transactional producer id: visible at once to read_committed
   * readers, outside any transaction. So every step first checks that the library still holds ours, and
   * reports the fencing (so the caller aborts, closes this producer and starts a new one).
   */
  #checkNotFenced(transaction: Transaction, operation: string): void {
    if (this.#sender.lib.transaction === transaction) return;
    throw new MillraceError(
      'MR_KAFKA_TRANSACTION',
      `could not ${operation} in transaction "${this.transactionalId}": the producer was fenced (INVALID_PRODUCER_EPOCH) and the transaction is void. Abort it and use a new producer`,
      { details: { kafkaErrors: ['INVALID_PRODUCER_EPOCH'] } },
    );
  }

  async #groupCoordinator(groupId: string): Promise<number> {
    const cached = this.#coordinators.get(groupId);
    if (cached !== undefined) return cached;
    this.#admin ??= new Admin(baseOptions(this.#client, 'txn-admin'));
    const [found] = await this.#admin.findCoordinator({
      keyType: FindCoordinatorKeyTypes.GROUP,
      keys: [groupId],
    });
    if (found === undefined)
      throw new MillraceError(
        'MR_KAFKA_TRANSACTION',
        `no coordinator for group "${groupId}": check the broker`,
      );
    this.#coordinators.set(groupId, found.nodeId);
    return found.nodeId;
  }
}

/** A topic of a TxnOffsetCommit request, as the library's request writer takes it. */
interface TxnOffsetTopic {
  name: string;
  partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number }[];
}

/** The offsets by topic; no leader epoch (-1: the coordinator then does not check one). */
export function txnOffsetTopics(offsets: readonly TopicPartitionOffset[]): TxnOffsetTopic[] {
  const byTopic = new Map<string, TxnOffsetTopic>();
  for (const o of offsets) {
    let t = byTopic.get(o.topic);
    if (t === undefined) byTopic.set(o.topic, (t = { name: o.topic, partitions: [] }));
    t.partitions.push({ partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1 });
  }
  return [...byTopic.values()];
}

/**
 * The partitions of one transaction, kept by topic in arrays (no string per record). The library's
 * Transaction scans every message of every send for partitions it has not added, building a
 * `topic:partition` string per message; here the scan happens once, before the send (admission), and the
 * library's own check is replaced by a no-op on this Transaction instance: every send's partitions are
 * added (AddPartitionsToTxn) before its requests leave.
 */
class TransactionPartitions {
  readonly #byTopic = new Map<string, boolean[]>();
  /** The library's addPartitions, called for the partitions missing (one message per partition). */
  readonly #addToLibrary: (metadata: LibraryMetadata, messages: PartitionedMessages) => Promise<void>;

  constructor(transaction: Transaction) {
    const original = transaction.addPartitions.bind(transaction) as (
      metadata: LibraryMetadata,
      messages: PartitionedMessages,
    ) => Promise<void>;
    this.#addToLibrary = original;
    const skip = (_m: unknown, _messages: unknown, callback?: (error: Error | null) => void) => {
      if (callback) callback(null);
      else return Promise.resolve();
    };
    (transaction as unknown as { addPartitions: typeof skip }).addPartitions = skip;
  }

  /** One message per partition of `messages` the transaction does not hold yet (and not repeated). */
  missing(messages: readonly MessageToProduce[]): MessageToProduce[] {
    const out: MessageToProduce[] = [];
    let topic = '';
    let flags: boolean[] | undefined;
    let pending: Set<string> | undefined;
    for (const m of messages) {
      if (flags === undefined || m.topic !== topic) {
        topic = m.topic;
        flags = this.#byTopic.get(topic);
        if (flags === undefined) this.#byTopic.set(topic, (flags = []));
      }
      const partition = m.partition!;
      if (flags[partition] === true) continue;
      const key = `${topic}\0${partition}`;
      pending ??= new Set();
      if (pending.has(key)) continue;
      pending.add(key);
      out.push(m);
    }
    return out;
  }

  /** Adds the partitions of `messages` (from {@link missing}) to the transaction. */
  async add(metadata: LibraryMetadata, messages: MessageToProduce[]): Promise<void> {
    const todo = messages.filter((m) => this.#byTopic.get(m.topic)?.[m.partition!] !== true);
    if (todo.length === 0) return;
    await this.#addToLibrary(metadata, todo as unknown as PartitionedMessages);
    for (const m of todo) this.#byTopic.get(m.topic)![m.partition!] = true;
  }
}
