import type { FastifyInstance } from 'fastify';
import type { Topology } from '../../topology/topology.ts';
import { BUILTIN_SCOPES } from '../route-config.ts';
import { notFound } from './http-errors.ts';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page that draws each topology's Mermaid graph (the Mermaid source stays readable without script). */
function page(topologies: ReadonlyMap<string, Topology>): string {
  const sections = [...topologies]
    .map(
      ([id, t]) =>
        `<section><h2>${escapeHtml(id)}</h2><pre class="mermaid">${escapeHtml(t.describe().toMermaid())}</pre>` +
        `<details><summary>describe()</summary><pre>${escapeHtml(t.describe().toString())}</pre></details></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Millrace topologies</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}pre{background:#f6f8fa;padding:1rem;overflow:auto}</style>
</head><body><h1>Millrace topologies</h1>
${sections || '<p>No topology runs here.</p>'}
<script type="module">
import mermaid from 'https://cdn.jsdelivr.net/npm/mermaid@11/dist/mermaid.esm.min.mjs';
mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' });
</script></body></html>`;
}

/** `GET /topology` (text, JSON or Mermaid) and `GET /topology/view` (an HTML page drawing the graph). */
export function topologyRoutes(server: FastifyInstance, topologies: ReadonlyMap<string, Topology>): void {
  const config = { scope: BUILTIN_SCOPES.topologyRead };
  server.get<{ Querystring: { format?: 'json' | 'text' | 'mermaid'; app?: string } }>(
    '/topology',
    {
      config,
      schema: {
        tags: ['topology'],
        summary: "Each application's topology: describe() as JSON (default), text or Mermaid",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: ['json', 'text', 'mermaid'], default: 'json' },
            app: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' },
          },
        },
      },
    },
    async (req, reply) => {
      const { format = 'json', app } = req.query;
      const chosen = [...topologies].filter(([id]) => app === undefined || id === app);
      if (app !== undefined && chosen.length === 0) throw notFound(`no application "${app}" runs here`);
      if (format === 'json')
        return {
          applications: chosen.map(([id, t]) => ({ applicationId: id, topology: t.describe().toJSON() })),
        };
      const text = chosen
        .map(([id, t]) => {
          const body = format === 'text' ? t.describe().toString() : t.describe().toMermaid();
          return app === undefined ? `${format === 'text' ? '#' : '%%'} ${id}\n${body}` : body;
        })
        .join('\n');
      return reply.type('text/plain; charset=utf-8').send(text);
    },
  );
  server.get(
    '/topology/view',
    { config, schema: { tags: ['topology'], summary: 'An HTML page that draws each topology graph' } },
    async (_req, reply) => reply.type('text/html; charset=utf-8').send(page(topologies)),
  );
}
