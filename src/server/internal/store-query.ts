import { MillraceError } from '../../errors/index.ts';
import type { StoreSpec } from '../../processor/subtopology-spec.ts';
import type { InstanceMetadata, StreamsApp } from '../../runtime/streams-app.ts';
import type { ScanRequest } from '../plugin.ts';
import type { Forwarder } from './forwarder.ts';
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

  #spec(app: StreamsApp, store: string): { spec: StoreSpec; subId: number; partitions: number } {
    for (const sub of app.compiled?.subtopologies ?? []) {
      const spec = sub.stores.find((s) => s.name === store);
      // Window and session stores have composite keys; the generic routes serve key-value stores only.
      if (spec?.type === 'key-value') return { spec, subId: sub.id, partitions: sub.partitions };
      if (spec)
        throw notFound(
          `store "${store}" is a ${spec.type} store: the generic /stores routes read key-value stores only`,
        );
    }
    if (!app.compiled) throw notQueryable('the application has not started yet: retry shortly');
    throw notFound(`application "${app.config['application.id']}" has no store "${store}"`);
  }

  /** The typed key of a path/query string: as given when the key serde takes strings, else an integer. */
  #parseKey(spec: StoreSpec, raw: string, param: string): unknown {
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

  #bytes(spec: StoreSpec, key: unknown): Buffer {
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

  #checkUp(app: StreamsApp): void {
    if (app.state !== 'RUNNING' && app.state !== 'REBALANCING')
      throw new MillraceError('MR_APP_NOT_RUNNING', `the application is ${app.state}: retry later`);
  }

  /** Reads `key`; `value` undefined when absent. `localOnly` answers from this instance's tasks only. */
  async get(
    applicationId: string,
    store: string,
    rawKey: string,
    localOnly = false,
  ): Promise<{ value: unknown; servedBy: string }> {
    const app = this.app(applicationId);
    const { spec } = this.#spec(app, store);
    const key = this.#parseKey(spec, rawKey, 'key');
    this.#checkUp(app);
    const self = StoreQuery.self(app);
    const task = app.taskForKey(store, key);
    if (app.runningTaskIds().includes(task))
      return { value: jsonSafe(app.store(store).get(key)), servedBy: self };
    if (localOnly) throw notQueryable(`task ${task} is not running on ${self} now: retry shortly`);
    const owner = (await this.#instancesOf(app)).find((i) => i.tasks.includes(task));
    if (!owner?.server || owner.server === self) {
      this.#instances.delete(applicationId);
      throw notQueryable(`task ${task} is being assigned or restored: retry shortly`);
    }
    const res = await this.#forward(
      owner.server,
      `/stores/${enc(applicationId)}/${enc(store)}/keys/${enc(rawKey)}`,
    );
    const body = (res.body ?? {}) as { value?: unknown; servedBy?: string; code?: string; message?: string };
    if (res.status === 200) return { value: body.value, servedBy: body.servedBy ?? owner.server };
    if (res.status === 404 && body.servedBy) return { value: undefined, servedBy: body.servedBy };
    if (res.status === 503) {
      this.#instances.delete(applicationId);
      throw notQueryable(`${owner.server}: ${body.message ?? 'not queryable'}`);
    }
    throw new MillraceError(
      'MR_HTTP_FORWARD_FAILED',
      `${owner.server} answered ${res.status} (${body.code ?? ''} ${body.message ?? ''}): check that instance`,
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
    const { spec, subId, partitions } = this.#spec(app, store);
    if (req.prefix !== undefined && (req.from !== undefined || req.to !== undefined))
      throw badRequest('parameter "prefix" cannot be combined with "from" or "to"');
    const limit = Math.min(req.limit ?? this.#maxLimit, this.#maxLimit);
    this.#checkUp(app);
    const self = StoreQuery.self(app);
    const order = (a: ScanEntry, b: ScanEntry) =>
      Buffer.compare(this.#bytes(spec, a.key), this.#bytes(spec, b.key));
    const local = async (): Promise<ScanEntry[]> => {
      if (app.state !== 'RUNNING') throw notQueryable(`${self} is rebalancing or restoring: retry shortly`);
      const s = app.store<unknown, unknown>(store);
      const from = req.from === undefined ? undefined : this.#parseKey(spec, req.from, 'from');
      const to = req.to === undefined ? undefined : this.#parseKey(spec, req.to, 'to');
      const it =
        req.prefix !== undefined
          ? s.prefixScan(this.#parseKey(spec, req.prefix, 'prefix'))
          : from !== undefined || to !== undefined
            ? s.range(from, to)
            : s.all();
      // Local stores are ordered per partition only: keep the smallest `limit` keys overall.
      let out: ScanEntry[] = [];
      for await (const kv of it) {
        out.push({ key: jsonSafe(kv.key), value: jsonSafe(kv.value), servedBy: self });
        if (out.length >= 2 * limit + 1024) out = out.sort(order).slice(0, limit);
      }
      return out.sort(order).slice(0, limit);
    };
    if (localOnly) return { entries: await local(), servedBy: [self] };

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
    const q = new URLSearchParams({ limit: String(limit) });
    for (const p of ['from', 'to', 'prefix'] as const) if (req[p] !== undefined) q.set(p, req[p]);
    const parts = await Promise.all(
      instances.map(async (i): Promise<ScanEntry[]> => {
        if (i.server === self) return local();
        const res = await this.#forward(i.server!, `/stores/${enc(applicationId)}/${enc(store)}?${q}`);
        const body = (res.body ?? {}) as { entries?: ScanEntry[]; message?: string };
        if (res.status === 200 && Array.isArray(body.entries)) return body.entries;
        this.#instances.delete(applicationId);
        if (res.status === 503) throw notQueryable(`${i.server}: ${body.message ?? 'not queryable'}`);
        throw new MillraceError(
          'MR_HTTP_FORWARD_FAILED',
          `${i.server} answered ${res.status}: ${body.message ?? ''}`,
        );
      }),
    );
    const merged = new Map<string, ScanEntry>();
    for (const part of parts)
      for (const e of part) {
        const k = this.#bytes(spec, e.key).toString('hex');
        if (!merged.has(k)) merged.set(k, e);
      }
    return {
      entries: [...merged.values()].sort(order).slice(0, limit),
      servedBy: [...new Set(instances.map((i) => i.server!))],
    };
  }
}
