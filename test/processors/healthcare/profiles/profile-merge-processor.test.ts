import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileTopologySpec,
  createProcessorRegistry,
  createTopologyTestDriver,
  isMillraceError,
  jsonSerde,
  stringSerde,
  type TopologyTestDriver,
} from '../../../../src/index.ts';
import { registerHealthcare } from '../../../../processors/healthcare/register.ts';
import type { StoredProfile } from '../../../../processors/healthcare/profiles/profile-state.ts';
import { renderProfile } from '../../../../processors/healthcare/profiles/profile-state.ts';
import { generateProfileEvents, profileOracle } from './profile-fixtures.ts';

const SPEC = readFileSync(new URL('../../../../topology/patient-profiles.yaml', import.meta.url), 'utf8');

function driverFor(spec = SPEC): TopologyTestDriver {
  const registry = createProcessorRegistry();
  registerHealthcare(registry);
  return createTopologyTestDriver(compileTopologySpec(spec, registry).topology);
}

function setup(spec?: string) {
  const driver = driverFor(spec);
  const input = driver.createInputTopic('patient.profile.updated', stringSerde(), jsonSerde<unknown>());
  const output = driver.createOutputTopic('patient.profile.current', stringSerde(), jsonSerde<unknown>());
  const store = driver.getKeyValueStore<string, StoredProfile>('patient-profiles');
  const profile = (id: string) => renderProfile(id, store.get(id));
  return { driver, input, output, profile };
}

async function rejects(p: () => Promise<unknown>, code: string, message: RegExp): Promise<void> {
  try {
    await p();
  } catch (err) {
    expect(isMillraceError(err)).toBe(true);
    expect((err as { code: string }).code).toBe(code);
    expect((err as Error).message).toMatch(message);
    return;
  }
  expect.unreachable('the record should have been rejected');
}

