import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MillraceError } from '../../../src/index.ts';
import type { PluginContext } from '../../../src/index.ts';
import { answerConnectionQuery, parseConnectionQuery, personRow } from '../connections/connection-query.ts';
import { connectionPrefix, type ConnectionEntry } from '../connections/indexed-location.ts';
import { integerId, parseLocationEvent } from '../connections/location-event.ts';
import { parsePersonEvent, type Person } from '../connections/person-event.ts';
import { storeOwner } from './app-lookup.ts';

/** Options of {@link personRoutes}. */
export interface PersonRouteOptions {
  /** The largest distance a connection query may ask for (the topology's maxDistanceMeters). */
  readonly maxDistanceMeters: () => number;
}

const PERSONS = 'persons';
const CONNECTIONS = 'person-connections';
const LOCATION_INDEX = 'location-index';

/**
 * The routes of the replaced contact-tracing API, same paths and shapes (snake_case, coordinates as
 * strings, creation_time ISO without zone): `GET /api/persons`, `GET /api/persons/:id`,
 * `GET /api/persons/:id/connection`, `POST /api/persons`, `POST /api/locations` (the POSTs publish to the
 * input topics and answer 202). A connection query is a prefix scan of `person-connections`.
 */
export function personRoutes(server: FastifyInstance, ctx: PluginContext, options: PersonRouteOptions): void {
  const read = { config: { scope: 'persons:read' } };
  const write = { config: { scope: 'persons:write' } };

  server.get('/api/persons', read, async () => {
    const { applicationId } = storeOwner(ctx, PERSONS);
    const all = await ctx.scan<Person>(applicationId, PERSONS, {});
    return all.map((e) => personRow(e.value)).sort((a, b) => a.id - b.id);
  });

  server.get<{ Params: { id: string } }>('/api/persons/:id', read, async (request) => {
    const id = pathId(request.params.id);
    const { applicationId } = storeOwner(ctx, PERSONS);
    const { value } = await ctx.get<Person>(applicationId, PERSONS, String(id));
    if (value === undefined)
      throw new MillraceError('MR_HTTP_NOT_FOUND', `person ${id} is unknown or deleted`);
    return personRow(value);
  });

  server.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>(
    '/api/persons/:id/connection',
    read,
    async (request) => {
      const id = pathId(request.params.id);
      const query = parseConnectionQuery(request.query, options.maxDistanceMeters());
      const { applicationId } = storeOwner(ctx, CONNECTIONS);
      const entries = await ctx.scan<ConnectionEntry>(applicationId, CONNECTIONS, {
        prefix: connectionPrefix(id),
      });
      const others = new Set(entries.map((e) => e.value.other.personId));
      const persons = new Map<number, Person>();
      const personsApp = storeOwner(ctx, PERSONS).applicationId;
      await Promise.all(
        [...others].map(async (pid) => {
          const { value } = await ctx.get<Person>(personsApp, PERSONS, String(pid));
          if (value !== undefined) persons.set(pid, value);
        }),
      );
      return answerConnectionQuery(
        entries.map((e) => e.value),
        query,
        persons,
      );
    },
  );

  server.post<{ Body: Record<string, unknown> | null }>('/api/persons', write, async (request, reply) => {
    const body = objectBody(request.body);
    const personId = body.id === undefined ? newId() : integerIdOr400(body.id, 'id');
    const value = {
      personId,
      firstName: body.first_name ?? null,
      lastName: body.last_name ?? null,
      companyName: body.company_name ?? null,
    };
    try {
      parsePersonEvent(String(personId), value);
    } catch (err) {
      throw new MillraceError('MR_HTTP_BAD_REQUEST', `body: ${(err as Error).message}`);
    }
    await ctx.produce(storeOwner(ctx, PERSONS).sourceTopic, [{ key: String(personId), value }]);
    return reply.code(202).send({ id: personId, status: 'accepted' });
  });

  server.post<{ Body: Record<string, unknown> | null }>('/api/locations', write, async (request, reply) => {
    const body = objectBody(request.body);
    const locationId = body.id === undefined ? newId() : integerIdOr400(body.id, 'id');
    const value = {
      locationId,
      personId: body.person_id,
      latitude: body.latitude,
      longitude: body.longitude,
      creationTime: body.creation_time,
    };
    let event;
    try {
      event = parseLocationEvent(null, value);
    } catch (err) {
      throw new MillraceError('MR_HTTP_BAD_REQUEST', `body: ${(err as Error).message}`);
    }
    await ctx.produce(storeOwner(ctx, LOCATION_INDEX).sourceTopic, [{ key: String(event.personId), value }]);
    return reply.code(202).send({ id: locationId, status: 'accepted' });
  });
}

function pathId(raw: string): number {
  return integerIdOr400(raw, 'path parameter id');
}

function integerIdOr400(raw: unknown, name: string): number {
  try {
    return integerId(raw, name, 'request');
  } catch {
    throw new MillraceError('MR_HTTP_BAD_REQUEST', `${name} must be a non-negative integer`);
  }
}

function objectBody(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new MillraceError('MR_HTTP_BAD_REQUEST', 'body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

/** An id for a POST without one: milliseconds × 1000 + a random part (a safe integer until year 2255). */
function newId(): number {
  return Date.now() * 1000 + randomInt(1000);
}
