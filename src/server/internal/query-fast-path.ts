import { join } from 'node:path';
import { partitionFor } from '../../kafka/index.ts';
import { jsonSerde, stringSerde } from '../../serdes/index.ts';
import { jsonSafe } from './json-safe.ts';
import type { RoutingSnapshot } from './query-routing.ts';

/** Committed point reads of one task's state (state/lmdb/lmdb-reader.ts). */
export interface TaskReader {
  get(store: string, key: Uint8Array): Uint8Array | undefined;
  close(): Promise<void>;
}

/** A response the worker sends itself. */
export interface FastAnswer {
  readonly status: 200 | 404;
  readonly body: string;
  readonly servedBy: string;
}

const NAME = /^[a-zA-Z0-9._-]{1,249}$/;
/**
 * Keys a path carries as they are (no percent-encoding, which the router decodes in ways a copy could get
 * subtly wrong): RFC 3986 unreserved and sub-delims, ':' and '@'. Others go to the main thread.
 */
const PLAIN_KEY = /^[A-Za-z0-9._~!$&'()*+,;=:@-]{1,1024}$/;
const PREFIX = '/stores/';
const JSON_VALUE = jsonSerde<unknown>();
const STRING_VALUE = stringSerde();

/**
 * The key lookups a query worker answers from LMDB itself (`GET /stores/:app/:store/keys/:key`, no query
 * string, a string-keyed store, the key's task RUNNING in this process); `undefined` hands the request to
 * the main thread, which answers everything else exactly as with `query.threads` 0 (forwarding to the
 * owner, 503 during restore or rebalance, errors). Answers have the bytes the main thread would send.
 *
 * Invariant: a task is read only while the last snapshot of the main thread lists it RUNNING; its reader
 * is closed when it leaves that list, so a task that comes back later (restored again) is reopened.
 */
export class QueryFastPath {
  #routing: RoutingSnapshot = {};
  readonly #readers = new Map<string, TaskReader>();
  readonly #open: (path: string) => TaskReader;

  /** `open` opens the reader of a task directory (injected: only state/lmdb/ may load lmdb). */
  constructor(open: (path: string) => TaskReader) {
    this.#open = open;
  }

  update(routing: RoutingSnapshot): void {
    this.#routing = routing;
    for (const [path, reader] of this.#readers) {
      const [appId, task] = path.split('\0') as [string, string];
      if (!routing[appId]?.running.includes(task)) {
        this.#readers.delete(path);
        void reader.close().catch(() => undefined);
      }
    }
  }

  /** The answer of `url` (path and query), or undefined when the main thread must answer. */
  lookup(url: string): FastAnswer | undefined {
    if (!url.startsWith(PREFIX)) return undefined;
    const parts = url.slice(PREFIX.length).split('/');
    if (parts.length !== 4 || parts[2] !== 'keys') return undefined;
    const [appId, store, , key] = parts as [string, string, string, string];
    if (!NAME.test(appId) || !NAME.test(store) || !PLAIN_KEY.test(key)) return undefined;
    const app = this.#routing[appId];
    const spec = app?.stores[store];
    if (!app?.up || !spec || app.stateDir === null) return undefined;
    const keyBytes = Buffer.from(key, 'utf8');
    const task = `${spec.subId}_${partitionFor(keyBytes, spec.partitions)}`;
    if (!app.running.includes(task)) return undefined;
    const id = `${appId}\0${task}`;
    let reader = this.#readers.get(id);
    if (!reader) {
      reader = this.#open(join(app.stateDir, task));
      this.#readers.set(id, reader);
    }
    const bytes = reader.get(store, keyBytes);
    const servedBy = app.self;
    if (bytes === undefined) {
      const message = `no value for this key in store "${store}"`;
      return {
        status: 404,
        servedBy,
        body: JSON.stringify({ code: 'MR_HTTP_NOT_FOUND', message, servedBy }),
      };
    }
    const value = jsonSafe(
      spec.value === 'json' ? JSON_VALUE.deserialize(bytes) : STRING_VALUE.deserialize(bytes),
    );
    return { status: 200, servedBy, body: JSON.stringify({ key, value, servedBy }) };
  }

  async close(): Promise<void> {
    const readers = [...this.#readers.values()];
    this.#readers.clear();
    await Promise.all(readers.map((r) => r.close().catch(() => undefined)));
  }
}
