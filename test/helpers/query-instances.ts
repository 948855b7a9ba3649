import type { LightMyRequestResponse } from 'fastify';
import { afterAll } from 'vitest';
import { createStreamsApp, type StreamsApp } from '../../src/runtime/streams-app.ts';
import { createMillraceServer, type MillraceServer } from '../../src/server/index.ts';
import type { Topology } from '../../src/topology/index.ts';
import { freePort } from './free-port.ts';
import { appConfig, type TestApps } from './test-apps.ts';

/**
 * Instances of one application, each with its query server on 127.0.0.1 and advertised as its
 * `application.server`: the set-up of the interactive-query tests across instances. Apps and servers are
 * closed in the suite's afterAll.
 */
export interface QueryInstances {
  readonly apps: StreamsApp[];
  readonly servers: MillraceServer[];
  /** `host:port` of each instance, in the order of `apps`. */
  readonly addresses: string[];
  /** Starts one instance per state dir of the suite, each with its own `topology()`. */
  start(appId: string, topology: () => Topology): Promise<void>;
  /** A GET through instance `i`'s server, with the token. */
  get(i: number, url: string): Promise<LightMyRequestResponse>;
}

/** Call it in a `describe` body, after `useTestApps` (whose state dirs the instances use). */
export function useQueryInstances(t: TestApps, token: string): QueryInstances {
  const apps: StreamsApp[] = [];
  const servers: MillraceServer[] = [];
  const addresses: string[] = [];

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await Promise.all(servers.map((s) => s.close()));
  });

  return {
    apps,
    servers,
    addresses,
    async start(appId, topology) {
      for (const dir of t.dirs) {
        const port = await freePort();
        const address = `127.0.0.1:${port}`;
        const app = createStreamsApp(
          topology(),
          appConfig(appId, dir, { 'application.server': address, 'commit.interval.ms': 200 }),
          { log: () => undefined },
        );
        const server = await createMillraceServer({
          apps: new Map([[appId, app]]),
          auth: { token },
          logLevel: 'silent',
        });
        await server.listen(port, '127.0.0.1');
        await app.start();
        apps.push(app);
        servers.push(server);
        addresses.push(address);
      }
    },
    get: (i, url) =>
      servers[i]!.fastify.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
  };
}
