import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMillraceServer, type MillraceServer } from '../../../src/server/index.ts';
import { LmdbApp } from './lmdb-app.ts';

/**
 * The query worker's raw lookup path (raw-lookup-server.ts), through a real server and real sockets: no
 * authentication and no TLS, so connections start on the raw path and move to node:http at their first
 * other request.
 */
const APP = 'raw';
const STORE = 'profiles';
const fx = new LmdbApp(APP, STORE, 3);
const lookup = (key: string) => `/stores/${APP}/${STORE}/keys/${key}`;
const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;

let server: MillraceServer;
let port: number;

beforeAll(async () => {
  for (let i = 0; i < 20; i++) await fx.commit(`p-${i}`, { id: `p-${i}`, visits: i, name: 'é€' });
  server = await createMillraceServer({ apps: new Map([[APP, fx.app]]), logLevel: 'silent' });
  port = Number((await server.listen(0, '127.0.0.1')).split(':').pop());
});

let closed = false;

afterAll(async () => {
  if (!closed) await server.close();
  await fx.close();
});

interface Answer {
  status: number;
  /** Header lines in order, names lower case, `date` left out. */
  headers: string[];
  body: string;
}

/** Reads `count` answers from `socket` (framed by content-length), then leaves the socket open. */
function answers(socket: Socket, count: number): Promise<Answer[]> {
  return new Promise((resolve, reject) => {
    const out: Answer[] = [];
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) break;
        const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
        const headers = lines
          .slice(1)
          .map((l) => l.replace(/^[^:]+/, (n) => n.toLowerCase()))
          .filter((l) => !l.startsWith('date:'));
        const length = Number(/^content-length: (\d+)$/m.exec(headers.join('\n'))?.[1] ?? 0);
        if (buf.length < end + 4 + length) break;
        const body = buf.subarray(end + 4, end + 4 + length).toString('utf8');
        out.push({ status: Number(lines[0]!.slice(9, 12)), headers, body });
        buf = buf.subarray(end + 4 + length);
      }
      if (out.length >= count) {
        socket.off('data', onData);
        resolve(out);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => out.length < count && reject(new Error(`closed after ${out.length} answers`)));
  });
}

const open = () =>
  new Promise<Socket>((resolve) => {
    const s = connect({ port, host: '127.0.0.1', noDelay: true }, () => resolve(s));
  });

/** The main thread's answer to a GET (what node:http would send, minus its connection headers). */
async function mainThread(path: string) {
  const res = await server.fastify.inject({ method: 'GET', url: path });
  return { status: res.statusCode, body: res.body };
}

