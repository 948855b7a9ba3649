import { MillraceError } from '../../../src/index.ts';
import { integerId } from './location-event.ts';

/** A person as the `persons` store holds it (and `persons` carries it, key personId; null deletes). */
export interface Person {
  readonly personId: number;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly companyName: string | null;
}

/** Validates a `persons` record: `{"personId":1,"firstName","lastName","companyName"}`; undefined = delete. */
export function parsePersonEvent(key: string | null, value: unknown): { personId: number; person?: Person } {
  if (value === null || value === undefined) {
    if (key === null) invalid('a tombstone needs the personId as its key');
    return { personId: integerId(key, 'the key (personId)', 'person') };
  }
  if (typeof value !== 'object' || Array.isArray(value)) invalid('the value must be a JSON object');
  const v = value as Record<string, unknown>;
  const personId = integerId(v.personId ?? v.id ?? key, 'personId', 'person');
  if (key !== null && key !== String(personId)) {
    invalid(
      `the record key "${key.slice(0, 40)}" differs from personId ${personId}: key persons by personId`,
    );
  }
  const text = (a: unknown, b: unknown, field: string): string | null => {
    const x = a ?? b ?? null;
    if (x !== null && typeof x !== 'string') invalid(`${field} must be a string or null`);
    return x;
  };
  return {
    personId,
    person: {
      personId,
      firstName: text(v.firstName, v.first_name, 'firstName'),
      lastName: text(v.lastName, v.last_name, 'lastName'),
      companyName: text(v.companyName, v.company_name, 'companyName'),
    },
  };
}

function invalid(reason: string): never {
  throw new MillraceError('MR_EVENT_INVALID', `person event: ${reason}`);
}
