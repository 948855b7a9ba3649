import { MillraceError } from '../../errors/index.ts';
import type { StoreSpec } from '../../processor/subtopology-spec.ts';
import type { InstanceMetadata, StreamsApp } from '../../runtime/streams-app.ts';
import type { ScanRequest } from '../plugin.ts';
import { mergeSorted } from '../../runtime/internal/query-merge.ts';
import type { ForwardedResponse, Forwarder } from './forwarder.ts';
import { badRequest, notFound } from './http-errors.ts';
import { jsonSafe } from './json-safe.ts';

/** One scanned entry, with the instance that read it. */
export interface ScanEntry {
  key: unknown;
  value: unknown;
  servedBy: string;
}

const notQueryable = (message: string) => new MillraceError('MR_STORE_NOT_QUERYABLE', message);
const enc = encodeURIComponent;
/** How long an `instances()` answer is reused; any app state change drops it at once. */
const INSTANCES_TTL_MS = 2000;

/**
 * Interactive queries over every instance (Kafka Streams' `KafkaStreams#queryMetadataForKey` + a store
 * view): a key is read from the local task that holds it, or forwarded to the instance that runs that task
 * (`application.server` from the group's member metadata); a scan asks every instance for its own tasks and
 * merges the answers (each key once, ordered by serialized key bytes, cut to the limit).
 *
 * Values leave as JSON-safe data (bigint → number or string, bytes → base64), the same whether read here or
 * on another instance.
 */
export class StoreQuery {
  readonly #apps: ReadonlyMap<string, StreamsApp>;
  readonly #forward: Forwarder;
  readonly #maxLimit: number;
  readonly #instances = new Map<string, { at: number; list: Promise<InstanceMetadata[]> }>();
  readonly #watched = new Set<string>();

  constructor(apps: ReadonlyMap<string, StreamsApp>, forward: Forwarder, maxLimit: number) {
    this.#apps = apps;
    this.#forward = forward;
    this.#maxLimit = maxLimit;
  }

  /** The name this instance answers as: its `application.server`, or `local` when it advertises none. */
  static self(app: StreamsApp): string {
    return app.config['application.server'] ?? 'local';
  }

  app(id: string): StreamsApp {
    const app = this.#apps.get(id);
    if (!app)
      throw notFound(`no application "${id}" runs here (applications: ${[...this.#apps.keys()].join(', ')})`);
    return app;
  }

