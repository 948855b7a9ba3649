import { MillraceError } from '../../../src/index.ts';
import type { PluginContext } from '../../../src/index.ts';

/** The running application that has `store`, and the source topic of the sub-topology that writes it. */
export interface StoreOwner {
  readonly applicationId: string;
  readonly sourceTopic: string;
}

/**
 * Finds the application (by its compiled topology) that holds `store`, so routes do not repeat the
 * application.id or topic names the topology specs define.
 */
export function storeOwner(ctx: PluginContext, store: string): StoreOwner {
  for (const [applicationId, app] of ctx.apps) {
    const sub = app.compiled?.subtopologies.find((s) => s.stores.some((st) => st.name === store));
    if (sub !== undefined) return { applicationId, sourceTopic: sub.sourceTopics[0] as string };
  }
  throw new MillraceError(
    'MR_STORE_NOT_QUERYABLE',
    `no running application has the store "${store}" yet: retry shortly, or check that millrace.yaml lists its topology`,
  );
}
