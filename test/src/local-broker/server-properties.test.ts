import { describe, expect, it } from 'vitest';
import { serverProperties } from '../../../src/local-broker/server-properties.ts';

function parse(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((l) => l.split('=', 2) as [string, string]),
  );
}

describe('serverProperties', () => {
  const props = parse(
    serverProperties({ host: '127.0.0.1', port: 19092, controllerPort: 19093, dataDir: '/d' }),
  );

  it('runs one KRaft node as broker and controller on loopback', () => {
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(props.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
    expect(props.get('log.dirs')).toBe('/d');
  });

  it('fits one node: replication factors 1, transaction log min ISR 1, auto-create off', () => {
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.min.isr')).toBe('1');
    expect(props.get('auto.create.topics.enable')).toBe('false');
  });
});
