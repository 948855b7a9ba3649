import { Worker } from 'node:worker_threads';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { MillraceMetrics } from '../../metrics/index.ts';
import type { StreamsApp } from '../../runtime/streams-app.ts';
import type { AuthOptions } from '../server-options.ts';
import { routingSnapshot } from './query-routing.ts';
import type { FromWorker, RelayedRequest, ToWorker, WorkerSetup } from './query-worker-protocol.ts';

/**
 * How often the main thread re-reads which tasks run here, ms. The stream thread shares the main event
 * loop, so this runs between its slices of work: a task that stops running (revoked, closing) may still be
 * read by the workers for about this long plus one slice — from its committed state, never a partial one.
 */
const ROUTING_INTERVAL_MS = 10;
/** Request headers that describe the worker's connection, not the request (inject sets its own). */
const CONNECTION_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'];
/** Response headers the worker's own HTTP server writes. */
const HOP_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'date'];
const LOOKUP_ROUTE = '/stores/:app/:store/keys/:key';

export interface QueryThreadsOptions {
  readonly threads: number;
  readonly port: number;
  readonly host: string;
  readonly fastify: FastifyInstance;
  readonly apps: ReadonlyMap<string, StreamsApp>;
  readonly metrics: MillraceMetrics | undefined;
  readonly tls: { cert: Buffer; key: Buffer } | undefined;
  readonly auth: AuthOptions | undefined;
  readonly logLevel: string;
}

/** Query workers listening on one port, fed by the main thread. */
export interface QueryThreads {
  /** The bound port (the given one, or the one the system chose for port 0). */
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts `threads` query workers (query-worker.ts) that accept the server's connections: the first binds
 * the port (with SO_REUSEPORT when there are several, so the kernel spreads connections over them), the
 * others join it. The main thread keeps Fastify for everything a worker relays (via `inject`, so every
 * hook, route and error handler applies unchanged) and publishes the routing snapshot to the workers.
 */
export async function startQueryThreads(options: QueryThreadsOptions): Promise<QueryThreads> {
  const workers: Worker[] = [];
  const exited = new Set<Worker>();
  let lastRouting = '';
  const publish = (force = false) => {
    const routing = routingSnapshot(options.apps);
    const text = JSON.stringify(routing);
    if (!force && text === lastRouting) return;
    lastRouting = text;
    for (const w of workers) w.postMessage({ type: 'routing', routing } satisfies ToWorker);
  };
  const offs = [...options.apps.values()].map((a) => a.onStateChange(() => publish()));
  const timer = setInterval(publish, ROUTING_INTERVAL_MS);
  timer.unref();

  const onMessage = (w: Worker) => (m: FromWorker) => {
    if (m.type === 'request') void relay(options.fastify, w, m);
    else if (m.type === 'observed' && options.metrics) {
      for (let i = 0; i + 1 < m.samples.length; i += 2)
        options.metrics.observeHttp('GET', LOOKUP_ROUTE, m.samples[i]!, m.samples[i + 1]!);
    }
  };

  const start = (index: number, port: number) =>
    new Promise<{ worker: Worker; port: number }>((resolve, reject) => {
      const setup: WorkerSetup = {
        index,
        port,
        host: options.host,
        reusePort: options.threads > 1,
        tls: options.tls,
        auth: options.auth,
        logLevel: options.logLevel,
      };
      const worker = new Worker(new URL('./query-worker.ts', import.meta.url), { workerData: setup });
      workers.push(worker);
      worker.once('exit', () => exited.add(worker));
      // After start-up a failing worker stops accepting; say so (its port share is lost until a restart).
      worker.on('error', (err: Error) =>
        options.fastify.log.error({ err: err.message, thread: index }, 'query worker thread failed'),
      );
      worker.postMessage({ type: 'routing', routing: routingSnapshot(options.apps) } satisfies ToWorker);
      worker.on('message', onMessage(worker));
      worker.once('error', reject);
      const first = (m: FromWorker) => {
        if (m.type !== 'listening') return;
        worker.off('message', first);
        if (m.error) reject(new Error(m.error));
        else resolve({ worker, port: m.port ?? port });
      };
      worker.on('message', first);
    });

  const close = async () => {
    clearInterval(timer);
    for (const off of offs) off();
    await Promise.all(
      workers
        .filter((w) => !exited.has(w))
        .map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              w.on('message', (m: FromWorker) => m.type === 'closed' && void w.terminate());
              w.postMessage({ type: 'close' } satisfies ToWorker);
            }),
        ),
    );
  };

  try {
    const first = await start(0, options.port);
    for (let i = 1; i < options.threads; i++) await start(i, first.port);
    publish(true);
    return { port: first.port, close };
  } catch (err) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw err;
  }
}

async function relay(fastify: FastifyInstance, worker: Worker, m: RelayedRequest): Promise<void> {
  const headers = { ...m.headers };
  for (const h of CONNECTION_HEADERS) delete headers[h];
  let reply: ToWorker;
  try {
    const res = await fastify.inject({
      method: m.method as InjectOptions['method'],
      url: m.url,
      headers,
      ...(m.body ? { payload: m.body } : {}),
      ...(m.remoteAddress ? { remoteAddress: m.remoteAddress } : {}),
    });
    const out = { ...res.headers };
    for (const h of HOP_HEADERS) delete out[h];
    reply = { type: 'response', id: m.id, status: res.statusCode, headers: out, body: res.rawPayload };
  } catch (err) {
    // inject refuses what it cannot parse (e.g. a backslash in the path) before any route runs: the answer
    // of frameworkErrors to a malformed URL (create-server.ts).
    const body = Buffer.from(
      JSON.stringify({
        code: 'MR_HTTP_BAD_REQUEST',
        message: `the URL is malformed (${(err as Error).message})`,
      }),
    );
    reply = {
      type: 'response',
      id: m.id,
      status: 400,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length },
      body,
    };
  }
  worker.postMessage(reply);
}
