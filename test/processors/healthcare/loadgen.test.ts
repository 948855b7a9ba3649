import { describe, expect, it } from 'vitest';
import { healthcareGenerators } from '../../../processors/healthcare/loadgen.ts';
import { seededRandom } from '../../../src/cli/load-generator.ts';

describe('healthcare load generators', () => {
  it('offer one generator per system, the pharmacy one feeding all four order topics with raw events', () => {
    const gens = healthcareGenerators({ malformedShare: 0.05, startMs: Date.UTC(2026, 0, 1) });
    expect(gens.map((g) => g.name)).toEqual(['patient-profiles', 'persons', 'locations', 'pharmacy']);
    const pharmacy = gens.find((g) => g.name === 'pharmacy')!;
    const random = seededRandom(7);
    const records = Array.from({ length: 2000 }, (_, i) => pharmacy.next(i, random, { keys: 100 }));
    expect(new Set(records.map((r) => r.topic))).toEqual(
      new Set(['order-events', 'status-updates', 'delivery-tracking', 'inventory-adjustments']),
    );
    const invalid = records.filter((r) => {
      try {
        JSON.parse(r.raw!);
        return false;
      } catch {
        return true;
      }
    });
    // Some events are deliberately not JSON (they must end in the DLQ), most are.
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid.length).toBeLessThan(records.length * 0.05);
  });
});
