/**
 * Per-route settings the server reads from Fastify's route `config`. Plugins declare the scope of each of
 * their routes here; a route without `scope` needs an authenticated caller, a `public` route needs none.
 *
 * @example
 * ```ts
 * server.get('/patients/:id', { config: { scope: 'patients:read' }, schema }, handler);
 * ```
 */
export interface MillraceRouteConfig {
  /** The scope a JWT must carry (`scope` claim, space-separated, or `scp` array). A static token has all. */
  scope?: string;
  /** No authentication (health, metrics, docs). */
  public?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    scope?: string;
    public?: boolean;
  }
}

/** Scopes of the built-in route groups. */
export const BUILTIN_SCOPES = {
  /** The generic interactive-query routes under `/stores`. */
  storesRead: 'stores:read',
  /** `/topology` and its page. */
  topologyRead: 'topology:read',
} as const;
