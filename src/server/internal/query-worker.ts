/**
 * Entry of a query worker thread (see query-threads.ts): accepts the HTTP connections of the query server,
 * answers key lookups itself (QueryFastPath) and relays every other request to the main thread's Fastify
 * instance. Without TLS and authentication, connections start in raw-lookup-server.ts, which answers
 * pipelined lookups in one write per read and hands a connection to node:http at its first other request.
 * Messages: main → worker `routing` (snapshot), `response` (a relayed answer), `close`;
 * worker → main `listening`, `request` (relay), `observed` (HTTP metrics of its own answers), `closed`.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { BUILTIN_SCOPES } from '../route-config.ts';
import { createAuthenticator, requireScope } from './auth.ts';
import { QueryFastPath, type FastAnswer } from './query-fast-path.ts';
import type { FromWorker, RelayedResponse, ToWorker, WorkerSetup } from './query-worker-protocol.ts';
import { createRawLookupServer } from './raw-lookup-server.ts';

const setup = workerData as WorkerSetup;
const port = parentPort!;
// Loaded dynamically, like the runtime's backends: the lmdb dependency stays fenced in state/lmdb/.
const { openLmdbReader } = await import('../../../state/lmdb/lmdb-reader.ts');
const fast = new QueryFastPath((path) => openLmdbReader(path));
const authenticate = await createAuthenticator(setup.auth);
const log = pino({ level: setup.logLevel, base: { component: 'http', thread: setup.index } });
const ROUTE = '/stores/:app/:store/keys/:key';
/** Each answer is logged at info, like Fastify's own request logging of the relayed ones. */
const logRequests = log.isLevelEnabled('info');
/** Statuses and seconds of the worker's own answers, sent to the main thread's metrics now and then. */
let observed: number[] = [];
const pending = new Map<number, ServerResponse>();
let nextId = 0;

const send = (m: FromWorker) => port.postMessage(m);

function handle(req: IncomingMessage, res: ServerResponse): void {
  const started = performance.now();
  if (req.method !== 'GET') relay(req, res);
  // Without authentication, no await: the answer leaves in this tick.
  else if (!authenticate) lookup(req, res, started);
  else void allowed(req).then((ok) => (ok ? lookup(req, res, started) : relay(req, res)));
}

/** Answers a GET the fast path can answer, else relays it. */
function lookup(req: IncomingMessage, res: ServerResponse, started: number): void {
  const answer = answerOf(req.url ?? '/');
  if (!answer) return relay(req, res);
  // A flat list (the headers as given, in this order) and a string body, which leaves with the head in
  // one write.
  res.writeHead(answer.status, [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(answer.length),
    'x-millrace-served-by',
    answer.servedBy,
  ]);
  res.end(answer.body);
  answered(answer.status, started);
}

/** The fast path's answer to a GET of `url`, or undefined: the main thread answers it. */
function answerOf(url: string): FastAnswer | undefined {
  // A forwarded lookup (x-millrace-forwarded) is answered here too: the fast path only answers keys whose
  // task runs here, which is what the main thread does with it.
  try {
    return fast.lookup(url);
  } catch {
    return undefined; // the main thread answers (and reports) whatever failed here
  }
}

/** Metrics and log of an answer given here to a request read at `started` (performance.now()). */
function answered(status: number, started: number): void {
  const seconds = (performance.now() - started) / 1000;
  observed.push(status, seconds);
  if (logRequests)
    log.info({ method: 'GET', route: ROUTE, status, ms: Math.round(seconds * 1000) }, 'request answered');
}

/** Whether the request may read stores; a refusal is left to the main thread, which words it. */
async function allowed(req: IncomingMessage): Promise<boolean> {
  try {
    requireScope(await authenticate!(req.headers.authorization), BUILTIN_SCOPES.storesRead);
    return true;
  } catch {
    return false;
  }
}

function relay(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const id = nextId++;
    pending.set(id, res);
    send({
      type: 'request',
      id,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
      remoteAddress: req.socket.remoteAddress,
    });
  });
}

function answerRelayed(m: RelayedResponse): void {
  const res = pending.get(m.id);
  if (!res) return;
  pending.delete(m.id);
  res.writeHead(m.status, m.headers);
  res.end(m.body ? Buffer.from(m.body) : undefined);
}

const http = setup.tls
  ? createHttpsServer({ cert: setup.tls.cert, key: setup.tls.key }, handle)
  : createHttpServer(handle);
// Fastify's default, so relayed and fast answers keep connections alike.
http.keepAliveTimeout = 72_000;
// With TLS or authentication, node:http(s) accepts the connections itself.
const raw =
  setup.tls || authenticate ? undefined : createRawLookupServer({ answer: answerOf, answered, http });
const server = raw?.server ?? http;
// node:http tracks connections (headersTimeout, requestTimeout, closeAllConnections) from its 'listening':
// the connections the raw server hands it need that too.
if (raw) http.emit('listening');

const flush = setInterval(() => {
  if (observed.length === 0) return;
  send({ type: 'observed', samples: observed });
  observed = [];
}, 1000);
flush.unref();

port.on('message', (m: ToWorker) => {
  if (m.type === 'routing') fast.update(m.routing);
  else if (m.type === 'response') answerRelayed(m);
  else if (m.type === 'close') {
    clearInterval(flush);
    server.close();
    if (raw) {
      http.close();
      raw.closeAllConnections();
    } else http.closeAllConnections();
    if (observed.length > 0) send({ type: 'observed', samples: observed });
    void fast.close().finally(() => {
      send({ type: 'closed' });
      port.close();
    });
  }
});

server.on('error', (err) => send({ type: 'listening', error: err.message }));
server.listen({ port: setup.port, host: setup.host, reusePort: setup.reusePort }, () => {
  const addr = server.address();
  send({ type: 'listening', port: typeof addr === 'object' && addr ? addr.port : setup.port });
});
