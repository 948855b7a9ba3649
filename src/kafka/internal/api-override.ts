import { promisify } from 'node:util';
/**
 * Rewrites one argument of a Kafka API call a library client makes, where the library hard-codes a value
 * Kafka's protocol lets the caller choose. Used for:
 *
 *   - TxnOffsetCommit's `group_instance_id` (the library always sends null; a static member's id lets the
 *     coordinator fence a zombie by instance id, KIP-447 with KIP-345),
 *   - OffsetFetch's `require_stable` (the library always sends false; a new owner under exactly-once must not
 *     read an offset whose transaction is still being completed, KIP-447),
 *   - InitProducerId's `transaction_timeout_ms` (the library sends its request timeout).
 *
 * Every library client resolves an API through its `[kGetApi](name, callback)` method (a private symbol of
 * the base client, `Symbol('plt.kafka.base.getApi')`); the resolved function is called as
 * `api(connection, ...requestArgs, callback)`. We wrap that method on one instance so that the API `name`
 * gets `value` at position `index` of that argument list (0 = connection). The symbol is found by its
 * description; if a library version renames it, {@link overrideApiArgument} returns false and the caller
 * decides (the adapter's tests check that it returns true).
 */

export type ApiFunction = ((...args: unknown[]) => unknown) & Record<string, unknown>;
type GetApi = (name: string, callback: (error: unknown, api?: ApiFunction) => void) => void;

const GET_API_DESCRIPTION = 'plt.kafka.base.getApi';

function findGetApiSymbol(client: object): symbol | undefined {
  for (
    let proto: object | null = client;
    proto !== null;
    proto = Object.getPrototypeOf(proto) as object | null
  ) {
    const found = Object.getOwnPropertySymbols(proto).find((s) => s.description === GET_API_DESCRIPTION);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Makes `client` call API `name` with `value()` at argument `index` (evaluated at each call). Returns false
 * when the library's API lookup could not be found (nothing is changed then).
 */
export function overrideApiArgument(
  client: object,
  name: string,
  index: number,
  value: () => unknown,
): boolean {
  return overrideApiArguments(client, name, (args) => {
    if (args.length > index) args[index] = value();
  });
}

/** Makes `client` call API `name` with its arguments edited in place by `edit` (at each call). */
export function overrideApiArguments(client: object, name: string, edit: (args: unknown[]) => void): boolean {
  return overrideApi(client, name, (api) => {
    const wrapped = ((...args: unknown[]) => {
      edit(args);
      return api(...args);
    }) as ApiFunction;
    Object.assign(wrapped, api);
    return wrapped;
  });
}

/** The callback of a library API call. */
export type ApiCallback = (error: unknown, response?: unknown) => void;

/** The part of the library's connection an API function uses. */
export interface ApiConnection {
  send(
    apiKey: number,
    apiVersion: number,
    createPayload: () => unknown,
    parser: unknown,
    hasRequestHeaderTaggedFields: boolean,
    hasResponseHeaderTaggedFields: boolean,
    callback: ApiCallback,
  ): void;
}

/**
 * An API function as the library makes them (`api(connection, ...args, callback?)`, with `key`, `version`
 * and a promisified `async`) that runs `call`, to install with {@link overrideApi} in place of the library's
 * own encoding or parsing of one API version.
 */
export function apiFunction(
  key: number,
  version: number,
  call: (connection: ApiConnection, args: unknown[], callback: ApiCallback) => void,
): ApiFunction {
  const api = function (connection: unknown, ...args: unknown[]): void {
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as ApiCallback) : () => {};
    call(connection as ApiConnection, args, callback);
  } as ApiFunction;
  Object.assign(api, { key, version });
  api.async = promisify(api);
  return api;
}

/**
 * Makes `client` use `replace(api)` wherever it resolves API `name` (called at each resolution, with the
 * version the library chose; return `api` itself to keep it). Returns false when the library's API lookup
 * could not be found (nothing is changed then).
 */
export function overrideApi(
  client: object,
  name: string,
  replace: (api: ApiFunction) => ApiFunction,
): boolean {
  const symbol = findGetApiSymbol(client);
  if (symbol === undefined) return false;
  const target = client as Record<symbol, GetApi>;
  const original = target[symbol];
  if (typeof original !== 'function') return false;
  target[symbol] = function (this: unknown, apiName, callback) {
    if (apiName !== name) {
      original.call(this, apiName, callback);
      return;
    }
    original.call(this, apiName, (error, api) => {
      if (error || api === undefined) {
        callback(error, api);
        return;
      }
      callback(null, replace(api));
    });
  };
  return true;
}
