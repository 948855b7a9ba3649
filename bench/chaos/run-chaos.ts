import type { KafkaClient } from '../../src/kafka/index.ts';
import { seededRandom } from './lib/random.ts';
import type { ChaosResult, ChaosSizes } from './scenario.ts';
import { CHAOS_SCENARIO_BY_NAME } from './scenarios/index.ts';

/** Options of {@link runChaosScenario}; sizes default to the scenario's CI (or soak) sizes. */
export interface RunChaosOptions {
  kafka: KafkaClient;
  bootstrapServers: string;
  soak?: boolean;
  seed?: number;
  sizes?: Partial<ChaosSizes>;
  guarantee?: 'at_least_once' | 'exactly_once_v2';
  brokerPort?: number;
  log?: (message: string) => void;
}

/**
 * Runs one chaos scenario by name and returns its result (the CLI and the CI test both call this).
 *
 * @example
 * ```ts
 * const r = await runChaosScenario('kill-loop', { kafka, bootstrapServers: '127.0.0.1:9092', seed: 7 });
 * console.log(summaryLine('kill-loop', r)); // kill-loop: faults=6 records=25000 mismatches=0
 * ```
 */
export async function runChaosScenario(name: string, o: RunChaosOptions): Promise<ChaosResult> {
  const scenario = CHAOS_SCENARIO_BY_NAME.get(name);
  if (!scenario) throw new Error(`unknown chaos scenario ${name}`);
  const before = new Set(await o.kafka.admin().listTopics());
  const result = await scenario.run({
    kafka: o.kafka,
    bootstrapServers: o.bootstrapServers,
    sizes: { ...(o.soak ? scenario.soak : scenario.ci), ...(o.sizes ?? {}) },
    guarantee: o.guarantee ?? scenario.guarantee,
    random: seededRandom(o.seed ?? 1),
    brokerPort: o.brokerPort ?? 39092,
    log: o.log ?? (() => undefined),
  });
  // A clean run deletes the topics it created (input, output, the apps' changelogs and repartition
  // topics), so soaks and CI runs do not pile partitions up on the broker; a run with mismatches keeps
  // them for a look.
  if (result.mismatches === 0) await deleteNewTopics(o.kafka, before).catch(() => undefined);
  return result;
}

/** Deletes the `chaos-` topics that are not in `before`. */
async function deleteNewTopics(kafka: KafkaClient, before: ReadonlySet<string>): Promise<void> {
  const created = (await kafka.admin().listTopics()).filter((t) => t.startsWith('chaos-') && !before.has(t));
  if (created.length > 0) await kafka.admin().deleteTopics(created, { ignoreIfMissing: true });
}
