/**
 * What each instance advertises in its group subscription's userData, and the assignor reads:
 *
 *   JSON (UTF-8): { "v": 1, "server": "host:port" | null, "owned": ["0_1", …], "lags": { "0_3": 0, … } }
 *
 * `owned`: the tasks it ran in the previous generation (stickiness). `lags`: tasks whose state it has on
 * local disk (0 = it owned them, 1 = it has an older copy), so a task goes where its state is warm.
 * JSON keeps it readable with `describeGroup` from any tool; it is small (one entry per task).
 */
export interface MemberInfo {
  v: 1;
  server: string | null;
  owned: string[];
  lags: Record<string, number>;
}

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
      lags: parsed.lags && typeof parsed.lags === 'object' ? parsed.lags : {},
    };
  } catch {
    return { v: 1, server: null, owned: [], lags: {} };
  }
}
