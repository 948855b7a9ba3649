import { describe, expect, it } from 'vitest';
import { isMillraceError } from '../../../src/errors/index.ts';
import { longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';

const str = stringSerde();

function wordCount() {
  const b = createStreamsBuilder();
  b.stream<string, string>('streams-plaintext-input', { keySerde: str, valueSerde: str })
    .flatMapValues((v) => v.toLowerCase().split(/\W+/))
    .groupBy((_k, w) => w, { keySerde: str })
    .count({ storeName: 'counts-store' })
    .toStream()
    .to('streams-wordcount-output', { valueSerde: longSerde() });
  return b.build();
}

describe('StreamsBuilder', () => {
  it('describes word count exactly as Kafka Streams does, split at the repartition topic', () => {
    expect(wordCount().describe().toString()).toBe(
      [
        'Topologies:',
        '   Sub-topology: 0',
        '    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])',
        '      --> KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])',
        '      --> KSTREAM-KEY-SELECT-0000000002',
        '      <-- KSTREAM-SOURCE-0000000000',
        '    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])',
        '      --> counts-store-repartition-filter',
        '      <-- KSTREAM-FLATMAPVALUES-0000000001',
        '    Processor: counts-store-repartition-filter (stores: [])',
        '      --> counts-store-repartition-sink',
        '      <-- KSTREAM-KEY-SELECT-0000000002',
        '    Sink: counts-store-repartition-sink (topic: counts-store-repartition)',
        '      <-- counts-store-repartition-filter',
        '',
        '  Sub-topology: 1',
        '    Source: counts-store-repartition-source (topics: [counts-store-repartition])',
        '      --> KSTREAM-AGGREGATE-0000000003',
        '    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])',
        '      --> KTABLE-TOSTREAM-0000000007',
        '      <-- counts-store-repartition-source',
        '    Processor: KTABLE-TOSTREAM-0000000007 (stores: [])',
        '      --> KSTREAM-SINK-0000000008',
        '      <-- KSTREAM-AGGREGATE-0000000003',
        '    Sink: KSTREAM-SINK-0000000008 (topic: streams-wordcount-output)',
        '      <-- KTABLE-TOSTREAM-0000000007',
        '',
        '',
      ].join('\n'),
    );
  });

  it('uses generated repartition node names when the store is unnamed', () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in')
      .selectKey((_k, v) => v)
      .groupByKey()
      .count();
    const text = b.build().describe().toString();
    expect(text).toContain(
      'Sink: KSTREAM-SINK-0000000004 (topic: KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition)',
    );
    expect(text).toContain(
      'Source: KSTREAM-SOURCE-0000000006 (topics: [KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition])',
    );
  });

  it('does not repartition when the key did not change', () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('in')
      .mapValues((v) => v.length)
      .filter(() => true)
      .groupByKey()
      .count({ storeName: 'c' });
    const d = b.build().describe();
    expect(d.subtopologies).toHaveLength(1);
    expect(d.toString()).not.toContain('repartition');
  });

  it('compiles internal topics with prefixed names and partition counts', () => {
    const b = createStreamsBuilder();
    b.stream<string, string>('orders')
      .selectKey((_k, v) => v)
      .groupByKey({ name: 'by-customer' })
      .count({ storeName: 'per-customer' });
    b.stream<string, string>('other')
      .repartition({ name: 'spread', numberOfPartitions: 12 })
      .to('spread-out');
    const compiled = b
      .build()
      .compile({ applicationId: 'shop', partitionsOf: (t) => ({ orders: 6, other: 3 })[t] });
    expect(compiled.internalTopics.map((t) => [t.name, t.kind, t.partitions])).toEqual([
      ['shop-by-customer-repartition', 'repartition', 6],
      ['shop-per-customer-changelog', 'changelog', 6],
      ['shop-spread-repartition', 'repartition', 12],
    ]);
    expect(compiled.subtopologies.map((s) => [s.id, s.sourceTopics, s.partitions])).toEqual([
      // ids follow the sorted source node names, as in Kafka Streams (generated names sort first)
      [0, ['orders'], 6],
      [1, ['other'], 3],
      [2, ['shop-by-customer-repartition'], 6],
      [3, ['shop-spread-repartition'], 12],
    ]);
    expect(compiled.subtopologies[2]?.stores[0]?.changelogTopic).toBe('shop-per-customer-changelog');
    expect(compiled.sourceTopics).toEqual(['orders', 'other']);
    expect(compiled.sinkTopics).toEqual(['spread-out']);
    expect(compiled.subtopologyOf('shop-spread-repartition')?.id).toBe(3);
  });

  it('fails compilation for a topic of unknown size, saying what to do', () => {
    const b = createStreamsBuilder();
    b.stream('missing').to('out');
    try {
      b.build().compile({ applicationId: 'a', partitionsOf: () => undefined });
      expect.unreachable();
    } catch (err) {
      expect(isMillraceError(err, 'MR_TOPOLOGY_UNKNOWN_TOPIC')).toBe(true);
      expect((err as Error).message).toMatch(/create it before starting/);
    }
  });

  it('rejects a processor that names an undefined store', () => {
    const b = createStreamsBuilder();
    b.stream('in').process(() => ({ process: () => undefined }), { stores: ['nope'] });
    expect(() => b.build()).toThrow(/addStateStore/);
  });

  it('renders JSON and Mermaid', () => {
    const d = wordCount().describe();
    const json = JSON.parse(JSON.stringify(d)) as { subtopologies: { id: number }[] };
    expect(json.subtopologies.map((s) => s.id)).toEqual([0, 1]);
    const mermaid = d.toMermaid();
    expect(mermaid.startsWith('flowchart TD')).toBe(true);
    expect(mermaid).toContain('subgraph s1["Sub-topology: 1"]');
    expect(mermaid).toContain('[/"counts-store-repartition"/]');
  });
});
