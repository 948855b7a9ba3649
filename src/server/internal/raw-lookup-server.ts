import type { Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { OTHER, PARTIAL, parseSimpleGet, type SimpleGet } from './lookup-request-parser.ts';
import type { FastAnswer } from './query-fast-path.ts';

export interface RawLookupOptions {
  /** The answer to a lookup's target, or undefined: node:http answers it, and the rest of its connection. */
  readonly answer: (target: string) => FastAnswer | undefined;
  /** Called after each answer given here, with the `performance.now()` its request was read at. */
  readonly answered: (status: number, started: number) => void;
  /** The server that takes connections over; it is not listening itself. */
  readonly http: HttpServer;
}

/** A TCP server in front of a node:http server, answering lookups itself while a connection allows it. */
export interface RawLookupServer {
  readonly server: Server;
  /** Destroys every connection, its own and those it handed over. */
  closeAllConnections(): void;
}

const HEAD_200 = 'HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ';
const HEAD_404 =
  'HTTP/1.1 404 Not Found\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ';

/**
 * Why this exists: node:http writes each response of a pipelined batch with a write of its own (a syscall
 * each), which was a third of a query worker's time under load. Here every lookup of one read chunk is
 * answered in one write.
 *
 * A connection starts here. While it sends only simple GETs (lookup-request-parser.ts) that `answer`
 * answers, the answers have node:http's bytes (status line, the worker's headers, then `Date`,
 * `Connection: keep-alive`, `Keep-Alive`) and the connection node:http's keep-alive timeout. At the first
 * request it does not answer (another route or method, a body, a malformed or oversized head, HTTP/1.0,
 * `connection: close`, a lookup the fast path declines), it hands the connection to `http` for good: the
 * answers already produced are written first (queued on the socket ahead of anything node:http writes, so
 * the order of responses is the order of requests), then the unread bytes are put back (`unshift`) and
 * `http` receives the socket as a new connection.
 */
export function createRawLookupServer(options: RawLookupOptions): RawLookupServer {
  const { http } = options;
  const sockets = new Set<Socket>();
  const keepAlive = `\r\nConnection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(http.keepAliveTimeout / 1000)}\r\n\r\n`;
  let dateSecond = -1;
  let dateLine = '';
  const date = () => {
    const now = Date.now();
    const second = Math.floor(now / 1000);
    if (second !== dateSecond) {
      dateSecond = second;
      dateLine = `\r\nDate: ${new Date(now).toUTCString()}`;
    }
    return dateLine;
  };
  const format = (a: FastAnswer, dateLine: string) =>
    (a.status === 200 ? HEAD_200 : HEAD_404) +
    `${a.length}\r\nx-millrace-served-by: ${a.servedBy}${dateLine}${keepAlive}${a.body}`;

  const connection = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const request: SimpleGet = { target: '' };
    /** Bytes of a request not complete yet. */
    let rest: Buffer | undefined;

    const onData = (chunk: Buffer) => {
      const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
      rest = undefined;
      let pos = 0;
      let out = '';
      for (;;) {
        const end = parseSimpleGet(buf, pos, request);
        if (end === PARTIAL) break;
        const started = performance.now();
        const answer = end === OTHER ? undefined : options.answer(request.target);
        if (!answer) {
          if (out !== '') socket.write(out);
          return handOver(buf.subarray(pos));
        }
        out += format(answer, date());
        pos = end;
        options.answered(answer.status, started);
      }
      if (pos < buf.length) rest = buf.subarray(pos);
      // A client that does not read its answers stops being read (node:http does the same).
      if (out !== '' && !socket.write(out)) socket.pause();
    };
    const onDrain = () => socket.resume();
    const onEnd = () => socket.end();
    const onTimeout = () => socket.destroy();
    const onError = () => socket.destroy();

    const handOver = (unread: Buffer) => {
      socket.off('data', onData);
      socket.off('drain', onDrain);
      socket.off('end', onEnd);
      socket.off('timeout', onTimeout);
      socket.off('error', onError);
      socket.setTimeout(0);
      // Buffered (no 'data' listener now); node:http's listener receives it before anything read later.
      socket.unshift(unread);
      // A paused socket would let node:http read the next bytes from the handle ahead of `unread`.
      socket.resume();
      http.emit('connection', socket);
    };

    socket.on('data', onData);
    socket.on('drain', onDrain);
    socket.on('end', onEnd);
    socket.on('timeout', onTimeout);
    socket.on('error', onError);
    socket.setTimeout(http.keepAliveTimeout);
  };

  // Like node:http's own server: no Nagle delay, and a client's end of sending does not end the answers.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, connection);
  return {
    server,
    closeAllConnections() {
      for (const socket of sockets) socket.destroy();
      http.closeAllConnections();
    },
  };
}
