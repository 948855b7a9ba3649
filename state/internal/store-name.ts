import { MillraceError } from '../../src/errors/index.ts';

/**
 * Store names follow Kafka topic rules, because they also name the changelog topic
 * `<application.id>-<store>-changelog`. Names starting with `__millrace` are reserved for the backends' own
 * databases (checkpoints). The level key layout stores the name's length in one byte, hence ≤ 200.
 */
const STORE_NAME = /^[A-Za-z0-9._-]{1,200}$/;

/** Throws MR_STATE_STORE_INVALID unless `name` is a legal store name. */
export function assertStoreName(name: string): void {
  if (!STORE_NAME.test(name) || name.startsWith('__millrace')) {
    throw new MillraceError(
      'MR_STATE_STORE_INVALID',
      `invalid state store name ${JSON.stringify(name)}: use 1-200 characters of [A-Za-z0-9._-], not starting with "__millrace"`,
    );
  }
}
