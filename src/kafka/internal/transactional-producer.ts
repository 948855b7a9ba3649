import {
  Admin,
  FindCoordinatorKeyTypes,
  type Consumer,
  type Message,
  type Producer,
} from '@platformatic/kafka';
import { MillraceError } from '../../errors/index.ts';
import type {
  ConsumerGroupMetadata,
  KafkaClientOptions,
  OffsetAndMetadata,
  ProducerRecord,
  RecordMetadata,
  TransactionalProducer,
  TransactionalProducerOptions,
} from '../types.ts';
import { overrideApiArgument, overrideApiArguments } from './api-override.ts';
import { baseOptions } from './base-options.ts';
import { CloseGuard, wrapKafka } from './errors.ts';
import { RecordSender } from './producer.ts';

/** The library's Transaction (not exported by name). */
type Transaction = Awaited<ReturnType<Producer['beginTransaction']>>;

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
 * FENCED_INSTANCE_ID) and topics (above, with each offset's metadata, where the runtime keeps its stream
 * time), and InitProducerId's transaction_timeout_ms (it sends its request
 * timeout, 5 s by default, which aborts any transaction open longer than that).
 */
export class TransactionalProducerImpl implements TransactionalProducer {
  readonly transactionalId: string;
  readonly #client: KafkaClientOptions;
  readonly #sender: RecordSender;
  readonly #guard = new CloseGuard('Kafka transactional producer');
  #transaction: Transaction | null = null;
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
    this.#transaction = await wrapKafka(
      'MR_KAFKA_TRANSACTION',
      `begin a transaction of "${this.transactionalId}"`,
      'check the broker (transaction.state.log) and that no other live producer uses this transactional id',
      () => this.#sender.lib.beginTransaction(),
    );
  }

  async send(records: readonly ProducerRecord[]): Promise<RecordMetadata[]> {
    const transaction = this.#open('send');
    return this.#sender.send(records, (messages) => {
      this.#checkNotFenced(transaction, 'produce records');
      return wrapKafka(
        'MR_KAFKA_PRODUCE',
        `produce records in transaction "${this.transactionalId}"`,
        'abort the transaction and retry it',
        () => transaction.send({ messages }),
      );
    });
  }

  async addOffsetsGroupToTransaction(groupId: string): Promise<void> {
    const transaction = this.#open('addOffsetsGroupToTransaction');
    await wrapKafka(
      'MR_KAFKA_TRANSACTION',
      `add group "${groupId}" to transaction "${this.transactionalId}"`,
      'abort the transaction; if the producer was fenced, close its tasks and rejoin',
      async () => {
        this.#checkNotFenced(transaction, 'add offsets');
        // The library only reads `groupId` from the consumer it is given; it remembers the group for the
        // rest of the transaction, so sendOffsetsToTransaction's own addConsumer is then a no-op.
        await transaction.addConsumer({ groupId } as Consumer);
      },
    );
  }

  async sendOffsetsToTransaction(
    offsets: readonly OffsetAndMetadata[],
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
        // The library only reads `groupId` from the consumer it is given.
        await transaction.addConsumer({ groupId: group.groupId } as Consumer);
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
  partitions: {
    partitionIndex: number;
    committedOffset: bigint;
    committedLeaderEpoch: number;
    committedMetadata: string | null;
  }[];
}

/**
 * The offsets by topic, each with its metadata (none: null, which clears what was stored); no leader epoch
 * (-1: the coordinator then does not check one).
 */
export function txnOffsetTopics(offsets: readonly OffsetAndMetadata[]): TxnOffsetTopic[] {
  const byTopic = new Map<string, TxnOffsetTopic>();
  for (const o of offsets) {
    let t = byTopic.get(o.topic);
    if (t === undefined) byTopic.set(o.topic, (t = { name: o.topic, partitions: [] }));
    t.partitions.push({
      partitionIndex: o.partition,
      committedOffset: o.offset,
      committedLeaderEpoch: -1,
      committedMetadata: o.metadata ?? null,
    });
  }
  return [...byTopic.values()];
}
