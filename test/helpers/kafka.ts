import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Bootstrap servers of the broker the integration global setup found or started. */
    kafkaBootstrapServers: string;
  }
}

/** The broker every integration test talks to (found or started by test/setup/kafka-global-setup.ts). */
export function bootstrapServers(): string[] {
  return inject('kafkaBootstrapServers').split(',');
}

/**
 * A name no other test run uses, so tests run in parallel and again and again on one broker.
 * @example uniqueName('orders') // 'orders-3f2a9c1d7e'
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}
