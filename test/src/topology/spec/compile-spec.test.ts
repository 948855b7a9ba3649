import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../../src/errors/index.ts';
import { longSerde, stringSerde } from '../../../../src/serdes/index.ts';
import { createTopologyTestDriver } from '../../../../src/test-driver/index.ts';
import {
  TOPOLOGY_SPEC_SCHEMA,
  compileTopologySpec,
  createProcessorRegistry,
  createStreamsBuilder,
} from '../../../../src/topology/index.ts';

const str = stringSerde();
const split = (line: string) =>
  line
    .toLowerCase()
    .split(/\W+/)
    .filter((w) => w.length > 0);

const registry = createProcessorRegistry()
  .registerFunction('splitWords', () => split)
  .registerFunction('wordAsKey', () => (_k: unknown, w: string) => w)
  .registerFunction('longerThan', (p) => (_k: unknown, w: string) => w.length > (p.n as number));

const WORDCOUNT = `
config:
  application.id: wordcount
  processing.guarantee: exactly_once_v2
sources:
  lines: { topic: streams-plaintext-input, keySerde: string, valueSerde: string }
pipelines:
  - from: lines
    steps:
      - flatMapValues: { fn: splitWords }
      - filter: { fn: longerThan, params: { n: 2 } }
      - groupBy: { fn: wordAsKey, keySerde: string }
      - count: { store: counts-store }
      - toStream: {}
      - to: { topic: streams-wordcount-output, valueSerde: long }
`;

describe('compileTopologySpec', () => {
  it('builds the same topology as the DSL program', () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('streams-plaintext-input', { keySerde: str, valueSerde: str })
      .flatMapValues(split)
      .filter((_k, w) => w.length > 2)
      .groupBy((_k, w) => w, { keySerde: str })
      .count({ storeName: 'counts-store' })
      .toStream()
      .to('streams-wordcount-output', { valueSerde: longSerde() });
    const { topology, config } = compileTopologySpec(WORDCOUNT, registry);
    expect(topology.describe().toString()).toBe(b.build().describe().toString());
    expect(config['application.id']).toBe('wordcount');
  });

  it('runs in the test driver', async () => {
    const { topology, config } = compileTopologySpec(WORDCOUNT, registry);
    const driver = createTopologyTestDriver(topology, { applicationId: config['application.id'] });
    await driver.createInputTopic('streams-plaintext-input', str, str).pipeInput(null, 'the cat and the hat');
    expect(
      driver.createOutputTopic('streams-wordcount-output', str, longSerde()).readKeyValuesToMap(),
    ).toEqual(
      new Map([
        ['the', 2],
        ['cat', 1],
        ['and', 1],
        ['hat', 1],
      ]),
    );
  });

  it('reports schema errors with the path, what is wrong and what to do', () => {
    const bad = `
config: { processing.guarantee: maybe }
sources:
  lines: { topic: in, keySerde: string, colour: red }
pipelines:
  - from: lines
    steps:
      - count: { store: "bad name" }
      - frobnicate: {}
`;
    try {
      compileTopologySpec(bad, registry);
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err, 'MR_TOPOLOGY_SPEC_INVALID')).toBe(true);
      const msg = (err as Error).message;
      expect(msg).toContain('/config: missing required field "application.id"');
      expect(msg).toContain('/config/processing.guarantee: must be one of at_least_once, exactly_once_v2');
      expect(msg).toContain('/sources/lines: unknown field "colour": remove it or check its spelling');
      expect(msg).toContain('/pipelines/0/steps/0/count/store: must match pattern');
      expect(msg).toContain('/pipelines/0/steps/1: unknown operation "frobnicate"');
    }
  });

  it('names unregistered functions', () => {
    const spec = WORDCOUNT.replace('splitWords', 'nope');
    expect(() => compileTopologySpec(spec, registry)).toThrow(
      /\/pipelines\/0\/steps\/0: no function is registered as "nope"/,
    );
  });

  it('keeps topology/schema/topology.schema.json in step with the schema in code', () => {
    const file = JSON.parse(
      readFileSync(new URL('../../../../topology/schema/topology.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(file).toEqual(JSON.parse(JSON.stringify(TOPOLOGY_SPEC_SCHEMA)));
  });
});
