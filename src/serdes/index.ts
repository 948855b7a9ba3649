export type { Serde } from './serde.ts';
export { stringSerde } from './string-serde.ts';
export { bytesSerde } from './bytes-serde.ts';
export { longSerde } from './long-serde.ts';
export { jsonSerde } from './json-serde.ts';
export { jsonSchemaSerde, type JsonSchemaSerdeOptions } from './json-schema-serde.ts';
