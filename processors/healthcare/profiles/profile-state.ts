import { formatRfc3339Utc } from '../../../src/index.ts';
import type { ProfileEvent } from './profile-event.ts';

/**
 * What the `patient-profiles` store holds per patientId (JSON): every field with the time and input offset
 * of the write that set it, and the newest delete time. Times are epoch nanoseconds as decimal strings
 * (JSON has no 64-bit integers, and a double cannot hold nanoseconds since 1970).
 *
 * ```
 * {"deletedAt":"1136178000500000000",
 *  "fields":{"firstName":{"v":"John","t":"1136178000500000000","o":42},"sex":{"v":null,"t":"…","o":43}}}
 * ```
 * Invariants: a field's `t` is greater than `deletedAt`; `v: null` is a cleared field, kept with its time
 * so that an older write cannot bring the value back.
 */
export interface StoredProfile {
  deletedAt?: string;
  fields: Record<string, StoredField>;
}

export interface StoredField {
  v: unknown;
  t: string;
  o: number;
}

/** The merged profile as the API and `patient.profile.current` show it. */
export type ProfileView = { patientId: string; updatedAt: string } & Record<string, unknown>;

/**
 * Applies one event at input `offset` to the stored state, per field last-writer-wins on updatedAt (ties:
 * the later offset wins); a delete clears every field written at or before its time (a tie goes to the
 * delete, whatever the arrival order). Returns the same object when nothing changed.
 */
export function applyProfileEvent(
  stored: StoredProfile | undefined,
  event: ProfileEvent,
  offset: number,
): StoredProfile | undefined {
  // Times are compared as decimal strings (compareNanos): one BigInt → string per event instead of a
  // string → BigInt per stored field.
  const updatedAt = event.updatedAt.toString();
  const deletedAt = stored?.deletedAt;
  if (event.kind === 'delete') {
    if (deletedAt !== undefined && compareNanos(deletedAt, updatedAt) >= 0) return stored;
    const fields: Record<string, StoredField> = {};
    for (const [name, f] of Object.entries(stored?.fields ?? {})) {
      if (compareNanos(f.t, updatedAt) > 0) fields[name] = f;
    }
    return { deletedAt: updatedAt, fields };
  }
  if (deletedAt !== undefined && compareNanos(updatedAt, deletedAt) <= 0) return stored;
  let next: StoredProfile | undefined;
  for (const [name, value] of event.fields) {
    const current =
      stored !== undefined && Object.hasOwn(stored.fields, name) ? stored.fields[name] : undefined;
    if (current !== undefined) {
      const c = compareNanos(updatedAt, current.t);
      if (c < 0 || (c === 0 && offset <= current.o)) continue;
    }
    next ??= {
      ...(deletedAt === undefined ? {} : { deletedAt }),
      fields: { ...stored?.fields },
    };
    next.fields[name] = { v: value, t: updatedAt, o: offset };
  }
  return next ?? stored;
}

/** The visible profile: undefined when unknown, deleted, or every field is cleared. */
export function renderProfile(patientId: string, stored: StoredProfile | undefined): ProfileView | undefined {
  if (stored === undefined) return undefined;
  const names = Object.keys(stored.fields).sort();
  let newest: string | undefined;
  let visible = false;
  const view: ProfileView = { patientId, updatedAt: '' };
  for (const name of names) {
    const f = stored.fields[name]!;
    if (newest === undefined || compareNanos(f.t, newest) > 0) newest = f.t;
    if (f.v !== null) {
      view[name] = f.v;
      visible = true;
    }
  }
  if (!visible) return undefined;
  view.updatedAt = formatRfc3339Utc(BigInt(newest!));
  return view;
}

/**
 * True when `a` and `b` render the same view (what {@link renderProfile} shows, for the same patient), found
 * without rendering either: both invisible, or the same visible fields with equal values (JSON values:
 * equal by identity, or by their JSON text when both are objects) and the same newest time (`updatedAt`).
 */
export function sameVisibleProfile(a: StoredProfile | undefined, b: StoredProfile | undefined): boolean {
  const va = visibleSummary(a);
  const vb = visibleSummary(b);
  if (va === undefined || vb === undefined) return va === vb;
  if (va.visible !== vb.visible || va.newest !== vb.newest) return false;
  for (const name in b!.fields) {
    const fb = b!.fields[name]!;
    if (fb.v === null) continue;
    const fa = Object.hasOwn(a!.fields, name) ? a!.fields[name] : undefined;
    if (fa === undefined || fa.v === null) return false;
    if (fa.v === fb.v) continue;
    if (typeof fa.v !== 'object' || typeof fb.v !== 'object') return false;
    if (JSON.stringify(fa.v) !== JSON.stringify(fb.v)) return false;
  }
  return true;
}

/** The number of visible fields and the newest field time; undefined when nothing is visible. */
function visibleSummary(p: StoredProfile | undefined): { visible: number; newest: string } | undefined {
  if (p === undefined) return undefined;
  let visible = 0;
  let newest: string | undefined;
  for (const name in p.fields) {
    const f = p.fields[name]!;
    if (newest === undefined || compareNanos(f.t, newest) > 0) newest = f.t;
    if (f.v !== null) visible++;
  }
  return visible === 0 ? undefined : { visible, newest: newest! };
}

/**
 * Orders two epoch-nanosecond decimal strings as the numbers they write (as the store writes them:
 * `bigint.toString()`, an optional minus sign and no leading zeros), without parsing them: a longer
 * magnitude is larger, equal lengths compare as text.
 */
export function compareNanos(a: string, b: string): number {
  const negA = a.charCodeAt(0) === 45; // '-'
  const negB = b.charCodeAt(0) === 45;
  if (negA !== negB) return negA ? -1 : 1;
  const magnitude = a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
  return negA && magnitude !== 0 ? -magnitude : magnitude;
}
