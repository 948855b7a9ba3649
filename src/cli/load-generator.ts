/**
 * Makes the records of `millrace loadgen`. Applications add realistic generators through their plugin
 * (`MillracePlugin.generators`), picked with `millrace loadgen --generator <name>`.
 *
 * @example
 * ```ts
 * const orders: LoadGenerator = {
 *   name: 'pharmacy-orders',
 *   defaultTopic: 'order-events',
 *   next: (i, random) => ({ key: `tenant-${Math.floor(random() * 20)}`, value: { orderId: `o-${i}`, qty: 1 } }),
 * };
 * ```
 */
export interface LoadGenerator {
  readonly name: string;
  /** The topic written when `--topic` is not given. */
  readonly defaultTopic?: string;
  /**
   * Record number `i` (from 0) of a run. Use `random()` (seeded by `--seed`), not Math.random, so a run can
   * be repeated. Values are written as JSON.
   */
  next(i: number, random: () => number, options: { keys: number }): GeneratedLoadRecord;
}

/** One generated record. */
export interface GeneratedLoadRecord {
  key: string | null;
  /** Written as JSON, unless `raw` is given. */
  value: unknown;
  /** The exact value bytes (text), e.g. a deliberately malformed event; takes precedence over `value`. */
  raw?: string;
  /** The topic of this record, when a generator feeds several (default: `--topic` or `defaultTopic`). */
  topic?: string;
  headers?: Record<string, string>;
  timestamp?: number;
}

/** The generic generator: `key-<n>` keys (n < --keys) and small JSON values. */
export const RANDOM_GENERATOR: LoadGenerator = {
  name: 'random',
  next(i, random, { keys }) {
    const n = Math.floor(random() * keys);
    return { key: `key-${n}`, value: { seq: i, key: n, amount: Math.round(random() * 10_000) / 100 } };
  },
};

/** A small seeded PRNG (mulberry32): the same seed gives the same records. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
