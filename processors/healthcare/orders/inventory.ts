/** The stock of one medication of one tenant (the value of the inventory store). */
export interface InventoryState {
  tenantCode: number | string;
  medication: string;
  stock: number;
  /** No alerts while null (no threshold was ever set). */
  threshold: number | null;
  /** Whether the stock is below the threshold: an alert is sent only when this turns true. */
  below: boolean;
}

/** A change of one medication's stock: an adjustment (`set`/`delta`/`threshold`) or an order's quantity delta. */
export interface InventoryChange {
  set?: number | undefined;
  delta?: number | undefined;
  threshold?: number | undefined;
}

/**
 * Applies a change; `crossed` is true when the stock has just fallen below the threshold (one alert per
 * crossing: it stays false while the stock stays below, and re-arms once the stock is back at or above).
 */
export function applyInventoryChange(
  prev: InventoryState | undefined,
  init: { tenantCode: number | string; medication: string },
  change: InventoryChange,
): { next: InventoryState; crossed: boolean } {
  const base: InventoryState = prev ?? { ...init, stock: 0, threshold: null, below: false };
  let stock = base.stock;
  if (change.set !== undefined) stock = change.set;
  if (change.delta !== undefined) stock += change.delta;
  const threshold = change.threshold !== undefined ? change.threshold : base.threshold;
  const below = threshold !== null && stock < threshold;
  return { next: { ...base, stock, threshold, below }, crossed: below && !base.below };
}
