import { seededRandom } from '../../../../src/cli/load-generator.ts';

/**
 * Random patient-profile event streams and their oracle, shared by the unit and integration tests. The
 * oracle is declarative (order-free) and works on the generated bigint times, never on parsed text: a
 * field's final value is that of the update with the largest (updatedAt, offset) among non-duplicate
 * updates newer than the patient's newest delete.
 */
export interface GeneratedEvent {
  key: string;
  value: Record<string, unknown>;
  /** Generated time, epoch ns. */
  t: bigint;
  eventId: string | undefined;
  /** Field → value as the stored profile must show it (camelCase, booleans). Undefined for deletes. */
  fields?: Record<string, unknown>;
  deleted: boolean;
}

export type OracleProfile = Record<string, unknown> & { patientId: string; updatedAt: string };

const FIELDS = ['firstName', 'lastName', 'sex', 'isPregnant', 'phone', 'address'] as const;

/** Deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
export const rng = seededRandom;

const BASE = 1_136_214_000_000_000_000n; // 2006-01-02T15:00:00Z

/** RFC 3339 text of `t` at `offsetMin`, with exactly `digits` fractional digits (t must allow it). */
export function formatAt(t: bigint, offsetMin: number, digits: number): string {
  const local = t + BigInt(offsetMin) * 60_000_000_000n;
  const ms = Number(local / 1_000_000n);
  const iso = new Date(ms).toISOString().slice(0, 19);
  const ns = (local % 1_000_000_000n).toString().padStart(9, '0');
  const frac = digits === 0 ? '' : `.${ns.slice(0, digits)}`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${iso}${frac}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * `patients` × `updates` events, shuffled, with duplicates (same eventId, resent later), partial updates,
 * explicit nulls, ties on updatedAt, legacy PascalCase payloads and a few deletes.
 */
export function generateProfileEvents(patients: number, updates: number, seed: number): GeneratedEvent[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const events: GeneratedEvent[] = [];
  for (let p = 0; p < patients; p++) {
    const patientId = `p${p}`;
    // Few distinct times per patient, so ties happen; each with a granularity its digits can show.
    const times = Array.from({ length: Math.max(2, Math.floor(updates / 3)) }, () => {
      const digits = Math.floor(r() * 10);
      const unit = 10n ** BigInt(9 - digits);
      const t = BASE + (BigInt(Math.floor(r() * 1e12)) / unit) * unit;
      return { t, digits };
    });
    for (let u = 0; u < updates; u++) {
      const { t, digits } = pick(times);
      const offsetMin = pick([0, 600, -300, 330, -720, 840, 45]);
      const updatedAt = formatAt(t, offsetMin, digits);
      if (r() < 0.03) {
        const eventId = `${patientId}-e${u}`;
        events.push({
          key: patientId,
          value: { eventId, patientId, deleted: true, updatedAt },
          t,
          eventId,
          deleted: true,
        });
        continue;
      }
      const fields: Record<string, unknown> = {};
      for (const f of FIELDS) {
        if (r() < 0.5) continue;
        if (r() < 0.1) fields[f] = null;
        else if (f === 'isPregnant') fields[f] = r() < 0.5;
        else if (f === 'address') fields[f] = { city: pick(['Paris', 'Oslo', 'Lima']), zip: String(u) };
        else fields[f] = `${f}-${p}-${u}`;
      }
      const legacy = r() < 0.2;
      let value: Record<string, unknown>;
      let eventId: string | undefined;
      if (legacy) {
        value = { PatientId: patientId, UpdatedAt: updatedAt };
        for (const [k, v] of Object.entries(fields)) {
          value[k[0]!.toUpperCase() + k.slice(1)] =
            k === 'isPregnant' && v !== null ? (v ? 'True' : 'False') : v;
        }
      } else {
        eventId = `${patientId}-e${u}`;
        value = { eventId, patientId, updatedAt, ...fields };
      }
      events.push({ key: patientId, value, t, eventId, fields, deleted: false });
    }
  }
  // Shuffle (Fisher-Yates), then resend ~10% of the events with an eventId later in the stream.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  const out: GeneratedEvent[] = [];
  const resend: GeneratedEvent[] = [];
  for (const e of events) {
    out.push(e);
    if (e.eventId !== undefined && r() < 0.1) resend.push(e);
    if (resend.length > 0 && r() < 0.1) out.push(resend.shift()!);
  }
  out.push(...resend);
  return out;
}

/** The profiles the stream must end with; `offsetOf(i)` orders events of one patient (their input offsets). */
export function profileOracle(events: readonly GeneratedEvent[]): Map<string, OracleProfile> {
  const byPatient = new Map<string, { e: GeneratedEvent; i: number }[]>();
  const seen = new Set<string>();
  events.forEach((e, i) => {
    if (e.eventId !== undefined) {
      const k = `${e.key}\u0000${e.eventId}`;
      if (seen.has(k)) return;
      seen.add(k);
    }
    byPatient.set(e.key, [...(byPatient.get(e.key) ?? []), { e, i }]);
  });
  const result = new Map<string, OracleProfile>();
  for (const [patientId, list] of byPatient) {
    const deletedAt = list.filter((x) => x.e.deleted).reduce((m, x) => (x.e.t > m ? x.e.t : m), -1n);
    const winners = new Map<string, { v: unknown; t: bigint; i: number }>();
    for (const { e, i } of list) {
      if (e.deleted || e.t <= deletedAt) continue;
      for (const [f, v] of Object.entries(e.fields ?? {})) {
        const w = winners.get(f);
        if (w === undefined || e.t > w.t || (e.t === w.t && i > w.i)) winners.set(f, { v, t: e.t, i });
      }
    }
    const visible = [...winners].filter(([, w]) => w.v !== null);
    if (visible.length === 0) continue;
    const newest = [...winners.values()].reduce((m, w) => (w.t > m ? w.t : m), -1n);
    const profile: OracleProfile = { patientId, updatedAt: isoUtc(newest) };
    for (const [f, w] of visible.sort(([a], [b]) => (a < b ? -1 : 1))) profile[f] = w.v;
    result.set(patientId, profile);
  }
  return result;
}

/** UTC RFC 3339 with the fraction's trailing zeros dropped, computed with Date (independent of the code). */
export function isoUtc(t: bigint): string {
  const iso = new Date(Number(t / 1_000_000n)).toISOString().slice(0, 19);
  const ns = (t % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso}${ns === '' ? '' : `.${ns}`}Z`;
}
