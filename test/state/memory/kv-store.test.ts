import { createMemoryBackend } from '../../../state/memory/index.ts';
import { kvStoreContract } from '../kv-store-contract.ts';

kvStoreContract({
  name: 'memory',
  persistent: false,
  harness: async () => ({ open: async () => createMemoryBackend(), cleanup: async () => undefined }),
});
