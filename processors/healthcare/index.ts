/**
 * The healthcare application's plugin (named in millrace.yaml): registers the processors the topology
 * specs name and adds the healthcare HTTP routes. Patient profiles and person connections live here;
 * pharmacy orders come from ./orders/index.ts.
 *
 * @example
 * ```yaml
 * # millrace.yaml
 * plugins: [./processors/healthcare/index.ts]
 * ```
 */
import type { MillracePlugin } from '../../src/index.ts';
import { patientRoutes } from './http/patient-routes.ts';
import { personRoutes } from './http/person-routes.ts';
import { orderRoutes, registerOrders } from './orders/index.ts';
import { healthcareGenerators } from './loadgen.ts';
import { registerHealthcare, type HealthcareSettings } from './register.ts';

let settings: HealthcareSettings | undefined;

const plugin: MillracePlugin = {
  name: 'healthcare',
  generators: healthcareGenerators(),
  register(registry) {
    settings = registerHealthcare(registry);
    registerOrders(registry);
  },
  async routes(server, ctx) {
    patientRoutes(server, ctx);
    personRoutes(server, ctx, { maxDistanceMeters: () => settings?.geo.maxDistanceMeters ?? 50 });
    await orderRoutes(server, ctx);
  },
};

export default plugin;
