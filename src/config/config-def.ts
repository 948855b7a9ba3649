import { MillraceError } from '../errors/index.ts';

/** One typed config key: its doc, default and validator (Kafka's `ConfigDef`). */
export interface ConfigKey<T> {
  readonly name: string;
  readonly doc: string;
  /** Undefined: the key is required. */
  readonly default: T | undefined;
  /** Parses a raw value (from code, YAML or an environment variable string) or throws with what is wrong. */
  readonly parse: (raw: unknown) => T;
}

/** Reason a value is wrong; the config loader turns it into MR_CONFIG_INVALID with the key's name. */
export class ConfigValueError extends Error {}

export const types = {
  string(opts: { nonEmpty?: boolean; pattern?: RegExp; hint?: string } = {}) {
    return (raw: unknown): string => {
      if (typeof raw !== 'string') throw new ConfigValueError(`expected a string, got ${typeof raw}`);
      if (opts.nonEmpty && raw.length === 0) throw new ConfigValueError('must not be empty');
      if (opts.pattern && !opts.pattern.test(raw))
        throw new ConfigValueError(opts.hint ?? `must match ${opts.pattern}`);
      return raw;
    };
  },
  int(opts: { min?: number; max?: number } = {}) {
    return (raw: unknown): number => {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isInteger(n))
        throw new ConfigValueError(`expected an integer, got ${JSON.stringify(raw)}`);
      if (opts.min !== undefined && n < opts.min)
        throw new ConfigValueError(`must be >= ${opts.min}, got ${n}`);
      if (opts.max !== undefined && n > opts.max)
        throw new ConfigValueError(`must be <= ${opts.max}, got ${n}`);
      return n;
    };
  },
  oneOf<const T extends string>(values: readonly T[]) {
    return (raw: unknown): T => {
      if (typeof raw !== 'string' || !values.includes(raw as T)) {
        throw new ConfigValueError(
          `must be one of ${values.map((v) => `"${v}"`).join(', ')}, got ${JSON.stringify(raw)}`,
        );
      }
      return raw as T;
    };
  },
  list() {
    return (raw: unknown): string[] => {
      const list = typeof raw === 'string' ? raw.split(',') : raw;
      if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
        throw new ConfigValueError('expected a comma-separated string or a list of strings');
      }
      const items = list.map((s: string) => s.trim()).filter(Boolean);
      if (items.length === 0) throw new ConfigValueError('must name at least one entry');
      return items;
    };
  },
  hostPort(opts: { optional: true }) {
    return (raw: unknown): string | null => {
      if (raw === null || raw === '') return opts.optional ? null : raw;
      if (typeof raw !== 'string' || !/^[^:\s]+:\d{1,5}$/.test(raw)) {
        throw new ConfigValueError(`expected host:port, got ${JSON.stringify(raw)}`);
      }
      return raw;
    };
  },
};

/** Defines a key. */
export function key<T>(
  name: string,
  doc: string,
  defaultValue: T | undefined,
  parse: (raw: unknown) => T,
): ConfigKey<T> {
  return { name, doc, default: defaultValue, parse };
}

/** Raises MR_CONFIG_INVALID naming the key and what to do. */
export function invalid(name: string, reason: string, source: string): MillraceError {
  return new MillraceError(
    'MR_CONFIG_INVALID',
    `config "${name}" (from ${source}) ${reason}. Fix it and start again.`,
    {
      details: { key: name, source },
    },
  );
}
