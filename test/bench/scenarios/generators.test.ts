import { describe, expect, it } from 'vitest';
import { parseLocationEvent } from '../../../processors/healthcare/connections/location-event.ts';
import { parseProfileEvent } from '../../../processors/healthcare/profiles/profile-event.ts';
import { locationEvent } from '../../../bench/scenarios/connections.ts';
import { orderEvent } from '../../../bench/scenarios/orders.ts';
import { profileEvent, profileSeedEvent } from '../../../bench/scenarios/profiles.ts';
import { connections } from '../../../bench/scenarios/connections.ts';

describe('benchmark input generators', () => {
  it('profiles: every event is valid for the healthcare parser, keyed by its patient, within the key space', () => {
    const keys = 1000;
    let deletes = 0;
    let outOfOrder = 0;
    let previous = -1n;
    for (let i = 0; i < 3000; i++) {
      const e = profileEvent(i, keys);
      const parsed = parseProfileEvent(e.key, JSON.parse(e.value), e.timestamp);
      expect(parsed.patientId).toBe(e.key);
      expect(Number(e.key.slice(2))).toBeLessThan(keys);
      if (parsed.kind === 'delete') deletes++;
      else expect(parsed.fields.size).toBeGreaterThan(0);
      if (parsed.updatedAt < previous) outOfOrder++;
      previous = parsed.updatedAt;
    }
    expect(deletes).toBeGreaterThan(20);
    expect(deletes).toBeLessThan(120);
    expect(outOfOrder).toBeGreaterThan(500); // last-writer-wins has something to decide
    expect(profileEvent(42, keys)).toEqual(profileEvent(42, keys));
  });

  it('profiles: seed events are valid and older than every update', () => {
    const seed = parseProfileEvent('p-7', JSON.parse(profileSeedEvent(7).value), 0);
    const first = parseProfileEvent(null, JSON.parse(profileEvent(0, 10).value), 0);
    expect(seed.kind).toBe('update');
    expect(seed.updatedAt).toBeLessThan(first.updatedAt);
  });

  it('orders: per tenant, timestamps only grow; amounts are whole cents', () => {
    const last = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const e = orderEvent(i, 100);
      const v = JSON.parse(e.value) as { tenant: string; amountCents: number };
      expect(v.tenant).toBe(e.key);
      expect(Number.isInteger(v.amountCents)).toBe(true);
      expect(e.timestamp).toBeGreaterThan(last.get(e.key) ?? -1);
      last.set(e.key, e.timestamp);
    }
    expect(last.size).toBe(100);
  });

  it('connections: every location is valid, keyed by its person; a moved location keeps its person', () => {
    const person = new Map<number, number>();
    let moves = 0;
    for (let i = 0; i < 3000; i++) {
      const e = connections.event(i, 0);
      const loc = parseLocationEvent(e.key, JSON.parse(e.value));
      const before = person.get(loc.locationId);
      if (before !== undefined) {
        moves++;
        expect(loc.personId).toBe(before);
      }
      person.set(loc.locationId, loc.personId);
    }
    expect(moves).toBeGreaterThan(150);
    expect(locationEvent(5, 1000)).toEqual(locationEvent(5, 1000));
  });
});
