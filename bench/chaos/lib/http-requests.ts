import { connect } from 'node:net';
import fc from 'fast-check';

/** One HTTP/1.1 request, written byte for byte on a socket (so malformed targets reach the server). */
export interface RawRequest {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** The answer: status (0 when the server closed without a status line) and body. */
export interface RawAnswer {
  status: number;
  body: string;
}

/**
 * Malformed and well-formed requests against the query server, seeded (fast-check `sample` with the
 * scenario's seed): real and unknown apps, stores, keys (real ones among them), odd path segments, bad
 * percent-encodings, query parameters out of range, wrong tokens, methods, media types and bodies.
 */
export function fuzzRequests(
  o: { appId: string; store: string; token: string; keys: readonly string[] },
  count: number,
  seed: number,
): RawRequest[] {
  const segment = fc.oneof(
    fc.constantFrom(o.appId, o.store, 'stores', 'keys', 'health', 'ready', 'live', 'topology', 'metrics'),
    fc.constantFrom('docs', 'view', '..', '.', '', 'nope', '__proto__', 'constructor'),
    fc.constantFrom(...o.keys.slice(0, 50)).map(encodeURIComponent),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
    fc.string({ maxLength: 8 }).map((s) => s.replace(/[\s\r\n]/g, '')),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%2F', '%C0%AF', '😀', 'a'.repeat(3000), '\\'),
  );
  const query = fc.dictionary(
    fc.constantFrom('limit', 'from', 'to', 'prefix', 'format', 'app', 'x', 'limit[]', '__proto__'),
    fc.oneof(
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
      fc.integer().map(String),
      fc.constantFrom('', '-1', '0', '1e3', '99999999999999999999', 'NaN', '%', 'mermaid', 'text', 'k1'),
    ),
    { maxKeys: 4 },
  );
  const request = fc.record({
    method: fc.constantFrom('GET', 'GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH'),
    prefix: fc.constantFrom(
      `/stores/${o.appId}/${o.store}/keys`,
      `/stores/${o.appId}/${o.store}`,
      `/stores/${o.appId}`,
      '/stores',
      '/topology',
      '/health',
      '',
    ),
    path: fc.array(segment, { maxLength: 4 }),
    query,
    auth: fc.constantFrom(
      `Bearer ${o.token}`,
      `Bearer ${o.token}`,
      'Bearer nope',
      'Basic abc',
      '',
      `bearer  ${o.token}`,
    ),
    contentType: fc.constantFrom(undefined, 'application/json', 'text/plain', 'multipart/form-data', '*/*'),
    body: fc.option(fc.oneof(fc.string({ maxLength: 50 }), fc.json()), { nil: undefined }),
  });
  return fc.sample(request, { seed, numRuns: count }).map((r) => {
    const qs = Object.entries(r.query)
      .map(([k, v]) => `${encodeURIComponent(k)}=${v}`)
      .join('&');
    const headers: Record<string, string> = {};
    if (r.auth) headers.authorization = r.auth;
    if (r.contentType) headers['content-type'] = r.contentType;
    return {
      method: r.method,
      target: `${r.prefix}/${r.path.join('/')}${qs ? `?${qs}` : ''}`,
      headers,
      ...(r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD' ? { body: r.body } : {}),
    };
  });
}

/** Sends `req` on a fresh loopback socket (Connection: close) and reads the whole answer. */
export function sendRaw(port: number, req: RawRequest, timeoutMs = 10_000): Promise<RawAnswer> {
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const head = [
    `${req.method} ${req.target} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries(req.headers).map(([k, v]) => `${k}: ${v}`),
    ...(body ? [`Content-Length: ${body.length}`] : []),
    'Connection: close',
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      if (body) socket.write(body);
    });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString();
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const at = text.indexOf('\r\n\r\n');
      resolve({ status, body: at >= 0 ? text.slice(at + 4) : '' });
    });
  });
}
