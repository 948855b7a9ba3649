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
 * The exactly-once send path of a stream thread: one transaction open at a time on the current producer.
 * Sends are pipelined: each one waits for the transaction to be open, then its requests leave while
 * earlier ones are still in flight (the producer adds each send's partitions to the transaction in call
 * order, see TransactionalProducer.send). With a transaction's first send, the consumer group joins the
 * transaction (AddOffsetsToTxn, queued by the producer behind that send's partitions), so the commit only
 * has to send the offsets.
 *
 * A send is bound to the producer of its transaction: one still waiting when that producer is replaced
 * (task migration) belongs to the aborted transaction and must not open one on the new producer.
 */
export class TransactionSender {
  readonly #o: TransactionSenderOptions;
  #txnBegin: Promise<void> | undefined;
  #txnProducer: KafkaProducer | undefined;
  /** The transaction (its begin promise) the consumer group was added to. */
  #groupAddedIn: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();

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

  /** Sends inside the open (or a new) transaction; records of one partition leave in call order. */
  send(records: ProducerRecord[]): Promise<RecordMetadata[]> {
    const producer = this.#o.producer() as TransactionalProducer;
    const txn = this.begin();
    const next = txn.then(() => {
      if (producer !== this.#o.producer()) throw new Error('dropped: its transaction was aborted');
      const sent = producer.send(records);
      if (this.#groupAddedIn === txn) return sent;
      this.#groupAddedIn = txn;
      const groupAdded = producer.addOffsetsGroupToTransaction(this.#o.groupId());
      return Promise.all([sent, groupAdded]).then(([metadata]) => metadata);
    });
    const tracked = next.catch(() => undefined);
    this.#inFlight.add(tracked);
    void tracked.then(() => this.#inFlight.delete(tracked));
    return next;
  }

  /** True when the open transaction holds (or is adding) the group: its offsets may go while the output flushes. */
  get groupInTransaction(): boolean {
    return this.#txnBegin !== undefined && this.#groupAddedIn === this.#txnBegin;
  }

  /** The open transaction committed: the next send opens another. */
  committed(): void {
    this.#txnBegin = undefined;
  }

  /** Forgets the transaction and waits for the sends in flight (those of a replaced producer fail). */
  async drain(): Promise<void> {
    this.#txnBegin = undefined;
    await Promise.all([...this.#inFlight]);
  }

  /** Forgets the transaction and the sends in flight at once (partitions lost). */
  reset(): void {
    this.#txnBegin = undefined;
    this.#inFlight.clear();
  }
}
