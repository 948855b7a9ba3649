import type { KafkaAdmin } from '../../kafka/index.ts';
import type { StreamsApp } from '../../runtime/streams-app.ts';
import type { PartitionLag } from '../metrics.ts';

/**
 * Committed lag of an application's external input partitions, read with the admin API at scrape time:
 * `end offset − committed offset` of its consumer group (`application.id`). It is the lag Kafka's
 * `kafka-consumer-groups.sh` shows, which trails the in-memory consumer position by up to one commit
 * interval. Partitions without a commit count from offset 0.
 *
 * @example
 * ```ts
 * const metrics = createMillraceMetrics({ apps, lag: createCommittedLagSource(kafka.admin()) });
 * ```
 */
export function createCommittedLagSource(admin: KafkaAdmin): (app: StreamsApp) => Promise<PartitionLag[]> {
  return async (app) => {
    const topics = app.compiled?.sourceTopics ?? [];
    if (topics.length === 0) return [];
    const committed = new Map<string, bigint>();
    for (const o of await admin.listGroupOffsets(app.config['application.id'], topics))
      committed.set(`${o.topic}/${o.partition}`, o.offset);
    const out: PartitionLag[] = [];
    for (const topic of topics) {
      for (const end of await admin.listOffsets(topic, 'latest')) {
        const at = committed.get(`${topic}/${end.partition}`) ?? 0n;
        out.push({ topic, partition: end.partition, lag: Number(end.offset > at ? end.offset - at : 0n) });
      }
    }
    return out;
  };
}
