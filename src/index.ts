/**
 * Millrace's public API: interfaces and factories. Implementations live in `internal/` folders that users
 * never import.
 */
export * from './errors/index.ts';
export type * from '../state/types.ts';
