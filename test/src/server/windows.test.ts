import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMillraceServer, type MillraceServer } from '../../../src/server/index.ts';
import { fakeApp, WINDOW_SIZE_MS, type FakeWindow } from './fake-app.ts';

const T0 = Date.UTC(2026, 0, 1); // 2026-01-01T00:00:00Z
const keys = ['b', 'a', 'c10', 'c2'];
// Each key: windows at minutes 0..4, value = key index * 100 + minute.
const windows: FakeWindow[] = keys.flatMap((key, i) =>
  Array.from({ length: 5 }, (_, m) => ({ key, start: T0 + m * WINDOW_SIZE_MS, value: i * 100 + m })),
);
const sessions: FakeWindow[] = [
  { key: 'a', start: T0, end: T0 + 10_000, value: 1 },
  { key: 'a', start: T0 + 100_000, end: T0 + 200_000, value: 2 },
  { key: 'b', start: T0 + 50_000, end: T0 + 60_000, value: 3 },
];
const app = fakeApp('win-app', new Map(), 6, windows, sessions);
let server: MillraceServer;

beforeAll(async () => {
  server = await createMillraceServer({ apps: new Map([['win-app', app]]), logLevel: 'silent' });
});
afterAll(() => server.close());

const get = (url: string) => server.fastify.inject({ method: 'GET', url });
const iso = (ms: number) => new Date(ms).toISOString();
const byKeyBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('windowed interactive queries', () => {
  it('fetches the windows of one key whose start is in [from, to], times RFC 3339, values unwrapped', async () => {
    const from = T0 + WINDOW_SIZE_MS;
    const to = T0 + 3 * WINDOW_SIZE_MS;
    for (const [qf, qt] of [
      [String(from), String(to)],
      [iso(from), iso(to)],
      ['2026-01-01T01:00:00+01:00', iso(to)], // the same instant as `from`, in another offset
    ]) {
      const res = await get(
        `/stores/win-app/per-minute/windows/c2?from=${encodeURIComponent(qf!)}&to=${encodeURIComponent(qt!)}`,
      );
      expect(res.statusCode, `${qf}..${qt}`).toBe(200);
      const expected = windows
        .filter(
          (w) =>
            w.key === 'c2' && w.start >= T0 + (qf!.includes('+01:00') ? 0 : WINDOW_SIZE_MS) && w.start <= to,
        )
        .map((w) => ({
          key: 'c2',
          start: iso(w.start),
          end: iso(w.start + WINDOW_SIZE_MS),
          value: w.value,
          servedBy: 'local',
        }));
      expect(res.json()).toEqual({ key: 'c2', entries: expected, count: expected.length, servedBy: 'local' });
    }
  });

  it('scans every key in key-byte order, then start, cut to the limit', async () => {
    const all = [...windows]
      .filter((w) => w.start <= T0 + 2 * WINDOW_SIZE_MS)
      .sort((a, b) => byKeyBytes(a.key, b.key) || a.start - b.start)
      .map((w) => [w.key, iso(w.start), w.value]);
    const res = await get(`/stores/win-app/per-minute/windows?to=${T0 + 2 * WINDOW_SIZE_MS}&limit=7`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { entries: { key: string; start: string; value: number }[]; count: number };
    expect(body.entries.map((e) => [e.key, e.start, e.value])).toEqual(all.slice(0, 7));
    expect(body.count).toBe(7);
    const full = (await get('/stores/win-app/per-minute/windows?limit=10000')).json() as { count: number };
    expect(full.count).toBe(windows.length);
  });

  it('answers sessions that overlap [from, to], with their own ends', async () => {
    const res = await get(`/stores/win-app/visits/windows/a?from=${T0 + 5_000}&to=${T0 + 150_000}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().entries).toEqual([
      { key: 'a', start: iso(T0), end: iso(T0 + 10_000), value: 1, servedBy: 'local' },
      { key: 'a', start: iso(T0 + 100_000), end: iso(T0 + 200_000), value: 2, servedBy: 'local' },
    ]);
    const later = (await get(`/stores/win-app/visits/windows/a?from=${T0 + 10_001}`)).json();
    expect(later.entries.map((e: { value: number }) => e.value)).toEqual([2]);
    const scan = (await get(`/stores/win-app/visits/windows?from=${T0 + 55_000}&to=${T0 + 120_000}`)).json();
    expect(scan.entries.map((e: { key: string; value: number }) => [e.key, e.value])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('answers 400 {code, message} for bad times and bad limits', async () => {
    for (const q of [
      'from=yesterday',
      'from=2026-13-01T00:00:00Z',
      'from=2026-01-32T00:00:00Z',
      'to=2026-01-01',
      'from=-5',
      'from=1.5',
      `from=${T0 + 1}&to=${T0}`,
      'limit=0',
      'limit=abc',
      'colour=red',
    ]) {
      for (const path of ['/stores/win-app/per-minute/windows/a', '/stores/win-app/per-minute/windows']) {
        const res = await get(`${path}?${q}`);
        expect(res.statusCode, `${path}?${q}`).toBe(400);
        expect(res.json().code).toBe('MR_HTTP_BAD_REQUEST');
        expect(typeof res.json().message).toBe('string');
      }
    }
  });

  it('routes each store type to its own routes (404 that says where to look)', async () => {
    const kvOnWindow = await get('/stores/win-app/per-minute/keys/a');
    expect(kvOnWindow.statusCode).toBe(404);
    expect(kvOnWindow.json().message).toMatch(/window store.*\/windows/);
    const windowOnKv = await get('/stores/win-app/counts/windows/a');
    expect(windowOnKv.statusCode).toBe(404);
    expect(windowOnKv.json().message).toMatch(/key-value store/);
  });

  it('answers 503 + Retry-After while rebalancing', async () => {
    app.setState('REBALANCING');
    try {
      const res = await get('/stores/win-app/per-minute/windows/a');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect((await get('/stores/win-app/per-minute/windows')).statusCode).toBe(503);
    } finally {
      app.setState('RUNNING');
    }
  });

  it('documents the windowed routes in OpenAPI', async () => {
    const doc = (await get('/docs/json')).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/stores/{app}/{store}/windows/{key}', '/stores/{app}/{store}/windows']),
    );
  });
});
