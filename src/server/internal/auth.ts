import { createHash, timingSafeEqual } from 'node:crypto';
import { importJWK, importSPKI, jwtVerify, type JWTPayload } from 'jose';
import { MillraceError } from '../../errors/index.ts';
import type { AuthOptions } from '../server-options.ts';

/** Who a request is: every scope (static or internal token) or the scopes of its JWT. */
export type Principal = { kind: 'static' } | { kind: 'jwt'; scopes: ReadonlySet<string>; subject?: string };

/** Verifies bearer tokens; `undefined` means authentication is off. */
export type Authenticator = ((authorization: string | undefined) => Promise<Principal>) | undefined;

/**
 * Compares in constant time. Both sides are hashed first so the comparison does not leak the token's
 * length either (timingSafeEqual needs equal lengths).
 */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const unauthorized = (why: string) =>
  new MillraceError('MR_HTTP_UNAUTHORIZED', `${why}: send "Authorization: Bearer <token>"`);

function scopesOf(payload: JWTPayload): Set<string> {
  const out = new Set<string>();
  if (typeof payload.scope === 'string') for (const s of payload.scope.split(' ')) if (s) out.add(s);
  if (Array.isArray(payload.scp)) for (const s of payload.scp) if (typeof s === 'string') out.add(s);
  return out;
}

/** Builds the authenticator of the server's auth options (keys are imported once, here). */
export async function createAuthenticator(options: AuthOptions | undefined): Promise<Authenticator> {
  if (!options || (!options.token && !options.jwt && !options.internalToken)) return undefined;
  const statics = [options.token, options.internalToken].filter((t): t is string => !!t);
  const jwt = options.jwt;
  let key: Awaited<ReturnType<typeof importSPKI>> | undefined;
  const algorithms = jwt?.algorithms ?? ['RS256', 'ES256', 'EdDSA'];
  if (jwt) {
    try {
      const text = jwt.publicKey.trim();
      key = text.startsWith('{')
        ? ((await importJWK(JSON.parse(text), algorithms[0])) as typeof key)
        : await importSPKI(text, algorithms[0] ?? 'RS256');
    } catch (cause) {
      throw new MillraceError(
        'MR_SERVER_CONFIG_INVALID',
        `the JWT public key cannot be read (${(cause as Error).message}): give a PEM SPKI public key or a JWK`,
        { cause },
      );
    }
  }
  return async (authorization) => {
    if (!authorization) throw unauthorized('no bearer token');
    const m = /^Bearer +([^\s]+) *$/i.exec(authorization);
    if (!m?.[1]) throw unauthorized('the Authorization header is not a bearer token');
    const token = m[1];
    // Check every static token (no early exit on the first), so timing does not tell which one matched.
    let matched = false;
    for (const s of statics) matched = sameSecret(token, s) || matched;
    if (matched) return { kind: 'static' };
    if (key) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms,
          ...(jwt?.issuer ? { issuer: jwt.issuer } : {}),
          ...(jwt?.audience ? { audience: jwt.audience } : {}),
        });
        return {
          kind: 'jwt',
          scopes: scopesOf(payload),
          ...(payload.sub ? { subject: payload.sub } : {}),
        };
      } catch (err) {
        throw unauthorized(`the token is not valid (${(err as { code?: string }).code ?? 'invalid'})`);
      }
    }
    throw unauthorized('the token is not valid');
  };
}

/** Throws 403 unless the principal has `scope` (no scope needed: any authenticated caller). */
export function requireScope(principal: Principal, scope: string | undefined): void {
  if (!scope || principal.kind === 'static') return;
  if (!principal.scopes.has(scope))
    throw new MillraceError(
      'MR_HTTP_FORBIDDEN',
      `this route needs the scope "${scope}": ask for a token that carries it`,
    );
}
