import { Buffer } from 'node:buffer';
import type { ProducerRecord, RecordMetadata } from '../../kafka/index.ts';
import type { Headers } from '../../processor/index.ts';

/** Why a record is produced: its metadata tells the committer which changelog offsets to checkpoint. */
export type OutputKind = 'sink' | 'changelog' | 'dlq';

interface Pending {
  records: ProducerRecord[];
  kinds: OutputKind[];
  taskIds: string[];
}

/** The changelog position a produced changelog record gives its task: `<topic>:<partition>` → next offset. */
export type ChangelogPositions = Map<string, Map<string, bigint>>;

/**
 * Collects what one stream thread's tasks produce — sink records, changelog records, dead letters — and
 * sends them to Kafka in batches. `sendPending()` starts a send without waiting (pipelining with
 * processing); `flush()` waits for every send and returns, per task, the end offsets of the changelog
 * partitions it wrote, which the task checkpoints with its state.
 */
export class OutputCollector {
  #pending: Pending = { records: [], kinds: [], taskIds: [] };
  #inFlight: Promise<void>[] = [];
  /** taskId → changelog topic → next offset by partition (built into {@link ChangelogPositions} on flush). */
  #positions = new Map<string, Map<string, bigint[]>>();
  #error: unknown;
  /** Bumped by reset(): sends of an earlier generation (an aborted transaction) no longer count. */
  #generation = 0;
  readonly #send: (records: ProducerRecord[]) => Promise<RecordMetadata[]>;
  readonly #batchSize: number;

  constructor(send: (records: ProducerRecord[]) => Promise<RecordMetadata[]>, batchSize = 5000) {
    this.#send = send;
    this.#batchSize = batchSize;
  }

  add(taskId: string, kind: OutputKind, record: ProducerRecord): void {
    this.#pending.records.push(record);
    this.#pending.kinds.push(kind);
    this.#pending.taskIds.push(taskId);
    if (this.#pending.records.length >= this.#batchSize) this.sendPending();
  }

  get pendingCount(): number {
    return this.#pending.records.length;
  }

  /** Starts sending what is buffered. A failure surfaces in the next `flush()`. */
  sendPending(): void {
    const batch = this.#pending;
    if (batch.records.length === 0) return;
    this.#pending = { records: [], kinds: [], taskIds: [] };
    const generation = this.#generation;
    const p = this.#send(batch.records).then(
      (metadata) => {
        if (generation !== this.#generation) return;
        // Per record: two map lookups by interned strings and an array slot (no key strings built).
        let taskId = '';
        let task: Map<string, bigint[]> | undefined;
        for (let i = 0; i < metadata.length; i++) {
          if (batch.kinds[i] !== 'changelog') continue;
          const m = metadata[i]!;
          if (task === undefined || batch.taskIds[i] !== taskId) {
            taskId = batch.taskIds[i]!;
            task = this.#positions.get(taskId);
            if (task === undefined) this.#positions.set(taskId, (task = new Map()));
          }
          let byPartition = task.get(m.topic);
          if (byPartition === undefined) task.set(m.topic, (byPartition = []));
          const next = m.offset + 1n;
          if ((byPartition[m.partition] ?? -1n) < next) byPartition[m.partition] = next;
        }
      },
      (err: unknown) => {
        if (generation === this.#generation) this.#error ??= err;
      },
    );
    this.#inFlight.push(p);
  }

  /** Sends the rest, waits for every send; throws the first failure. Returns and resets changelog positions. */
  async flush(): Promise<ChangelogPositions> {
    this.sendPending();
    const inFlight = this.#inFlight;
    this.#inFlight = [];
    await Promise.all(inFlight);
    if (this.#error !== undefined) {
      const err = this.#error;
      this.#error = undefined;
      throw err;
    }
    const out: ChangelogPositions = new Map();
    for (const [taskId, topics] of this.#positions) {
      const task = new Map<string, bigint>();
      for (const [topic, byPartition] of topics) {
        byPartition.forEach((next, partition) => task.set(`${topic}:${partition}`, next));
      }
      out.set(taskId, task);
    }
    this.#positions = new Map();
    return out;
  }

  /** Drops what is buffered and forgets positions (the transaction aborted; the tasks are rebuilt). */
  reset(): void {
    this.#generation++;
    this.#inFlight = [];
    this.#pending = { records: [], kinds: [], taskIds: [] };
    this.#positions = new Map();
    this.#error = undefined;
  }
}

const NO_HEADERS: NonNullable<ProducerRecord['headers']> = Object.freeze([]);

/** Converts a processor-side record for the Kafka producer. */
export function toProducerRecord(
  topic: string,
  key: Uint8Array | null,
  value: Uint8Array | null,
  timestamp: number,
  headers: Headers,
  partition?: number,
): ProducerRecord {
  return {
    topic,
    key: key === null ? null : toBuffer(key),
    value: value === null ? null : toBuffer(value),
    timestamp: BigInt(Math.trunc(timestamp)),
    headers:
      headers.length === 0
        ? NO_HEADERS
        : headers.map((h) => [h.key, h.value === null ? Buffer.alloc(0) : toBuffer(h.value)] as const),
    ...(partition !== undefined ? { partition } : {}),
  };
}

function toBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
