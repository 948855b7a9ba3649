import { MillraceError } from '../../../src/index.ts';
import { tryParseRfc3339, type Rfc3339Options } from '../../../src/index.ts';

/**
 * A validated event of `patient.profile.updated`. Both payloads are accepted and normalized to camelCase:
 *
 * ```
 * current: {"eventId":"e1","patientId":"1","updatedAt":"2006-01-02T15:00:00.5+10:00","firstName":"John","isPregnant":true}
 * legacy (Go producer): {"PatientId":"1","UpdatedAt":"…","FirstName":"John","IsPregnant":"True","Sex":"Female"}
 * delete: {"patientId":"1","deleted":true,"updatedAt":"…"}, or a tombstone (null value; its time is the record's)
 * ```
 */
export type ProfileEvent = ProfileUpdate | ProfileDelete;

export interface ProfileUpdate {
  readonly kind: 'update';
  readonly patientId: string;
  readonly eventId: string | undefined;
  /** Epoch nanoseconds. */
  readonly updatedAt: bigint;
  /** camelCase field → value; `null` clears the field. Absent fields are unchanged. */
  readonly fields: ReadonlyMap<string, unknown>;
}

export interface ProfileDelete {
  readonly kind: 'delete';
  readonly patientId: string;
  readonly eventId: string | undefined;
  readonly updatedAt: bigint;
}

/** Options of {@link parseProfileEvent}. */
export interface ProfileEventOptions {
  readonly timestamps?: Rfc3339Options;
}

/** Keys that describe the event rather than the profile. */
const ENVELOPE = new Set(['patientId', 'updatedAt', 'eventId', 'deleted']);
/** Names that would reach an object's prototype if used as a plain property. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const STRING_FIELDS = new Set(['firstName', 'lastName', 'sex']);

/**
 * Validates and normalizes one input record. Throws MillraceError `MR_EVENT_INVALID` or
 * `MR_TIMESTAMP_INVALID` with a reason that names the field (the runtime dead-letters the record).
 */
export function parseProfileEvent(
  key: string | null,
  value: unknown,
  recordTimestampMs: number,
  options: ProfileEventOptions = {},
): ProfileEvent {
  if (value === null || value === undefined) {
    if (key === null || key === '') invalid('a tombstone needs the patientId as its key');
    return {
      kind: 'delete',
      patientId: key,
      eventId: undefined,
      updatedAt: BigInt(recordTimestampMs) * 1_000_000n,
    };
  }
  if (typeof value !== 'object' || Array.isArray(value)) invalid('the value must be a JSON object');
  const event = normalizeKeys(value as Record<string, unknown>);

  const rawId = event.get('patientId') ?? key;
  if (rawId === undefined || rawId === null) invalid('patientId is missing (and the record has no key)');
  if (typeof rawId !== 'string' && !(typeof rawId === 'number' && Number.isSafeInteger(rawId))) {
    invalid('patientId must be a string or an integer');
  }
  const patientId = String(rawId);
  if (patientId === '') invalid('patientId must not be empty');
  if (key !== null && key !== patientId) {
    invalid(
      `the record key "${clip(key)}" differs from patientId "${clip(patientId)}": key records by patientId`,
    );
  }

  const rawEventId = event.get('eventId');
  if (
    rawEventId !== undefined &&
    rawEventId !== null &&
    (typeof rawEventId !== 'string' || rawEventId === '')
  ) {
    invalid('eventId must be a non-empty string');
  }
  const eventId = (rawEventId ?? undefined) as string | undefined;

  const rawTime = event.get('updatedAt');
  if (rawTime === undefined || rawTime === null) invalid('updatedAt is missing');
  const time = tryParseRfc3339(rawTime, options.timestamps);
  if (!time.ok) throw new MillraceError('MR_TIMESTAMP_INVALID', `updatedAt: ${time.reason}`);

  const deleted = event.get('deleted');
  if (deleted !== undefined && typeof deleted !== 'boolean') invalid('deleted must be true or false');
  if (deleted === true) return { kind: 'delete', patientId, eventId, updatedAt: time.epochNanos };

  const fields = new Map<string, unknown>();
  for (const [name, raw] of event) {
    if (ENVELOPE.has(name)) continue;
    fields.set(name, fieldValue(name, raw));
  }
  return { kind: 'update', patientId, eventId, updatedAt: time.epochNanos, fields };
}

/** camelCase keys; a legacy PascalCase key maps to its camelCase name. Both spellings at once are refused. */
function normalizeKeys(value: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  // for…in over a JSON.parse result (a plain object: own, enumerable keys only), no entry arrays.
  for (const raw in value) {
    if (!Object.hasOwn(value, raw)) continue;
    if (raw === '') invalid('a field name is empty');
    // camelCase keys (the current payload) start with a lowercase ASCII letter: no new string for them.
    const c = raw.charCodeAt(0);
    const name = c >= 97 && c <= 122 ? raw : raw[0]!.toLowerCase() + raw.slice(1);
    if (FORBIDDEN.has(name)) invalid(`"${name}" is not an allowed field name`);
    if (out.has(name)) invalid(`field "${name}" is given twice (as "${raw}" and in another case)`);
    out.set(name, value[raw]);
  }
  return out;
}

function fieldValue(name: string, raw: unknown): unknown {
  if (raw === null) return null;
  if (name === 'isPregnant') {
    if (typeof raw === 'boolean') return raw;
    // The Go producer wrote booleans as "True"/"False".
    if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
    invalid(`isPregnant must be true, false, "True" or "False", got ${clip(JSON.stringify(raw))}`);
  }
  if (STRING_FIELDS.has(name) && typeof raw !== 'string') invalid(`${name} must be a string or null`);
  return raw;
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function invalid(reason: string): never {
  throw new MillraceError('MR_EVENT_INVALID', `patient profile event: ${reason}`);
}
