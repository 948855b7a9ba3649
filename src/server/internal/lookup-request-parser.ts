/**
 * Reads the simplest HTTP/1.1 requests, the ones a query worker answers without node:http
 * (raw-lookup-server.ts): `GET <target> HTTP/1.1`, headers, no body. Whatever else it meets it does not try
 * to understand: it says so, and node:http takes the connection over from that request on (and answers a
 * malformed one with its 4xx).
 *
 * A request read here is, byte for byte:
 *
 * ```
 * "GET " target " HTTP/1.1" CRLF        target: visible ASCII (0x21–0x7e)
 * *( name ":" value CRLF )              name: RFC 9110 token; value: HTAB, SP, visible ASCII or obs-text
 * CRLF
 * ```
 *
 * with exactly one `host` header, a `connection` header (if any) of `keep-alive` only, and none of
 * `content-length`, `transfer-encoding`, `upgrade`, `expect` (a body, a protocol switch or an interim
 * answer: node:http's business). Anything else (another method or version, a bare LF, a folded or empty
 * header name, leading empty lines, a header block over the size limit, …) is {@link OTHER}.
 */

/** More bytes are needed before the request can be judged. */
export const PARTIAL = -1;
/** Not a request this parser reads: hand the connection to node:http at this request. */
export const OTHER = -2;

/** node:http's default `maxHeaderSize`: a longer head (request line and headers) is handed over (431). */
export const MAX_HEAD_BYTES = 16 * 1024;

const CR = 0x0d;
const LF = 0x0a;
const COLON = 0x3a;
const GET = Buffer.from('GET ');
const VERSION = Buffer.from(' HTTP/1.1\r\n');

/** RFC 9110 tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~". */
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TOKEN[c.charCodeAt(0)] = 1;

/** A parsed request: its target (path and query, as node:http's `req.url` has it). */
export interface SimpleGet {
  target: string;
}

/**
 * Reads the request that starts at `start` of `buf`. Returns the offset just past it (its target in
 * `out.target`), or {@link PARTIAL} or {@link OTHER}.
 */
export function parseSimpleGet(buf: Buffer, start: number, out: SimpleGet): number {
  const end = Math.min(buf.length, start + MAX_HEAD_BYTES);
  // Running out of bytes is PARTIAL, unless the head is cut by the size limit: then it is over it.
  const short = buf.length - start >= MAX_HEAD_BYTES ? OTHER : PARTIAL;
  let p = prefix(buf, start, end, GET);
  if (p < 0) return p === PARTIAL ? short : OTHER;
  const targetStart = p;
  while (p < end && buf[p]! > 0x20 && buf[p]! < 0x7f) p++;
  if (p === end) return short;
  if (p === targetStart) return OTHER;
  const targetEnd = p;
  p = prefix(buf, p, end, VERSION);
  if (p < 0) return p === PARTIAL ? short : OTHER;
  let hosts = 0;
  for (;;) {
    if (p === end) return short;
    if (buf[p] === CR) {
      if (p + 1 === end) return short;
      if (buf[p + 1] !== LF) return OTHER;
      if (hosts !== 1) return OTHER;
      out.target = buf.toString('latin1', targetStart, targetEnd);
      return p + 2;
    }
    const nameStart = p;
    while (p < end && TOKEN[buf[p]!] === 1) p++;
    if (p === end) return short;
    if (buf[p] !== COLON || p === nameStart) return OTHER;
    const nameEnd = p++;
    const valueStart = p;
    while (p < end && fieldByte(buf[p]!)) p++;
    if (p === end) return short;
    if (buf[p] !== CR) return OTHER;
    if (p + 1 === end) return short;
    if (buf[p + 1] !== LF) return OTHER;
    const verdict = judge(buf, nameStart, nameEnd, valueStart, p);
    if (verdict === REFUSE) return OTHER;
    if (verdict === HOST) hosts++;
    p += 2;
  }
}

/** The offset after `expected` at `p`, or PARTIAL (a prefix of it ends the bytes) or OTHER. */
function prefix(buf: Buffer, p: number, end: number, expected: Buffer): number {
  for (let i = 0; i < expected.length; i++, p++) {
    if (p === end) return PARTIAL;
    if (buf[p] !== expected[i]) return OTHER;
  }
  return p;
}

/** HTAB, SP, visible ASCII and obs-text (what node:http accepts in a field value). */
function fieldByte(b: number): boolean {
  return b === 0x09 || (b >= 0x20 && b !== 0x7f);
}

const PASS = 0;
const HOST = 1;
const REFUSE = 2;
/** Header names (lower case) after which node:http must read the request. */
const REFUSED = new Set(['content-length', 'transfer-encoding', 'upgrade', 'expect']);
/** The lengths of the names that matter: any other name passes without being decoded. */
const WATCHED = new Set([...REFUSED, 'host', 'connection'].map((n) => n.length));

function judge(
  buf: Buffer,
  nameStart: number,
  nameEnd: number,
  valueStart: number,
  valueEnd: number,
): number {
  if (!WATCHED.has(nameEnd - nameStart)) return PASS;
  const name = buf.toString('latin1', nameStart, nameEnd).toLowerCase();
  if (name === 'host') return HOST;
  if (REFUSED.has(name)) return REFUSE;
  if (name !== 'connection') return PASS;
  const value = buf.toString('latin1', valueStart, valueEnd).trim().toLowerCase();
  return value === 'keep-alive' ? PASS : REFUSE;
}
