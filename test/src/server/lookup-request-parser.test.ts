import { describe, expect, it } from 'vitest';
import {
  MAX_HEAD_BYTES,
  OTHER,
  PARTIAL,
  parseSimpleGet,
  type SimpleGet,
} from '../../../src/server/internal/lookup-request-parser.ts';

const get = (target: string, headers = 'Host: 127.0.0.1\r\n') => `GET ${target} HTTP/1.1\r\n${headers}\r\n`;

/** One request: its end offset (or PARTIAL/OTHER) and target. */
function parse(text: string): { end: number; target?: string } {
  const out: SimpleGet = { target: '' };
  const end = parseSimpleGet(Buffer.from(text, 'latin1'), 0, out);
  return end >= 0 ? { end, target: out.target } : { end };
}

/**
 * Feeds `chunks` the way raw-lookup-server.ts reads a connection (the unfinished rest of a chunk is kept
 * for the next): the targets read, and the bytes handed over at the first request it does not read.
 */
function feed(chunks: Buffer[]): { targets: string[]; handedOver?: string } {
  const targets: string[] = [];
  const out: SimpleGet = { target: '' };
  let rest: Buffer | undefined;
  for (const [i, chunk] of chunks.entries()) {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const end = parseSimpleGet(buf, pos, out);
      if (end === PARTIAL) break;
      if (end === OTHER) {
        const unread = Buffer.concat([buf.subarray(pos), ...chunks.slice(i + 1)]);
        return { targets, handedOver: unread.toString('latin1') };
      }
      targets.push(out.target);
      pos = end;
    }
    rest = pos < buf.length ? buf.subarray(pos) : undefined;
  }
  return { targets, ...(rest ? { handedOver: rest.toString('latin1') } : {}) };
}

describe('parseSimpleGet', () => {
  it('reads a GET with its target (path and query) and ends after its empty line', () => {
    const text = get('/stores/a/b/keys/k?x=1', 'Host: h\r\nAccept: */*\r\nX-Empty:\r\n');
    expect(parse(text)).toEqual({ end: text.length, target: '/stores/a/b/keys/k?x=1' });
    expect(parse(text + 'GET')).toEqual({ end: text.length, target: '/stores/a/b/keys/k?x=1' });
  });

  it('reads header names in any case', () => {
    for (const host of ['host', 'HOST', 'hOsT'])
      expect(parse(get('/', `${host}: h\r\n`)).end).toBeGreaterThan(0);
    for (const c of ['connection: keep-alive', 'Connection: Keep-Alive', 'CONNECTION:  KEEP-ALIVE  '])
      expect(parse(get('/', `Host: h\r\n${c}\r\n`)).end).toBeGreaterThan(0);
    for (const h of ['Content-Length: 0', 'CONTENT-LENGTH: 0', 'Transfer-Encoding: chunked', 'upgrade: h2c'])
      expect(parse(get('/', `Host: h\r\n${h}\r\n`))).toEqual({ end: OTHER });
  });

  it('leaves bodies, chunked requests, other methods and versions, and connection: close to node:http', () => {
    for (const text of [
      'GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi',
      'GET / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /stores/a/b/keys/k HTTP/1.1\r\nHost: h\r\n\r\n',
      'HEAD / HTTP/1.1\r\nHost: h\r\n\r\n',
      'get / HTTP/1.1\r\nHost: h\r\n\r\n',
      'GET / HTTP/1.0\r\nHost: h\r\n\r\n',
      'GET / HTTP/2.0\r\nHost: h\r\n\r\n',
      get('/', 'Host: h\r\nConnection: close\r\n'),
      get('/', 'Host: h\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n'),
      get('/', 'Host: h\r\nExpect: 100-continue\r\n'),
    ])
      expect({ text, ...parse(text) }).toEqual({ text, end: OTHER });
  });

  it('leaves whatever it does not fully understand to node:http (which answers malformed requests 4xx)', () => {
    for (const text of [
      get('/', ''), // no host: node:http answers 400
      get('/', 'Host: a\r\nHost: b\r\n'),
      'GET / HTTP/1.1\nHost: h\n\n', // bare LF
      'GET / HTTP/1.1\r\nHost: h\r\n\n',
      'GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n',
      get('/', 'Host: h\r\nX-Folded: a\r\n b\r\n'), // obs-fold
      get('/', 'Host: h\r\n: empty name\r\n'),
      get('/', 'Host: h\r\nBad Name: x\r\n'),
      get('/', 'Host: h\r\nX: a\x00b\r\n'),
      get('/', 'Host: h\r\nX: a\x7fb\r\n'),
      'GET  / HTTP/1.1\r\nHost: h\r\n\r\n',
      'GET /a\x01b HTTP/1.1\r\nHost: h\r\n\r\n',
      'GET /é HTTP/1.1\r\nHost: h\r\n\r\n',
      'GET / HTTP/1.1 \r\nHost: h\r\n\r\n',
      '\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n', // a leading empty line
      'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
      '\x16\x03\x01\x02\x00', // a TLS client hello
    ])
      expect({ text, ...parse(text) }).toEqual({ text, end: OTHER });
  });

  it('says PARTIAL for every proper prefix of a request it reads', () => {
    const text = get('/stores/a/b/keys/k', 'Host: h\r\nConnection: keep-alive\r\nX-A: 1\r\n');
    for (let i = 0; i < text.length; i++)
      expect({ i, ...parse(text.slice(0, i)) }).toEqual({ i, end: PARTIAL });
    expect(parse(text).end).toBe(text.length);
  });

  it('hands over a head longer than node:http allows, complete or not', () => {
    const long = get('/', `Host: h\r\nX-Big: ${'x'.repeat(MAX_HEAD_BYTES)}\r\n`);
    expect(parse(long)).toEqual({ end: OTHER });
    expect(parse(long.slice(0, MAX_HEAD_BYTES))).toEqual({ end: OTHER });
    expect(parse(long.slice(0, MAX_HEAD_BYTES - 1))).toEqual({ end: PARTIAL });
    const fits = get('/', `Host: h\r\nX-Big: ${'x'.repeat(MAX_HEAD_BYTES - 100)}\r\n`);
    expect(parse(fits).end).toBe(fits.length);
  });
});

describe('pipelined requests read chunk by chunk', () => {
  const lookups = [
    get('/stores/a/s/keys/k1'),
    get('/stores/a/s/keys/k2', 'HOST: h\r\nAccept: */*\r\n'),
    get('/k3'),
  ];
  const all = Buffer.from(lookups.join(''), 'latin1');

  it('reads the same requests whatever byte boundary splits them', () => {
    for (let i = 0; i <= all.length; i++)
      expect({ i, ...feed([all.subarray(0, i), all.subarray(i)]) }).toEqual({
        i,
        targets: ['/stores/a/s/keys/k1', '/stores/a/s/keys/k2', '/k3'],
      });
    // And one byte at a time.
    expect(feed([...all].map((b) => Buffer.from([b]))).targets).toHaveLength(3);
  });

  it('hands over, at every split, exactly the bytes from the first request it does not read', () => {
    const post = 'POST /stores HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}';
    const bytes = Buffer.from(lookups[0]! + post + lookups[1]!, 'latin1');
    for (let i = 0; i <= bytes.length; i++) {
      const { targets, handedOver } = feed([bytes.subarray(0, i), bytes.subarray(i)]);
      expect({ i, targets }).toEqual({ i, targets: ['/stores/a/s/keys/k1'] });
      expect({ i, handedOver }).toEqual({ i, handedOver: post + lookups[1] });
    }
  });
});
