import { jsonSchemaSerde, longSerde, stringSerde } from '../../../src/serdes/index.ts';
import { createStreamsBuilder, type Topology } from '../../../src/topology/index.ts';

/** The value of a good poison-flood record. */
export interface PoisonValue {
  id: string;
  n: number;
}

/** The schema good values match; anything else is a schema violation (MR_SERDE on deserialize). */
export const POISON_SCHEMA = {
  type: 'object',
  required: ['id', 'n'],
  additionalProperties: false,
  properties: { id: { type: 'string' }, n: { type: 'integer', minimum: 0 } },
} as const;

/**
 * The count topology with JSON-schema values: counts records per key into store `counts` and writes every
 * new count to `output`. Store and changelog are the same as the runtime fixture's count topology, so the
 * same oracle check reads them.
 */
export function poisonTopology(input: string, output: string): Topology {
  const b = createStreamsBuilder();
  b.stream<string, PoisonValue>(input, {
    keySerde: stringSerde(),
    valueSerde: jsonSchemaSerde<PoisonValue>(POISON_SCHEMA),
  })
    .groupByKey()
    .count({ storeName: 'counts', cachingEnabled: false }) // every update forwarded: the oracle checks 1..n
    .toStream()
    .to(output, { valueSerde: longSerde() });
  return b.build();
}
