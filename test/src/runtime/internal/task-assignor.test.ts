import { describe, expect, it } from 'vitest';
import {
  assignTasks,
  partitionsOfTask,
  taskOfPartition,
  tasksOf,
} from '../../../../src/runtime/internal/task-assignor.ts';

const subs = [
  { id: 0, sourceTopics: ['orders', 'payments'] },
  { id: 1, sourceTopics: ['app-x-repartition'] },
];
const counts = new Map([
  ['orders', 6],
  ['payments', 6],
  ['app-x-repartition', 3],
]);

describe('task assignor', () => {
  it('makes one task per partition of each sub-topology, owning that partition of every co-partitioned topic', () => {
    expect(tasksOf(subs, counts)).toEqual(['0_0', '0_1', '0_2', '0_3', '0_4', '0_5', '1_0', '1_1', '1_2']);
    expect(partitionsOfTask('0_3', subs, counts)).toEqual([
      { topic: 'orders', partition: 3 },
      { topic: 'payments', partition: 3 },
    ]);
    expect(taskOfPartition('payments', 4, subs)).toBe('0_4');
  });

  it('assigns every task exactly once, balanced within one', () => {
    const tasks = tasksOf(subs, counts);
    for (const n of [1, 2, 3, 4, 5, 9, 12]) {
      const members = Array.from({ length: n }, (_, i) => ({ memberId: `m${i}`, ownedTasks: [] }));
      const a = assignTasks(tasks, members);
      const all = [...a.values()].flat().sort();
      expect(all).toEqual([...tasks].sort());
      const sizes = [...a.values()].map((l) => l.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('is sticky: a joining member takes only what balance requires; the others keep their tasks', () => {
    const tasks = tasksOf(subs, counts);
    const first = assignTasks(tasks, [
      { memberId: 'a', ownedTasks: [] },
      { memberId: 'b', ownedTasks: [] },
    ]);
    const second = assignTasks(tasks, [
      { memberId: 'a', ownedTasks: first.get('a')! },
      { memberId: 'b', ownedTasks: first.get('b')! },
      { memberId: 'c', ownedTasks: [] },
    ]);
    const kept = (m: 'a' | 'b') => second.get(m)!.filter((t) => first.get(m)!.includes(t)).length;
    expect(second.get('c')).toHaveLength(3);
    expect(kept('a') + kept('b')).toBe(6);
  });

  it('prefers the member whose copy of a task is most caught up (a standby)', () => {
    const a = assignTasks(
      ['0_0', '0_1'],
      [
        { memberId: 'a', ownedTasks: [] },
        { memberId: 'b', ownedTasks: [], taskLags: new Map([['0_0', 5]]) },
      ],
    );
    expect(a.get('b')).toEqual(['0_0']);
  });
});
