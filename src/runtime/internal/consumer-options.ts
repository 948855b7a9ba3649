import type { StreamsConfig } from '../../config/index.ts';
import type { ConsumerOptions } from '../../kafka/index.ts';
import type { CompiledTopology } from '../../topology/topology.ts';
import { streamsAssignor } from './streams-assignor.ts';

/**
 * The stream thread's group consumer options, from the config: read_committed under exactly-once, the
 * Streams assignor, session/heartbeat/rebalance timeouts, and static membership.
 */
export function streamsConsumerOptions(
  c: StreamsConfig,
  compiled: CompiledTopology,
  processId: string,
  callbacks: Required<Pick<ConsumerOptions, 'listener' | 'userData'>>,
): ConsumerOptions {
  const subtopologies = compiled.subtopologies.map((s) => ({ id: s.id, sourceTopics: s.sourceTopics }));
  return {
    groupId: c['application.id'],
    isolationLevel: c['processing.guarantee'] === 'exactly_once_v2' ? 'read_committed' : 'read_uncommitted',
    autoOffsetReset: 'earliest',
    sessionTimeoutMs: c['session.timeout.ms'],
    heartbeatIntervalMs: Math.min(3000, Math.floor(c['session.timeout.ms'] / 3)),
    // The library wants rebalance timeout >= session timeout; Kafka's default is 5 min (max.poll.interval.ms).
    rebalanceTimeoutMs: Math.max(60_000, c['session.timeout.ms']),
    ...groupInstance(c, processId),
    ...callbacks,
    assignor: streamsAssignor(subtopologies),
  };
}

/**
 * Static membership: `group.instance.id` 'auto' → `<application.id>-<processId>` (the process id survives
 * restarts in the state dir, like the transactional id), 'none' → a dynamic member, else the given id.
 */
export function groupInstance(
  c: StreamsConfig,
  processId: string,
): { groupInstanceId?: string; leaveGroupOnClose: boolean } {
  const id = c['group.instance.id'];
  const leaveGroupOnClose = c['leave.group.on.close'];
  if (id === 'none') return { leaveGroupOnClose };
  return { groupInstanceId: id === 'auto' ? `${c['application.id']}-${processId}` : id, leaveGroupOnClose };
}
