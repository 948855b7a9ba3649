import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../src/errors/index.ts';
import { createTask, type RecordCollector } from '../../../src/processor/index.ts';
import { stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';

const str = stringSerde();
const enc = (s: string) => new TextEncoder().encode(s);

describe('createTask', () => {
  it('runs one sub-topology for one partition and emits serialized sink records', () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in', { keySerde: str, valueSerde: str })
      .mapValues((v) => v.toUpperCase())
      .to('out', { valueSerde: str });
    const compiled = b.build().compile({ applicationId: 'app', partitionsOf: () => 4 });
    const sent: [string, string | null, number][] = [];
    const collector: RecordCollector = {
      send: (topic, _k, v, ts) => void sent.push([topic, v && new TextDecoder().decode(v), ts]),
    };
    const task = createTask({
      applicationId: 'app',
      subtopology: compiled.subtopologies[0]!,
      partition: 3,
      collector,
      storeFactory: () => {
        throw new Error('no stores');
      },
    });
    expect(task.id).toBe('0_3');
    expect(() =>
      task.process({
        topic: 'in',
        partition: 3,
        offset: 0,
        key: null,
        value: enc('x'),
        timestamp: 1,
        headers: [],
      }),
    ).toThrow(/call init\(\) first/);
    task.init();
    expect(
      task.process({
        topic: 'in',
        partition: 3,
        offset: 7,
        key: enc('k'),
        value: enc('hi'),
        timestamp: 42,
        headers: [],
      }),
    ).toBeUndefined();
    expect(sent).toEqual([['out', 'HI', 42]]);
    expect(task.streamTimeMs()).toBe(42);
    task.close();
    expect(task.state).toBe('closed');
  });

  it('reports deserialization failures with MR_SERDE and the record position', () => {
    const b = createStreamsBuilder();
    b.stream('in').to('out');
    const compiled = b.build().compile({ applicationId: 'app' });
    const task = createTask({
      applicationId: 'app',
      subtopology: compiled.subtopologies[0]!,
      partition: 0,
      collector: { send: () => undefined },
      storeFactory: () => {
        throw new Error();
      },
    });
    task.init();
    try {
      task.process({
        topic: 'in',
        partition: 0,
        offset: 9,
        key: null,
        value: enc('{not json'),
        timestamp: 1,
        headers: [],
      });
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err, 'MR_SERDE')).toBe(true);
      expect((err as Error).message).toContain('in-0@9');
    }
  });
});
