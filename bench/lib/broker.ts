import { startLocalBroker } from '../../src/local-broker/broker-process.ts';

/**
 * The broker the benchmark uses, as the tests find it: `KAFKA_BOOTSTRAP_SERVERS`, else the local broker
 * tool (which reuses a running broker and never stops one it did not start).
 */
export async function benchBootstrapServers(log: (m: string) => void): Promise<string> {
  const env = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (env) return env;
  const { status } = await startLocalBroker({ log });
  return status.bootstrapServers;
}
