import { resolve } from 'node:path';

/** Where the local broker tool keeps things. Everything lives under one git-ignored folder. */
export interface LocalBrokerPaths {
  /** Root of the tool's cache: `<project>/.millrace/kafka`, or `MILLRACE_KAFKA_HOME`. */
  home: string;
  /** Resolved Kafka distributions: `<home>/dist/<version>/libs/*.jar`. */
  dist: string;
  /** One folder per broker port: data dir, log, pid file, server.properties. */
  broker: string;
  data: string;
  log: string;
  pidFile: string;
  properties: string;
  log4jConfig: string;
}

/** The paths for a broker listening on `port`. */
export function localBrokerPaths(port: number, home = defaultHome()): LocalBrokerPaths {
  const broker = resolve(home, `broker-${port}`);
  return {
    home,
    dist: resolve(home, 'dist'),
    broker,
    data: resolve(broker, 'data'),
    log: resolve(broker, 'broker.log'),
    pidFile: resolve(broker, 'broker.pid'),
    properties: resolve(broker, 'server.properties'),
    log4jConfig: resolve(broker, 'log4j2.properties'),
  };
}

function defaultHome(): string {
  return process.env.MILLRACE_KAFKA_HOME ?? resolve(process.cwd(), '.millrace', 'kafka');
}
