import { describe, expect, it } from 'vitest';
import { compareVersionsDesc } from '../../../src/local-broker/kafka-resolver.ts';

describe('compareVersionsDesc', () => {
  it('orders releases numerically, newest first (4.10 after 4.9, not before)', () => {
    expect(['4.2.0', '4.10.0', '4.9.1', '4.0.0', '4.9.0'].sort(compareVersionsDesc)).toEqual([
      '4.10.0',
      '4.9.1',
      '4.9.0',
      '4.2.0',
      '4.0.0',
    ]);
  });
});
