import { describe, expect, it } from 'vitest';
import { probeMetadata } from '../../../src/local-broker/metadata-probe.ts';
import { bootstrapServers } from '../../helpers/kafka.ts';

describe('the broker the harness provides', () => {
  it('is a real Kafka broker that answers Metadata with itself in the broker list', async () => {
    const [first] = bootstrapServers();
    const [host, port] = first!.split(':');
    const answer = await probeMetadata(host!, Number(port));
    expect(answer.brokers).toBeGreaterThanOrEqual(1);
    expect(answer.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
