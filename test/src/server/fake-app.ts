import type { KeyValue, ReadOnlyKeyValueStore } from '../../../state/types.ts';
import { partitionFor } from '../../../src/kafka/index.ts';
import { loadStreamsConfig } from '../../../src/config/index.ts';
import type { AppState } from '../../../src/runtime/app-lifecycle.ts';
import type { InstanceMetadata, StreamsApp } from '../../../src/runtime/streams-app.ts';
import { StreamsMetrics } from '../../../src/runtime/streams-metrics.ts';
import { stringSerde } from '../../../src/serdes/index.ts';
import type { CompiledTopology } from '../../../src/topology/topology.ts';

const str = stringSerde();

/**
 * A broker-free StreamsApp for HTTP unit tests: one string-keyed store `counts` over `partitions` tasks, all
 * on this instance, held in a Map. The server only sees the public StreamsApp interface.
 */
export function fakeApp(
  id: string,
  data: Map<string, number>,
  partitions = 6,
): StreamsApp & { setState(s: AppState): void } {
  let state: AppState = 'RUNNING';
  const listeners = new Set<(to: AppState, from: AppState) => void>();
  const storeSpec = {
    name: 'counts',
    type: 'key-value' as const,
    keySerde: str,
    valueSerde: str,
    logged: true,
    changelogTopic: `${id}-counts-changelog`,
    persistent: true,
    global: false,
  };
  const compiled = {
    applicationId: id,
    subtopologies: [{ id: 0, sourceTopics: ['in'], nodes: [], stores: [storeSpec], partitions }],
    globalSubtopologies: [],
    globalStores: [],
    internalTopics: [],
    sourceTopics: ['in'],
    globalTopics: [],
    sinkTopics: [],
    coPartitionGroups: [],
    subtopologyOf: () => undefined,
  } as unknown as CompiledTopology;
  const sorted = () => [...data].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const iter = (f: (k: string) => boolean, limit = Infinity) =>
    (async function* (): AsyncGenerator<KeyValue<string, number>> {
      let n = 0;
      for (const [key, value] of sorted()) if (f(key) && n++ < limit) yield { key, value };
    })();
  const store: ReadOnlyKeyValueStore<string, number> = {
    name: 'counts',
    persistent: true,
    get: (k) => data.get(k),
    range: (from, to, o) =>
      iter(
        (k) =>
          (from === undefined || Buffer.compare(Buffer.from(k), Buffer.from(from)) >= 0) &&
          (to === undefined || Buffer.compare(Buffer.from(k), Buffer.from(to)) <= 0),
        o?.limit,
      ),
    prefixScan: (p, o) => iter((k) => k.startsWith(p), o?.limit),
    all: (o) => iter(() => true, o?.limit),
    approximateNumEntries: () => data.size,
  };
  const tasks = Array.from({ length: partitions }, (_, p) => `0_${p}`);
  const app = {
    config: loadStreamsConfig({ 'application.id': id, 'bootstrap.servers': '127.0.0.1:1' }, {}),
    get state() {
      return state;
    },
    metrics: new StreamsMetrics(),
    compiled,
    start: async () => undefined,
    waitUntilRunning: async () => undefined,
    onStateChange(l: (to: AppState, from: AppState) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    store: <K, V>() => store as unknown as ReadOnlyKeyValueStore<K, V>,
    instances: async (): Promise<InstanceMetadata[]> => [
      { memberId: 'm1', server: 'local', partitions: [], tasks: state === 'RUNNING' ? tasks : [] },
    ],
    taskForKey: (_s: string, key: unknown) => `0_${partitionFor(str.serialize(key as string), partitions)}`,
    runningTaskIds: () => (state === 'RUNNING' ? tasks : []),
    close: async () => undefined,
    setState(s: AppState) {
      const from = state;
      state = s;
      for (const l of listeners) l(s, from);
    },
  };
  return app as StreamsApp & { setState(s: AppState): void };
}
