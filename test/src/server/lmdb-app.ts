import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLmdbBackend } from '../../../state/lmdb/index.ts';
import type { StoreBackend } from '../../../state/backend.ts';
import type { ReadOnlyKeyValueStore } from '../../../state/types.ts';
import { loadStreamsConfig } from '../../../src/config/index.ts';
import { partitionFor } from '../../../src/kafka/index.ts';
import type { AppState } from '../../../src/runtime/app-lifecycle.ts';
import type { StreamsApp } from '../../../src/runtime/streams-app.ts';
import { StreamsMetrics } from '../../../src/runtime/streams-metrics.ts';
import { jsonSerde, stringSerde } from '../../../src/serdes/index.ts';
import type { CompiledTopology } from '../../../src/topology/topology.ts';

const str = stringSerde();
const json = jsonSerde<unknown>();

/**
 * A broker-free StreamsApp (`query.threads` 1) whose tasks' state lives in real LMDB environments: one
 * string-keyed JSON store over `partitions` tasks, all on this instance, for the query workers to read.
 * `state` and `running` are what the app reports; set them to play a rebalance or a shutdown.
 */
export class LmdbApp {
  state: AppState = 'RUNNING';
  running: string[];
  /** Reads of the main thread's store view (the workers' own answers add none). */
  mainThreadReads = 0;
  readonly app: StreamsApp;
  readonly #dir = mkdtempSync(join(tmpdir(), 'millrace-query-threads-'));
  readonly #backends = new Map<string, StoreBackend>();

  readonly appId: string;
  readonly store: string;
  readonly partitions: number;

  constructor(appId: string, store: string, partitions: number) {
    this.appId = appId;
    this.store = store;
    this.partitions = partitions;
    this.running = this.allTasks();
    for (let p = 0; p < partitions; p++)
      this.#backends.set(`0_${p}`, createLmdbBackend({ path: join(this.#dir, appId, `0_${p}`) }));
    this.app = this.#app();
  }

  allTasks(): string[] {
    return Array.from({ length: this.partitions }, (_, p) => `0_${p}`);
  }

  taskOf(key: string): string {
    return `0_${partitionFor(str.serialize(key), this.partitions)}`;
  }

  /** Commits like a task (null deletes): the LMDB state the workers read. */
  async commit(key: string, value: unknown): Promise<void> {
    await this.#backends.get(this.taskOf(key))!.commit(
      [
        {
          store: this.store,
          key: str.serialize(key),
          value: value === null ? null : json.serialize(value),
        },
      ],
      new Map(),
    );
  }

  async close(): Promise<void> {
    for (const b of this.#backends.values()) await b.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #app(): StreamsApp {
    const spec = {
      name: this.store,
      type: 'key-value',
      keySerde: str,
      valueSerde: json,
      logged: true,
      persistent: true,
    };
    const compiled = {
      applicationId: this.appId,
      subtopologies: [
        { id: 0, sourceTopics: ['in'], nodes: [], stores: [spec], partitions: this.partitions },
      ],
      subtopologyOf: () => undefined,
    } as unknown as CompiledTopology;
    const view: ReadOnlyKeyValueStore<string, unknown> = {
      name: this.store,
      persistent: true,
      get: (key) => {
        this.mainThreadReads++;
        const bytes = this.#backends.get(this.taskOf(key))!.openStore(this.store).get(str.serialize(key));
        return bytes === undefined ? undefined : json.deserialize(bytes);
      },
      range: () => (async function* () {})(),
      prefixScan: () => (async function* () {})(),
      all: () => (async function* () {})(),
      approximateNumEntries: () => 0,
    };
    const listeners = new Set<(to: AppState, from: AppState) => void>();
    const state = () => this.state;
    const app = {
      config: loadStreamsConfig(
        {
          'application.id': this.appId,
          'bootstrap.servers': '127.0.0.1:1',
          'state.dir': this.#dir,
          'query.threads': 1,
        },
        {},
      ),
      get state() {
        return state();
      },
      metrics: new StreamsMetrics(),
      compiled,
      onStateChange(l: (to: AppState, from: AppState) => void) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      store: () => view,
      instances: async () => [{ memberId: 'm1', server: 'local', partitions: [], tasks: this.running }],
      taskForKey: (_s: string, key: unknown) => this.taskOf(key as string),
      runningTaskIds: () => this.running,
    };
    return app as unknown as StreamsApp;
  }
}
