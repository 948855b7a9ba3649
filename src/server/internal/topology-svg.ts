import type { NodeDescription, TopologyDescription } from '../../topology/topology.ts';

/**
 * Draws a topology description as a standalone SVG, on the server, with no script and no network (the
 * page that shows it must work in closed hospital networks). A small layered layout:
 *
 * - each sub-topology (and global store) is a box, boxes flow left to right and wrap at `maxWidth`;
 * - inside a box, topics are pseudo-nodes (topic → source, sink → topic) and every node sits in the layer
 *   of its longest path from a topic, so every edge points down;
 * - sources, processors and sinks are rounded rectangles (a processor lists its stores on a second line),
 *   topics are labelled ellipses, topic edges are dashed.
 *
 * Text is measured by a fixed per-character width (monospace-like estimate, 7.2 px at 12 px): good enough
 * to keep labels inside their shapes without a font engine.
 */

const FONT = 12;
const CHAR = 7.2;
const NODE_H = 40;
const NODE_H2 = 52;
const TOPIC_H = 34;
const GAP_X = 24;
const GAP_Y = 44;
const PAD = 20;
const TITLE_H = 28;
const BOX_GAP = 24;

type Kind = 'source' | 'processor' | 'sink' | 'topic';

interface Item {
  id: string;
  kind: Kind;
  lines: string[];
  w: number;
  h: number;
  layer: number;
  x: number;
  y: number;
}

interface Group {
  title: string;
  items: Map<string, Item>;
  edges: { from: string; to: string; dashed: boolean }[];
  w: number;
  h: number;
  x: number;
  y: number;
}

export const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );

const textWidth = (s: string) => Math.ceil(s.length * CHAR);

function item(id: string, kind: Kind, lines: string[]): Item {
  const w = Math.max(
    kind === 'topic' ? 110 : 120,
    ...lines.map((l) => textWidth(l) + (kind === 'topic' ? 36 : 24)),
  );
  const h = kind === 'topic' ? TOPIC_H : lines.length > 1 ? NODE_H2 : NODE_H;
  return { id, kind, lines, w, h, layer: 0, x: 0, y: 0 };
}

function group(title: string, nodes: readonly NodeDescription[]): Group {
  const items = new Map<string, Item>();
  const edges: Group['edges'] = [];
  for (const n of nodes) {
    const stores = n.stores ?? [];
    items.set(
      n.name,
      item(n.name, n.type, stores.length > 0 ? [n.name, `stores: ${stores.join(', ')}`] : [n.name]),
    );
  }
  for (const n of nodes) {
    for (const t of n.topics ?? []) {
      const id = `topic:in:${t}`;
      if (!items.has(id)) items.set(id, item(id, 'topic', [t]));
      edges.push({ from: id, to: n.name, dashed: true });
    }
    if (n.topic !== undefined) {
      const id = `topic:out:${n.topic}`;
      if (!items.has(id)) items.set(id, item(id, 'topic', [n.topic]));
      edges.push({ from: n.name, to: id, dashed: true });
    }
    for (const c of n.successors) if (items.has(c)) edges.push({ from: n.name, to: c, dashed: false });
  }
  // Longest-path layering (the graph of a sub-topology is acyclic); bounded by the item count.
  for (let round = 0; round < items.size; round++) {
    let changed = false;
    for (const e of edges) {
      const a = items.get(e.from)!;
      const b = items.get(e.to)!;
      if (b.layer < a.layer + 1) {
        b.layer = a.layer + 1;
        changed = true;
      }
    }
    if (!changed) break;
  }
  const layers: Item[][] = [];
  for (const it of items.values()) (layers[it.layer] ??= []).push(it);
  const rows = layers.filter((l) => l !== undefined);
  const rowWidth = (r: Item[]) => r.reduce((s, it) => s + it.w, 0) + GAP_X * (r.length - 1);
  const w = Math.max(textWidth(title) + 2 * PAD, ...rows.map((r) => rowWidth(r) + 2 * PAD));
  let y = TITLE_H + PAD / 2;
  for (const r of rows) {
    const rowH = Math.max(...r.map((it) => it.h));
    let x = (w - rowWidth(r)) / 2;
    for (const it of r) {
      it.x = x;
      it.y = y + (rowH - it.h) / 2;
      x += it.w + GAP_X;
    }
    y += rowH + GAP_Y;
  }
  return { title, items, edges, w, h: y - GAP_Y + PAD, x: 0, y: 0 };
}

const STYLE: Record<Kind, { fill: string; stroke: string }> = {
  source: { fill: '#e6f4ea', stroke: '#2e7d32' },
  processor: { fill: '#e8f0fe', stroke: '#1a56db' },
  sink: { fill: '#fff4e5', stroke: '#c05621' },
  topic: { fill: '#f3f4f6', stroke: '#6b7280' },
};

