import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKafkaClient,
  partitionFor,
  type ConsumedRecord,
  type KafkaClient,
} from '../../../src/kafka/index.ts';
import { bootstrapServers, uniqueName } from '../../helpers/kafka.ts';

const execFileAsync = promisify(execFile);
const KEYS = 10_000;
const PARTITIONS = 7;

/** Keys of varied lengths (every murmur2 tail length) and some non-ASCII ones. */
function keyOf(i: number): string {
  return i % 10 === 0 ? `patiënt-${i}-ü` : `key-${i}${'x'.repeat(i % 5)}`;
}

/** Produces `key:value` lines with kcat using librdkafka's Java-compatible murmur2 partitioner. */
async function kcatProduce(topic: string, lines: string[]): Promise<void> {
  const brokers = bootstrapServers().join(',');
  const child = spawn(
    'kcat',
    ['-P', '-b', brokers, '-t', topic, '-K', ':', '-X', 'topic.partitioner=murmur2_random'],
    {
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(lines.join('\n') + '\n');
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`kcat -P exited with ${code}: ${stderr}`);
}

describe('Java-compatible murmur2 partitioning, checked against kcat (real broker)', () => {
  let kafka: KafkaClient;

  beforeAll(() => {
    kafka = createKafkaClient({
      bootstrapServers: bootstrapServers(),
      clientId: uniqueName('partitioning-test'),
    });
  });
  afterAll(async () => {
    await kafka.close();
  });

  it(`reads ${KEYS} kcat-produced keys on the partition partitionFor() gives`, async () => {
    const topic = uniqueName('kcat-in');
    await kafka.admin().createTopics([{ name: topic, partitions: PARTITIONS, replicationFactor: 1 }]);
    await kcatProduce(
      topic,
      Array.from({ length: KEYS }, (_, i) => `${keyOf(i)}:v${i}`),
    );

    const reader = kafka.partitionReader();
    reader.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition, offset: 0n })));
    const records: ConsumedRecord[] = [];
    const deadline = Date.now() + 20_000;
    while (records.length < KEYS && Date.now() < deadline) records.push(...(await reader.poll(500)));

    expect(records).toHaveLength(KEYS);
    const used = new Set<number>();
    let mismatches = 0;
    for (const r of records) {
      used.add(r.partition);
      if (r.partition !== partitionFor(r.key!, PARTITIONS)) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(used.size).toBe(PARTITIONS); // the keys spread, so a constant partitioner would fail
    expect(new Set(records.map((r) => r.key!.toString())).size).toBe(KEYS);
  });

  it(`puts ${KEYS} keys where kcat (librdkafka) reads them back`, async () => {
    const topic = uniqueName('kcat-out');
    await kafka.admin().createTopics([{ name: topic, partitions: PARTITIONS, replicationFactor: 1 }]);
    const producer = kafka.producer();
    const metas = await producer.send(
      Array.from({ length: KEYS }, (_, i) => ({
        topic,
        key: Buffer.from(keyOf(i)),
        value: Buffer.from(`v${i}`),
      })),
    );
    expect(metas.every((m, i) => m.partition === partitionFor(Buffer.from(keyOf(i)), PARTITIONS))).toBe(true);

    const { stdout } = await execFileAsync(
      'kcat',
      ['-C', '-b', bootstrapServers().join(','), '-t', topic, '-e', '-q', '-f', '%k %p %o\\n'],
      { maxBuffer: 16 * 1024 * 1024, timeout: 20_000 },
    );
    const seen = new Map<string, [number, bigint]>();
    for (const line of stdout.split('\n').filter((l) => l !== '')) {
      const [key, partition, offset] = line.split(' ');
      seen.set(key!, [Number(partition), BigInt(offset!)]);
    }
    expect(seen.size).toBe(KEYS);
    let mismatches = 0;
    metas.forEach((m, i) => {
      const [partition, offset] = seen.get(keyOf(i))!;
      // The partition kcat sees is Java's, and our reported offset is the record's real offset.
      if (
        partition !== partitionFor(Buffer.from(keyOf(i)), PARTITIONS) ||
        partition !== m.partition ||
        offset !== m.offset
      )
        mismatches++;
    });
    expect(mismatches).toBe(0);
  });
});
