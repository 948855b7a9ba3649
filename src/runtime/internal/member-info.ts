/**
 * What each instance advertises in its group subscription's userData, and the assignor reads:
 *
 *   JSON (UTF-8): { "v": 1, "server": "host:port" | null, "owned": ["0_1", …], "standby": ["0_4", …],
 *                   "lags": { "0_3": 0, "0_4": 12, … } }
 *
 * `owned`: the tasks it ran active in the previous generation (stickiness). `standby`: the tasks it kept
 * warm copies of (standby stickiness, see standby-placement.ts). `lags`: per task whose state it has on
 * local disk, how many changelog records its copy is behind (0 = it owned the task; a standby's measured
 * end offset − checkpoint; {@link STALE_COPY_LAG} = an old copy nobody keeps up to date), so a task goes
 * where its state is warmest.
 * JSON keeps it readable with `describeGroup` from any tool; it is small (one entry per task).
 */
export interface MemberInfo {
  v: 1;
  server: string | null;
  owned: string[];
  standby: string[];
  lags: Record<string, number>;
}

/** The lag reported for a task dir left on disk by an earlier assignment and not kept up to date. */
export const STALE_COPY_LAG = 1e12;

export function encodeMemberInfo(info: Omit<MemberInfo, 'v'>): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, ...info }));
}

/** Decodes userData; anything unreadable (another client in the group, an older version) reads as empty. */
export function decodeMemberInfo(userData: Buffer | null): MemberInfo {
  try {
    const parsed = JSON.parse(userData?.toString('utf8') ?? '') as Partial<MemberInfo>;
    return {
      v: 1,
      server: typeof parsed.server === 'string' ? parsed.server : null,
      owned: Array.isArray(parsed.owned) ? parsed.owned.filter((t) => typeof t === 'string') : [],
      standby: Array.isArray(parsed.standby) ? parsed.standby.filter((t) => typeof t === 'string') : [],
      lags: parsed.lags && typeof parsed.lags === 'object' ? parsed.lags : {},
    };
  } catch {
    return { v: 1, server: null, owned: [], standby: [], lags: {} };
  }
}