function drawItem(it: Item, ox: number, oy: number): string {
  const x = ox + it.x;
  const y = oy + it.y;
  const s = STYLE[it.kind];
  const shape =
    it.kind === 'topic'
      ? `<ellipse cx="${x + it.w / 2}" cy="${y + it.h / 2}" rx="${it.w / 2}" ry="${it.h / 2}" fill="${s.fill}" stroke="${s.stroke}"/>`
      : `<rect x="${x}" y="${y}" width="${it.w}" height="${it.h}" rx="10" ry="10" fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.5"/>`;
  const first = y + it.h / 2 - ((it.lines.length - 1) * (FONT + 3)) / 2;
  const text = it.lines
    .map(
      (l, i) =>
        `<text x="${x + it.w / 2}" y="${first + i * (FONT + 3)}" class="${i === 0 ? 'label' : 'sub'}">${escapeXml(l)}</text>`,
    )
    .join('');
  return `<g class="${it.kind}" data-name="${escapeXml(it.kind === 'topic' ? it.lines[0]! : it.id)}">${shape}${text}</g>`;
}

/** Renders a topology description as an SVG document (UTF-8 text). */
export function topologySvg(d: TopologyDescription, maxWidth = 1240): string {
  const groups = [
    ...d.subtopologies.map((s) => group(`Sub-topology ${s.id}`, s.nodes)),
    ...d.globalStores.map((g) =>
      group(`Sub-topology ${g.id}: global store ${g.store}`, [g.source, g.processor]),
    ),
  ];
  // Boxes flow left to right, wrapping into rows no wider than maxWidth (a wider box gets its own row).
  let x = BOX_GAP;
  let y = BOX_GAP;
  let rowH = 0;
  let width = 0;
  for (const g of groups) {
    if (x > BOX_GAP && x + g.w > maxWidth) {
      x = BOX_GAP;
      y += rowH + BOX_GAP;
      rowH = 0;
    }
    g.x = x;
    g.y = y;
    x += g.w + BOX_GAP;
    rowH = Math.max(rowH, g.h);
    width = Math.max(width, x);
  }
  const height = y + rowH + BOX_GAP;
  const body = groups
    .map((g) => {
      // Several edges leaving (or entering) one node get their own points along its bottom (top) edge,
      // ordered by the other end's position, so they neither overlap nor cross at the node.
      const port = (it: Item, list: Item[], other: Item) => {
        const sorted = [...list].sort((p, q) => p.x + p.w / 2 - (q.x + q.w / 2));
        const i = sorted.indexOf(other);
        const span = Math.min(it.w * 0.6, 40 * (list.length - 1));
        return list.length < 2 ? it.w / 2 : it.w / 2 - span / 2 + (span * i) / (list.length - 1);
      };
      const outs = new Map<string, Item[]>();
      const ins = new Map<string, Item[]>();
      for (const e of g.edges) {
        (outs.get(e.from) ?? outs.set(e.from, []).get(e.from)!).push(g.items.get(e.to)!);
        (ins.get(e.to) ?? ins.set(e.to, []).get(e.to)!).push(g.items.get(e.from)!);
      }
      const edges = g.edges
        .map((e) => {
          const a = g.items.get(e.from)!;
          const b = g.items.get(e.to)!;
          const x1 = g.x + a.x + port(a, outs.get(e.from)!, b);
          const y1 = g.y + a.y + a.h;
          const x2 = g.x + b.x + port(b, ins.get(e.to)!, a);
          const y2 = g.y + b.y - 2;
          const dash = e.dashed ? ' stroke-dasharray="5 4"' : '';
          return `<path d="M${x1} ${y1} C${x1} ${(y1 + y2) / 2} ${x2} ${(y1 + y2) / 2} ${x2} ${y2}" fill="none" stroke="#4b5563" stroke-width="1.4"${dash} marker-end="url(#arrow)"/>`;
        })
        .join('');
      const items = [...g.items.values()].map((it) => drawItem(it, g.x, g.y)).join('');
      return (
        `<g class="subtopology"><rect x="${g.x}" y="${g.y}" width="${g.w}" height="${g.h}" rx="6" fill="#ffffff" stroke="#9ca3af" stroke-dasharray="6 3"/>` +
        `<text x="${g.x + 10}" y="${g.y + 19}" class="title">${escapeXml(g.title)}</text>${edges}${items}</g>`
      );
    })
    .join('\n');
  const empty = groups.length === 0 ? '<text x="24" y="40" class="title">(empty topology)</text>' : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.max(height, 60)}" viewBox="0 0 ${width} ${Math.max(height, 60)}" font-family="ui-sans-serif, system-ui, sans-serif" font-size="${FONT}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#4b5563"/></marker>
<style>.label{text-anchor:middle;dominant-baseline:middle;fill:#111827}.sub{text-anchor:middle;dominant-baseline:middle;fill:#4b5563;font-size:11px}.title{font-weight:600;fill:#374151}</style></defs>
${body}${empty}
</svg>
`;
}
