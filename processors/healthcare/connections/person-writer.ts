import type { KeyValueStore, Processor, ProcessorSupplier } from '../../../src/index.ts';
import { parsePersonEvent, type Person } from './person-event.ts';

/** Keeps the `persons` store (key personId) from the `persons` topic; a tombstone deletes the person. */
export function personWriterSupplier(
  params: Readonly<Record<string, unknown>> = {},
): ProcessorSupplier<string | null, unknown> {
  const storeName = typeof params.store === 'string' ? params.store : 'persons';
  return (): Processor<string | null, unknown> => {
    let persons!: KeyValueStore<string, Person>;
    return {
      init(context) {
        persons = context.getStateStore<KeyValueStore<string, Person>>(storeName);
      },
      process(record) {
        const { personId, person } = parsePersonEvent(record.key, record.value);
        if (person === undefined) persons.delete(String(personId));
        else persons.put(String(personId), person);
      },
    };
  };
}
