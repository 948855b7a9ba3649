import { parse } from 'yaml';
import { MillraceError } from '../../errors/index.ts';
import { bytesSerde } from '../../serdes/bytes-serde.ts';
import { jsonSerde } from '../../serdes/json-serde.ts';
import { longSerde } from '../../serdes/long-serde.ts';
import type { Serde } from '../../serdes/serde.ts';
import { stringSerde } from '../../serdes/string-serde.ts';
import { valueFieldTimestampExtractor } from '../../time/value-field-timestamp-extractor.ts';
import type { KGroupedStream } from '../kgrouped-stream.ts';
import type { KGroupedTable } from '../kgrouped-table.ts';
import type { KTable } from '../ktable.ts';
import type { KStream } from '../kstream.ts';
import { createStreamsBuilder } from '../streams-builder.ts';
import type { Topology } from '../topology.ts';
import type { ProcessorRegistry, SpecParams } from './processor-registry.ts';
import { validateSpec } from './validate-spec.ts';

/** A compiled spec: the topology and the spec's `config` section. */
export interface CompiledSpec {
  readonly topology: Topology;
  readonly config: Readonly<Record<string, string | number | boolean>> & {
    readonly 'application.id': string;
  };
}

type U = unknown;
type Step = Record<string, Record<string, unknown>>;
type Current =
  | { kind: 'stream'; s: KStream<U, U> }
  | { kind: 'table'; t: KTable<U, U> }
  | { kind: 'grouped-stream'; g: KGroupedStream<U, U> }
  | { kind: 'grouped-table'; g: KGroupedTable<U, U> }
  | { kind: 'end' };

/**
 * Compiles a declarative topology spec (YAML text or the parsed object) into the same `Topology` the
 * equivalent DSL program builds: same nodes, same generated names, same `describe()`.
 *
 * @example
 * ```ts
 * const { topology, config } = compileTopologySpec(readFileSync('topology/wordcount.yaml', 'utf8'), registry);
 * ```
 */
