export { compileTopologySpec, type CompiledSpec } from './compile-spec.ts';
export { validateSpec } from './validate-spec.ts';
export { TOPOLOGY_SPEC_SCHEMA } from './schema.ts';
export {
  createProcessorRegistry,
  type ProcessorRegistry,
  type SpecParams,
  type AggregatorDefinition,
  type ReducerDefinition,
} from './processor-registry.ts';
