import { MillraceError } from '../../../../src/index.ts';

/** A JSON object as the validators see it. */
export type Json = Record<string, unknown>;

/** A validation failure: `MR_EVENT_INVALID`, so the runtime dead-letters the record with this reason. */
export function invalid(message: string): MillraceError {
  return new MillraceError('MR_EVENT_INVALID', message);
}

export function object(v: unknown, path: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${path} must be a JSON object`);
  return v as Json;
}

/** A non-empty string of at most `max` characters. */
export function str(o: Json, k: string, path: string, max = 256): string {
  const v = o[k];
  if (typeof v !== 'string' || v.length === 0 || v.length > max) {
    throw invalid(`${path}.${k} must be a non-empty string of at most ${max} characters`);
  }
  return v;
}

export function optStr(o: Json, k: string, path: string, max = 1024): string | undefined {
  return o[k] === undefined || o[k] === null ? undefined : str(o, k, path, max);
}

/**
 * An identifier: a non-empty string or a non-negative integer, as text. `|` is refused because store keys
 * join identifiers with it (processors/healthcare/orders/keys.ts).
 */
export function id(o: Json, k: string, path: string): string {
  const v = o[k];
  const text = typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? String(v) : v;
  if (typeof text !== 'string' || !/^[^|\s]{1,128}$/.test(text)) {
    throw invalid(
      `${path}.${k} must be an identifier (1–128 characters, no spaces or "|"), got ${JSON.stringify(v)}`,
    );
  }
  return text;
}

export function int(o: Json, k: string, path: string, min = Number.MIN_SAFE_INTEGER): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    throw invalid(
      `${path}.${k} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ''}, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

export function num(o: Json, k: string, path: string, lo: number, hi: number): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) {
    throw invalid(`${path}.${k} must be a number in [${lo}, ${hi}], got ${JSON.stringify(v)}`);
  }
  return v;
}

export function oneOf<T extends string>(o: Json, k: string, path: string, values: readonly T[]): T {
  const v = o[k];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw invalid(`${path}.${k} must be one of ${values.join(', ')}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * An RFC 3339 timestamp (`2026-01-05T10:00:00.000Z`, any offset) as epoch milliseconds, or an integer
 * epoch-milliseconds number. Fractions below the millisecond are truncated.
 */
export function time(o: Json, k: string, path: string): number {
  const v = o[k];
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  const m = typeof v === 'string' ? RFC3339.exec(v) : null;
  if (m !== null) {
    const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
    const ms = Number((frac.slice(1) + '000').slice(0, 3));
    const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
    const back = new Date(local);
    const sameFields =
      back.getUTCFullYear() === Number(y) &&
      back.getUTCMonth() === Number(mo) - 1 &&
      back.getUTCDate() === Number(d) &&
      Number(h) < 24 &&
      Number(mi) < 60 &&
      Number(s) < 60;
    if (sameFields) {
      const offsetMin =
        zone.toUpperCase() === 'Z'
          ? 0
          : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
      return local - offsetMin * 60_000;
    }
  }
  throw invalid(
    `${path}.${k} must be an RFC 3339 timestamp (e.g. 2026-01-05T10:00:00Z), got ${JSON.stringify(v)}`,
  );
}

/** Epoch milliseconds as RFC 3339 in UTC. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
