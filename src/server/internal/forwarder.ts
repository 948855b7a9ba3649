import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { MillraceError } from '../../errors/index.ts';

/** The header a forwarded query carries: the receiver answers from its own tasks only (no second hop). */
export const FORWARDED_HEADER = 'x-millrace-forwarded';

/** An answer of another instance. */
export interface ForwardedResponse {
  status: number;
  body: unknown;
}

/** Options of {@link createForwarder}. */
export interface ForwarderOptions {
  timeoutMs: number;
  /** Bearer token sent to the other instances. */
  token: string | undefined;
  tls: boolean;
  ca?: Buffer;
}

/**
 * GETs a path from another instance (`host:port`), with a timeout and the internal bearer token. Failures
 * (refused, timeout, not JSON) become `MR_HTTP_FORWARD_FAILED` (502).
 */
export function createForwarder(o: ForwarderOptions) {
  return (server: string, path: string): Promise<ForwardedResponse> =>
    new Promise((resolve, reject) => {
      const sep = server.lastIndexOf(':');
      const fail = (why: string, cause?: unknown) =>
        reject(
          new MillraceError(
            'MR_HTTP_FORWARD_FAILED',
            `the instance ${server} that owns the data did not answer (${why}): retry; if it persists, check that instance`,
            { cause },
          ),
        );
      const req = (o.tls ? httpsRequest : httpRequest)(
        {
          host: server.slice(0, sep),
          port: Number(server.slice(sep + 1)),
          path,
          method: 'GET',
          timeout: o.timeoutMs,
          headers: {
            accept: 'application/json',
            [FORWARDED_HEADER]: '1',
            ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
          },
          ...(o.ca ? { ca: o.ca } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => fail(err.message, err));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
              });
            } catch (err) {
              fail(`status ${res.statusCode}, body not JSON`, err);
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${o.timeoutMs} ms`)));
      req.on('error', (err) => fail(err.message, err));
      req.end();
    });
}

export type Forwarder = ReturnType<typeof createForwarder>;
