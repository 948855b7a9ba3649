import { MillraceError, isMillraceError } from '../../errors/index.ts';
import type { KafkaAdmin } from '../../kafka/index.ts';
import type { CompiledTopology, Topology } from '../../topology/topology.ts';

/** What the topic manager needs of the configuration. */
export interface TopicManagerOptions {
  applicationId: string;
  replicationFactor: number;
  /** Create `<source><suffix>` dead-letter topics (with the source's partition count) when set. */
  dlqSuffix: string | undefined;
  log: (message: string) => void;
}

const MISSING_TOPIC_RETRIES = 20;
const MISSING_TOPIC_RETRY_MS = 250;

/**
 * Prepares the cluster for a topology, as Kafka Streams' InternalTopicManager does: reads the partition
 * counts of the external topics (all must exist: auto-creation is never relied on), checks co-partitioning,
 * compiles the topology with those counts, and creates the internal topics (compacted changelogs,
 * repartition topics) and dead-letter topics that are missing. Existing internal topics must have the
 * expected partition count.
 */
export async function prepareTopics(
  topology: Topology,
  admin: KafkaAdmin,
  options: TopicManagerOptions,
): Promise<{
  compiled: CompiledTopology;
  partitionCounts: Map<string, number>;
}> {
  const counts = new Map<string, number>();
  let existing = new Set(await admin.listTopics());
  const partitionsOf = (topic: string) => counts.get(topic);

  // Compile once without counts to learn the external topics' names.
  const names = topology.compile({ applicationId: options.applicationId });
  const external = [...new Set([...names.sourceTopics, ...names.globalTopics, ...names.sinkTopics])];
  let missing = external.filter((t) => !existing.has(t));
  // A topic created just before (by a script, a test) reaches the broker's metadata a moment after the
  // controller acknowledged it: look again for a few seconds before calling it missing.
  for (let i = 0; missing.length > 0 && i < MISSING_TOPIC_RETRIES; i++) {
    await new Promise((r) => setTimeout(r, MISSING_TOPIC_RETRY_MS));
    existing = new Set(await admin.listTopics());
    missing = external.filter((t) => !existing.has(t));
  }
  if (missing.length > 0) {
    throw new MillraceError(
      'MR_TOPIC_MISSING',
      `topic(s) ${missing.map((t) => `"${t}"`).join(', ')} do not exist. Create them first (Millrace never relies on ` +
        'auto-creation), e.g. `kafka-topics.sh --create --topic <name> --partitions <n>`; sources that are joined need equal partition counts.',
      { details: { missing } },
    );
  }
  for (const t of external) counts.set(t, (await admin.describeTopic(t)).partitions);

  for (const group of names.coPartitionGroups) {
    const known = group.filter((t) => counts.has(t));
    const sizes = new Set(known.map((t) => counts.get(t)));
    if (sizes.size > 1) {
      throw new MillraceError(
        'MR_TOPIC_NOT_COPARTITIONED',
        `topics ${known.map((t) => `"${t}" (${counts.get(t)} partitions)`).join(', ')} are joined, so they must have the ` +
          'same number of partitions. Repartition one of them (e.g. `repartition({ numberOfPartitions })` in the DSL) or recreate it.',
        { details: { topics: known } },
      );
    }
  }

  const compiled = topology.compile({ applicationId: options.applicationId, partitionsOf });
  const toCreate = compiled.internalTopics.filter((t) => !existing.has(t.name));
  for (const t of compiled.internalTopics) {
    counts.set(t.name, t.partitions);
    if (existing.has(t.name)) {
      const actual = (await admin.describeTopic(t.name)).partitions;
      if (actual !== t.partitions) {
        throw new MillraceError(
          'MR_TOPIC_NOT_COPARTITIONED',
          `internal topic "${t.name}" has ${actual} partitions but the topology needs ${t.partitions}: the input topics changed. ` +
            'Reset the application (`millrace reset`) to delete and recreate its internal topics.',
        );
      }
    }
  }
  if (toCreate.length > 0) {
    options.log(`creating internal topics: ${toCreate.map((t) => t.name).join(', ')}`);
    await createIgnoringRace(
      admin,
      toCreate.map((t) => ({
        name: t.name,
        partitions: t.partitions,
        replicationFactor: options.replicationFactor,
        configs: t.config,
      })),
    );
  }
  if (options.dlqSuffix !== undefined) {
    const dlqs = compiled.sourceTopics
      .map((t) => ({
        name: `${t}${options.dlqSuffix}`,
        partitions: counts.get(t)!,
        replicationFactor: options.replicationFactor,
      }))
      .filter((t) => !existing.has(t.name));
    if (dlqs.length > 0) {
      options.log(`creating dead-letter topics: ${dlqs.map((t) => t.name).join(', ')}`);
      await createIgnoringRace(admin, dlqs);
    }
  }
  return { compiled, partitionCounts: counts };
}

/** Another instance may create the same topics at the same moment: "already exists" is success. */
async function createIgnoringRace(
  admin: KafkaAdmin,
  topics: Parameters<KafkaAdmin['createTopics']>[0],
): Promise<void> {
  try {
    await admin.createTopics(topics, { ignoreIfExists: true });
  } catch (err) {
    if (isMillraceError(err) && /already exists/i.test(err.message)) return;
    throw err;
  }
}
