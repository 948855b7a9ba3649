import { describe, expect, it } from 'vitest';
import type { ProducerRecord } from '../../../src/kafka/index.ts';
import { jsonSchemaSerde, longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { countSequences, sequenceProblems } from '../../fixtures/runtime/count-oracle.ts';
import { eventually, readTopic } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

interface Dose {
  patient: string;
  amount: number;
}

const doseSchema = {
  type: 'object',
  required: ['patient', 'amount'],
  properties: { patient: { type: 'string' }, amount: { type: 'number' } },
};

/** Counts doses per key; a dose over 1000 units is refused by the processor. */
function doseCounts(input: string, output: string) {
  const b = createStreamsBuilder();
  b.stream<string, Dose>(input, { keySerde: stringSerde(), valueSerde: jsonSchemaSerde<Dose>(doseSchema) })
    .mapValues((d) => {
      if (d.amount > 1000) throw new RangeError(`dose of ${d.amount} units is over the 1000-unit limit`);
      return d;
    })
    .groupByKey()
    .count({ storeName: 'counts', cachingEnabled: false }) // every update forwarded: the oracle checks 1..n
    .toStream()
    .to(output, { valueSerde: longSerde() });
  return b.build();
}

interface Bad {
  key: string;
  value: string;
  stage: 'deserialization' | 'processing';
  message: RegExp;
}

describe('malformed input goes to the dead-letter topic', () => {
  const t = useTestApps('dlq');
  const kafka = t.kafka;

  it('with the reason in headers, counted, while the good records are processed', async () => {
    const { input, output, appId } = await t.newRun('dlq', 3);

    const bad: Bad[] = [
      {
        key: 'p-1',
        value: '{"patient": "p-1", "amount": ',
        stage: 'deserialization',
        message: /JSON|Unexpected|Expected/i,
      },
      {
        key: 'p-2',
        value: '{"patient": 7, "amount": "ten"}',
        stage: 'deserialization',
        message: /JSON schema/,
      },
      { key: 'p-3', value: '{"amount": 3}', stage: 'deserialization', message: /patient/ },
      {
        key: 'p-4',
        value: '{"patient": "p-4", "amount": 5000}',
        stage: 'processing',
        message: /1000-unit limit/,
      },
      {
        key: `p-${'x'.repeat(3000)}`,
        value: '{"patient": "p-long", "amount": 1}',
        stage: 'processing',
        message: /3002 bytes is not allowed/,
      },
    ];
    const oracle = new Map<string, number>();
    const records: ProducerRecord[] = [];
    const badAt: number[] = [];
    for (let i = 0; i < 3000; i++) {
      if (i % 600 === 300) {
        const b = bad[badAt.length]!;
        badAt.push(records.length);
        records.push({ topic: input, key: Buffer.from(b.key), value: Buffer.from(b.value) });
      }
      const key = `p-${i % 40}`;
      oracle.set(key, (oracle.get(key) ?? 0) + 1);
      records.push({
        topic: input,
        key: Buffer.from(key),
        value: Buffer.from(JSON.stringify({ patient: key, amount: i % 900 })),
      });
    }
    expect(badAt.length).toBe(bad.length);
    const producer = kafka.producer();
    const metadata = await producer.send(records);
    await producer.close();

    const app = await t.start(
      doseCounts(input, output),
      appConfig(appId, t.dirs[0]!, { 'processing.guarantee': 'exactly_once_v2' }),
    );
    try {
      await app.waitUntilRunning(60_000);
      const store = app.store<string, number>('counts');
      expect(await eventually(() => [...oracle].every(([k, n]) => store.get(k) === n), 60_000)).toBe(true);
      expect(await eventually(() => app.metrics.deadLettered.processing === 2, 10_000)).toBe(true);
      expect(app.metrics.deadLettered).toEqual({ deserialization: 3, processing: 2 });
      expect(app.state).toBe('RUNNING');
    } finally {
      await app.close();
    }

    const header = (r: { headers: readonly (readonly [string, Buffer])[] }, name: string) =>
      r.headers.find(([k]) => k === name)?.[1].toString();
    const dlq = await readTopic(kafka, `${input}.dlq`, 'read_committed');
    expect(dlq.length).toBe(bad.length);
    for (const [i, b] of bad.entries()) {
      const source = metadata[badAt[i]!]!;
      const r = dlq.find((d) => d.key?.toString() === b.key);
      expect(r, b.key.slice(0, 10)).toBeDefined();
      expect(r!.value!.toString()).toBe(b.value);
      expect(header(r!, 'millrace.error.stage')).toBe(b.stage);
      expect(header(r!, 'millrace.error.code')).toMatch(/^MR_[A-Z_]+$/);
      if (b.stage === 'deserialization') expect(header(r!, 'millrace.error.code')).toBe('MR_SERDE');
      expect(header(r!, 'millrace.error.message')).toMatch(b.message);
      expect(header(r!, 'millrace.source.topic')).toBe(input);
      expect(header(r!, 'millrace.source.partition')).toBe(String(source.partition));
      expect(header(r!, 'millrace.source.offset')).toBe(String(source.offset));
    }

    // The output holds only the good records' counts: per key exactly 1..n.
    const out = await readTopic(kafka, output, 'read_committed');
    expect(sequenceProblems(countSequences(out), oracle)).toEqual([]);
  });
});
