import { MillraceError, type SpecParams } from '../../../src/index.ts';

/** A tumbling window size with its query name (`?window=1m`). */
export interface WindowSize {
  name: string;
  sizeMs: number;
}

/** Parameters of the `pharmacy-orders` processor; every one has a default here and is set in the topology YAML. */
export interface OrderAnalyticsParams {
  windows: WindowSize[];
  graceMs: number;
  /** A repeated eventId within this much stream time is ignored. */
  dedupeRetentionMs: number;
  /** Windows that ended longer ago than this (stream time) are deleted. */
  windowRetentionMs: number;
  /** How often (stream time) expired dedupe entries and windows are deleted. */
  purgeIntervalMs: number;
}

/** Parameters of the delivery-tracking processors. */
export interface DeliveryParams {
  retentionMs: number;
  dedupeRetentionMs: number;
  purgeIntervalMs: number;
}

const DAY = 86_400_000;

export const DEFAULT_WINDOWS: readonly WindowSize[] = [
  { name: '1m', sizeMs: 60_000 },
  { name: '1h', sizeMs: 3_600_000 },
];

function positive(params: SpecParams, key: string, fallback: number): number {
  const v = params[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw new MillraceError(
      'MR_TOPOLOGY_SPEC_INVALID',
      `params.${key} must be a positive integer (ms), got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

export function orderAnalyticsParams(params: SpecParams): OrderAnalyticsParams {
  const windows = (params.windows ?? DEFAULT_WINDOWS) as unknown;
  const ok =
    Array.isArray(windows) &&
    windows.length > 0 &&
    windows.every(
      (w: { name?: unknown; sizeMs?: unknown }) =>
        typeof w?.name === 'string' &&
        /^[A-Za-z0-9]+$/.test(w.name) &&
        Number.isSafeInteger(w.sizeMs) &&
        (w.sizeMs as number) > 0,
    );
  if (!ok) {
    throw new MillraceError(
      'MR_TOPOLOGY_SPEC_INVALID',
      'params.windows must be a non-empty list of { name: "1m", sizeMs: 60000 } (alphanumeric names, positive sizes)',
    );
  }
  return {
    windows: windows as WindowSize[],
    graceMs: positive(params, 'graceMs', 300_000),
    dedupeRetentionMs: positive(params, 'dedupeRetentionMs', 7 * DAY),
    windowRetentionMs: positive(params, 'windowRetentionMs', 7 * DAY),
    purgeIntervalMs: positive(params, 'purgeIntervalMs', 3_600_000),
  };
}

export function deliveryParams(params: SpecParams): DeliveryParams {
  return {
    retentionMs: positive(params, 'retentionMs', DAY),
    dedupeRetentionMs: positive(params, 'dedupeRetentionMs', 7 * DAY),
    purgeIntervalMs: positive(params, 'purgeIntervalMs', 3_600_000),
  };
}
