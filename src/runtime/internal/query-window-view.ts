import type { SessionEntry, SessionStore, WindowEntry, WindowStore } from '../../../state/window-store.ts';
import { mergeSorted } from './query-merge.ts';
import { runningStores } from './query-view.ts';
import type { StreamTask } from './stream-task.ts';

/** A read-only view of a window store, as interactive queries get it (Kafka Streams' `ReadOnlyWindowStore`). */
export type ReadOnlyWindowStore<K, V> = Pick<
  WindowStore<K, V>,
  'name' | 'persistent' | 'retentionMs' | 'fetchOne' | 'fetch' | 'fetchAll' | 'all' | 'approximateNumEntries'
>;

/** A read-only view of a session store (Kafka Streams' `ReadOnlySessionStore`). */
export type ReadOnlySessionStore<K, V> = Pick<
  SessionStore<K, V>,
  'name' | 'persistent' | 'retentionMs' | 'fetchSession' | 'findSessions' | 'all' | 'approximateNumEntries'
>;

async function* concat<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const s of sources) yield* s;
}

/**
 * One task store's windows of `key`, by start time. No window starts after the largest start the store has
 * seen, so an open upper bound (`Date.now()`, or MAX_SAFE_INTEGER from an HTTP query without `to`) is cut
 * there: the store's fetch goes segment by segment and would otherwise walk every empty segment up to the
 * bound. A store that does not know that time (-1: reopened and not written since) is read with one
 * `fetchAll` range scan filtered to the key instead, which is bounded by the store's size.
 */
async function* fetchOneStore<K, V>(
  s: WindowStore<K, V>,
  key: K,
  bytes: Buffer,
  from: number,
  to: number,
  keyBytes: (key: K) => Uint8Array,
  reverse: boolean,
): AsyncGenerator<WindowEntry<K, V>> {
  const observed = s.observedStreamTimeMs();
  if (observed >= 0) {
    yield* s.fetch(key, from, Math.min(to, observed), { reverse });
    return;
  }
  // fetchAll is ordered segment by segment, then by key, then by time: one key's windows come in time order.
  const mine: WindowEntry<K, V>[] = [];
  for await (const w of s.fetchAll(from, to)) if (bytes.equals(keyBytes(w.key))) mine.push(w);
  yield* reverse ? mine.reverse() : mine;
}

/** fetchAll's upper bound cut at the largest start the store has seen, when it knows it. */
function clampTo(s: WindowStore<unknown, unknown>, to: number): number {
  const observed = s.observedStreamTimeMs();
  return observed >= 0 ? Math.min(to, observed) : to;
}

/**
 * A window store over every local RUNNING task that has it (Kafka Streams' CompositeReadOnlyWindowStore).
 * A key lives in one partition, so `fetchOne` and `fetch` find it in one task (`fetch` stays ordered by
 * window start). `fetchAll` and `all` go store by store, each segment by segment: callers that need one
 * order across keys sort (the HTTP server does).
 */
export function compositeWindowStore<K, V>(
  name: string,
  retentionMs: number,
  tasks: () => Iterable<StreamTask>,
  keyBytes: (key: K) => Uint8Array,
): ReadOnlyWindowStore<K, V> {
  const stores = () => runningStores<WindowStore<K, V>>(name, tasks);
  return {
    name,
    persistent: true,
    retentionMs,
    fetchOne(key, windowStart) {
      for (const s of stores()) {
        const v = s.fetchOne(key, windowStart);
        if (v !== undefined) return v;
      }
      return undefined;
    },
    fetch(key, from, to, options) {
      const sign = options?.reverse ? -1 : 1;
      return mergeSorted(
        stores().map((s) =>
          fetchOneStore(s, key, Buffer.from(keyBytes(key)), from, to, keyBytes, options?.reverse ?? false),
        ),
        (a: WindowEntry<K, V>, b: WindowEntry<K, V>) => sign * (a.windowStart - b.windowStart),
      );
    },
    fetchAll: (from, to) =>
      concat(stores().map((s) => s.fetchAll(from, clampTo(s as WindowStore<unknown, unknown>, to)))),
    all: () => concat(stores().map((s) => s.all())),
    approximateNumEntries() {
      let n = 0;
      for (const s of stores()) n += s.approximateNumEntries();
      return n;
    },
  };
}

/**
 * A session store over every local RUNNING task that has it (Kafka Streams'
 * CompositeReadOnlySessionStore). A key's sessions are all in one task; `all` goes store by store.
 */
export function compositeSessionStore<K, V>(
  name: string,
  retentionMs: number,
  tasks: () => Iterable<StreamTask>,
): ReadOnlySessionStore<K, V> {
  const stores = () => runningStores<SessionStore<K, V>>(name, tasks);
  return {
    name,
    persistent: true,
    retentionMs,
    fetchSession(key, start, end) {
      for (const s of stores()) {
        const v = s.fetchSession(key, start, end);
        if (v !== undefined) return v;
      }
      return undefined;
    },
    findSessions: (key, earliestEnd, latestStart) =>
      concat<SessionEntry<K, V>>(stores().map((s) => s.findSessions(key, earliestEnd, latestStart))),
    all: () => concat(stores().map((s) => s.all())),
    approximateNumEntries() {
      let n = 0;
      for (const s of stores()) n += s.approximateNumEntries();
      return n;
    },
  };
}
