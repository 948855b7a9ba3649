import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { MillraceError } from '../errors/index.ts';

/** A topic `millrace run` creates when missing (input topics a fresh broker does not have). */
export interface RunTopic {
  name: string;
  partitions: number;
  /** Default -1: the broker's default replication factor. */
  replicationFactor?: number;
  configs?: Record<string, string>;
}

/** One topology of the run config: the spec path and config overriding the spec's and the common one. */
export interface RunTopology {
  path: string;
  config?: Record<string, string | number | boolean>;
}

/** The server settings of the run config. Environment: `PORT`, `MILLRACE_API_TOKEN`. */
export interface RunServerConfig {
  port?: number;
  host?: string;
  /** Host others reach this instance at; `application.server` defaults to `<advertisedHost>:<port>`. */
  advertisedHost?: string;
  auth?: {
    tokenFile?: string;
    internalTokenFile?: string;
    jwt?: { publicKeyFile: string; issuer?: string; audience?: string; algorithms?: string[] };
  };
  tls?: { certFile: string; keyFile: string; caFile?: string };
  forwardTimeoutMs?: number;
  logLevel?: string;
}

/**
 * The `millrace run` config file (millrace.yaml). Paths are relative to the file.
 *
 * @example
 * ```yaml
 * common: { processing.guarantee: exactly_once_v2 }
 * topologies: [topology/patient-profiles.yaml]
 * plugins: [./processors/healthcare/index.ts]
 * topics: [{ name: patient-events, partitions: 6 }]
 * server: { port: 8080 }
 * ```
 */
export interface RunConfig {
  /** Where the file is (resolved paths below are relative to its folder). */
  file: string;
  common: Record<string, string | number | boolean>;
  topologies: RunTopology[];
  plugins: string[];
  topics: RunTopic[];
  server: RunServerConfig;
}

const scalar = { type: ['string', 'number', 'boolean'] };
const configMap = { type: 'object', additionalProperties: scalar };
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    common: configMap,
    topologies: {
      type: 'array',
      items: {
        oneOf: [
          { type: 'string', minLength: 1 },
          {
            type: 'object',
            additionalProperties: false,
            required: ['path'],
            properties: { path: { type: 'string', minLength: 1 }, config: configMap },
          },
        ],
      },
    },
    plugins: { type: 'array', items: { type: 'string', minLength: 1 } },
    topics: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'partitions'],
        properties: {
          name: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' },
          partitions: { type: 'integer', minimum: 1 },
          replicationFactor: { type: 'integer', minimum: -1 },
          configs: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    server: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { type: 'integer', minimum: 0, maximum: 65535 },
        host: { type: 'string' },
        advertisedHost: { type: 'string' },
        forwardTimeoutMs: { type: 'integer', minimum: 1 },
        logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
        auth: {
          type: 'object',
          additionalProperties: false,
          properties: {
            tokenFile: { type: 'string' },
            internalTokenFile: { type: 'string' },
            jwt: {
              type: 'object',
              additionalProperties: false,
              required: ['publicKeyFile'],
              properties: {
                publicKeyFile: { type: 'string' },
                issuer: { type: 'string' },
                audience: { type: 'string' },
                algorithms: { type: 'array', items: { type: 'string' } },
              },
            },
          },
        },
        tls: {
          type: 'object',
          additionalProperties: false,
          required: ['certFile', 'keyFile'],
          properties: {
            certFile: { type: 'string' },
            keyFile: { type: 'string' },
            caFile: { type: 'string' },
          },
        },
      },
    },
  },
} as const;

const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(SCHEMA);

/** The config file `millrace run` uses: `--config`, else `millrace.yaml`, else `millrace.example.yaml`. */
export function defaultConfigPath(cwd = process.cwd()): string {
  const own = resolve(cwd, 'millrace.yaml');
  return existsSync(own) ? own : resolve(cwd, 'millrace.example.yaml');
}

/** Reads and validates a run config file; paths in it are made absolute. */
export function loadRunConfig(path: string): RunConfig {
  const file = resolve(path);
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (cause) {
    throw new MillraceError(
      'MR_RUN_CONFIG_INVALID',
      `cannot read the run config ${file} (${(cause as Error).message}): pass --config <file.yaml>`,
      { cause },
    );
  }
  if (!validate(doc)) {
    const why = (validate.errors ?? [])
      .map(
        (e) =>
          `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` ("${String(e.params.additionalProperty)}")` : ''}`,
      )
      .join('; ');
    throw new MillraceError('MR_RUN_CONFIG_INVALID', `${file} is not a valid run config: ${why}`);
  }
  const d = doc as {
    common?: RunConfig['common'];
    topologies?: (string | RunTopology)[];
    plugins?: string[];
    topics?: RunTopic[];
    server?: RunServerConfig;
  };
  const dir = dirname(file);
  const abs = (p: string) => resolve(dir, p);
  const server = { ...(d.server ?? {}) };
  if (server.tls)
    server.tls = {
      certFile: abs(server.tls.certFile),
      keyFile: abs(server.tls.keyFile),
      ...(server.tls.caFile ? { caFile: abs(server.tls.caFile) } : {}),
    };
  return {
    file,
    common: d.common ?? {},
    topologies: (d.topologies ?? []).map((t) =>
      typeof t === 'string' ? { path: abs(t) } : { ...t, path: abs(t.path) },
    ),
    plugins: (d.plugins ?? []).map(abs),
    topics: d.topics ?? [],
    server,
  };
}
