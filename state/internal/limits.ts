/**
 * LMDB's key limit with lmdb-js's default 4 KiB pages. The memory and level backends default to the same
 * limit so a store that works in tests (TopologyTestDriver, memory) or on level also works on LMDB.
 */
export const LMDB_MAX_KEY_SIZE = 1978;
