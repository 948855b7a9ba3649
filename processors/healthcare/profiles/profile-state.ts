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
  const deletedAt = stored?.deletedAt === undefined ? undefined : BigInt(stored.deletedAt);
  if (event.kind === 'delete') {
    if (deletedAt !== undefined && deletedAt >= event.updatedAt) return stored;
    const fields: Record<string, StoredField> = {};
    for (const [name, f] of Object.entries(stored?.fields ?? {})) {
      if (BigInt(f.t) > event.updatedAt) fields[name] = f;
    }
    return { deletedAt: event.updatedAt.toString(), fields };
  }
  if (deletedAt !== undefined && event.updatedAt <= deletedAt) return stored;
  let next: StoredProfile | undefined;
  for (const [name, value] of event.fields) {
    const current = Object.hasOwn(stored?.fields ?? {}, name) ? stored!.fields[name] : undefined;
    if (current !== undefined) {
      const t = BigInt(current.t);
      if (event.updatedAt < t || (event.updatedAt === t && offset <= current.o)) continue;
    }
    next ??= {
      ...(stored?.deletedAt === undefined ? {} : { deletedAt: stored.deletedAt }),
      fields: { ...stored?.fields },
    };
    next.fields[name] = { v: value, t: event.updatedAt.toString(), o: offset };
  }
  return next ?? stored;
}

/** The visible profile: undefined when unknown, deleted, or every field is cleared. */
export function renderProfile(patientId: string, stored: StoredProfile | undefined): ProfileView | undefined {
  if (stored === undefined) return undefined;
  const names = Object.keys(stored.fields).sort();
  if (!names.some((n) => stored.fields[n]!.v !== null)) return undefined;
  let newest = -1n;
  const view: ProfileView = { patientId, updatedAt: '' };
  for (const name of names) {
    const f = stored.fields[name]!;
    const t = BigInt(f.t);
    if (t > newest) newest = t;
    if (f.v !== null) view[name] = f.v;
  }
  view.updatedAt = formatRfc3339Utc(newest);
  return view;
}
