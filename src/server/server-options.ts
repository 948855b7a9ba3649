import type { KafkaClient } from '../kafka/index.ts';
import type { MillraceMetrics } from '../metrics/index.ts';
import type { StreamsApp } from '../runtime/streams-app.ts';
import type { Topology } from '../topology/topology.ts';
import type { MillracePlugin } from './plugin.ts';

/** Bearer-token authentication. With neither `token` nor `jwt`, the server answers without authentication. */
export interface AuthOptions {
  /** A static token (e.g. from `MILLRACE_API_TOKEN` or a secret file); it grants every scope. */
  token?: string;
  /** JWTs signed by the holder of a private key, verified with the public key; scopes from the claims. */
  jwt?: {
    /** PEM (SPKI) public key, or a JWK as JSON text. */
    publicKey: string;
    /** Accepted algorithms, default `['RS256', 'ES256', 'EdDSA']`. */
    algorithms?: string[];
    issuer?: string;
    audience?: string;
  };
  /**
   * The token instances send each other when they forward a query (default: `token`). Needed with JWT-only
   * auth, since an instance cannot mint JWTs. It grants every scope.
   */
  internalToken?: string;
}

/** Options of {@link createMillraceServer}. */
export interface MillraceServerOptions {
  /** The running applications, by application.id. */
  apps: ReadonlyMap<string, StreamsApp>;
  /** Their topologies, by application.id, for `/topology`. */
  topologies?: ReadonlyMap<string, Topology>;
  /** Application plugins whose `routes` are added after the built-in ones. */
  plugins?: readonly MillracePlugin[];
  /** The registry `/metrics` renders; HTTP requests are observed into it. */
  metrics?: MillraceMetrics;
  /** For `PluginContext.produce` (default: a client on the first app's bootstrap servers, made when used). */
  kafka?: KafkaClient;
  auth?: AuthOptions;
  /** Serve HTTPS with these PEM files; forwarded queries then use https and trust `caFile` (if given). */
  tls?: { certFile: string; keyFile: string; caFile?: string };
  /** Timeout of a query forwarded to another instance, ms (default 5000). */
  forwardTimeoutMs?: number;
  /** `Retry-After` seconds of a 503 (default 2). */
  retryAfterSeconds?: number;
  /** Largest `limit` of a scan (default 10000). */
  maxScanLimit?: number;
  /**
   * Query worker threads accepting the connections (default: the largest `query.threads` of the apps).
   * They answer key lookups of string-keyed stores from committed state off the stream thread's event
   * loop and relay everything else to this thread; 0 serves everything here (docs/http-api.md).
   */
  threads?: number;
  /** pino level (default `info`); `silent` for tests. */
  logLevel?: string;
}
