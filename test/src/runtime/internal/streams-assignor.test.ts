import { describe, expect, it } from 'vitest';
import { encodeMemberInfo, STALE_COPY_LAG } from '../../../../src/runtime/internal/member-info.ts';
import { streamsAssignor } from '../../../../src/runtime/internal/streams-assignor.ts';

const subs = [{ id: 0, sourceTopics: ['in'] }];
const counts = new Map([['in', 4]]);
const info = (owned: string[], standby: string[], lags: Record<string, number>) =>
  encodeMemberInfo({ server: null, owned, standby, lags });
const tasksOf = (parts: readonly { partition: number }[] | undefined) =>
  (parts ?? []).map((p) => `0_${p.partition}`).sort();

describe('streams assignor with standby lags', () => {
  it("moves a departed member's tasks to the member with the most caught-up copy", () => {
    // A third member (gone) ran 0_2 and 0_3; b keeps a warm standby of 0_2, c an old copy of it and a
    // standby of 0_3.
    const assigned = streamsAssignor(subs)(
      [
        { memberId: 'b', userData: info(['0_0'], ['0_2'], { '0_0': 0, '0_2': 12 }) },
        { memberId: 'c', userData: info(['0_1'], ['0_3'], { '0_1': 0, '0_2': STALE_COPY_LAG, '0_3': 4 }) },
      ],
      counts,
    );
    expect(tasksOf(assigned.get('b'))).toEqual(['0_0', '0_2']);
    expect(tasksOf(assigned.get('c'))).toEqual(['0_1', '0_3']);
  });

  it('reads the standby list back from the userData', () => {
    const assigned = streamsAssignor(subs)(
      [
        { memberId: 'b', userData: info([], ['0_3'], { '0_3': 1 }) },
        { memberId: 'c', userData: info([], [], {}) },
      ],
      counts,
    );
    expect(tasksOf(assigned.get('b'))).toContain('0_3');
  });
});
