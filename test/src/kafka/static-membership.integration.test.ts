import { afterAll, describe, expect, it } from 'vitest';
import type { KafkaConsumer, TopicPartition } from '../../../src/kafka/index.ts';
import { createTopics, eventually, testKafka, uniqueName } from '../../helpers/kafka.ts';

const sorted = (tps: readonly TopicPartition[]) =>
  tps.map((tp) => `${tp.topic}-${tp.partition}`).sort((a, b) => a.localeCompare(b));

describe('static group membership (group.instance.id, real broker)', () => {
  const kafka = testKafka();
  const consumers: KafkaConsumer[] = [];

  afterAll(async () => {
    for (const c of consumers) await c.close().catch(() => undefined);
    await kafka.close();
  });

  it('a static member that closes without leaving comes back to its old partitions, and the other member sees no rebalance', async () => {
    const topic = uniqueName('static-in');
    const groupId = uniqueName('static-group');
    await createTopics(kafka, [topic], 4);
    let revokedA = 0;
    let assignedA = 0;
    const member = (instance: string, onRevoke?: () => void, onAssign?: () => void) => {
      const c = kafka.consumer({
        groupId,
        groupInstanceId: instance,
        leaveGroupOnClose: false,
        // Long enough that the broker cannot have expired the closed member before it comes back.
        sessionTimeoutMs: 60_000,
        rebalanceTimeoutMs: 60_000,
        heartbeatIntervalMs: 1000,
        listener: {
          onPartitionsRevoked: () => onRevoke?.(),
          onPartitionsAssigned: () => onAssign?.(),
        },
      });
      consumers.push(c);
      return c;
    };
    const pollUntil = async (cs: KafkaConsumer[], check: () => boolean) =>
      eventually(
        async () => {
          for (const c of cs) await c.poll(50);
          return check();
        },
        30_000,
        0,
      );

    const a = member(
      'a',
      () => revokedA++,
      () => assignedA++,
    );
    await a.subscribe([topic]);
    const b = member('b');
    await b.subscribe([topic]);
    expect(await pollUntil([a, b], () => a.assignment().length === 2 && b.assignment().length === 2)).toBe(
      true,
    );
    const bPartitions = sorted(b.assignment());
    const revokedBefore = revokedA;
    const assignedBefore = assignedA;

    // b goes away without a LeaveGroup (as a crash would) and a new process takes its instance id.
    await b.close();
    const b2 = member('b');
    await b2.subscribe([topic]);
    expect(await pollUntil([a, b2], () => b2.assignment().length === 2)).toBe(true);
    expect(sorted(b2.assignment())).toEqual(bPartitions);
    expect(b2.groupMetadata().groupInstanceId).toBe('b');

    // a kept polling the whole time and never had to give up (or get again) its partitions.
    for (let i = 0; i < 10; i++) await a.poll(100);
    expect(revokedA).toBe(revokedBefore);
    expect(assignedA).toBe(assignedBefore);
    expect(a.assignment().length).toBe(2);

    const group = await kafka.admin().describeGroup(groupId);
    expect(group.members.map((m) => m.groupInstanceId).sort()).toEqual(['a', 'b']);
  });

  it('a static member that closes and leaves (the default) hands its partitions over at once', async () => {
    const topic = uniqueName('static-leave');
    const groupId = uniqueName('static-leave-group');
    await createTopics(kafka, [topic], 4);
    const make = (instance: string) => {
      const c = kafka.consumer({ groupId, groupInstanceId: instance, sessionTimeoutMs: 60_000 });
      consumers.push(c);
      return c;
    };
    const a = make('a');
    const b = make('b');
    await a.subscribe([topic]);
    await b.subscribe([topic]);
    const poll = async (cs: KafkaConsumer[], check: () => boolean) =>
      eventually(
        async () => {
          for (const c of cs) await c.poll(50);
          return check();
        },
        30_000,
        0,
      );
    expect(await poll([a, b], () => a.assignment().length === 2 && b.assignment().length === 2)).toBe(true);
    await b.close();
    // Well within the 60 s session: only the LeaveGroup can have moved b's partitions.
    expect(await poll([a], () => a.assignment().length === 4)).toBe(true);
  });
});
