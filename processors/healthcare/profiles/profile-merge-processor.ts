import type {
  KeyValueStore,
  Processor,
  ProcessorContext,
  ProcessorSupplier,
  StreamRecord,
} from '../../../src/index.ts';
import { parseProfileEvent, type ProfileEventOptions } from './profile-event.ts';
import {
  applyProfileEvent,
  renderProfile,
  sameVisibleProfile,
  type ProfileView,
  type StoredProfile,
} from './profile-state.ts';

/** Parameters of the `healthcare.patient-profile-merge` processor (from the topology spec). */
export interface ProfileMergeParams {
  /** The profile store (default `patient-profiles`). */
  readonly store?: string;
  /** The store of seen eventIds (default `patient-profile-event-ids`). */
  readonly eventIdStore?: string;
  /** Accept `Z` followed by `hh:mm` as that offset (default false: such events are dead-lettered). */
  readonly acceptZWithOffset?: boolean;
}

/**
 * Merges profile updates into the profile store and forwards the merged profile (key patientId) on every
 * effective change: a tombstone when the profile disappears, nothing when nothing visible changed.
 * Validation happens before any write, so a dead-lettered record leaves no trace in the stores.
 *
 * Seen eventIds are kept per patient under the key `JSON.stringify([patientId, eventId])`.
 */
export function profileMergeSupplier(
  params: ProfileMergeParams = {},
): ProcessorSupplier<string | null, unknown, string, ProfileView | null> {
  const storeName = params.store ?? 'patient-profiles';
  const eventIdStoreName = params.eventIdStore ?? 'patient-profile-event-ids';
  const options: ProfileEventOptions = {
    timestamps: { acceptZWithOffset: params.acceptZWithOffset === true },
  };
  return (): Processor<string | null, unknown, string, ProfileView | null> => {
    let ctx!: ProcessorContext<string, ProfileView | null>;
    let profiles!: KeyValueStore<string, StoredProfile>;
    let seen!: KeyValueStore<string, number>;
    return {
      init(context) {
        ctx = context;
        profiles = context.getStateStore<KeyValueStore<string, StoredProfile>>(storeName);
        seen = context.getStateStore<KeyValueStore<string, number>>(eventIdStoreName);
      },
      process(record: StreamRecord<string | null, unknown>) {
        const event = parseProfileEvent(record.key, record.value, record.timestamp, options);
        if (event.eventId !== undefined) {
          // JSON.stringify([patientId, eventId]), without the array.
          const seenKey = `[${JSON.stringify(event.patientId)},${JSON.stringify(event.eventId)}]`;
          if (seen.get(seenKey) !== undefined) return;
          seen.put(seenKey, 1);
        }
        const offset = ctx.recordMetadata()?.offset ?? 0;
        const stored = profiles.get(event.patientId);
        const next = applyProfileEvent(stored, event, offset);
        if (next === stored || next === undefined) return;
        profiles.put(event.patientId, next);
        if (sameVisibleProfile(stored, next)) return;
        return ctx.forward({
          key: event.patientId,
          value: renderProfile(event.patientId, next) ?? null,
          timestamp: record.timestamp,
          headers: [],
        });
      },
    };
  };
}
