import { MillraceError } from '../../../src/index.ts';

/** Fields that hold money: their JSON numbers are kept as source text so they convert to cents exactly. */
const MONEY_FIELDS: ReadonlySet<string> = new Set(['totalAmount', 'discount', 'payableAmount', 'price']);

/**
 * Parses an event's JSON text. A number under a money key is returned as its exact source text ("12.30"),
 * never as a float (JSON.parse's reviver `context.source`, Node 21+), so {@link toMinorUnits} sees the
 * digits the producer wrote. Syntax errors throw `MR_EVENT_INVALID` (the record is dead-lettered).
 *
 * @example
 * ```ts
 * parseEventJson('{"price": 0.10}'); // { price: '0.10' }
 * ```
 */
export function parseEventJson(text: string): unknown {
  try {
    return JSON.parse(text, function (this: unknown, key, value: unknown, context?: { source?: string }) {
      if (typeof value === 'number' && MONEY_FIELDS.has(key) && context?.source !== undefined) {
        return context.source;
      }
      return value;
    });
  } catch (cause) {
    throw new MillraceError('MR_EVENT_INVALID', `the event is not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}
