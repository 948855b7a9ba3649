import { MillraceError } from '../../errors/index.ts';
import type { StoreSpec } from '../../processor/subtopology-spec.ts';
import type { StreamsApp } from '../../runtime/streams-app.ts';
import type { WindowedStoreOptions } from '../../../state/window-store.ts';
import { badRequest } from './http-errors.ts';
import { jsonSafe } from './json-safe.ts';
import { StoreQuery } from './store-query.ts';

/** One window (or session) of a windowed store as the HTTP API shows it: times RFC 3339 UTC. */
export interface WindowAnswer {
  key: unknown;
  start: string;
  /** The window's end (exclusive for windows, inclusive for sessions); null when the store does not say. */
  end: string | null;
  value: unknown;
  servedBy: string;
}

/** A time range of a windowed query, in epoch ms, both bounds inclusive. */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

const enc = encodeURIComponent;
const notQueryable = (message: string) => new MillraceError('MR_STORE_NOT_QUERYABLE', message);

/**
 * Parses a time parameter: epoch milliseconds (`1767225600000`) or RFC 3339 (`2026-01-01T00:00:00Z`).
 * The route schema admits only those shapes; this rejects what the shape cannot (month 13, day 32).
 */
export function parseTime(raw: string | undefined, param: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const ms = /^-?\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw badRequest(
      `querystring parameter "${param}" must be epoch milliseconds (>= 0) or an RFC 3339 time like 2026-01-01T00:00:00Z`,
    );
  return ms;
}

/** Parses `from`/`to` (default: everything) and checks their order. */
export function timeRange(from: string | undefined, to: string | undefined): TimeRange {
  const fromMs = parseTime(from, 'from', 0);
  const toMs = parseTime(to, 'to', Number.MAX_SAFE_INTEGER);
  if (fromMs > toMs) throw badRequest('querystring parameter "from" must not be after "to"');
  return { fromMs, toMs };
}

/**
 * The window size of a window store, when its layout carries one (`windowSizeMs`, an optional field of
 * the layout; stores without it answer `end: null`).
 */
function windowSizeOf(spec: StoreSpec): number | undefined {
  const w = spec.windowed as WindowedStoreOptions | undefined;
  return typeof w?.windowSizeMs === 'number' ? w.windowSizeMs : undefined;
}

/**
 * Values of windowed aggregations are `Timestamped` ({value, timestamp}); the API shows the value, as
 * Kafka Streams' window-store queries do.
 */
