import { join } from 'node:path';
import * as stateSerdes from '../../../state/serde.ts';
import { jsonSerde, stringSerde } from '../../serdes/index.ts';
import type { StreamsApp } from '../../runtime/streams-app.ts';
import { StoreQuery } from './store-query.ts';

/** A key-value store a query worker may read itself: string keys, JSON or string values. */
export interface RoutedStore {
  readonly subId: number;
  readonly partitions: number;
  readonly value: 'json' | 'string';
}

/**
 * What a query worker knows of one application: enough to find the task of a key and read it. Anything
 * not described here (other serdes, window stores, a task not RUNNING here) is answered by the main thread.
 */
export interface RoutedApp {
  /** RUNNING or REBALANCING: the states in which the main thread answers key lookups too. */
  readonly up: boolean;
  /** `application.server`, or `local` (StoreQuery.self). */
  readonly self: string;
  /** `<state.dir>/<application.id>` when the backend is LMDB, else null (no worker reads). */
  readonly stateDir: string | null;
  readonly stores: Readonly<Record<string, RoutedStore>>;
  /** The task ids RUNNING in this process now: only their state is committed and current. */
  readonly running: readonly string[];
}

export type RoutingSnapshot = Readonly<Record<string, RoutedApp>>;

/**
 * The serdes a worker reproduces exactly, recognised by identity (the factories return singletons; the
 * public ones of src/serdes and the store layer's own twins decode alike).
 */
function valueKind(serde: unknown): RoutedStore['value'] | null {
  if (serde === jsonSerde() || serde === stateSerdes.jsonSerde()) return 'json';
  if (isString(serde)) return 'string';
  return null;
}

const isString = (serde: unknown) => serde === stringSerde() || serde === stateSerdes.stringSerde();

/** The snapshot of every application now (called by the main thread between slices of stream work). */
export function routingSnapshot(apps: ReadonlyMap<string, StreamsApp>): RoutingSnapshot {
  const out: Record<string, RoutedApp> = {};
  for (const [id, app] of apps) {
    const stores: Record<string, RoutedStore> = {};
    for (const sub of app.compiled?.subtopologies ?? [])
      for (const s of sub.stores) {
        const value = valueKind(s.valueSerde);
        if (s.type === 'key-value' && isString(s.keySerde) && value)
          stores[s.name] = { subId: sub.id, partitions: sub.partitions, value };
      }
    const up = app.state === 'RUNNING' || app.state === 'REBALANCING';
    out[id] = {
      up,
      self: StoreQuery.self(app),
      stateDir:
        app.config['state.backend'] === 'lmdb'
          ? join(app.config['state.dir'], app.config['application.id'])
          : null,
      stores,
      running: up ? app.runningTaskIds().sort() : [],
    };
  }
  return out;
}
