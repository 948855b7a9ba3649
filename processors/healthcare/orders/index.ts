/**
 * Pharmacy order analytics (healthcare app): processors registered for topology/pharmacy-orders.yaml,
 * its query routes, and load generators.
 */
export { registerOrders } from './register.ts';
export { orderRoutes, type OrderRoutesOptions } from '../http/orders-routes.ts';
export { ORDER_STORES, type OrderStats } from './stores.ts';
export { toMinorUnits } from './money.ts';
