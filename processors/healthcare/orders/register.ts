import { MillraceError, type ProcessorRegistry } from '../../../src/index.ts';
import { deliveryLatestProcessor } from './delivery-processor.ts';
import { deliveryParams, orderAnalyticsParams } from './params.ts';
import { pharmacyOrdersProcessor, type PharmacyOutput } from './pharmacy-processor.ts';
import { validatingSource, type PharmacyInput } from './validate-processor.ts';

const INPUTS: readonly PharmacyInput[] = ['order', 'status', 'inventory', 'delivery'];

/**
 * Registers what topology/pharmacy-orders.yaml names:
 * - processors `pharmacy-validate` (params `{ input: order | status | inventory | delivery }`),
 *   `pharmacy-orders` (params: see OrderAnalyticsParams), `pharmacy-delivery-by-boy` and
 *   `pharmacy-delivery-by-order` (params: see DeliveryParams);
 * - functions `pharmacyOutputIs` (params `{ out }`, a split predicate) and `pharmacyOutputValue` (mapValues).
 *
 * @example
 * ```ts
 * const registry = createProcessorRegistry();
 * registerOrders(registry);
 * const { topology, config } = compileTopologySpec(readFileSync('topology/pharmacy-orders.yaml', 'utf8'), registry);
 * ```
 */
export function registerOrders(registry: ProcessorRegistry): void {
  registry
    .registerProcessor('pharmacy-validate', (p) => {
      const input = p.input as PharmacyInput;
      if (!INPUTS.includes(input)) {
        throw new MillraceError(
          'MR_TOPOLOGY_SPEC_INVALID',
          `pharmacy-validate: params.input must be one of ${INPUTS.join(', ')}, got ${JSON.stringify(input)}`,
        );
      }
      return validatingSource(input) as never;
    })
    .registerProcessor('pharmacy-orders', (p) => pharmacyOrdersProcessor(orderAnalyticsParams(p)) as never)
    .registerProcessor(
      'pharmacy-delivery-by-boy',
      (p) => deliveryLatestProcessor('boy', deliveryParams(p)) as never,
    )
    .registerProcessor(
      'pharmacy-delivery-by-order',
      (p) => deliveryLatestProcessor('order', deliveryParams(p)) as never,
    )
    .registerFunction('pharmacyOutputIs', (p) => (_k: unknown, v: PharmacyOutput) => v.out === p.out)
    .registerFunction('pharmacyOutputValue', () => (v: PharmacyOutput) => v.value);
}