export function compileTopologySpec(spec: string | unknown, registry: ProcessorRegistry): CompiledSpec {
  let doc: unknown = spec;
  if (typeof spec === 'string') {
    try {
      doc = parse(spec);
    } catch (cause) {
      throw new MillraceError(
        'MR_TOPOLOGY_SPEC_INVALID',
        `the topology spec is not valid YAML: ${(cause as Error).message}`,
        { cause },
      );
    }
  }
  validateSpec(doc);
  const d = doc as {
    config: CompiledSpec['config'];
    sources: Record<
      string,
      {
        topic: string | string[];
        type?: string;
        keySerde?: string;
        valueSerde?: string;
        store?: string;
        name?: string;
        timestamp?: { field: string; acceptZWithOffset?: boolean };
      }
    >;
    stores?: {
      name: string;
      keySerde?: string;
      valueSerde?: string;
      logging?: boolean;
      persistent?: boolean;
    }[];
    pipelines: { from: string | string[]; steps: Step[]; as?: string }[];
  };
  const serde = (n: string | undefined, at: string): Serde<U> | undefined => {
    if (n === undefined) return undefined;
    const builtin: Record<string, () => Serde<U>> = {
      string: () => stringSerde() as Serde<U>,
      json: () => jsonSerde(),
      long: () => longSerde() as Serde<U>,
      bytes: () => bytesSerde() as Serde<U>,
    };
    const s = registry.serde(n, at) ?? builtin[n]?.();
    if (s === undefined) {
      throw new MillraceError(
        'MR_TOPOLOGY_SPEC_UNKNOWN_REFERENCE',
        `${at}: unknown serde "${n}": use string, json, long, bytes or register it with registerSerde('${n}', …)`,
      );
    }
    return s;
  };
  const b = createStreamsBuilder();
  for (const s of d.stores ?? []) {
    b.addStateStore({
      name: s.name,
      keySerde: serde(s.keySerde, `/stores/${s.name}`),
      valueSerde: serde(s.valueSerde, `/stores/${s.name}`),
      loggingEnabled: s.logging,
      persistent: s.persistent,
    });
  }
  const named = new Map<string, Current>();
  const globals = new Set<string>();
  for (const [id, src] of Object.entries(d.sources)) {
    const at = `/sources/${id}`;
    const consumed = {
      keySerde: serde(src.keySerde, at),
      valueSerde: serde(src.valueSerde, at),
      name: src.name,
      // `timestamp: { field }`: event time from an RFC 3339 field of the value (nanosecond precise).
      timestampExtractor:
        src.timestamp === undefined
          ? undefined
          : valueFieldTimestampExtractor(src.timestamp.field, {
              acceptZWithOffset: src.timestamp.acceptZWithOffset ?? false,
            }),
    };
    const topic = Array.isArray(src.topic) ? src.topic : [src.topic];
    if ((src.type ?? 'stream') === 'stream') named.set(id, { kind: 'stream', s: b.stream(topic, consumed) });
    else if (src.type === 'table')
      named.set(id, { kind: 'table', t: b.table(topic[0] as string, consumed, { storeName: src.store }) });
    else {
      b.globalTable(topic[0] as string, consumed, { storeName: src.store });
      globals.add(id);
    }
  }
  const lookup = (n: string, at: string): Current => {
    const c = named.get(n);
    if (c === undefined) {
      throw new MillraceError(
        'MR_TOPOLOGY_SPEC_UNKNOWN_REFERENCE',
        `${at}: "${n}" is not a source or an earlier pipeline's "as" name${globals.has(n) ? ' (a globalTable is read through getStateStore in a processor)' : ''}`,
      );
    }
    return c;
  };
  const runSteps = (start: Current, steps: readonly Step[], at: string): Current => {
    let cur = start;
    steps.forEach((step, i) => {
      cur = applyStep(cur, step, `${at}/steps/${i}`);
    });
    return cur;
  };
  const applyStep = (cur: Current, step: Step, at: string): Current => {
    const [op, a] = Object.entries(step)[0] as [string, Record<string, unknown>];
    const fn = (): ReturnType<ProcessorRegistry['fn']> =>
      registry.fn(a.fn as string, (a.params ?? {}) as SpecParams, at);
    const nm = a.name === undefined ? undefined : { name: a.name as string };
    const mat = {
      storeName: a.store as string | undefined,
      keySerde: serde(a.keySerde as string | undefined, at),
      valueSerde: serde(a.valueSerde as string | undefined, at),
      loggingEnabled: a.logging as boolean | undefined,
      persistent: a.persistent as boolean | undefined,
      name: a.name as string | undefined,
    };
    const wrong = (): never => {
      throw new MillraceError(
        'MR_TOPOLOGY_SPEC_INVALID',
        `${at}: "${op}" cannot follow a ${cur.kind} step: check the order of the steps`,
      );
    };
    if (cur.kind === 'stream') {
      const s = cur.s;
      switch (op) {
        case 'filter':
          return { kind: 'stream', s: s.filter(fn(), nm) };
        case 'filterNot':
          return { kind: 'stream', s: s.filterNot(fn(), nm) };
        case 'map':
          return { kind: 'stream', s: s.map(fn(), nm) };
        case 'mapValues':
          return { kind: 'stream', s: s.mapValues(fn(), nm) };
        case 'flatMap':
          return { kind: 'stream', s: s.flatMap(fn(), nm) };
        case 'flatMapValues':
          return { kind: 'stream', s: s.flatMapValues(fn(), nm) };
        case 'selectKey':
          return { kind: 'stream', s: s.selectKey(fn(), nm) };
        case 'peek':
          return { kind: 'stream', s: s.peek(fn(), nm) };
        case 'groupByKey':
          return {
            kind: 'grouped-stream',
            g: s.groupByKey({ ...nm, keySerde: mat.keySerde, valueSerde: mat.valueSerde }),
          };
        case 'groupBy':
          return {
            kind: 'grouped-stream',
            g: s.groupBy(fn(), { ...nm, keySerde: mat.keySerde, valueSerde: mat.valueSerde }),
          };
        case 'repartition':
          return {
            kind: 'stream',
            s: s.repartition({
              ...nm,
              keySerde: mat.keySerde,
              valueSerde: mat.valueSerde,
              numberOfPartitions: a.partitions as number | undefined,
            }),
          };
        case 'to':
          s.to(a.topic as string, { ...nm, keySerde: mat.keySerde, valueSerde: mat.valueSerde });
          return { kind: 'end' };
        case 'process':
          return {
            kind: 'stream',
            s: s.process(registry.processor(a.processor as string, (a.params ?? {}) as SpecParams, at), {
              ...nm,
              stores: a.stores as string[] | undefined,
              keySerde: mat.keySerde,
              valueSerde: mat.valueSerde,
            }),
          };
        case 'merge': {
          const other = lookup(a.with as string, at);
          if (other.kind !== 'stream') return wrong();
          return { kind: 'stream', s: s.merge(other.s, nm) };
        }
        case 'split': {
          let split = s.split(nm);
          const branches = a.branches as {
            fn?: string;
            params?: SpecParams;
            name?: string;
            default?: boolean;
            steps?: Step[];
            as?: string;
          }[];
          const chains = new Map<number, Current>();
          const chain = (j: number, br: (typeof branches)[number]) => (bs: KStream<U, U>) => {
            const end = runSteps({ kind: 'stream', s: bs }, br.steps ?? [], `${at}/split/branches/${j}`);
            chains.set(j, end);
            return end.kind === 'stream' ? end.s : undefined;
          };
          branches.forEach((br, j) => {
            if (br.default === true) split.defaultBranch({ name: br.name, chain: chain(j, br) });
            else
              split = split.branch(registry.fn(br.fn ?? '', br.params ?? {}, `${at}/split/branches/${j}`), {
                name: br.name,
                chain: chain(j, br),
              });
          });
          branches.forEach((br, j) => {
            const end = chains.get(j);
            if (br.as !== undefined && end !== undefined) named.set(br.as, end);
          });
          return { kind: 'end' };
        }
        default:
          return wrong();
      }
    }
    if (cur.kind === 'table') {
      switch (op) {
        case 'filter':
          return { kind: 'table', t: cur.t.filter(fn(), nm) };
        case 'filterNot':
          return { kind: 'table', t: cur.t.filterNot(fn(), nm) };
        case 'mapValues':
          return { kind: 'table', t: cur.t.mapValues(fn(), nm) };
        case 'toStream':
          return { kind: 'stream', s: cur.t.toStream(nm) };
        case 'groupBy':
          return {
            kind: 'grouped-table',
            g: cur.t.groupBy(fn(), { ...nm, keySerde: mat.keySerde, valueSerde: mat.valueSerde }),
          };
        default:
          return wrong();
      }
    }
    if (cur.kind === 'grouped-stream') {
      switch (op) {
        case 'count':
          return { kind: 'table', t: cur.g.count(mat as Parameters<typeof cur.g.count>[0]) as KTable<U, U> };
        case 'reduce':
          return {
            kind: 'table',
            t: cur.g.reduce(registry.reducer(a.fn as string, (a.params ?? {}) as SpecParams, at).adder, mat),
          };
        case 'aggregate': {
          const agg = registry.aggregator(a.fn as string, (a.params ?? {}) as SpecParams, at);
          return { kind: 'table', t: cur.g.aggregate(agg.initializer, agg.adder, mat) };
        }
        default:
          return wrong();
      }
    }
    if (cur.kind === 'grouped-table') {
      const missing = (what: string): never => {
        throw new MillraceError(
          'MR_TOPOLOGY_SPEC_UNKNOWN_REFERENCE',
          `${at}: ${what} "${String(a.fn)}" has no subtractor, which a table aggregation needs: add one`,
        );
      };
      switch (op) {
        case 'count':
          return { kind: 'table', t: cur.g.count(mat as Parameters<typeof cur.g.count>[0]) as KTable<U, U> };
        case 'reduce': {
          const r = registry.reducer(a.fn as string, (a.params ?? {}) as SpecParams, at);
          return { kind: 'table', t: cur.g.reduce(r.adder, r.subtractor ?? missing('reducer'), mat) };
        }
        case 'aggregate': {
          const agg = registry.aggregator(a.fn as string, (a.params ?? {}) as SpecParams, at);
          return {
            kind: 'table',
            t: cur.g.aggregate(agg.initializer, agg.adder, agg.subtractor ?? missing('aggregator'), mat),
          };
        }
        default:
          return wrong();
      }
    }
    return wrong();
  };
  d.pipelines.forEach((p, i) => {
    const at = `/pipelines/${i}`;
    const froms = Array.isArray(p.from) ? p.from : [p.from];
    let start = lookup(froms[0] as string, `${at}/from`);
    for (const other of froms.slice(1)) {
      const o = lookup(other, `${at}/from`);
      if (start.kind !== 'stream' || o.kind !== 'stream')
        throw new MillraceError('MR_TOPOLOGY_SPEC_INVALID', `${at}/from: only streams can be merged`);
      start = { kind: 'stream', s: start.s.merge(o.s) };
    }
    const end = runSteps(start, p.steps, at);
    if (p.as !== undefined) named.set(p.as, end);
  });
  return { topology: b.build(), config: d.config };
}
