import { MillraceError } from '../../errors/index.ts';
import type { ProcessorSupplier } from '../../processor/processor.ts';
import type { Serde } from '../../serdes/serde.ts';

/** Parameters a spec step passes to a registered factory. */
export type SpecParams = Readonly<Record<string, unknown>>;

/** A registered aggregator: `adder`, and `subtractor` when the input is a table. */
export interface AggregatorDefinition {
  initializer: () => unknown;
  adder: (key: unknown, value: unknown, aggregate: unknown) => unknown;
  subtractor?: (key: unknown, value: unknown, aggregate: unknown) => unknown;
}

/** A registered reducer: `adder`, and `subtractor` when the input is a table. */
export interface ReducerDefinition {
  adder: (aggregate: unknown, value: unknown) => unknown;
  subtractor?: (aggregate: unknown, value: unknown) => unknown;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- step functions take the DSL's arguments, typed by the user
type AnyFn = (...args: any[]) => any;

/**
 * What a YAML spec can name: processors (`process` steps), plain functions (`filter`, `map`, `groupBy` …),
 * aggregators, reducers and serdes, each registered under a name with a factory taking the step's `params`.
 *
 * @example
 * ```ts
 * const registry = createProcessorRegistry()
 *   .registerFunction('splitWords', () => (line: string) => line.split(/\W+/))
 *   .registerProcessor('dedupe', (params) => dedupeSupplier(params.windowMs as number));
 * ```
 */
export interface ProcessorRegistry {
  registerProcessor(
    name: string,
    factory: (params: SpecParams) => ProcessorSupplier<unknown, unknown, unknown, unknown>,
  ): ProcessorRegistry;
  registerFunction(name: string, factory: (params: SpecParams) => AnyFn): ProcessorRegistry;
  registerAggregator(name: string, factory: (params: SpecParams) => AggregatorDefinition): ProcessorRegistry;
  registerReducer(name: string, factory: (params: SpecParams) => ReducerDefinition): ProcessorRegistry;
  registerSerde(name: string, serde: Serde<unknown>): ProcessorRegistry;
  processor(
    name: string,
    params: SpecParams,
    at: string,
  ): ProcessorSupplier<unknown, unknown, unknown, unknown>;
  fn(name: string, params: SpecParams, at: string): AnyFn;
  aggregator(name: string, params: SpecParams, at: string): AggregatorDefinition;
  reducer(name: string, params: SpecParams, at: string): ReducerDefinition;
  serde(name: string, at: string): Serde<unknown> | undefined;
}

/** Makes an empty {@link ProcessorRegistry}. */
export function createProcessorRegistry(): ProcessorRegistry {
  const maps = {
    processor: new Map<string, (p: SpecParams) => ProcessorSupplier<unknown, unknown, unknown, unknown>>(),
    function: new Map<string, (p: SpecParams) => AnyFn>(),
    aggregator: new Map<string, (p: SpecParams) => AggregatorDefinition>(),
    reducer: new Map<string, (p: SpecParams) => ReducerDefinition>(),
    serde: new Map<string, Serde<unknown>>(),
  };
  const get = <T>(kind: keyof typeof maps, map: Map<string, T>, name: string, at: string): T => {
    const found = map.get(name);
    if (found === undefined) {
      throw new MillraceError(
        'MR_TOPOLOGY_SPEC_UNKNOWN_REFERENCE',
        `${at}: no ${kind} is registered as "${name}" (registered: ${[...map.keys()].join(', ') || 'none'}): register it with register${kind[0]?.toUpperCase()}${kind.slice(1)}('${name}', …) or fix the name`,
      );
    }
    return found;
  };
  const registry: ProcessorRegistry = {
    registerProcessor: (n, f) => (maps.processor.set(n, f), registry),
    registerFunction: (n, f) => (maps.function.set(n, f), registry),
    registerAggregator: (n, f) => (maps.aggregator.set(n, f), registry),
    registerReducer: (n, f) => (maps.reducer.set(n, f), registry),
    registerSerde: (n, s) => (maps.serde.set(n, s), registry),
    processor: (n, p, at) => get('processor', maps.processor, n, at)(p),
    fn: (n, p, at) => get('function', maps.function, n, at)(p),
    aggregator: (n, p, at) => get('aggregator', maps.aggregator, n, at)(p),
    reducer: (n, p, at) => get('reducer', maps.reducer, n, at)(p),
    serde: (n) => maps.serde.get(n),
  };
  return registry;
}
