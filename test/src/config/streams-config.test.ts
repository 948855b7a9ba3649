import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadStreamsConfig } from '../../../src/config/index.ts';
import { renderConfigDoc } from '../../../src/config/write-docs.ts';
import { isMillraceError } from '../../../src/errors/index.ts';

const base = { 'application.id': 'app-1', 'bootstrap.servers': '127.0.0.1:9092' };

describe('loadStreamsConfig', () => {
  it('applies Kafka Streams defaults and freezes the result', () => {
    const c = loadStreamsConfig(base, {});
    expect(c['bootstrap.servers']).toEqual(['127.0.0.1:9092']);
    expect(c['processing.guarantee']).toBe('at_least_once');
    expect(c['commit.interval.ms']).toBe(30_000);
    expect(c['state.backend']).toBe('lmdb');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('defaults commit.interval.ms to 100 under exactly_once_v2', () => {
    expect(
      loadStreamsConfig({ ...base, 'processing.guarantee': 'exactly_once_v2' }, {})['commit.interval.ms'],
    ).toBe(100);
  });

  it('parses strings (YAML, env) and lets the environment override', () => {
    const c = loadStreamsConfig(
      { ...base, 'commit.interval.ms': '500' },
      { MILLRACE_COMMIT_INTERVAL_MS: '250', KAFKA_BOOTSTRAP_SERVERS: 'a:1,b:2' },
    );
    expect(c['commit.interval.ms']).toBe(250);
    expect(c['bootstrap.servers']).toEqual(['a:1', 'b:2']);
  });

  it.each([
    [{ ...base, 'application.id': undefined }, /"application.id".*is required/],
    [
      { ...base, 'processing.guarantee': 'exactly_once' },
      /"processing.guarantee".*must be one of "at_least_once", "exactly_once_v2"/,
    ],
    [{ ...base, 'commit.interval.ms': -1 }, /"commit.interval.ms".*must be >= 0/],
    [{ ...base, 'application.id': 'bad id' }, /"application.id".*may contain only/],
    [{ ...base, 'application.server': 'nohost' }, /"application.server".*host:port/],
    [{ ...base, 'comit.interval.ms': 5 }, /"comit.interval.ms".*is not a Millrace config key/],
  ])('rejects %o with a clear MR_CONFIG_INVALID', (input, message) => {
    const clean = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    let caught: unknown;
    try {
      loadStreamsConfig(clean, {});
    } catch (err) {
      caught = err;
    }
    expect(isMillraceError(caught, 'MR_CONFIG_INVALID')).toBe(true);
    expect((caught as Error).message).toMatch(message);
  });

  it('names the environment variable when the bad value came from there', () => {
    expect(() => loadStreamsConfig(base, { MILLRACE_MAX_POLL_RECORDS: 'lots' })).toThrow(
      /MILLRACE_MAX_POLL_RECORDS/,
    );
  });
});

describe('docs/configuration.md', () => {
  it('is generated from the config keys (run `npm run docs:config` to update it)', () => {
    expect(readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8')).toBe(
      renderConfigDoc(),
    );
  });
});
