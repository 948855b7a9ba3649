import type { KeyValue } from '../../../state/types.ts';
import { MillraceError } from '../../errors/index.ts';
import type { Headers } from '../../processor/record.ts';
import type { Serde } from '../../serdes/serde.ts';
import type { TestInputRecord, TestInputTopic, TestOutputTopic, TestRecord } from '../test-topics.ts';

/** A serialized record as the driver moves it. */
export interface RawRecord {
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number;
  readonly headers: Headers;
}

/** The implementation of {@link TestInputTopic}. */
export class InputTopic<K, V> implements TestInputTopic<K, V> {
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;
  readonly #autoAdvance: number;
  readonly #pipe: (r: RawRecord) => Promise<void>;
  #time: number;

  constructor(
    keySerde: Serde<K>,
    valueSerde: Serde<V>,
    start: number,
    autoAdvance: number,
    pipe: (r: RawRecord) => Promise<void>,
  ) {
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
    this.#time = start;
    this.#autoAdvance = autoAdvance;
    this.#pipe = pipe;
  }

  pipeInput(key: K | null, value: V | null, timestampMs?: number): Promise<void> {
    return this.#one({ key, value, timestamp: timestampMs });
  }

  pipeValue(value: V | null, timestampMs?: number): Promise<void> {
    return this.#one({ key: null, value, timestamp: timestampMs });
  }

  pipeRecordList(records: readonly TestInputRecord<K, V>[]): Promise<void> {
    let last: Promise<void> = Promise.resolve();
    for (const r of records) last = this.#one(r);
    return last;
  }

  pipeKeyValueList(records: readonly KeyValue<K | null, V | null>[]): Promise<void> {
    return this.pipeRecordList(records.map((r) => ({ key: r.key, value: r.value })));
  }

  advanceTime(ms: number): void {
    this.#time += ms;
  }

  #one(r: TestInputRecord<K, V>): Promise<void> {
    let timestamp = r.timestamp;
    if (timestamp === undefined) {
      timestamp = this.#time;
      this.#time += this.#autoAdvance;
    }
    return this.#pipe({
      key: r.key === null ? null : this.#keySerde.serialize(r.key),
      value: r.value === null ? null : this.#valueSerde.serialize(r.value),
      timestamp,
      headers: r.headers ?? [],
    });
  }
}

/** The implementation of {@link TestOutputTopic}: a view over the driver's captured records. */
export class OutputTopic<K, V> implements TestOutputTopic<K, V> {
  readonly #topic: string;
  readonly #keySerde: Serde<K>;
  readonly #valueSerde: Serde<V>;
  readonly #records: RawRecord[];

  constructor(topic: string, keySerde: Serde<K>, valueSerde: Serde<V>, records: RawRecord[]) {
    this.#topic = topic;
    this.#keySerde = keySerde;
    this.#valueSerde = valueSerde;
    this.#records = records;
  }

  readRecord(): TestRecord<K, V> {
    const r = this.#records.shift();
    if (r === undefined)
      throw new MillraceError(
        'MR_TEST_DRIVER',
        `output topic "${this.#topic}" is empty: check isEmpty() before reading`,
      );
    return {
      key: r.key === null ? null : this.#keySerde.deserialize(r.key),
      value: r.value === null ? null : this.#valueSerde.deserialize(r.value),
      timestamp: r.timestamp,
      headers: r.headers,
    };
  }

  readKeyValue(): KeyValue<K | null, V | null> {
    const r = this.readRecord();
    return { key: r.key, value: r.value };
  }

  readValue(): V | null {
    return this.readRecord().value;
  }

  readRecordsToList(): TestRecord<K, V>[] {
    const out: TestRecord<K, V>[] = [];
    while (!this.isEmpty()) out.push(this.readRecord());
    return out;
  }

  readKeyValuesToList(): KeyValue<K | null, V | null>[] {
    return this.readRecordsToList().map((r) => ({ key: r.key, value: r.value }));
  }

  readKeyValuesToMap(): Map<K, V> {
    const map = new Map<K, V>();
    for (const r of this.readRecordsToList()) {
      if (r.key === null)
        throw new MillraceError(
          'MR_TEST_DRIVER',
          `output topic "${this.#topic}" has a null key: read it with readKeyValuesToList()`,
        );
      if (r.value === null) map.delete(r.key);
      else map.set(r.key, r.value);
    }
    return map;
  }

  isEmpty(): boolean {
    return this.#records.length === 0;
  }

  getQueueSize(): number {
    return this.#records.length;
  }
}