  /** Every (application.id, store) pair that interactive queries can read. */
  stores(): { applicationId: string; store: string; partitions: number }[] {
    const out: { applicationId: string; store: string; partitions: number }[] = [];
    for (const [id, app] of this.#apps)
      for (const sub of app.compiled?.subtopologies ?? [])
        for (const s of sub.stores)
          out.push({ applicationId: id, store: s.name, partitions: sub.partitions });
    return out;
  }

  /**
   * The store spec of `store` if its type is one of `types`; a store of another type is a 404 that names
   * the routes that read it.
   */
  resolve(
    app: StreamsApp,
    store: string,
    types: readonly StoreSpec['type'][],
  ): { spec: StoreSpec; subId: number; partitions: number } {
    for (const sub of app.compiled?.subtopologies ?? []) {
      const spec = sub.stores.find((s) => s.name === store);
      if (spec && types.includes(spec.type)) return { spec, subId: sub.id, partitions: sub.partitions };
      if (spec)
        throw notFound(
          spec.type === 'key-value'
            ? `store "${store}" is a key-value store: read it with /stores/:app/:store and /keys/:key`
            : `store "${store}" is a ${spec.type} store: read it with /stores/:app/:store/windows`,
        );
    }
    if (!app.compiled) throw notQueryable('the application has not started yet: retry shortly');
    throw notFound(`application "${app.config['application.id']}" has no store "${store}"`);
  }

  /** The typed key of a path/query string: as given when the key serde takes strings, else an integer. */
  parseKey(spec: StoreSpec, raw: string, param: string): unknown {
    try {
      spec.keySerde.serialize(raw);
      return raw;
    } catch {
      // not a string-keyed store: try an integer below
    }
    if (/^-?\d{1,16}$/.test(raw)) {
      try {
        spec.keySerde.serialize(Number(raw));
        return Number(raw);
      } catch {
        // fall through
      }
    }
    throw badRequest(`parameter "${param}" is not a valid key of store "${spec.name}"`);
  }

  /** The serialized bytes of a (JSON-safe) key: the order every merge uses. */
  keyBytes(spec: StoreSpec, key: unknown): Buffer {
    try {
      return Buffer.from(spec.keySerde.serialize(key));
    } catch {
      return Buffer.from(String(key));
    }
  }

  async #instancesOf(app: StreamsApp): Promise<InstanceMetadata[]> {
    const id = app.config['application.id'];
    if (!this.#watched.has(id)) {
      this.#watched.add(id);
      app.onStateChange(() => this.#instances.delete(id));
    }
    const cached = this.#instances.get(id);
    if (cached && Date.now() - cached.at < INSTANCES_TTL_MS) return cached.list;
    const list = app.instances();
    this.#instances.set(id, { at: Date.now(), list });
    list.catch(() => this.#instances.delete(id));
    return list;
  }

  checkUp(app: StreamsApp): void {
    if (app.state !== 'RUNNING' && app.state !== 'REBALANCING')
      throw new MillraceError('MR_APP_NOT_RUNNING', `the application is ${app.state}: retry later`);
  }

  /**
   * Runs `local` when the task holding `key` in `store` is RUNNING here; otherwise GETs `path` from the
   * instance that owns the task. A 503 of the owner (or no owner yet) is a 503 here, never a stale answer.
   */
  async atOwner<T>(
    app: StreamsApp,
    store: string,
    key: unknown,
    localOnly: boolean,
    local: () => T | Promise<T>,
    path: string,
  ): Promise<{ local: T } | { remote: ForwardedResponse; server: string }> {
    this.checkUp(app);
    const applicationId = app.config['application.id'];
    const self = StoreQuery.self(app);
    const task = app.taskForKey(store, key);
    if (app.runningTaskIds().includes(task)) return { local: await local() };
    if (localOnly) throw notQueryable(`task ${task} is not running on ${self} now: retry shortly`);
    const owner = (await this.#instancesOf(app)).find((i) => i.tasks.includes(task));
    if (!owner?.server || owner.server === self) {
      this.#instances.delete(applicationId);
      throw notQueryable(`task ${task} is being assigned or restored: retry shortly`);
    }
    const res = await this.#forward(owner.server, path);
    if (res.status === 503) {
      this.#instances.delete(applicationId);
      const body = (res.body ?? {}) as { message?: string };
      throw notQueryable(`${owner.server}: ${body.message ?? 'not queryable'}`);
    }
    return { remote: res, server: owner.server };
  }

  /**
   * Asks every instance that runs tasks of sub-topology `subId` for its own entries: this one through
   * `local`, the others with a forwarded GET of `path` (answered from their tasks only). 503 unless every
   * task is assigned to an instance that serves queries.
   */
  async fanOut<E>(
    app: StreamsApp,
    store: string,
    subId: number,
    partitions: number,
    local: () => Promise<E[]>,
    path: string,
  ): Promise<{ parts: E[][]; servedBy: string[] }> {
    const applicationId = app.config['application.id'];
    const self = StoreQuery.self(app);
    const instances = (await this.#instancesOf(app)).filter((i) =>
      i.tasks.some((t) => t.startsWith(`${subId}_`)),
    );
    const covered = new Set(instances.flatMap((i) => i.tasks.filter((t) => t.startsWith(`${subId}_`))));
    if (covered.size < partitions || instances.some((i) => !i.server)) {
      this.#instances.delete(applicationId);
      throw notQueryable(
        `not every task of store "${store}" is assigned to a queryable instance now: retry shortly`,
      );
    }
    const parts = await Promise.all(
      instances.map(async (i): Promise<E[]> => {
        if (i.server === self) return local();
        const res = await this.#forward(i.server!, path);
        const body = (res.body ?? {}) as { entries?: E[]; message?: string };
        if (res.status === 200 && Array.isArray(body.entries)) return body.entries;
        this.#instances.delete(applicationId);
        if (res.status === 503) throw notQueryable(`${i.server}: ${body.message ?? 'not queryable'}`);
        throw new MillraceError(
          'MR_HTTP_FORWARD_FAILED',
          `${i.server} answered ${res.status}: ${body.message ?? ''}`,
        );
      }),
    );
    return { parts, servedBy: [...new Set(instances.map((i) => i.server!))] };
  }

  /** Reads `key`; `value` undefined when absent. `localOnly` answers from this instance's tasks only. */
  async get(
    applicationId: string,
    store: string,
    rawKey: string,
    localOnly = false,
  ): Promise<{ value: unknown; servedBy: string }> {
    const app = this.app(applicationId);
    const { spec } = this.resolve(app, store, ['key-value']);
    const key = this.parseKey(spec, rawKey, 'key');
    const self = StoreQuery.self(app);
    const r = await this.atOwner(
      app,
      store,
      key,
      localOnly,
      () => ({ value: jsonSafe(app.store(store).get(key)), servedBy: self }),
      `/stores/${enc(applicationId)}/${enc(store)}/keys/${enc(rawKey)}`,
    );
    if ('local' in r) return r.local;
    const { remote: res, server } = r;
    const body = (res.body ?? {}) as { value?: unknown; servedBy?: string; code?: string; message?: string };
    if (res.status === 200) return { value: body.value, servedBy: body.servedBy ?? server };
    if (res.status === 404 && body.servedBy) return { value: undefined, servedBy: body.servedBy };
    throw new MillraceError(
      'MR_HTTP_FORWARD_FAILED',
      `${server} answered ${res.status} (${body.code ?? ''} ${body.message ?? ''}): check that instance`,
    );
  }

  /** Scans every instance (or only this one), merged: each key once, in key-byte order, at most `limit`. */
  async scan(
    applicationId: string,
    store: string,
    req: ScanRequest,
    localOnly = false,
  ): Promise<{ entries: ScanEntry[]; servedBy: string[] }> {
    const app = this.app(applicationId);
    const { spec, subId, partitions } = this.resolve(app, store, ['key-value']);
    if (req.prefix !== undefined && (req.from !== undefined || req.to !== undefined))
      throw badRequest('parameter "prefix" cannot be combined with "from" or "to"');
    const limit = Math.min(req.limit ?? this.#maxLimit, this.#maxLimit);
    this.checkUp(app);
    const self = StoreQuery.self(app);
    const local = async (): Promise<ScanEntry[]> => {
      if (app.state !== 'RUNNING') throw notQueryable(`${self} is rebalancing or restoring: retry shortly`);
      const s = app.store<unknown, unknown>(store);
      const from = req.from === undefined ? undefined : this.parseKey(spec, req.from, 'from');
      const to = req.to === undefined ? undefined : this.parseKey(spec, req.to, 'to');
      // The local view merges its tasks in key-byte order, so the limit stops the scan early.
      const it =
        req.prefix !== undefined
          ? s.prefixScan(this.parseKey(spec, req.prefix, 'prefix'), { limit })
          : from !== undefined || to !== undefined
            ? s.range(from, to, { limit })
            : s.all({ limit });
      const out: ScanEntry[] = [];
      for await (const kv of it)
        out.push({ key: jsonSafe(kv.key), value: jsonSafe(kv.value), servedBy: self });
      return out;
    };
    if (localOnly) return { entries: await local(), servedBy: [self] };

    const q = new URLSearchParams({ limit: String(limit) });
    for (const p of ['from', 'to', 'prefix'] as const) if (req[p] !== undefined) q.set(p, req[p]);
    const { parts, servedBy } = await this.fanOut(
      app,
      store,
      subId,
      partitions,
      local,
      `/stores/${enc(applicationId)}/${enc(store)}?${q}`,
    );
    // Each part is in key-byte order (local views merge their tasks), so a k-way merge keeps the order
    // of one store; a key seen twice (a task that just moved) is kept once.
    const bytes = (e: ScanEntry) => this.keyBytes(spec, e.key);
    const entries: ScanEntry[] = [];
    let last: Buffer | undefined;
    for await (const e of mergeSorted(
      parts.map((p) => toAsync(p)),
      (a, b) => Buffer.compare(bytes(a), bytes(b)),
    )) {
      const k = bytes(e);
      if (last && last.equals(k)) continue;
      last = k;
      entries.push(e);
      if (entries.length >= limit) break;
    }
    return { entries, servedBy };
  }
}

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}
