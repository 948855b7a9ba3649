import { request } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startLocalBroker, stopLocalBroker } from '../../src/local-broker/broker-process.ts';
import { startKafkaContainer } from './kafka-container.ts';

/**
 * Finds or starts the real Kafka broker the integration tests use, in this order:
 * 1. `KAFKA_BOOTSTRAP_SERVERS`, an existing cluster;
 * 2. Testcontainers (apache/kafka, KRaft) when a Docker daemon answers;
 * 3. the local broker tool (Apache Kafka from Maven Central on Java 17), started here and stopped at the end
 *    when this run started it (a broker that was already running is left running).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (m: string) => console.log(`[integration] ${m}`);
  const existing = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (existing) {
    log(`using KAFKA_BOOTSTRAP_SERVERS=${existing}`);
    project.provide('kafkaBootstrapServers', existing);
    return async () => {};
  }
  if (await dockerDaemonAnswers()) {
    log('a Docker daemon answers: starting apache/kafka with Testcontainers');
    const container = await startKafkaContainer();
    project.provide('kafkaBootstrapServers', container.bootstrapServers);
    return () => container.stop();
  }
  const { started, status } = await startLocalBroker({ log });
  log(`broker ${status.bootstrapServers} (${started ? 'started for this run' : 'already running'})`);
  project.provide('kafkaBootstrapServers', status.bootstrapServers);
  return async () => {
    if (started) await stopLocalBroker({ log });
  };
}

/** A Docker daemon answers `GET /_ping` on DOCKER_HOST (unix or tcp) or the default socket, within a second. */
function dockerDaemonAnswers(): Promise<boolean> {
  if (process.env.MILLRACE_NO_DOCKER) return Promise.resolve(false);
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  const target = host.startsWith('unix://')
    ? { socketPath: host.slice('unix://'.length) }
    : {
        host: new URL(host.replace(/^tcp:/, 'http:')).hostname,
        port: Number(new URL(host.replace(/^tcp:/, 'http:')).port),
      };
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}
