import { describe, expect, it } from 'vitest';
import { jsonSerde } from '../../../src/serdes/index.ts';
import { jsonSafe } from '../../../src/server/internal/json-safe.ts';
import { isCanonicalJson } from '../../../src/server/internal/query-canonical-json.ts';
import { found, QueryFastPath, type TaskReader } from '../../../src/server/internal/query-fast-path.ts';
import type { RoutingSnapshot } from '../../../src/server/internal/query-routing.ts';

const json = jsonSerde<unknown>();
const decode = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown;
/** What the worker answered before splicing, and what the main thread's Fastify route sends. */
const slowBody = (key: string, bytes: Uint8Array, servedBy: string) =>
  JSON.stringify({ key, value: jsonSafe(decode(bytes)), servedBy });

/** Values the JSON serde writes: their bytes are spliced into the answer as they are. */
const written: unknown[] = [
  { id: 'p-1', visits: 3, tags: ['a', 1], nested: { ok: true, none: null, f: false } },
  {},
  [],
  [[], {}, [{}]],
  'plain',
  '',
  0,
  -1,
  42,
  123456789012345,
  -123456789012345,
  2 ** 60,
  0.1,
  -2.5e-7,
  1e21,
  1.7976931348623157e308,
  5e-324,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  'quote " backslash \\ newline \n tab \t cr \r bs \b ff \f',
  'slash / and unicode é ü 中文 😀 \u2028 \u2029 \u007f',
  { ключ: 'значение', 'key with "quotes"': 1, '': 'empty key', a1: 1, '-1': 2 },
  { when: new Date(0), list: [1.5, -0.25, 1e-7, 123e40] },
  { deep: { er: { est: [1, [2, [3, { x: 'y' }]]] } } },
];

/** Bytes a decode and encode would change (or jsonSafe would): the answer must come from the slow path. */
const foreign: [string, string][] = [
  ['spaces', '{ "a": 1 }'],
  ['newline at the end', '{"a":1}\n'],
  ['trailing zero', '{"a":1.0}'],
  ['exponent not as Number#toString writes it', '{"a":1E+21}'],
  ['small exponent', '{"a":1e2}'],
  ['minus zero', '{"a":-0}'],
  ['overflow', '{"a":1e400}'],
  ['too many digits', '{"a":12345678901234567890}'],
  ['repeated key', '{"a":1,"b":2,"a":3}'],
  ['integer key after another', '{"b":1,"1":2}'],
  ['__proto__ key', '{"__proto__":{"x":1},"a":1}'],
  ['escaped slash', '{"a":"x\\/y"}'],
  ['unicode escape', '{"a":"\\u00e9"}'],
];

/** Bytes a round trip keeps, refused all the same (kept simple): decoded, which answers the same. */
const refusedAnyway: [string, string][] = [
  ['escaped control character', '{"a":"\\u0001"}'],
  ['key starting with a digit', '{"1a":1}'],
];

describe('isCanonicalJson', () => {
  it.each(written.map((v) => [JSON.stringify(v), v]))('accepts what the JSON serde writes: %s', (_, v) => {
    const bytes = json.serialize(v);
    expect(isCanonicalJson(bytes)).toBe(true);
    expect(JSON.stringify(jsonSafe(decode(bytes)))).toBe(Buffer.from(bytes).toString('utf8'));
  });

  it.each(foreign)('refuses bytes a round trip changes: %s', (_, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(isCanonicalJson(bytes)).toBe(false);
    expect(JSON.stringify(jsonSafe(decode(bytes)))).not.toBe(text);
  });

  it.each(refusedAnyway)('refuses, to keep it simple: %s', (_, text) => {
    const bytes = Buffer.from(text, 'utf8');
    expect(isCanonicalJson(bytes)).toBe(false);
    expect(JSON.stringify(jsonSafe(decode(bytes)))).toBe(text);
  });

  it('refuses what it cannot vouch for: invalid UTF-8, a BOM, raw control characters, bad JSON, deep nesting', () => {
    const cases = [
      Buffer.concat([Buffer.from('"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"')]),
      Buffer.concat([Buffer.from('"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"')]), // a surrogate
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]),
      Buffer.from('"a\tb"'),
      Buffer.from(''),
      Buffer.from('{"a":1'),
      Buffer.from('{"a"}'),
      Buffer.from('[1,]'),
      Buffer.from('tru'),
      Buffer.from('nul'),
      Buffer.from('01'),
      Buffer.from('-'),
      Buffer.from('1.'),
      Buffer.from('{}{}'),
      Buffer.from('"\\'),
      Buffer.from('['.repeat(65) + ']'.repeat(65)),
      Buffer.from('{"a":'.repeat(65) + '1' + '}'.repeat(65)),
    ];
    for (const bytes of cases) expect(isCanonicalJson(bytes), bytes.toString('latin1')).toBe(false);
    expect(isCanonicalJson(Buffer.from('['.repeat(64) + ']'.repeat(64)))).toBe(true);
    expect(isCanonicalJson(Buffer.from('{"a":'.repeat(64) + '1' + '}'.repeat(64)))).toBe(true);
  });

  it('checks repeated keys per object, not across objects', () => {
    expect(isCanonicalJson(Buffer.from('{"a":{"a":1,"b":{"a":2}},"b":[{"a":3},{"a":4}]}'))).toBe(true);
    expect(isCanonicalJson(Buffer.from('{"a":{"b":1},"c":2,"a":3}'))).toBe(false);
    expect(isCanonicalJson(Buffer.from('{"ab":1,"a":2,"b":3}'))).toBe(true);
  });

  it('reads a view into a larger buffer', () => {
    const whole = Buffer.from('xx{"a":[1,2]}yy');
    expect(isCanonicalJson(whole.subarray(2, whole.length - 2))).toBe(true);
    const num = Buffer.from('x1.5e+300y');
    expect(isCanonicalJson(new Uint8Array(num.buffer, num.byteOffset + 1, num.length - 2))).toBe(true);
  });
});