function plainValue(v: unknown): unknown {
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v);
    const t = v as { value?: unknown; timestamp?: unknown };
    if (keys.length === 2 && 'value' in t && typeof t.timestamp === 'number') return t.value;
  }
  return v;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Interactive queries of window and session stores across instances, routed like key-value queries
 * ({@link StoreQuery}): a key's windows are read where the key's task runs (forwarded otherwise); a scan of
 * every key fans out and merges.
 *
 * - window store: windows with `from <= start <= to` (Kafka Streams' `fetch(key, from, to)`/`fetchAll`);
 * - session store: sessions that overlap `[from, to]` (`end >= from` and `start <= to`: `findSessions`).
 *
 * Answers are ordered by key bytes, then start, then end.
 */
export class WindowQuery {
  readonly #q: StoreQuery;
  readonly #maxLimit: number;

  constructor(query: StoreQuery, maxLimit: number) {
    this.#q = query;
    this.#maxLimit = maxLimit;
  }

  #order(spec: StoreSpec) {
    return (a: WindowAnswer, b: WindowAnswer) =>
      Buffer.compare(this.#q.keyBytes(spec, a.key), this.#q.keyBytes(spec, b.key)) ||
      a.start.localeCompare(b.start) ||
      (a.end ?? '').localeCompare(b.end ?? '');
  }

  /** This instance's windows of one key, or of every key (`key` undefined), sorted and cut to `limit`. */
  async #local(
    app: StreamsApp,
    spec: StoreSpec,
    key: unknown,
    range: TimeRange,
    limit: number,
  ): Promise<WindowAnswer[]> {
    const self = StoreQuery.self(app);
    const order = this.#order(spec);
    let out: WindowAnswer[] = [];
    const add = (k: unknown, start: number, end: number | undefined, value: unknown) => {
      out.push({
        key: jsonSafe(k),
        start: iso(start),
        end: end === undefined ? null : iso(end),
        value: jsonSafe(plainValue(value)),
        servedBy: self,
      });
      // Window scans are ordered segment by segment, not by key: keep the smallest `limit` as we go.
      if (out.length >= 2 * limit + 1024) out = out.sort(order).slice(0, limit);
    };
    const { fromMs, toMs } = range;
    if (spec.type === 'window') {
      const s = app.windowStore<unknown, unknown>(spec.name);
      const size = windowSizeOf(spec);
      const it = key === undefined ? s.fetchAll(fromMs, toMs) : s.fetch(key, fromMs, toMs);
      for await (const w of it)
        add(w.key, w.windowStart, size === undefined ? undefined : w.windowStart + size, w.value);
    } else {
      const s = app.sessionStore<unknown, unknown>(spec.name);
      const it = key === undefined ? s.all() : s.findSessions(key, fromMs, toMs);
      for await (const w of it) if (w.end >= fromMs && w.start <= toMs) add(w.key, w.start, w.end, w.value);
    }
    return out.sort(order).slice(0, limit);
  }

  /** The query string of a forwarded request: the bounds as parsed (epoch ms), open ones left out. */
  #query(range: TimeRange, limit: number): string {
    const q = new URLSearchParams({ limit: String(limit) });
    if (range.fromMs > 0) q.set('from', String(range.fromMs));
    if (range.toMs < Number.MAX_SAFE_INTEGER) q.set('to', String(range.toMs));
    return q.toString();
  }

  /** The windows of one key, read where the key's task runs. */
  async fetch(
    applicationId: string,
    store: string,
    rawKey: string,
    req: { from?: string; to?: string; limit?: number },
    localOnly = false,
  ): Promise<{ entries: WindowAnswer[]; servedBy: string }> {
    const app = this.#q.app(applicationId);
    const { spec } = this.#q.resolve(app, store, ['window', 'session']);
    const key = this.#q.parseKey(spec, rawKey, 'key');
    const range = timeRange(req.from, req.to);
    const limit = Math.min(req.limit ?? this.#maxLimit, this.#maxLimit);
    const self = StoreQuery.self(app);
    const r = await this.#q.atOwner(
      app,
      store,
      key,
      localOnly,
      async () => ({ entries: await this.#local(app, spec, key, range, limit), servedBy: self }),
      `/stores/${enc(applicationId)}/${enc(store)}/windows/${enc(rawKey)}?${this.#query(range, limit)}`,
    );
    if ('local' in r) return r.local;
    const { remote: res, server } = r;
    const body = (res.body ?? {}) as {
      entries?: WindowAnswer[];
      servedBy?: string;
      code?: string;
      message?: string;
    };
    if (res.status === 200 && Array.isArray(body.entries))
      return { entries: body.entries, servedBy: body.servedBy ?? server };
    throw new MillraceError(
      'MR_HTTP_FORWARD_FAILED',
      `${server} answered ${res.status} (${body.code ?? ''} ${body.message ?? ''}): check that instance`,
    );
  }

  /** The windows of every key across every instance, merged and cut to `limit`. */
  async scan(
    applicationId: string,
    store: string,
    req: { from?: string; to?: string; limit?: number },
    localOnly = false,
  ): Promise<{ entries: WindowAnswer[]; servedBy: string[] }> {
    const app = this.#q.app(applicationId);
    const { spec, subId, partitions } = this.#q.resolve(app, store, ['window', 'session']);
    const range = timeRange(req.from, req.to);
    const limit = Math.min(req.limit ?? this.#maxLimit, this.#maxLimit);
    this.#q.checkUp(app);
    const self = StoreQuery.self(app);
    const local = async () => {
      if (app.state !== 'RUNNING') throw notQueryable(`${self} is rebalancing or restoring: retry shortly`);
      return this.#local(app, spec, undefined, range, limit);
    };
    if (localOnly) return { entries: await local(), servedBy: [self] };
    const { parts, servedBy } = await this.#q.fanOut(
      app,
      store,
      subId,
      partitions,
      local,
      `/stores/${enc(applicationId)}/${enc(store)}/windows?${this.#query(range, limit)}`,
    );
    // A (key, start, end) seen twice (a task that just moved between instances) is kept once.
    const seen = new Set<string>();
    const merged: WindowAnswer[] = [];
    for (const e of parts.flat().sort(this.#order(spec))) {
      const id = `${this.#q.keyBytes(spec, e.key).toString('hex')}/${e.start}/${e.end}`;
      if (seen.has(id)) continue;
      seen.add(id);
      merged.push(e);
      if (merged.length >= limit) break;
    }
    return { entries: merged, servedBy };
  }
}
