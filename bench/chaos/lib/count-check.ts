import { loadStreamsConfig } from '../../../src/config/index.ts';
import { createStreamsApp } from '../../../src/runtime/streams-app.ts';
import type { KafkaClient } from '../../../src/kafka/index.ts';
import { countSequences, sequenceProblems } from '../../../test/fixtures/runtime/count-oracle.ts';
import { countTopology } from '../../../test/fixtures/runtime/count-topology.ts';
import { readTopic, transactionsSettled, waitUntil } from './kafka-io.ts';

/** What the count oracle check needs. */
export interface CountCheck {
  kafka: KafkaClient;
  bootstrapServers: string;
  appId: string;
  topologyInput: string;
  output: string;
  /** Per key, how many records were produced. */
  oracle: Map<string, number>;
  total: number;
  guarantee: 'at_least_once' | 'exactly_once_v2';
  /** State dir the store is restored from (an instance's: its local state plus the changelog). */
  stateDir: string;
}

/**
 * The oracle check of a count run, after every instance stopped and every transaction on the output settled:
 * - exactly_once_v2: per key, the committed output (read_committed) is exactly 1..n in order, and nothing
 *   else is there (nothing lost, nothing twice); under at_least_once, per key the output's last value is
 *   at least n (nothing lost; duplicates allowed).
 * - The store, opened by a fresh instance in this process on `stateDir` (what it has locally, the rest
 *   restored from the changelogs), holds n per key (at least n under at_least_once) and no other key.
 * Returns one line per disagreement.
 */
export async function checkCount(c: CountCheck): Promise<string[]> {
  const problems: string[] = [];
  // Every transaction settled first (a zombie's is aborted at the latest after transaction.timeout.ms,
  // 10 s): a transaction still open after a minute is a mismatch of its own.
  if (!(await waitUntil(() => transactionsSettled(c.kafka, c.output), 60_000)))
    problems.push(`output ${c.output}: a transaction is still open 60 s after the run`);
  const committed = await readTopic(c.kafka, c.output, 'read_committed');
  const sequences = countSequences(committed);
  if (c.guarantee === 'exactly_once_v2') {
    problems.push(...sequenceProblems(sequences, c.oracle).map((p) => `output ${p}`));
    if (committed.length !== c.total)
      problems.push(`output holds ${committed.length} committed records, expected ${c.total}`);
  } else {
    for (const [key, n] of c.oracle) {
      const last = sequences.get(key)?.at(-1) ?? 0;
      if (last < n) problems.push(`output ${key}: last count ${last} < ${n} (lost updates)`);
    }
  }

  // Loaded without the environment: KAFKA_BOOTSTRAP_SERVERS (the shared broker) must not override the
  // scenario's own broker.
  const config = loadStreamsConfig(
    {
      'application.id': c.appId,
      'bootstrap.servers': c.bootstrapServers.split(','),
      'state.dir': c.stateDir,
      'processing.guarantee': c.guarantee,
      // A member of its own: never take the place of a stopped instance's static member id.
      'group.instance.id': 'none',
    },
    {},
  );
  const app = createStreamsApp(countTopology(c.topologyInput, c.output), config, { log: () => undefined });
  try {
    await app.start();
    await app.waitUntilRunning(120_000);
    const store = app.store<string, number>('counts');
    for (const [key, n] of c.oracle) {
      const v = store.get(key);
      const ok = c.guarantee === 'exactly_once_v2' ? v === n : v !== undefined && v >= n;
      if (!ok) problems.push(`store ${key}: ${v} (oracle ${n})`);
    }
    const entries = store.approximateNumEntries();
    if (entries !== c.oracle.size) problems.push(`store holds ${entries} keys, oracle ${c.oracle.size}`);
  } catch (err) {
    problems.push(`store check failed: ${(err as Error).message}`);
  } finally {
    await app.close();
  }
  return problems;
}