describe('found', () => {
  it('answers the bytes of JSON.stringify({ key, value: jsonSafe(value), servedBy }), spliced or decoded', () => {
    const values = [
      ...written.map((v) => json.serialize(v)),
      ...[...foreign, ...refusedAnyway].map(([, t]) => Buffer.from(t, 'utf8')),
    ];
    for (const servedBy of ['local', 'host-1:8080', 'hôte "é"']) {
      for (const bytes of values) {
        const key = "p-1.~!$&'()*+,;=:@_";
        const answer = found(key, bytes, true, servedBy);
        const expected = slowBody(key, bytes, servedBy);
        expect(answer.body).toBe(expected);
        expect(answer.length).toBe(Buffer.byteLength(expected));
        expect(answer).toMatchObject({ status: 200, servedBy });
      }
    }
  });

  it('decodes string values (never spliced)', () => {
    const answer = found('k', Buffer.from('{"a":1}'), false, 'local');
    expect(answer.body).toBe('{"key":"k","value":"{\\"a\\":1}","servedBy":"local"}');
    expect(answer.length).toBe(answer.body.length);
  });
});

describe('QueryFastPath', () => {
  const routing = (value: 'json' | 'string'): RoutingSnapshot => ({
    app: {
      up: true,
      self: 'me',
      stateDir: '/state/app',
      stores: { s: { subId: 0, partitions: 1, value } },
      running: ['0_0'],
    },
  });
  const fastPath = (data: Record<string, Uint8Array>) => {
    const opened: string[] = [];
    const reader: TaskReader = {
      get: (_store, key) => data[Buffer.from(key).toString()],
      close: async () => undefined,
    };
    const fast = new QueryFastPath((path) => {
      opened.push(path);
      return reader;
    });
    return { fast, opened };
  };

  it('answers 200 with the stored JSON value, 404 when absent', () => {
    const { fast, opened } = fastPath({
      k1: json.serialize({ a: [1, 'é'] }),
      k2: Buffer.from('{ "a" : 1 }'),
    });
    fast.update(routing('json'));
    const a = fast.lookup('/stores/app/s/keys/k1')!;
    expect(a.body).toBe('{"key":"k1","value":{"a":[1,"é"]},"servedBy":"me"}');
    expect(a.length).toBe(Buffer.byteLength(a.body));
    expect(fast.lookup('/stores/app/s/keys/k2')!.body).toBe('{"key":"k2","value":{"a":1},"servedBy":"me"}');
    const missing = fast.lookup('/stores/app/s/keys/nope')!;
    expect(missing.status).toBe(404);
    expect(missing.length).toBe(Buffer.byteLength(missing.body));
    expect(JSON.parse(missing.body)).toEqual({
      code: 'MR_HTTP_NOT_FOUND',
      message: 'no value for this key in store "s"',
      servedBy: 'me',
    });
    expect(opened).toEqual(['/state/app/0_0']);
  });

  it('leaves to the main thread what it does not answer', () => {
    const { fast } = fastPath({ k: json.serialize(1) });
    fast.update(routing('json'));
    for (const url of [
      '/stores/app/s/keys/k?x=1',
      '/stores/app/s/keys/%6b',
      '/stores/app/s/keys/',
      '/stores/app/s/keys/k/more',
      '/stores/app/s/values/k',
      '/stores/other/s/keys/k',
      '/stores/app/other/keys/k',
      '/health',
    ])
      expect(fast.lookup(url), url).toBeUndefined();
    expect(fast.lookup('/stores/app/s/keys/k')?.status).toBe(200);
  });
});
