import { connect, type Socket } from 'node:net';

/** What one lookup came back with: the HTTP status (0 on a connection error) and its latency. */
export type LookupDone = (status: number, latencyMs: number) => void;

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * A minimal HTTP/1.1 GET client for the query load: `connections` keep-alive connections, each with
 * `depth` requests pipelined (so `connections × depth` in flight), written as raw request lines and read by
 * status line + Content-Length. Much cheaper per request than node:http's client, which matters because the
 * client shares the two cores with the server, the stream thread and the broker. Latency is still
 * "request written → its response read" for every request (a pipelined request also waits for the ones
 * before it on its connection: that wait is counted).
 */
export function runPipelinedGets(options: {
  readonly port: number;
  readonly connections: number;
  readonly depth: number;
  readonly nextPath: () => string;
  readonly done: () => boolean;
  readonly onResponse: LookupDone;
}): Promise<void> {
  const one = () =>
    new Promise<void>((resolve) => {
      const sent: number[] = [];
      let buf: Buffer = Buffer.alloc(0);
      const socket: Socket = connect({ host: '127.0.0.1', port: options.port, noDelay: true });
      const send = () => {
        sent.push(performance.now());
        socket.write(`GET ${options.nextPath()} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      };
      socket.on('connect', () => {
        for (let i = 0; i < options.depth; i++) send();
      });
      socket.on('data', (chunk: Buffer) => {
        // The requests that replace the responses of one chunk leave in one write (one syscall).
        socket.cork();
        process.nextTick(() => socket.uncork());
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
        for (;;) {
          const end = buf.indexOf(CRLF2);
          if (end < 0) break;
          const head = buf.subarray(0, end).toString('latin1');
          const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
          if (buf.length < end + 4 + length) break;
          buf = buf.subarray(end + 4 + length);
          options.onResponse(Number(head.slice(9, 12)), performance.now() - sent.shift()!);
          if (!options.done()) send();
          else if (sent.length === 0) socket.end();
        }
      });
      socket.on('error', () => {
        for (const t of sent) options.onResponse(0, performance.now() - t);
        sent.length = 0;
      });
      socket.on('close', () => resolve());
    });
  return Promise.all(Array.from({ length: options.connections }, one)).then(() => undefined);
}
