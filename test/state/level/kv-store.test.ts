import { openLevelBackend } from '../../../state/level/index.ts';
import { kvStoreContract } from '../kv-store-contract.ts';
import { tmpDir } from '../tmp-dir.ts';

kvStoreContract({
  name: 'level',
  persistent: true,
  harness: async () => {
    const dir = await tmpDir('level');
    return { open: () => openLevelBackend({ path: dir.path }), cleanup: dir.remove };
  },
});
