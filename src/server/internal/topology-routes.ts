import type { FastifyInstance } from 'fastify';
import type { Topology } from '../../topology/topology.ts';
import { BUILTIN_SCOPES } from '../route-config.ts';
import { badRequest, notFound } from './http-errors.ts';
import { escapeXml, topologySvg } from './topology-svg.ts';

const escapeHtml = escapeXml;

/**
 * The page that shows each topology: the SVG drawn on the server (no script, no CDN: it renders in closed
 * networks), then the Mermaid source and describe() text for copying.
 */
function page(topologies: ReadonlyMap<string, Topology>): string {
  const sections = [...topologies]
    .map(([id, t]) => {
      const d = t.describe();
      return (
        `<section><h2>${escapeHtml(id)}</h2><div class="graph">${topologySvg(d)}</div>` +
        `<details><summary>describe()</summary><pre>${escapeHtml(d.toString())}</pre></details>` +
        `<details><summary>Mermaid source</summary><pre>${escapeHtml(d.toMermaid())}</pre></details></section>`
      );
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Millrace topologies</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem}pre{background:#f6f8fa;padding:1rem;overflow:auto}.graph{overflow:auto}
.legend span{display:inline-block;margin-right:1rem}</style>
</head><body><h1>Millrace topologies</h1>
<p class="legend"><span>▭ green: source</span><span>▭ blue: processor (with its stores)</span><span>▭ orange: sink</span><span>◯ grey: topic (dashed edges)</span></p>
${sections || '<p>No topology runs here.</p>'}
</body></html>`;
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
  server.get<{ Querystring: { app?: string } }>(
    '/topology/svg',
    {
      config,
      schema: {
        tags: ['topology'],
        summary: "A picture of an application's topology graph (SVG drawn on the server)",
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { app: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' } },
        },
      },
    },
    async (req, reply) => {
      const { app } = req.query;
      const t = app === undefined ? undefined : topologies.get(app);
      if (app !== undefined && !t) throw notFound(`no application "${app}" runs here`);
      if (!t && topologies.size !== 1)
        throw badRequest(
          `querystring parameter "app" is required: ${topologies.size} applications run here (${[...topologies.keys()].join(', ')})`,
        );
      const chosen = t ?? [...topologies.values()][0]!;
      return reply.type('image/svg+xml; charset=utf-8').send(topologySvg(chosen.describe()));
    },
  );
  server.get(
    '/topology/view',
    {
      config,
      schema: { tags: ['topology'], summary: 'An HTML page that draws each topology graph (SVG, no script)' },
    },
    async (_req, reply) => reply.type('text/html; charset=utf-8').send(page(topologies)),
  );
}
