import type { ProcessorContext, ProcessorSupplier, StreamRecord } from '../../../src/index.ts';
import {
  validateDeliveryEvent,
  validateInventoryEvent,
  validateOrderEvent,
  validateStatusEvent,
  type DeliveryEvent,
  type PharmacyEvent,
} from './events.ts';
import { parseEventJson } from './exact-json.ts';
import { invalid } from './internal/fields.ts';

/** The inputs a validating source step knows. */
export type PharmacyInput = 'order' | 'status' | 'inventory' | 'delivery';

/**
 * The first step after each pharmacy source: parses the JSON text (money kept exact), validates it and
 * forwards the normalized event keyed for the next step (tenantCode, or deliveryBoyId for deliveries).
 * A bad event throws `MR_EVENT_INVALID` naming the field; the runtime sends the record to `<input>.dlq`
 * with the reason in headers and goes on. Validation runs before any store write, so a rejected record
 * leaves no partial effect.
 *
 * Inputs whose source task keeps state for their key must already be keyed by it: order-events by
 * tenantCode, delivery-tracking by deliveryBoyId (a record keyed otherwise would land in the wrong task).
 */
export function validatingSource(
  input: PharmacyInput,
): ProcessorSupplier<string | null, string | null, string, PharmacyEvent | DeliveryEvent> {
  return () => {
    let ctx!: ProcessorContext<string, PharmacyEvent | DeliveryEvent>;
    return {
      init: (c) => {
        ctx = c;
      },
      process: (r: StreamRecord<string | null, string | null>) => {
        if (r.value === null || r.value.length === 0) throw invalid('the event is empty (null value)');
        const json = parseEventJson(r.value);
        const ev = validate(input, json);
        const key = 'deliveryBoyId' in ev ? ev.deliveryBoyId : ev.tenant;
        const mustMatch = input === 'order' || input === 'delivery';
        if (mustMatch && r.key !== key) {
          throw invalid(
            `the record key must be the event's ${input === 'order' ? 'tenantCode' : 'deliveryBoyId'} ("${key}"), got ${JSON.stringify(r.key)}: fix the producer's key`,
          );
        }
        return ctx.forward({ key, value: ev, timestamp: r.timestamp, headers: r.headers });
      },
    };
  };
}

function validate(input: PharmacyInput, json: unknown): PharmacyEvent | DeliveryEvent {
  switch (input) {
    case 'order':
      return validateOrderEvent(json);
    case 'status':
      return validateStatusEvent(json);
    case 'inventory':
      return validateInventoryEvent(json);
    case 'delivery':
      return validateDeliveryEvent(json);
  }
}
