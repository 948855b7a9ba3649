import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringSerde } from '../../../src/serdes/index.ts';
import { createMillraceServer, type MillraceServer } from '../../../src/server/index.ts';
import { topologySvg } from '../../../src/server/internal/topology-svg.ts';
import { createStreamsBuilder } from '../../../src/topology/index.ts';
import type { Topology } from '../../../src/topology/topology.ts';

const str = stringSerde();

/** Two sub-topologies joined by a repartition topic; one processor name that needs XML escaping. */
function knownTopology(): Topology {
  const b = createStreamsBuilder();
  b.stream<string, string>('orders-in', { keySerde: str, valueSerde: str })
    .filter((_k, v) => v !== '', { name: 'drop-empty <&> "orders"' })
    .selectKey((_k, v) => v)
    .groupByKey({ keySerde: str, valueSerde: str })
    .count({ storeName: 'orders-per-item' })
    .toStream()
    .mapValues((v) => String(v))
    .to('orders-counted', { keySerde: str, valueSerde: str });
  return b.build();
}

const unescape = (s: string) =>
  s.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_m, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e]!,
  );

/**
 * A strict well-formedness check of the XML subset the renderer writes (elements, attributes, text, no
 * comments or CDATA): one root, every tag closed in order, attribute values quoted without `<`, `&` only
 * as a known entity. Returns the element names and every text node.
 */
function parseXml(xml: string): { root: string; elements: string[]; texts: string[]; attrs: string[] } {
  const elements: string[] = [];
  const texts: string[] = [];
  const attrs: string[] = [];
  const stack: string[] = [];
  let root = '';
  const entityOk = (s: string) => !/&(?!(lt|gt|amp|quot|apos);)/.test(s);
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (text.trim()) {
      if (stack.length === 0) throw new Error(`text outside the root: ${text.slice(0, 40)}`);
      if (!entityOk(text) || text.includes('>')) throw new Error(`bad text: ${text.slice(0, 40)}`);
      texts.push(unescape(text));
    }
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) throw new Error(`malformed tag at ${lt}: ${xml.slice(lt, lt + 60)}`);
    const [, close, name, attrText, selfClose] = m;
    for (const a of attrText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (!entityOk(a[2]!)) throw new Error(`bad attribute ${a[1]}="${a[2]}"`);
      attrs.push(unescape(a[2]!));
    }
    const names = [...attrText!.matchAll(/([\w:-]+)="/g)].map((a) => a[1]);
    if (new Set(names).size !== names.length) throw new Error(`duplicate attribute in <${name}>`);
    if (close) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else {
      if (stack.length === 0) {
        if (root) throw new Error('two root elements');
        root = name!;
      }
      elements.push(name!);
      if (!selfClose) stack.push(name!);
    }
    i = tag.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)}>`);
  return { root, elements, texts, attrs };
}

describe('topology SVG', () => {
  const topology = knownTopology();
  const json = topology.describe().toJSON();

  it('is well-formed SVG that names every node and topic of the topology', () => {
    const svg = topologySvg(topology.describe());
    const doc = parseXml(svg);
    expect(doc.root).toBe('svg');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    const nodes = json.subtopologies.flatMap((s) => s.nodes);
    expect(json.subtopologies.length).toBe(2);
    expect(nodes.map((n) => n.name)).toContain('drop-empty <&> "orders"');
    for (const n of nodes) expect(doc.texts, n.name).toContain(n.name);
    // The topics, known from how the topology was built (the repartition topic is named after the store).
    const topics = ['orders-in', 'orders-counted', 'orders-per-item-repartition'];
    for (const t of topics) expect(doc.texts, t).toContain(t);
    expect(doc.texts.filter((t) => /^Sub-topology \d$/.test(t)).length).toBe(2);
    // One shape per node and per topic occurrence: rounded rectangles and ellipses.
    expect(doc.elements.filter((e) => e === 'ellipse').length).toBe(4); // repartition topic: out of 0, into 1
    expect(doc.elements.filter((e) => e === 'rect').length).toBe(nodes.length + 2); // + the two boxes
    expect(doc.texts.some((t) => t === 'stores: orders-per-item')).toBe(true);
  });

  it('the checker of this test rejects what is not well-formed', () => {
    expect(() => parseXml('<svg><g></svg>')).toThrow();
    expect(() => parseXml('<svg><text>a < b</text></svg>')).toThrow();
    expect(() => parseXml('<svg><text>a & b</text></svg>')).toThrow();
    expect(() => parseXml('<svg a="1" a="2"></svg>')).toThrow();
  });

  describe('routes', () => {
    let server: MillraceServer;
    beforeAll(async () => {
      server = await createMillraceServer({
        apps: new Map(),
        topologies: new Map([['orders', topology]]),
        logLevel: 'silent',
      });
    });
    afterAll(() => server.close());

    it('serves the SVG at /topology/svg and embeds it in /topology/view with no external script', async () => {
      const svg = await server.fastify.inject({ method: 'GET', url: '/topology/svg?app=orders' });
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(parseXml(svg.body).root).toBe('svg');
      expect((await server.fastify.inject({ method: 'GET', url: '/topology/svg' })).body).toBe(svg.body);
      const missing = await server.fastify.inject({ method: 'GET', url: '/topology/svg?app=nope' });
      expect(missing.statusCode).toBe(404);
      const page = await server.fastify.inject({ method: 'GET', url: '/topology/view' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(svg.body.trim());
      expect(page.body).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
    });
  });
});
