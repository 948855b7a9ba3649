import type {
  KafkaProducer,
  ProducerRecord,
  RecordMetadata,
  TransactionalProducer,
} from '../../kafka/index.ts';

/** What a {@link TransactionSender} reads from its stream thread at each use. */
export interface TransactionSenderOptions {
  /** The thread's current producer (replaced when a task migration aborts the transaction). */
  readonly producer: () => KafkaProducer;
  /** The group whose offsets the transactions commit. */
  readonly groupId: () => string;
}

/**
 * The exactly-once send path of a stream thread: one transaction open at a time on the current producer,
 * and one produce request at a time inside it (the library adds partitions to the transaction per request,
 * and concurrent requests race on it: TRANSACTION_ABORTABLE). After a transaction's first send, still in
 * the chain (never beside a send adding partitions: the coordinator answers CONCURRENT_TRANSACTIONS), the
 * consumer group joins the transaction (AddOffsetsToTxn), so the commit only has to send the offsets.
 *
 * A send is bound to the producer of its transaction: one still queued when that producer is replaced (task
 * migration) belongs to the aborted transaction and must not open one on the new producer.
 */
export class TransactionSender {
  readonly #o: TransactionSenderOptions;
  #txnBegin: Promise<void> | undefined;
  #txnProducer: KafkaProducer | undefined;
  /** The transaction (its begin promise) the consumer group was added to. */
  #groupAddedIn: Promise<void> | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(options: TransactionSenderOptions) {
    this.#o = options;
  }

  /** Opens a transaction on the current producer unless one is open; resolves when it is. */
  begin(): Promise<void> {
    const producer = this.#o.producer() as TransactionalProducer;
    if (this.#txnProducer !== producer) this.#txnBegin = undefined;
    this.#txnProducer = producer;
    this.#txnBegin ??= producer.beginTransaction();
    return this.#txnBegin;
  }

  /** Sends inside the open (or a new) transaction, after every earlier send of this thread. */
  send(records: ProducerRecord[]): Promise<RecordMetadata[]> {
    const producer = this.#o.producer();
    const next = this.#chain.then(async () => {
      if (producer !== this.#o.producer()) throw new Error('dropped: its transaction was aborted');
      const txn = this.begin();
      await txn;
      const metadata = await producer.send(records);
      if (this.#groupAddedIn !== txn && txn === this.#txnBegin) {
        await (producer as TransactionalProducer).addOffsetsGroupToTransaction(this.#o.groupId());
        this.#groupAddedIn = txn;
      }
      return metadata;
    });
    this.#chain = next.catch(() => undefined);
    return next;
  }

  /** True when the open transaction already holds the group: its offsets may go while the output flushes. */
  get groupInTransaction(): boolean {
    return this.#txnBegin !== undefined && this.#groupAddedIn === this.#txnBegin;
  }

  /** The open transaction committed: the next send opens another. */
  committed(): void {
    this.#txnBegin = undefined;
  }

  /** Forgets the transaction and waits for queued sends (they fail: their producer was replaced). */
  async drain(): Promise<void> {
    this.#txnBegin = undefined;
    await this.#chain;
    this.#chain = Promise.resolve();
  }

  /** Forgets the transaction and the queue at once (partitions lost). */
  reset(): void {
    this.#txnBegin = undefined;
    this.#chain = Promise.resolve();
  }
}
