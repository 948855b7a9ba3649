import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { placeStandbys, type StandbyMember } from '../../../../src/runtime/internal/standby-placement.ts';
import { assignTasks } from '../../../../src/runtime/internal/task-assignor.ts';

const tasks = (n: number) => Array.from({ length: n }, (_, p) => `0_${p}`);
const member = (memberId: string, active: string[], standby: string[] = [], lags = {}): StandbyMember => ({
  memberId,
  active,
  standby,
  lags,
});

describe('standby placement', () => {
  it('puts one standby of each task on the other instance of two', () => {
    const placed = placeStandbys(
      tasks(6),
      [member('a', ['0_0', '0_1', '0_2']), member('b', ['0_3', '0_4', '0_5'])],
      1,
    );
    expect(placed.get('a')).toEqual(['0_3', '0_4', '0_5']);
    expect(placed.get('b')).toEqual(['0_0', '0_1', '0_2']);
  });

  it('places none with one member, and at most members − 1 per task', () => {
    expect(placeStandbys(tasks(3), [member('a', tasks(3))], 2).get('a')).toEqual([]);
    const placed = placeStandbys(tasks(2), [member('a', ['0_0']), member('b', ['0_1'])], 3);
    expect(placed.get('a')).toEqual(['0_1']);
    expect(placed.get('b')).toEqual(['0_0']);
  });

  it('keeps a standby where it was (sticky) when that keeps the balance', () => {
    const members = [
      member('a', ['0_0', '0_1'], ['0_4']),
      member('b', ['0_2', '0_3'], ['0_0']),
      member('c', ['0_4', '0_5'], ['0_2']),
    ];
    const placed = placeStandbys(tasks(6), members, 1);
    expect(placed.get('a')).toContain('0_4');
    expect(placed.get('b')).toContain('0_0');
    expect(placed.get('c')).toContain('0_2');
  });

  it('prefers the most caught-up copy among members that had none as standby', () => {
    const members = [
      member('a', ['0_0']),
      member('b', ['0_1'], [], { '0_0': 500 }),
      member('c', ['0_2'], [], { '0_0': 3 }),
    ];
    expect(placeStandbys(tasks(3), members, 1).get('c')).toContain('0_0');
  });

  it('is deterministic, never on the active member, N per task, spread within one (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.array(fc.integer({ min: 0, max: 23 }), { maxLength: 12 }),
        (taskCount, memberCount, replicas, previous) => {
          const all = tasks(taskCount);
          const ids = Array.from({ length: memberCount }, (_, i) => `m${i}`);
          const active = assignTasks(
            all,
            ids.map((memberId) => ({ memberId, ownedTasks: [] })),
          );
          const members = ids.map((id, i) =>
            member(
              id,
              active.get(id)!,
              previous.filter((p) => p % memberCount === i && p < taskCount).map((p) => `0_${p}`),
            ),
          );
          const placed = placeStandbys(all, members, replicas);
          // Same answer whatever order the members are listed in (every member computes it on its own).
          expect(placeStandbys(all, [...members].reverse(), replicas)).toEqual(placed);
          const per = new Map(all.map((t) => [t, 0]));
          for (const m of members) {
            const mine = placed.get(m.memberId)!;
            expect(new Set(mine).size).toBe(mine.length);
            for (const t of mine) {
              expect(m.active).not.toContain(t);
              per.set(t, per.get(t)! + 1);
            }
          }
          for (const n of per.values()) expect(n).toBe(Math.min(replicas, memberCount - 1));
          const loads = members.map((m) => placed.get(m.memberId)!.length);
          expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
