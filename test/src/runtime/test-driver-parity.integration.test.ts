import { describe, expect, it } from 'vitest';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../src/test-driver/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { eventually, produceStrings, readTopic } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const STOP_WORDS = new Set(['the', 'a', 'of']);

/** Word count with a key change (groupBy → repartition topic), a stop-word filter and an upper-case map. */
function wordCount(input: string, output: string) {
  const str = stringSerde();
  const b = createStreamsBuilder();
  b.stream<string, string>(input, { keySerde: str, valueSerde: str })
    .flatMapValues((line) => line.toLowerCase().split(/\s+/).filter(Boolean))
    .filterNot((_k, w) => STOP_WORDS.has(w))
    .groupBy((_k, w) => w, { keySerde: str, valueSerde: str })
    // Without the record cache: the broker would emit each word once per commit, the driver (which flushes
    // after every record, as Kafka Streams' does) once per record; with it off both emit every update.
    .count({ storeName: 'word-counts', cachingEnabled: false })
    .toStream()
    .to(output, { keySerde: str, valueSerde: longSerde() });
  return b.build();
}

const VOCABULARY = ['the', 'a', 'of', 'heart', 'rate', 'dose', 'Ward', 'bed', 'nurse', 'scan', 'ECG', 'lab'];

function lines(n: number): { key: string; value: string }[] {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => ({
    key: `line-${i}`,
    value: Array.from(
      { length: 1 + Math.floor(rnd() * 8) },
      () => VOCABULARY[Math.floor(rnd() * VOCABULARY.length)],
    ).join(rnd() < 0.2 ? '  ' : ' '),
  }));
}

/** key → values in the order they came, sorted for a multiset comparison. */
function perKey(records: readonly { key: string; value: number }[]): Map<string, number[]> {
  const m = new Map<string, number[]>();
  for (const r of records) m.set(r.key, [...(m.get(r.key) ?? []), r.value]);
  return m;
}

describe('TopologyTestDriver and the broker agree', () => {
  const t = useTestApps('parity');
  const kafka = t.kafka;

  it('on a word count with a repartition: same final counts, same output records per key', async () => {
    const { input, output, appId } = await t.newRun('parity');
    const data = lines(4000);

    // The oracle, computed directly from the lines.
    const oracle = new Map<string, number>();
    for (const { value } of data)
      for (const w of value.toLowerCase().split(/\s+/).filter(Boolean))
        if (!STOP_WORDS.has(w)) oracle.set(w, (oracle.get(w) ?? 0) + 1);

    // The driver (one partition per topic, in memory).
    const driver = createTopologyTestDriver(wordCount(input, output));
    const driverIn = driver.createInputTopic(input, stringSerde(), stringSerde());
    const driverOut = driver.createOutputTopic(output, stringSerde(), longSerde());
    for (const { key, value } of data) await driverIn.pipeInput(key, value);
    const driverRecords = driverOut
      .readKeyValuesToList()
      .map((kv) => ({ key: kv.key!, value: Number(kv.value) }));
    driver.close();

    // The broker (6 partitions, a real repartition topic, exactly-once).
    await produceStrings(kafka, input, data);
    const app = await t.start(
      wordCount(input, output),
      appConfig(appId, t.dirs[0]!, { 'processing.guarantee': 'exactly_once_v2' }),
    );
    try {
      await app.waitUntilRunning(60_000);
      // The key change really goes through a repartition topic: two sub-topologies, 12 tasks.
      expect(app.compiled!.subtopologies.length).toBe(2);
      expect(app.runningTaskIds().length).toBe(12);
      const store = app.store<string, number>('word-counts');
      expect(await eventually(() => [...oracle].every(([w, n]) => store.get(w) === n), 60_000)).toBe(true);
    } finally {
      await app.close();
    }
    const brokerRecords = (await readTopic(kafka, output, 'read_committed')).map((r) => ({
      key: r.key!.toString(),
      value: Number(r.value!.readBigInt64BE()),
    }));

    const driverByKey = perKey(driverRecords);
    const brokerByKey = perKey(brokerRecords);
    expect(new Map([...driverByKey].map(([k, v]) => [k, v.at(-1)]))).toEqual(oracle);
    expect(new Map([...brokerByKey].map(([k, v]) => [k, v.at(-1)]))).toEqual(oracle);
    // One partition per key on both sides: each key's sequence is in order, so compare it as is.
    expect(brokerByKey).toEqual(driverByKey);
    expect(brokerRecords.length).toBe(driverRecords.length);
  });
});
