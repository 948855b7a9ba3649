import { beforeAll, describe, expect, it } from 'vitest';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import { createTopics, eventually, produceStrings, readTopic, uniqueName } from '../../helpers/kafka.ts';
import { appConfig, useTestApps } from '../../helpers/test-apps.ts';

const str = stringSerde();

function countTopology(input: string, output: string) {
  const b = createStreamsBuilder();
  b.stream<string, string>(input, { keySerde: str, valueSerde: str })
    .groupByKey()
    .count({ storeName: 'counts' })
    .toStream()
    .to(output, { valueSerde: longSerde() });
  return b.build();
}

const N = Number(process.env.MILLRACE_COUNT_RECORDS ?? 100_000);
const KEYS = 5_000;

describe.each(['at_least_once', 'exactly_once_v2'] as const)('count by key under %s', (guarantee) => {
  const t = useTestApps('count');
  const kafka = t.kafka;
  const input = uniqueName('count-in');
  const output = uniqueName('count-out');
  const oracle = new Map<string, number>();

  beforeAll(async () => {
    await createTopics(kafka, [input, output], 6);
    const records = Array.from({ length: N }, (_, i) => {
      const key = `k${(i * 7919) % KEYS}`;
      oracle.set(key, (oracle.get(key) ?? 0) + 1);
      return { key, value: `v${i}` };
    });
    await produceStrings(kafka, input, records);
  });

  it(`counts ${N} keyed records on 6 partitions exactly as the oracle does`, async () => {
    const app = await t.start(
      countTopology(input, output),
      appConfig(uniqueName('count-app'), t.dirs[0]!, {
        'processing.guarantee': guarantee,
        'commit.interval.ms': 500,
      }),
    );
    await app.waitUntilRunning(60_000);
    const store = app.store<string, number>('counts');
    const matches = () => [...oracle].every(([k, n]) => store.get(k) === n);
    expect(await eventually(matches, 90_000)).toBe(true);
    await app.close();

    // The output topic's last value per key is the final count (read_committed: only committed results).
    const last = new Map<string, number>();
    for (const r of await readTopic(kafka, output))
      last.set(r.key!.toString(), Number(r.value!.readBigInt64BE()));
    expect(last).toEqual(oracle);
  });
});
