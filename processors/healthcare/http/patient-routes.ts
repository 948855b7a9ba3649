import type { FastifyInstance } from 'fastify';
import { MillraceError } from '../../../src/index.ts';
import type { PluginContext } from '../../../src/index.ts';
import { parseProfileEvent } from '../profiles/profile-event.ts';
import { renderProfile, type StoredProfile } from '../profiles/profile-state.ts';
import { storeOwner } from './app-lookup.ts';

/** Options of {@link patientRoutes}. */
export interface PatientRouteOptions {
  /** The profile store (default `patient-profiles`). */
  readonly store?: string;
  /** Accept `Z` fused with an offset in POSTed timestamps (should match the topology's switch). */
  readonly acceptZWithOffset?: () => boolean;
}

/**
 * `GET /patients/:patientId` → the merged profile (`{"patientId","updatedAt",…fields}`), 404 when unknown
 * or deleted; `POST /patientprofile` → validates the legacy Go payload, publishes it keyed by PatientId to
 * the profile topology's input topic, 202.
 */
export function patientRoutes(
  server: FastifyInstance,
  ctx: PluginContext,
  options: PatientRouteOptions = {},
): void {
  const store = options.store ?? 'patient-profiles';
  server.get<{ Params: { patientId: string } }>(
    '/patients/:patientId',
    {
      config: { scope: 'patients:read' },
      schema: {
        params: { type: 'object', properties: { patientId: { type: 'string', minLength: 1 } } },
      },
    },
    async (request) => {
      const { applicationId } = storeOwner(ctx, store);
      const id = request.params.patientId;
      const { value } = await ctx.get<StoredProfile>(applicationId, store, id);
      const view = renderProfile(id, value);
      if (view === undefined) {
        throw new MillraceError('MR_HTTP_NOT_FOUND', `patient "${id}" is unknown or deleted`);
      }
      return view;
    },
  );

  server.post<{ Body: unknown }>(
    '/patientprofile',
    { config: { scope: 'patients:write' } },
    async (request, reply) => {
      const { sourceTopic } = storeOwner(ctx, store);
      const body = request.body;
      let patientId: string;
      try {
        patientId = parseProfileEvent(null, body, Date.now(), {
          timestamps: { acceptZWithOffset: options.acceptZWithOffset?.() === true },
        }).patientId;
      } catch (err) {
        throw new MillraceError('MR_HTTP_BAD_REQUEST', `body: ${(err as Error).message}`);
      }
      await ctx.produce(sourceTopic, [{ key: patientId, value: body }]);
      return reply.code(202).send({ patientId, status: 'accepted' });
    },
  );
}
