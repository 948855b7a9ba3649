import { describe, expect, it } from 'vitest';
import { loadStreamsConfig } from '../../../../src/config/index.ts';
import { groupInstance } from '../../../../src/runtime/internal/consumer-options.ts';

const config = (extra: Record<string, unknown>) =>
  loadStreamsConfig({ 'application.id': 'orders', 'bootstrap.servers': 'localhost:9092', ...extra }, {});

describe('static membership options', () => {
  it('derive the group instance id from the application id and the persisted process id by default', () => {
    expect(groupInstance(config({}), 'p-1')).toEqual({
      groupInstanceId: 'orders-p-1',
      leaveGroupOnClose: true,
    });
  });

  it("join as a dynamic member with 'none', and use an explicit id as is", () => {
    expect(groupInstance(config({ 'group.instance.id': 'none' }), 'p-1')).toEqual({
      leaveGroupOnClose: true,
    });
    expect(
      groupInstance(config({ 'group.instance.id': 'pod-3', 'leave.group.on.close': 'false' }), 'p-1'),
    ).toEqual({ groupInstanceId: 'pod-3', leaveGroupOnClose: false });
  });

  it('refuse an instance id Kafka would not take', () => {
    expect(() => config({ 'group.instance.id': 'a b' })).toThrow(/group.instance.id/);
    expect(() => config({ 'leave.group.on.close': 'maybe' })).toThrow(/leave.group.on.close/);
  });
});
