import type { KeyValue, ReadOnlyKeyValueStore } from '../../../state/types.ts';
import type { SessionEntry, WindowEntry } from '../../../state/window-store.ts';
import type { ReadOnlySessionStore, ReadOnlyWindowStore } from '../../../src/runtime/streams-app.ts';
import { partitionFor } from '../../../src/kafka/index.ts';
import { loadStreamsConfig } from '../../../src/config/index.ts';
import type { AppState } from '../../../src/runtime/app-lifecycle.ts';
import type { InstanceMetadata, StreamsApp } from '../../../src/runtime/streams-app.ts';
import { StreamsMetrics } from '../../../src/runtime/streams-metrics.ts';
import { stringSerde } from '../../../src/serdes/index.ts';
import type { CompiledTopology } from '../../../src/topology/topology.ts';

const str = stringSerde();

/** A window of the fake `per-minute` window store (60 s windows) or a session of `visits`. */
export interface FakeWindow {
  key: string;
  start: number;
  /** Sessions only. */
  end?: number;
  value: number;
}

export const WINDOW_SIZE_MS = 60_000;

/**
 * A broker-free StreamsApp for HTTP unit tests: one string-keyed store `counts` over `partitions` tasks, all
 * on this instance, held in a Map; a window store `per-minute` (values Timestamped, as windowed
 * aggregations write them) and a session store `visits`, held in arrays. The server only sees the public
 * StreamsApp interface.
 */
export function fakeApp(
  id: string,
  data: Map<string, number>,
  partitions = 6,
  windows: readonly FakeWindow[] = [],
  sessions: readonly FakeWindow[] = [],
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
  const windowSpec = {
    ...storeSpec,
    name: 'per-minute',
    type: 'window' as const,
    windowed: { kind: 'window', retentionMs: 1e12, retainDuplicates: false, windowSizeMs: WINDOW_SIZE_MS },
  };
  const sessionSpec = {
    ...storeSpec,
    name: 'visits',
    type: 'session' as const,
    windowed: { kind: 'session', retentionMs: 1e12, retainDuplicates: false },
  };
  const compiled = {
    applicationId: id,
    subtopologies: [
      { id: 0, sourceTopics: ['in'], nodes: [], stores: [storeSpec, windowSpec, sessionSpec], partitions },
    ],
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
  // Deliberately not in key order (a real fetchAll goes segment by segment): the server must sort.
  const byStart = [...windows].sort((a, b) => a.start - b.start);
  const windowStore: ReadOnlyWindowStore<string, unknown> = {
    name: 'per-minute',
    persistent: true,
    retentionMs: 1e12,
    fetchOne: (k, t) => windows.find((w) => w.key === k && w.start === t)?.value,
    fetch: (k, from, to) =>
      (async function* (): AsyncGenerator<WindowEntry<string, unknown>> {
        for (const w of byStart)
          if (w.key === k && w.start >= from && w.start <= to)
            yield { key: w.key, windowStart: w.start, value: { value: w.value, timestamp: w.start + 1 } };
      })(),
    fetchAll: (from, to) =>
      (async function* (): AsyncGenerator<WindowEntry<string, unknown>> {
        for (const w of byStart)
          if (w.start >= from && w.start <= to)
            yield { key: w.key, windowStart: w.start, value: { value: w.value, timestamp: w.start + 1 } };
      })(),
    all: () => windowStore.fetchAll(0, Number.MAX_SAFE_INTEGER),
    approximateNumEntries: () => windows.length,
  };
  const sessionStore: ReadOnlySessionStore<string, unknown> = {
    name: 'visits',
    persistent: true,
    retentionMs: 1e12,
    fetchSession: (k, s0, e0) => sessions.find((w) => w.key === k && w.start === s0 && w.end === e0)?.value,
    findSessions: (k, earliestEnd, latestStart) =>
      (async function* (): AsyncGenerator<SessionEntry<string, unknown>> {
        for (const w of sessions)
          if (w.key === k && w.end! >= earliestEnd && w.start <= latestStart)
            yield { key: w.key, start: w.start, end: w.end!, value: w.value };
      })(),
    all: () =>
      (async function* (): AsyncGenerator<SessionEntry<string, unknown>> {
        for (const w of sessions) yield { key: w.key, start: w.start, end: w.end!, value: w.value };
      })(),
    approximateNumEntries: () => sessions.length,
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
    windowStore: <K, V>() => windowStore as unknown as ReadOnlyWindowStore<K, V>,
    sessionStore: <K, V>() => sessionStore as unknown as ReadOnlySessionStore<K, V>,
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
