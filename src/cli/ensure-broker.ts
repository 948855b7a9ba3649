import { startLocalBroker } from '../local-broker/broker-process.ts';

/**
 * The bootstrap servers the application uses: `KAFKA_BOOTSTRAP_SERVERS` when set (an existing cluster),
 * otherwise the local broker tool's broker, started when none answers.
 */
export async function ensureBroker(log: (m: string) => void): Promise<string[]> {
  const configured = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (configured) return configured.split(',');
  const { status } = await startLocalBroker({ log });
  return [status.bootstrapServers];
}
