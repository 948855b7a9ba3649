import type { FastifyInstance } from 'fastify';
import type { LoadGenerator } from '../cli/load-generator.ts';
import type { StreamsApp } from '../runtime/streams-app.ts';
import type { ProcessorRegistry } from '../topology/spec/index.ts';

/**
 * An application plugin: what a Millrace application (like the healthcare app) hands the `millrace run`
 * command. The config file names plugin modules; each module's default export is a MillracePlugin.
 *
 * @example
 * ```ts
 * const plugin: MillracePlugin = {
 *   name: 'healthcare',
 *   register(registry) { registry.registerProcessor('patient-profile-merge', (params) => () => new MergeProcessor(params)); },
 *   async routes(server, ctx) {
 *     server.get('/patients/:id', async (req) => (await ctx.get('patient-profiles', 'patient-profiles', id)).value);
 *   },
 * };
 * export default plugin;
 * ```
 */
export interface MillracePlugin {
  readonly name: string;
  /** Registers the processors, functions and serdes that topology specs name. */
  register?(registry: ProcessorRegistry): void;
  /** Adds HTTP routes after the built-in ones, with access to the running applications. */
  routes?(server: FastifyInstance, context: PluginContext): void | Promise<void>;
  /** Record generators for `millrace loadgen --generator <name>` (realistic test traffic). */
  readonly generators?: readonly LoadGenerator[];
}

/** Options of a store scan through {@link PluginContext.scan}. String keys, compared as UTF-8 bytes. */
export interface ScanRequest {
  from?: string;
  to?: string;
  prefix?: string;
  limit?: number;
}

/** What plugin routes may use. */
export interface PluginContext {
  /** The running applications, by application.id. */
  readonly apps: ReadonlyMap<string, StreamsApp>;
  /**
   * Reads a value by (string) key wherever it lives: from a local running task, or forwarded to the instance
   * that owns the key's partition. `servedBy` names the instance (`application.server`) that answered.
   * Throws MillraceError `MR_STORE_NOT_QUERYABLE` (the server answers 503 + Retry-After) while the owning
   * task restores or a rebalance is under way.
   */
  get<V>(
    applicationId: string,
    store: string,
    key: string,
  ): Promise<{ value: V | undefined; servedBy: string }>;
  /** Scans a store across every instance (fan-out, merged, each key once). */
  scan<V>(applicationId: string, store: string, request: ScanRequest): Promise<{ key: string; value: V }[]>;
  /** Produces JSON records (write endpoints answer 202 once the broker acknowledged them). */
  produce(
    topic: string,
    records: readonly { key: string | null; value: unknown; headers?: Record<string, string> }[],
  ): Promise<void>;
  /** Structured logger (pino); never log patient data. */
  readonly log: {
    info(obj: object | string, msg?: string): void;
    warn(obj: object | string, msg?: string): void;
    error(obj: object | string, msg?: string): void;
  };
}
