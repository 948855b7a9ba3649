import type { ProcessorRegistry, ProcessorSupplier } from '../../src/index.ts';
import { connectionMatcherSupplier } from './connections/connection-matcher.ts';
import { geoParams, type GeoParams } from './connections/geo-params.ts';
import { locationIndexerSupplier } from './connections/location-indexer.ts';
import { personWriterSupplier } from './connections/person-writer.ts';
import { profileMergeSupplier, type ProfileMergeParams } from './profiles/profile-merge-processor.ts';

/**
 * What the compiled specs told the processors, for the HTTP routes (e.g. the maximum distance a connection
 * query may ask for). Filled while `compileTopologySpec` calls the registered factories.
 */
export interface HealthcareSettings {
  geo: GeoParams;
}

type AnySupplier = ProcessorSupplier<unknown, unknown, unknown, unknown>;

/**
 * Registers the healthcare processors (patient profiles, person connections) under the names the topology
 * specs use. Returns the settings object the factories fill in.
 *
 * @example
 * ```ts
 * const registry = createProcessorRegistry();
 * const settings = registerHealthcare(registry);
 * compileTopologySpec(readFileSync('topology/person-connections.yaml', 'utf8'), registry);
 * settings.geo.maxDistanceMeters; // 50
 * ```
 */
export function registerHealthcare(registry: ProcessorRegistry): HealthcareSettings {
  const settings: HealthcareSettings = { geo: geoParams({}) };
  registry
    .registerProcessor(
      'healthcare.patient-profile-merge',
      (p) => profileMergeSupplier(p as ProfileMergeParams) as AnySupplier,
    )
    .registerProcessor('healthcare.person-writer', (p) => personWriterSupplier(p) as AnySupplier)
    .registerProcessor('healthcare.location-indexer', (p) => {
      settings.geo = geoParams(p);
      return locationIndexerSupplier(settings.geo, p) as AnySupplier;
    })
    .registerProcessor('healthcare.connection-matcher', (p) => {
      settings.geo = geoParams(p);
      return connectionMatcherSupplier(settings.geo, p) as AnySupplier;
    });
  return settings;
}