describe('raw lookup path of the query worker', () => {
  it('answers pipelined lookups and a non-lookup request on one connection, each right and in order', async () => {
    const socket = await open();
    const post = `POST /stores/${APP}/${STORE}/keys/p-1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}`;
    const requests = [
      [lookup('p-1'), get(lookup('p-1'))],
      [lookup('nobody'), get(lookup('nobody'))],
      [lookup('p-2'), get(lookup('p-2'))],
      ['/stores', get('/stores')], // handed over to node:http here
      [lookup('p-3'), get(lookup('p-3'))],
      ['POST', post],
      [lookup('p-1'), get(lookup('p-1'))],
    ] as const;
    const reading = answers(socket, requests.length);
    socket.write(requests.map((r) => r[1]).join(''));
    const got = await reading;
    for (const [i, [path]] of requests.entries()) {
      if (path === 'POST') expect(got[i]!.status).toBe(404);
      else
        expect({ i, ...got[i], headers: undefined }).toEqual({
          i,
          ...(await mainThread(path)),
          headers: undefined,
        });
    }
    expect(got.map((a) => a.status)).toEqual([200, 404, 200, 200, 200, 404, 200]);
    expect(JSON.parse(got[0]!.body).value).toEqual({ id: 'p-1', visits: 1, name: 'é€' });
    // The raw answer (first) and node:http's answer (last) of the same lookup: the same headers.
    expect(got[0]!.headers).toEqual(got[6]!.headers);
    expect(got[0]!.headers).toEqual([
      'content-type: application/json; charset=utf-8',
      `content-length: ${Buffer.byteLength(got[0]!.body)}`,
      `x-millrace-served-by: ${JSON.parse(got[0]!.body).servedBy}`,
      'connection: keep-alive',
      'keep-alive: timeout=72',
    ]);
    socket.destroy();
  });

  it('reads lookups split anywhere, up to one byte per write', async () => {
    const socket = await open();
    const text = [get(lookup('p-4')), get(lookup('p-5')), get(lookup('p-6'))].join('');
    const reading = answers(socket, 3);
    for (let i = 0; i < text.length; i += 7) {
      socket.write(text.slice(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    expect((await reading).map((a) => JSON.parse(a.body).value.visits)).toEqual([4, 5, 6]);
    socket.destroy();
  });

  it('leaves malformed requests to node:http, which answers 400 and closes, and keeps serving', async () => {
    const bad = [
      'GET / HTTP/1.1\r\n\r\n', // no host
      `${get(lookup('p-1'))}GET /x HTTP/1.1\r\nHost: h\r\nBad Name: 1\r\n\r\n`,
      '\x16\x03\x01\x02\x00', // a TLS client hello
    ];
    for (const text of bad) {
      const socket = await open();
      let got = '';
      socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
      const closed = new Promise((r) => socket.once('close', r));
      socket.write(text);
      await closed;
      const statuses = [...got.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]));
      expect({ text, statuses }).toEqual({ text, statuses: text.startsWith('GET /s') ? [200, 400] : [400] });
    }
    const res = await fetch(`http://127.0.0.1:${port}${lookup('p-7')}`);
    expect({ status: res.status, body: await res.text() }).toEqual(await mainThread(lookup('p-7')));
  });

  it('answers a client that stops sending (half-close) after its lookups', async () => {
    const socket = await open();
    const reading = answers(socket, 2);
    socket.end(get(lookup('p-8')) + get(lookup('p-9')));
    expect((await reading).map((a) => a.status)).toEqual([200, 200]);
  });

  it('answers any pipelined mix of requests, split anywhere, in order and as the main thread does', async () => {
    const request = fc.constantFrom(
      ...['p-0', 'p-11', 'p-19', 'nobody', 'p-3?x=1', 'p%2D3'].map((k) => ({
        path: lookup(k),
        text: get(lookup(k)),
      })),
      {
        path: lookup('p-5'),
        text: `GET ${lookup('p-5')} HTTP/1.1\r\nhost: h\r\nX-Y: z\r\nAccept: */*\r\n\r\n`,
      },
      { path: '/stores', text: get('/stores') },
      { path: `/stores/${APP}/nostore/keys/p-1`, text: get(`/stores/${APP}/nostore/keys/p-1`) },
      { path: 'POST', text: `POST ${lookup('p-1')} HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc` },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), fc.nat(), async (requests, cut) => {
        const text = requests.map((r) => r.text).join('');
        const socket = await open();
        const reading = answers(socket, requests.length);
        socket.write(text.slice(0, cut % text.length));
        await new Promise((r) => setImmediate(r));
        socket.write(text.slice(cut % text.length));
        const got = (await reading).map((a) => ({ status: a.status, body: a.body }));
        socket.destroy();
        const expected = [];
        for (const r of requests)
          expected.push(
            r.path === 'POST' ? { status: 404, body: got[expected.length]!.body } : await mainThread(r.path),
          );
        expect(got).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('stops reading a client that does not read its answers, and goes on when it does', async () => {
    const socket = await open();
    socket.pause();
    const count = 40_000; // ~15 MB of answers: more than the loopback socket buffers hold
    socket.write(Array.from({ length: count }, (_, i) => get(lookup(`p-${i % 20}`))).join(''));
    await new Promise((r) => setTimeout(r, 200));
    const reading = answers(socket, count);
    socket.resume();
    const got = await reading;
    expect(got.map((a) => JSON.parse(a.body).value.visits)).toEqual(got.map((_, i) => i % 20));
    socket.destroy();
  });

  // Last: closes the server.
  it('closes its own connections and those it handed over when the server closes', async () => {
    const raw = await open();
    const handed = await open();
    const reading = [answers(raw, 1), answers(handed, 1)];
    raw.write(get(lookup('p-1')));
    handed.write(get('/stores'));
    expect((await Promise.all(reading)).map((a) => a[0]!.status)).toEqual([200, 200]);
    const ends = [raw, handed].map((s) => new Promise((r) => s.once('close', r)));
    await server.close();
    closed = true;
    await Promise.all(ends);
  });
});
