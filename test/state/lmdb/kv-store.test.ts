import { createLmdbBackend } from '../../../state/lmdb/index.ts';
import { kvStoreContract } from '../kv-store-contract.ts';
import { tmpDir } from '../tmp-dir.ts';

kvStoreContract({
  name: 'lmdb',
  persistent: true,
  harness: async () => {
    const dir = await tmpDir('lmdb');
    return { open: async () => createLmdbBackend({ path: dir.path }), cleanup: dir.remove };
  },
});
