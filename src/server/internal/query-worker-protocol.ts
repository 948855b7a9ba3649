import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { AuthOptions } from '../server-options.ts';
import type { RoutingSnapshot } from './query-routing.ts';

/** The `workerData` of a query worker. */
export interface WorkerSetup {
  readonly index: number;
  readonly port: number;
  readonly host: string;
  /** SO_REUSEPORT, so that several workers accept on one port (the kernel spreads the connections). */
  readonly reusePort: boolean;
  readonly tls: { cert: Buffer; key: Buffer } | undefined;
  readonly auth: AuthOptions | undefined;
  readonly logLevel: string;
}

/** A request the worker hands to the main thread. */
export interface RelayedRequest {
  readonly type: 'request';
  readonly id: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer | undefined;
  readonly remoteAddress: string | undefined;
}

/** The main thread's answer to a {@link RelayedRequest}. */
export interface RelayedResponse {
  readonly type: 'response';
  readonly id: number;
  readonly status: number;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Uint8Array | undefined;
}

export type ToWorker =
  | { readonly type: 'routing'; readonly routing: RoutingSnapshot }
  | RelayedResponse
  | { readonly type: 'close' };

export type FromWorker =
  | { readonly type: 'listening'; readonly port?: number; readonly error?: string }
  | RelayedRequest
  /** Pairs of (status, seconds) of the answers the worker gave itself. */
  | { readonly type: 'observed'; readonly samples: readonly number[] }
  | { readonly type: 'closed' };
