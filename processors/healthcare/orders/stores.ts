/**
 * Names of the pharmacy stores (string keys, JSON values). The topology YAML declares them under `stores`
 * and the routes query them; key layouts are in keys.ts.
 */
export const ORDER_STORES = {
  /** eventId dedupe of order, status and inventory events (keys.ts: dedupe keys). */
  dedupe: 'pharmacy-dedupe',
  /** `<tenant>|<orderId>` → OrderRecord. */
  orders: 'pharmacy-orders',
  /** `<tenant>|<orderId>` → status changes that arrived before their order. */
  pendingStatus: 'pharmacy-pending-status',
  /** `<tenant>|<orderId>` → the contribution last applied to each window size (for retractions). */
  contributions: 'pharmacy-window-contributions',
  /** `<tenant>|<size>|<start>` → WindowAggregate. */
  windows: 'pharmacy-windows',
  /** `<tenant>|<medication>` → InventoryState. */
  inventory: 'pharmacy-inventory',
  /** `<tenant>` → counters (late events dropped, status mismatches, duplicates). */
  stats: 'pharmacy-order-stats',
  deliveryDedupe: 'pharmacy-delivery-dedupe',
  /** `<deliveryBoyId>` → latest position. */
  deliveryByBoy: 'pharmacy-delivery-by-boy',
  /** `<orderId>` → latest position. */
  deliveryByOrder: 'pharmacy-delivery-by-order',
} as const;

/** Per-tenant counters of the order analytics. */
export interface OrderStats {
  lateDropped: number;
  statusMismatches: number;
  duplicates: number;
}