describe('patient-profiles topology (TopologyTestDriver)', () => {
  it('ends with the oracle profile for every patient of a shuffled stream with duplicates (seeded)', async () => {
    for (const seed of [1, 2, 3]) {
      const { driver, input, output, profile } = setup();
      const events = generateProfileEvents(200, 20, seed);
      await input.pipeRecordList(events.map((e) => ({ key: e.key, value: e.value, timestamp: 1000 })));
      const oracle = profileOracle(events);
      const patients = new Set(events.map((e) => e.key));
      for (const id of patients) expect(profile(id), `seed ${seed} patient ${id}`).toEqual(oracle.get(id));
      // The compacted output's last value per key is the same merged profile (tombstone when gone).
      const last = new Map<string, unknown>();
      for (const r of output.readRecordsToList()) last.set(r.key as string, r.value);
      for (const id of patients) expect(last.get(id) ?? undefined).toEqual(oracle.get(id));
      driver.close();
    }
  });

  it('compares times at full precision across offsets, never as strings', async () => {
    const { input, profile } = setup();
    // 15:00:00.5+10:00 is 05:00:00.5Z: earlier than 05:00:00.500000001Z, although it sorts later as text.
    await input.pipeInput('1', {
      eventId: 'a',
      patientId: '1',
      updatedAt: '2006-01-02T05:00:00.500000001Z',
      firstName: 'New',
    });
    await input.pipeInput('1', {
      eventId: 'b',
      patientId: '1',
      updatedAt: '2006-01-02T15:00:00.5+10:00',
      firstName: 'Old',
    });
    expect(profile('1')).toEqual({
      patientId: '1',
      updatedAt: '2006-01-02T05:00:00.500000001Z',
      firstName: 'New',
    });
  });

  it('applies partial updates, explicit nulls, ties by offset, and ignores a repeated eventId', async () => {
    const { input, output, profile } = setup();
    const t = '2024-01-01T00:00:00Z';
    await input.pipeInput('7', {
      eventId: 'e1',
      patientId: '7',
      updatedAt: t,
      firstName: 'A',
      lastName: 'B',
    });
    await input.pipeInput('7', { eventId: 'e2', patientId: '7', updatedAt: t, firstName: 'C' }); // tie: later wins
    await input.pipeInput('7', {
      eventId: 'e1',
      patientId: '7',
      updatedAt: t,
      firstName: 'A',
      lastName: 'B',
    }); // dup
    await input.pipeInput('7', {
      eventId: 'e3',
      patientId: '7',
      updatedAt: '2024-01-02T00:00:00Z',
      lastName: null,
    });
    expect(profile('7')).toEqual({ patientId: '7', updatedAt: '2024-01-02T00:00:00Z', firstName: 'C' });
    expect(output.readRecordsToList()).toHaveLength(3);
    // An older update changes nothing and emits nothing.
    await input.pipeInput('7', {
      eventId: 'e4',
      patientId: '7',
      updatedAt: '2023-01-01T00:00:00Z',
      firstName: 'Z',
      lastName: 'Z',
    });
    expect(profile('7')?.firstName).toBe('C');
    expect(output.isEmpty()).toBe(true);
  });

  it('accepts the legacy Go payload and stores it under camelCase names with a boolean', async () => {
    const { input, profile } = setup();
    await input.pipeInput('42', {
      PatientId: '42',
      FirstName: 'John',
      LastName: 'Doe',
      IsPregnant: 'True',
      Sex: 'Female',
      UpdatedAt: '2006-01-02T15:00:00.000000000+10:00',
    });
    expect(profile('42')).toEqual({
      patientId: '42',
      updatedAt: '2006-01-02T05:00:00Z',
      firstName: 'John',
      lastName: 'Doe',
      isPregnant: true,
      sex: 'Female',
    });
  });

  it('deletes (explicit and tombstone) hide the profile and ignore later-arriving updates at or before the delete', async () => {
    const { input, output, profile } = setup();
    await input.pipeInput('9', {
      eventId: 'a',
      patientId: '9',
      updatedAt: '2024-01-01T00:00:05Z',
      firstName: 'A',
    });
    await input.pipeInput('9', {
      eventId: 'b',
      patientId: '9',
      updatedAt: '2024-01-01T00:00:20Z',
      lastName: 'Kept',
    });
    await input.pipeInput('9', {
      eventId: 'd',
      patientId: '9',
      deleted: true,
      updatedAt: '2024-01-01T00:00:10Z',
    });
    // The newer field survives the older delete.
    expect(profile('9')).toEqual({ patientId: '9', updatedAt: '2024-01-01T00:00:20Z', lastName: 'Kept' });
    await input.pipeInput('9', {
      eventId: 'c',
      patientId: '9',
      updatedAt: '2024-01-01T00:00:10Z',
      firstName: 'Tie',
    });
    expect(profile('9')?.firstName).toBeUndefined();
    await input.pipeInput('9', {
      eventId: 'd2',
      patientId: '9',
      deleted: true,
      updatedAt: '2024-01-01T00:00:30Z',
    });
    expect(profile('9')).toBeUndefined();
    output.readRecordsToList();
    await input.pipeInput('9', {
      eventId: 'e',
      patientId: '9',
      updatedAt: '2024-01-01T00:00:29Z',
      firstName: 'Late',
    });
    expect(profile('9')).toBeUndefined();
    expect(output.isEmpty()).toBe(true);
    // A tombstone deletes at its record time.
    await input.pipeInput('8', {
      eventId: 'x',
      patientId: '8',
      updatedAt: '2024-01-01T00:00:00Z',
      firstName: 'T',
    });
    await input.pipeInput('8', null, Date.parse('2024-01-01T00:00:01Z'));
    expect(profile('8')).toBeUndefined();
    const records = output.readRecordsToList();
    expect(records.at(-1)).toMatchObject({ key: '8', value: null });
  });

  it('dead-letters malformed events with a clear reason (the Z10:00 form among them)', async () => {
    const { input, profile } = setup();
    const z = {
      eventId: 'z',
      patientId: '1',
      updatedAt: '2006-01-02T15:00:00.000000000Z10:00',
      firstName: 'X',
    };
    await rejects(
      () => input.pipeInput('1', z),
      'MR_TIMESTAMP_INVALID',
      /updatedAt: .*fuses "Z" with an offset/,
    );
    await rejects(
      () => input.pipeInput('1', { patientId: '1', firstName: 'X' }),
      'MR_EVENT_INVALID',
      /updatedAt is missing/,
    );
    await rejects(
      () => input.pipeInput('2', { patientId: '1', updatedAt: '2006-01-02T15:00:00Z' }),
      'MR_EVENT_INVALID',
      /differs from patientId/,
    );
    await rejects(() => input.pipeInput('1', [1, 2]), 'MR_EVENT_INVALID', /JSON object/);
    await rejects(
      () => input.pipeInput('1', { PatientId: '1', UpdatedAt: '2006-01-02T15:00:00Z', IsPregnant: 'yes' }),
      'MR_EVENT_INVALID',
      /isPregnant/,
    );
    await rejects(
      () => input.pipeInput('1', { patientId: '1', updatedAt: '2006-01-02T15:00:00Z', firstName: 1 }),
      'MR_EVENT_INVALID',
      /firstName/,
    );
    await rejects(
      () => input.pipeInput('1', { patientId: '1', PatientId: '1', updatedAt: '2006-01-02T15:00:00Z' }),
      'MR_EVENT_INVALID',
      /twice/,
    );
    await rejects(() => input.pipeInput(null, null), 'MR_EVENT_INVALID', /tombstone/);
    // Nothing was written by the rejected records, and the stream goes on.
    expect(profile('1')).toBeUndefined();
    await input.pipeInput('1', {
      eventId: 'ok',
      patientId: '1',
      updatedAt: '2006-01-02T15:00:00Z',
      firstName: 'Y',
    });
    expect(profile('1')?.firstName).toBe('Y');
  });

  it('accepts Z followed by hh:mm as that offset when the config switch is on', async () => {
    const { input, profile } = setup(SPEC.replace('acceptZWithOffset: false', 'acceptZWithOffset: true'));
    await input.pipeInput('1', {
      eventId: 'z',
      patientId: '1',
      updatedAt: '2006-01-02T15:00:00.000000000Z10:00',
      firstName: 'X',
    });
    expect(profile('1')).toEqual({ patientId: '1', updatedAt: '2006-01-02T05:00:00Z', firstName: 'X' });
  });
});
