import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { compileTopologySpec, createProcessorRegistry } from '../../src/index.ts';
import healthcare from '../../processors/healthcare/index.ts';
import { random, T0_MS, type BenchEvent, type ContenderTopics, type Scenario } from './scenario.ts';

const SPEC = fileURLToPath(new URL('../../topology/person-connections.yaml', import.meta.url));
/** Locations per 100 m × 100 m grid cell on average (their home cell). */
const DENSITY = 2;
const CELL_M = 100;
const LAT0 = 37.5;
const LON0 = -122.3;

/**
 * Location → connections (issue 7 scenario iii): `locations` events of persons (one person per 10
 * locations), 90% new locations, 10% moves of an earlier one, spread uniformly over a square sized so
 * each 100 m cell holds about 2 locations whatever N; matched within 50 m by the healthcare topology
 * topology/person-connections.yaml (grid index, repartition by cell, geodesic match) and its Java
 * Processor API twin (same grid, GeographicLib). `keys` is unused (the key is the person).
 */
export const connections: Scenario = {
  name: 'connections',
  inputPartitions: 6,
  defaultKeys: 0,
  event(i: number): BenchEvent {
    return locationEvent(i, sideMetersFor(i));
  },
  millraceTopology(t: ContenderTopics) {
    const spec = parse(readFileSync(SPEC, 'utf8')) as {
      config: Record<string, unknown>;
      sources: { persons: { topic: string }; locations: { topic: string } };
    };
    spec.config['application.id'] = t.appId;
    spec.sources.locations.topic = t.input;
    spec.sources.persons.topic = personsTopic(t);
    const registry = createProcessorRegistry();
    healthcare.register?.(registry);
    return compileTopologySpec(spec, registry).topology;
  },
  millraceTopics: (t) => [{ name: personsTopic(t), partitions: 6 }],
  javaArgs: (t) => [`cells=${cellsTopic(t)}`],
  javaTopics: (t) => [{ name: cellsTopic(t), partitions: 6 }],
};

function personsTopic(t: ContenderTopics): string {
  return `${t.appId}-persons`;
}

/** The Java side's repartition topic (Millrace creates `<appId>-location-cells-repartition` itself). */
function cellsTopic(t: ContenderTopics): string {
  return `${t.appId}-location-cells-repartition`;
}

/**
 * The side of the square the locations cover. It grows with the event index so the density stays about
 * DENSITY per cell at every prefix of the input: the square of the first i events holds ~i/DENSITY cells.
 */
function sideMetersFor(i: number): number {
  return Math.sqrt(Math.max(i, 10_000) / DENSITY) * CELL_M;
}

/** Location event i: locationId i (or, 10% of the time, a move of an earlier locationId). */
export function locationEvent(i: number, sideMeters: number): BenchEvent {
  const r = random(i * 69069 + 1);
  const moved = i > 100 && r() < 0.1;
  const locationId = moved ? Math.floor(r() * i) : i;
  const personId = Math.floor(locationId / 10);
  const north = r() * sideMeters;
  const east = r() * sideMeters;
  const latitude = LAT0 + north / 111_000;
  const longitude = LON0 + east / (111_000 * Math.cos((LAT0 * Math.PI) / 180));
  const timestamp = T0_MS + i;
  const value = {
    locationId,
    personId,
    latitude: Number(latitude.toFixed(7)),
    longitude: Number(longitude.toFixed(7)),
    creationTime: new Date(timestamp).toISOString().replace(/\.\d+Z$/, 'Z'),
  };
  return { key: String(personId), value: JSON.stringify(value), timestamp };
}
