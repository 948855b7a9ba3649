import { join } from 'node:path';
import { partitionFor } from '../../kafka/index.ts';
import { jsonSerde, stringSerde } from '../../serdes/index.ts';
import { jsonSafe } from './json-safe.ts';
import { isCanonicalJson } from './query-canonical-json.ts';
import type { RoutedApp, RoutedStore, RoutingSnapshot } from './query-routing.ts';

/** Committed point reads of one task's state (state/lmdb/lmdb-reader.ts). */
export interface TaskReader {
  get(store: string, key: Uint8Array): Uint8Array | undefined;
  close(): Promise<void>;
}

/** A response the worker sends itself. */
export interface FastAnswer {
  readonly status: 200 | 404;
  readonly body: string;
  /** UTF-8 bytes of `body`. */
  readonly length: number;
  readonly servedBy: string;
}

/**
 * `/stores/:app/:store/keys/:key`, where the application and store are names (`[a-zA-Z0-9._-]{1,249}`) and
 * the key is one a path carries as it is (no percent-encoding, which the router decodes in ways a copy could
 * get subtly wrong): RFC 3986 unreserved and sub-delims, ':' and '@'. Others go to the main thread.
 */
const LOOKUP =
  /^\/stores\/([a-zA-Z0-9._-]{1,249})\/([a-zA-Z0-9._-]{1,249})\/keys\/([A-Za-z0-9._~!$&'()*+,;=:@-]{1,1024})$/;
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
  /** Per store of the snapshot: the reader of each partition's task, null when it is not RUNNING here. */
  readonly #tasks = new Map<RoutedStore, (TaskReader | null)[]>();
  /** Per store of the snapshot: its 404 answer (the same for every key). */
  readonly #notFound = new Map<RoutedStore, FastAnswer>();
  readonly #open: (path: string) => TaskReader;

  /** `open` opens the reader of a task directory (injected: only state/lmdb/ may load lmdb). */
  constructor(open: (path: string) => TaskReader) {
    this.#open = open;
  }

  update(routing: RoutingSnapshot): void {
    this.#routing = routing;
    this.#tasks.clear();
    this.#notFound.clear();
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
    const m = LOOKUP.exec(url);
    if (!m) return undefined;
    const appId = m[1]!;
    const store = m[2]!;
    const key = m[3]!;
    const app = this.#routing[appId];
    const spec = app?.stores[store];
    if (!app?.up || !spec || app.stateDir === null) return undefined;
    // The key is ASCII (LOOKUP): its latin1 bytes are its UTF-8 bytes.
    const keyBytes = Buffer.from(key, 'latin1');
    const partition = partitionFor(keyBytes, spec.partitions);
    let readers = this.#tasks.get(spec);
    if (!readers) this.#tasks.set(spec, (readers = []));
    let reader = readers[partition];
    if (reader === undefined)
      reader = readers[partition] = this.#reader(appId, app, `${spec.subId}_${partition}`);
    if (reader === null) return undefined;
    const bytes = reader.get(store, keyBytes);
    if (bytes === undefined) {
      let answer = this.#notFound.get(spec);
      if (!answer) this.#notFound.set(spec, (answer = notFound(store, app.self)));
      return answer;
    }
    return found(key, bytes, spec.value === 'json', app.self);
  }

  /** The reader of `task` if it is RUNNING here (opened on first use), else null. */
  #reader(appId: string, app: RoutedApp, task: string): TaskReader | null {
    if (!app.running.includes(task) || app.stateDir === null) return null;
    const id = `${appId}\0${task}`;
    let reader = this.#readers.get(id);
    if (!reader) {
      reader = this.#open(join(app.stateDir, task));
      this.#readers.set(id, reader);
    }
    return reader;
  }

  async close(): Promise<void> {
    const readers = [...this.#readers.values()];
    this.#readers.clear();
    await Promise.all(readers.map((r) => r.close().catch(() => undefined)));
  }
}

/** The 404 answer of a key that `store` does not hold. */
function notFound(store: string, servedBy: string): FastAnswer {
  const message = `no value for this key in store "${store}"`;
  const body = JSON.stringify({ code: 'MR_HTTP_NOT_FOUND', message, servedBy });
  return { status: 404, servedBy, body, length: Buffer.byteLength(body) };
}

/** `,"servedBy":…}`, the end of a 200 body, for the instance name `suffixOf` (an instance has one). */
let suffix = '';
let suffixBytes = 0;
let suffixOf: string | undefined;

/**
 * The 200 answer of a stored value: its body is `JSON.stringify({ key, value: jsonSafe(value), servedBy })`.
 * Stored JSON that a decode and encode would give back as it is (isCanonicalJson) is copied in as it is:
 * the same bytes for less work. Anything else is decoded. `key` matched LOOKUP: ASCII, and nothing in it
 * needs escaping in a JSON string.
 */
export function found(key: string, bytes: Uint8Array, json: boolean, servedBy: string): FastAnswer {
  if (json && isCanonicalJson(bytes)) {
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (servedBy !== suffixOf) {
      suffix = `,"servedBy":${JSON.stringify(servedBy)}}`;
      suffixBytes = Buffer.byteLength(suffix);
      suffixOf = servedBy;
    }
    const head = `{"key":"${key}","value":`;
    // Well-formed UTF-8 (isCanonicalJson): decoding and encoding it again gives the same bytes.
    const body = head + buf.toString('utf8') + suffix;
    return { status: 200, servedBy, body, length: head.length + buf.length + suffixBytes };
  }
  const value = jsonSafe(json ? JSON_VALUE.deserialize(bytes) : STRING_VALUE.deserialize(bytes));
  const body = JSON.stringify({ key, value, servedBy });
  return { status: 200, servedBy, body, length: Buffer.byteLength(body) };
}
