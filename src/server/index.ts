/** The embedded HTTP server: interactive queries, health, metrics, topology, OpenAPI docs, plugin routes. */
export type { MillracePlugin, PluginContext, ScanRequest } from './plugin.ts';
export type { AuthOptions, MillraceServerOptions } from './server-options.ts';
export { BUILTIN_SCOPES, type MillraceRouteConfig } from './route-config.ts';
export { createMillraceServer, type MillraceServer } from './internal/create-server.ts';
