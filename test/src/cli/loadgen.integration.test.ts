import { afterAll, describe, expect, it } from 'vitest';
import { RANDOM_GENERATOR } from '../../../src/cli/load-generator.ts';
import { runLoadgen } from '../../../src/cli/loadgen.ts';
import { createTopics, readTopic, testKafka, uniqueName } from '../../helpers/kafka.ts';

describe('loadgen', () => {
  const kafka = testKafka();
  afterAll(() => kafka.close());

  it('produces N keyed JSON records, the same ones for the same seed, reporting progress', async () => {
    const topics = [uniqueName('loadgen'), uniqueName('loadgen')];
    await createTopics(kafka, topics, 3);
    const lines: string[] = [];
    for (const topic of topics)
      await runLoadgen({
        kafka,
        generator: RANDOM_GENERATOR,
        topic,
        count: 2500,
        rate: 0,
        keys: 50,
        seed: 7,
        log: (m) => lines.push(m),
      });
    const [a, b] = await Promise.all(topics.map((t) => readTopic(kafka, t)));
    expect(a).toHaveLength(2500);
    const keys = new Set(a!.map((r) => r.key!.toString()));
    expect([...keys].every((k) => /^key-([0-9]|[1-4][0-9])$/.test(k))).toBe(true);
    expect(new Set(a!.map((r) => (JSON.parse(r.value!.toString()) as { seq: number }).seq)).size).toBe(2500);
    const byKey = (rs: typeof a) => rs!.map((r) => `${r.key}:${r.value}`).sort();
    expect(byKey(b)).toEqual(byKey(a));
    expect(lines.at(-1)).toMatch(/2500\/2500 \(100%\)/);
  });
});
