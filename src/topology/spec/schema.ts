/**
 * The JSON schema of a declarative topology spec (YAML). `topology/schema/topology.schema.json` is this
 * object written out (for editors); test/src/topology/spec/schema.test.ts checks that the two agree.
 */
const name = { type: 'string', minLength: 1, pattern: '^[A-Za-z0-9._-]+$' } as const;
const serde = {
  type: 'string',
  minLength: 1,
  description: 'string | json | long | bytes | a serde registered by name',
} as const;
const fnRef = {
  type: 'object',
  required: ['fn'],
  additionalProperties: false,
  properties: { fn: { type: 'string', minLength: 1 }, params: { type: 'object' }, name },
} as const;
const materialized = {
  store: name,
  keySerde: serde,
  valueSerde: serde,
  logging: { type: 'boolean' },
  persistent: { type: 'boolean' },
  name,
} as const;
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});
const step = (op: string, body: unknown) => ({
  type: 'object',
  additionalProperties: false,
  required: [op],
  properties: { [op]: body },
});

export const TOPOLOGY_SPEC_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://millrace.dev/schema/topology.schema.json',
  title: 'Millrace topology',
  type: 'object',
  additionalProperties: false,
  required: ['config', 'sources', 'pipelines'],
  properties: {
    config: {
      type: 'object',
      required: ['application.id'],
      properties: {
        'application.id': name,
        'processing.guarantee': { enum: ['at_least_once', 'exactly_once_v2'] },
      },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    sources: {
      type: 'object',
      minProperties: 1,
      propertyNames: name,
      additionalProperties: obj(
        {
          topic: { anyOf: [name, { type: 'array', items: name, minItems: 1 }] },
          type: { enum: ['stream', 'table', 'globalTable'] },
          keySerde: serde,
          valueSerde: serde,
          store: name,
          name,
          timestamp: obj(
            {
              field: { type: 'string', minLength: 1, pattern: '^[^.]+(\\.[^.]+)*$' },
              acceptZWithOffset: { type: 'boolean' },
            },
            ['field'],
          ),
        },
        ['topic'],
      ),
    },
    stores: {
      type: 'array',
      items: obj(
        {
          name,
          keySerde: serde,
          valueSerde: serde,
          logging: { type: 'boolean' },
          persistent: { type: 'boolean' },
        },
        ['name'],
      ),
    },
    pipelines: { type: 'array', minItems: 1, items: { $ref: '#/definitions/pipeline' } },
  },
  definitions: {
    pipeline: obj(
      {
        from: { anyOf: [name, { type: 'array', items: name, minItems: 1 }] },
        steps: { type: 'array', items: { $ref: '#/definitions/step' } },
        as: name,
      },
      ['from', 'steps'],
    ),
    step: {
      oneOf: [
        ...['filter', 'filterNot', 'map', 'mapValues', 'flatMap', 'flatMapValues', 'selectKey', 'peek'].map(
          (op) => step(op, fnRef),
        ),
        step('groupByKey', obj({ name, keySerde: serde, valueSerde: serde })),
        step(
          'groupBy',
          obj(
            {
              fn: { type: 'string', minLength: 1 },
              params: { type: 'object' },
              name,
              keySerde: serde,
              valueSerde: serde,
            },
            ['fn'],
          ),
        ),
        step('count', obj(materialized)),
        step(
          'reduce',
          obj({ fn: { type: 'string', minLength: 1 }, params: { type: 'object' }, ...materialized }, ['fn']),
        ),
        step(
          'aggregate',
          obj({ fn: { type: 'string', minLength: 1 }, params: { type: 'object' }, ...materialized }, ['fn']),
        ),
        step('toStream', obj({ name })),
        step(
          'repartition',
          obj({ name, keySerde: serde, valueSerde: serde, partitions: { type: 'integer', minimum: 1 } }),
        ),
        step('to', obj({ topic: name, keySerde: serde, valueSerde: serde, name }, ['topic'])),
        step(
          'process',
          obj(
            {
              processor: { type: 'string', minLength: 1 },
              params: { type: 'object' },
              stores: { type: 'array', items: name },
              keySerde: serde,
              valueSerde: serde,
              name,
            },
            ['processor'],
          ),
        ),
        step('merge', obj({ with: name, name }, ['with'])),
        step(
          'split',
          obj(
            {
              name,
              branches: {
                type: 'array',
                minItems: 1,
                items: obj({
                  fn: { type: 'string', minLength: 1 },
                  params: { type: 'object' },
                  name,
                  default: { type: 'boolean' },
                  steps: { type: 'array', items: { $ref: '#/definitions/step' } },
                  as: name,
                }),
              },
            },
            ['branches'],
          ),
        ),
      ],
    },
  },
} as const;
