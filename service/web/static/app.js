/* The actorgraph explorer: an overview of the graph on first load, search an actor, draw its ego
 * network with Cytoscape.js (fcose, seeded: every open looks the same), read the citations of an
 * edge, expand, hide and pin nodes, filter by relation type and date window, find paths between
 * people, size nodes by centrality, download exactly the view on screen. Everything comes from the
 * JSON API of the same origin.
 *
 * Safety: data only ever reaches the DOM as text (textContent / Text nodes, never innerHTML), links
 * only for http(s) URLs, and the page's CSP forbids inline script. */
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);

  /* el('li', {class: 'x', 'aria-selected': true}, 'text', childNode): attributes and text, no HTML parsing. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v; else node.setAttribute(k, v === true ? 'true' : String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  const state = {
    config: null,
    cy: null,
    depth: 2,
    roots: new Set(),        // the centre and the nodes expanded since: always shown, marked
    keep: new Set(),         // shown whatever the filters: the roots, the overview's actors
    hidden: new Set(),       // hidden by the analyst (Hide), until "Show hidden"
    overview: null,          // {actors_total, actors_shown, whole} while the overview is the view
    center: null,
    nodes: new Map(),        // id -> {id, type, name, aliases?...}
    edges: new Map(),        // relation key -> {key, type, source, target, date, place, what, citations}
    articles: new Map(),     // id -> {id, title, published, source, url}
    dates: [],               // distinct event dates in view, sorted
    window: null,            // [since, until] as dates, or null for the whole range
    types: new Set(),
    path: { from: null, to: null },
    metric: '',
  };

  /* ---- the API ---- */

  class ApiError extends Error {
    constructor(message, body) { super(message); this.body = body; }
  }

  const DOWN = 'The server does not answer: is actorgraph running? Nothing shown below is from this request.';

  /* fetch, with a server that does not answer (stopped, network down) as an ApiError that says so,
   * never the browser's bare "Failed to fetch". */
  async function request(url, init) {
    let response;
    try {
      response = await fetch(url, init);
    } catch (_) {
      const err = new ApiError(DOWN, null);
      err.down = true;
      throw err;
    }
    document.body.classList.remove('offline');
    return response;
  }

  async function api(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
    }
    const response = await request(url, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await response.json(); } catch (_) { /* not JSON: reported by status below */ }
    if (!response.ok) throw new ApiError(describeError(response.status, body), body);
    return body;
  }

  function describeError(status, body) {
    const detail = body && body.detail;
    let text = typeof detail === 'string' ? detail
      : Array.isArray(detail) ? detail.map((d) => `${(d.loc || []).slice(-1)[0]}: ${d.msg}`).join('; ')
      : `the server answered ${status}`;
    if (body && Array.isArray(body.suggestions) && body.suggestions.length) {
      text += ` (did you mean ${body.suggestions.map((s) => s.name).join(', ')}?)`;
    }
    return text;
  }

  function say(text, isError) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', !!isError);
  }

  /* A failed request: said in the status line, and in the details panel in place of what it held
   * (which answered an earlier question). */
  function fail(err, what) {
    const text = err instanceof Error ? err.message : String(err);
    say(what ? `${what}: ${text}` : text, true);
    if (err && err.down) document.body.classList.add('offline');
    if (what) {
      detailsSeq++;
      $('details').replaceChildren(el('p', { class: 'error', role: 'alert' }, `${what}: ${text}`));
    }
  }

  /* ---- the model: relations keyed as graph.model.relation_key keys them ---- */

  const isEvent = (type) => state.config.event_types.includes(type);
  const isSymmetric = (type) => state.config.symmetric_types.includes(type);

  function keyOf(rel) {
    let s = rel.source, t = rel.target;
    if (isSymmetric(rel.type) && t < s) [s, t] = [t, s];
    return `${rel.type}|${s}|${t}` + (isEvent(rel.type) ? `|${rel.date || ''}` : '');
  }

  const edgeLabel = (rel) => (rel.date ? `${rel.type} ${rel.date}` : rel.type);
  const nameOf = (id) => (state.nodes.has(id) ? state.nodes.get(id).name : id);

  function articleInfo(id) {
    const a = state.articles.get(id) || {};
    return { title: a.title, url: a.url, published: a.published, source: a.source };
  }

  /* Graph JSON (GET /subgraph) into the view; returns what was new. */
  function mergeGraph(g) {
    for (const a of g.articles || []) state.articles.set(a.id, a);
    const added = { nodes: [], edges: [] };
    for (const n of g.nodes) {
      if (!state.nodes.has(n.id)) added.nodes.push(n);
      state.nodes.set(n.id, { ...(state.nodes.get(n.id) || {}), ...n });
    }
    for (const e of g.edges) {
      const rel = { ...e, key: keyOf(e), citations: (e.provenance || []).map((p) => ({ ...p, ...articleInfo(p.article) })) };
      if (!state.edges.has(rel.key)) added.edges.push(rel);
      state.edges.set(rel.key, rel);
    }
    return added;
  }

  /* A path answer (GET /paths/shortest) into the view: its actors and cited relations. */
  function mergePaths(answer) {
    const added = { nodes: [], edges: [] };
    const keys = new Set(), ids = new Set();
    for (const p of answer.paths) {
      for (const a of p.actors) {
        ids.add(a.id);
        if (!state.nodes.has(a.id)) { state.nodes.set(a.id, { ...a, aliases: [] }); added.nodes.push(a); }
      }
      for (const hop of p.hops) {
        for (const r of hop.relations) {
          const rel = { type: r.type, source: r.source, target: r.target, date: r.date, what: r.what,
                        place: r.place ? r.place.id : null, corroboration: r.corroboration, citations: r.citations };
          rel.key = keyOf(rel);
          keys.add(rel.key);
          if (!state.edges.has(rel.key)) { state.edges.set(rel.key, rel); added.edges.push(rel); }
          if (r.place && !state.nodes.has(r.place.id)) state.placeNames.set(r.place.id, r.place.name);
        }
      }
    }
    return { added, keys, ids };
  }
  state.placeNames = new Map();

  /* ---- drawing ---- */

  // Sizes past which the drawing gets cheaper. Measuring labels is most of the cost of a first
  // frame, so a large view labels only the nodes on screen once zoomed in, and edges not at all.
  const FORCE_MAX = 150;     // up to this many nodes: fcose (a force layout that spaces labels too)
  const BIG = 1000;          // past this: straight edges, no arrows, no edge labels, node labels on zoom
  const LABEL_ZOOM = 0.7;    // in a big view, nodes on screen get labels from this zoom on
  const LABEL_MAX = 400;     // ... at most this many at once
  // Legibility: a label drawn smaller than MIN_LABEL_PX on screen is not drawn at all (Cytoscape's
  // min-zoomed-font-size, the level of detail), and a first view is never zoomed out past the
  // point where node labels would go (the analyst zooms out, or presses Fit, to see more).
  const NODE_FONT = 12, EDGE_FONT = 10, MIN_LABEL_PX = 9;
  const MIN_FIT_ZOOM = MIN_LABEL_PX / NODE_FONT;
  const EDGE_LABEL_ZOOM = 1.25;  // every edge is labelled from this zoom on; below, those of the selection
  const LAYOUT_SEED = 20260;

  /* kind: 'small' (force layout), 'medium' (rings, level labels), 'big' (see BIG). */
  function stylesheet(kind) {
    const c = state.config, big = kind === 'big';
    return [
      { selector: 'node', style: {
        label: big ? '' : 'data(name)', 'font-size': NODE_FONT, 'text-valign': 'bottom', 'text-margin-y': 3,
        'min-zoomed-font-size': MIN_LABEL_PX, width: 'data(size)', height: 'data(size)',
        'text-wrap': 'wrap', 'text-max-width': 140,
        'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 1,
        'text-background-shape': 'round-rectangle',
        'border-width': 1, 'border-color': '#fff', 'background-color': '#888' } },
      { selector: 'node.labelled, node.root, node:selected', style: { label: 'data(name)' } },
      // A label that would cover another's: drawn only when its node is selected, hovered or on a path.
      { selector: 'node.nolabel', style: { label: '' } },
      { selector: 'node.nolabel:selected, node.nolabel.hover, node.nolabel.path', style: { label: 'data(name)' } },
      ...Object.keys(c.colours).map((t) => ({
        selector: `node.${t}`, style: { 'background-color': c.colours[t], shape: c.shapes[t] } })),
      { selector: 'edge', style: big
        ? { 'curve-style': 'haystack', 'haystack-radius': 0, width: 1, 'line-color': '#bcc' }
        : { label: '', 'font-size': EDGE_FONT, 'text-rotation': 'autorotate', 'min-zoomed-font-size': MIN_LABEL_PX,
            'curve-style': 'bezier', width: 1.5, 'line-color': '#8a9a9a', color: '#333',
            'target-arrow-shape': 'triangle', 'target-arrow-color': '#8a9a9a', 'arrow-scale': 0.8,
            'text-background-color': '#fff', 'text-background-opacity': 0.85, 'text-background-padding': 1 } },
      ...c.symmetric_types.map((t) => ({ selector: `edge.${t}`, style: { 'target-arrow-shape': 'none' } })),
      { selector: 'edge.labelled, edge:selected, edge.path, edge.near', style: { label: 'data(label)' } },
      // Reported by one independent source only: dashed; by two or more: solid (the legend says so).
      { selector: 'edge.single', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4] } },
      { selector: '.hidden, .user-hidden', style: { display: 'none' } },
      { selector: 'node.root', style: { 'border-width': 3, 'border-color': '#222' } },
      { selector: 'node.pinned', style: { 'outline-width': 2, 'outline-color': '#6a3d9a', 'outline-style': 'dotted',
                                          'outline-offset': 2 } },
      { selector: '.faded', style: { opacity: 0.2 } },
      { selector: 'edge.path', style: { 'line-color': '#d62728', 'target-arrow-color': '#d62728', width: 4, 'z-index': 9 } },
      { selector: 'node.path', style: { 'border-width': 4, 'border-color': '#d62728', 'z-index': 9 } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1f6feb' } },
      { selector: 'edge:selected', style: { 'line-color': '#1f6feb', 'target-arrow-color': '#1f6feb', width: 4 } },
    ];
  }

  const NODE_SIZE = 22;
  const nodeElement = (n) => ({ group: 'nodes', data: { id: n.id, name: n.name, type: n.type, size: NODE_SIZE },
                                classes: n.type });
  // Corroborated: two independent sources or more (the API's count); one alone is dashed.
  const singleSource = (r) => Boolean(r.corroboration) && r.corroboration.sources < 2;
  const edgeElement = (r) => ({ group: 'edges', data: { id: r.key, source: r.source, target: r.target, label: edgeLabel(r) },
                                classes: singleSource(r) ? `${r.type} single` : r.type });
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const sourcesText = (c) => `${plural(c.sources, 'outlet')}, ${plural(c.articles, 'article')}` +
    (c.first_reported ? `; reported ${c.first_reported}${c.last_reported !== c.first_reported ? ` to ${c.last_reported}` : ''}` : '');

  function adjacency() {
    const adj = new Map();
    for (const id of state.nodes.keys()) adj.set(id, []);
    for (const r of state.edges.values()) {
      if (adj.has(r.source) && adj.has(r.target)) { adj.get(r.source).push(r.target); adj.get(r.target).push(r.source); }
    }
    return adj;
  }

  /* Rings by hops from the roots, busiest first on each ring: an ego network read outwards, placed
   * in O(n) without measuring a label (Cytoscape's concentric layout measures every node). */
  function ringPositions(big) {
    const adj = adjacency();
    const dist = new Map([...state.roots].filter((id) => adj.has(id)).map((id) => [id, 0]));
    let frontier = [...dist.keys()];
    while (frontier.length) {
      const next = [];
      for (const u of frontier) for (const v of adj.get(u)) if (!dist.has(v)) { dist.set(v, dist.get(u) + 1); next.push(v); }
      frontier = next;
    }
    const far = Math.max(0, ...dist.values()) + 1, rings = [];
    for (const id of adj.keys()) {
      const d = dist.has(id) ? dist.get(id) : far;
      (rings[d] = rings[d] || []).push(id);
    }
    const spacing = big ? 16 : 46, gap = big ? 90 : 130, pos = {};
    let radius = 0;
    rings.forEach((ids, d) => {
      if (!ids) return;
      ids.sort((a, b) => adj.get(b).length - adj.get(a).length || (a < b ? -1 : 1));
      radius = (d === 0 && ids.length === 1) ? 0 : Math.max(radius + gap, (ids.length * spacing) / (2 * Math.PI));
      ids.forEach((id, i) => {
        const a = (2 * Math.PI * i) / ids.length - Math.PI / 2;
        pos[id] = { x: radius * Math.cos(a), y: radius * Math.sin(a) };
      });
    });
    return pos;
  }

  /* Fit the viewport to the nodes' positions (not their labels' boxes, which cost a measurement each). */
  function fitPositions(cy, pos) {
    const xs = Object.values(pos).map((p) => p.x), ys = Object.values(pos).map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const pad = 60, w = cy.width(), h = cy.height();
    const zoom = Math.min(1.3, (w - 2 * pad) / Math.max(x1 - x0, 1), (h - 2 * pad) / Math.max(y1 - y0, 1));
    cy.viewport({ zoom, pan: { x: w / 2 - zoom * (x0 + x1) / 2, y: h / 2 - zoom * (y0 + y1) / 2 } });
  }

  /* Math.random seeded for the length of fn: fcose (and the layouts it builds on) draw their
   * starting positions from it, so the same network is laid out the same way on every open. */
  function seeded(fn) {
    const original = Math.random;
    let a = LAYOUT_SEED;
    Math.random = () => {  // mulberry32
      a = (a + 0x6D2B79F5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    try { return fn(); } finally { Math.random = original; }
  }

  /* fcose over what is shown, labels counted in each node's room, pinned nodes held where they are. */
  function forceLayout(cy, randomize) {
    const shown = cy.elements(':visible');
    const fixed = cy.nodes('.pinned:visible').map((n) => ({ nodeId: n.id(), position: { ...n.position() } }));
    // fcose reads where the nodes are even when it randomizes: start every fresh layout from the
    // same place, so that Reset gives what opening gave.
    if (randomize) cy.batch(() => cy.nodes(':visible:unlocked').not('.pinned').positions(() => ({ x: 0, y: 0 })));
    seeded(() => shown.layout({
      name: 'fcose', quality: 'proof', randomize, animate: false, fit: false, padding: 30,
      nodeDimensionsIncludeLabels: true, uniformNodeDimensions: false, packComponents: true,
      nodeRepulsion: () => 4500, idealEdgeLength: () => 70, edgeElasticity: () => 0.45, nestingFactor: 0.1,
      gravity: 0.25, numIter: 2500, tile: true, tilingPaddingVertical: 20, tilingPaddingHorizontal: 20,
      nodeSeparation: 60, fixedNodeConstraint: fixed.length ? fixed : undefined,
    }).run());
  }

  /* The whole view in the frame, but never so far out that node labels fall under MIN_LABEL_PX:
   * then the frame is at that zoom, on the centre (or the middle of the view). */
  function frame(cy, eles) {
    const shown = (eles || cy.elements()).filter(':visible');
    if (shown.empty()) return;
    cy.fit(shown, 40);
    if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(shown); }
    if (cy.zoom() < MIN_FIT_ZOOM && !state.cyBig) {
      cy.zoom(MIN_FIT_ZOOM);
      const root = state.center && cy.$id(state.center);
      cy.center(root && root.nonempty() && root.visible() ? root : shown);
    }
    edgeLabelsForZoom();
  }

  /* Label collisions: where two node labels still overlap after the layout, the label of the less
   * connected node gives way (shown again when it is selected, hovered or on a path). */
  function declutter() {
    const cy = state.cy;
    if (!cy || state.cyBig) return;
    const nodes = cy.nodes(':visible').sort((a, b) => b.degree() - a.degree() || (a.id() < b.id() ? -1 : 1));
    if (nodes.length > FORCE_MAX * 2) return;
    cy.batch(() => nodes.removeClass('nolabel'));
    const placed = [];
    cy.batch(() => nodes.forEach((n) => {
      const box = n.boundingBox({ includeNodes: false, includeEdges: false, includeLabels: true });
      if (!box.w) return;
      const hit = placed.some((b) => box.x1 < b.x2 && box.x2 > b.x1 && box.y1 < b.y2 && box.y2 > b.y1);
      if (hit && !state.roots.has(n.id())) n.addClass('nolabel'); else placed.push(box);
    }));
  }

  function edgeLabelsForZoom() {
    const cy = state.cy;
    if (!cy || state.cyBig) return;
    const all = cy.zoom() >= EDGE_LABEL_ZOOM;
    cy.batch(() => { if (all) cy.edges().addClass('labelled'); else cy.edges('.labelled').removeClass('labelled'); });
  }

  /* Edges of the selected or hovered node are labelled at any zoom. */
  function markNear(node, on) {
    state.cy.batch(() => node.connectedEdges().toggleClass('near', on));
  }

  /* One Cytoscape instance, made once per kind of view (its renderer's options are fixed at
   * creation); a new network replaces its elements. */
  function ensureCy(kind) {
    const big = kind === 'big';
    if (state.cy && state.cyBig === big) {
      if (state.cyKind !== kind) { state.cy.style(stylesheet(kind)); state.cyKind = kind; }
      return state.cy;
    }
    if (state.cy) state.cy.destroy();
    const cy = cytoscape({
      container: $('cy'), style: stylesheet(kind), minZoom: 0.02, maxZoom: 4, boxSelectionEnabled: false,
      hideEdgesOnViewport: big, textureOnViewport: big, pixelRatio: big ? 1 : 'auto', motionBlur: false,
    });
    // Cytoscape's dbltap is any two taps in quick succession: a double-click is two on one node.
    let lastTap = null, tapBefore = null;
    cy.on('tap', (ev) => { tapBefore = lastTap; lastTap = ev.target === cy ? null : ev.target.id(); });
    cy.on('tap', 'node', (ev) => selectNode(ev.target.id()));
    cy.on('dbltap', 'node', (ev) => { if (tapBefore === ev.target.id()) expand(ev.target.id()); });
    cy.on('tap', 'edge', (ev) => showEdge(ev.target.id()));
    cy.on('mouseover', 'node', (ev) => { ev.target.addClass('hover'); markNear(ev.target, true); });
    cy.on('mouseout', 'node', (ev) => { ev.target.removeClass('hover'); if (!ev.target.selected()) markNear(ev.target, false); });
    cy.on('select', 'node', (ev) => markNear(ev.target, true));
    cy.on('unselect', 'node', (ev) => markNear(ev.target, false));
    cy.on('dragfree', 'node', (ev) => { ev.target.addClass('pinned'); });  // dragged: stays where put
    if (big) cy.on('viewport', scheduleLabels); else cy.on('zoom', edgeLabelsForZoom);
    Object.assign(state, { cy, cyBig: big, cyKind: kind });
    return cy;
  }

  let labelTimer = null;
  function scheduleLabels() { clearTimeout(labelTimer); labelTimer = setTimeout(labelOnScreen, 150); }

  function labelOnScreen() {
    const cy = state.cy;
    if (!cy || !state.cyBig) return;
    const ext = cy.extent();
    cy.batch(() => {
      cy.nodes('.labelled').removeClass('labelled');
      if (cy.zoom() < LABEL_ZOOM) return;
      cy.nodes(':visible').filter((n) => {
        const p = n.position();
        return p.x >= ext.x1 && p.x <= ext.x2 && p.y >= ext.y1 && p.y <= ext.y2;
      }).slice(0, LABEL_MAX).addClass('labelled');
    });
  }

  const byId = (a, b) => (a.data.id < b.data.id ? -1 : a.data.id > b.data.id ? 1 : 0);

  function draw(t0) {
    const n = state.nodes.size, big = n > BIG;
    const cy = ensureCy(big ? 'big' : n <= FORCE_MAX ? 'small' : 'medium');
    // Sorted: the layout sees the same elements in the same order whatever order the API sent them.
    const elements = [...[...state.nodes.values()].map(nodeElement).sort(byId),
                      ...[...state.edges.values()].map(edgeElement).sort(byId)];
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
      cy.nodes().filter((node) => state.roots.has(node.id())).addClass('root');
      cy.nodes().filter((node) => state.hidden.has(node.id())).addClass('user-hidden');
    });
    applyFilters(false);
    performance.mark('ag:built');
    layoutView(true);
    performance.mark('ag:laid-out');
    markPainted(t0);
  }

  /* Lay the view out again from the seed (randomize) or from where its nodes are, and frame it. */
  function layoutView(randomize) {
    const cy = state.cy;
    if (!cy) return;
    if (cy.nodes().length <= FORCE_MAX) {
      forceLayout(cy, randomize);
      declutter();
      frame(cy);
    } else {
      const pos = ringPositions(state.cyBig);
      cy.batch(() => cy.nodes().forEach((node) => { node.position(pos[node.id()]); }));
      fitPositions(cy, pos);
    }
  }

  /* The first frame with the network on it: recorded for the benchmark and the tests. */
  function markPainted(t0) {
    const box = $('cy');
    delete box.dataset.paintMs;
    state.cy.one('render', () => requestAnimationFrame(() => {
      performance.mark('ag:painted');
      box.dataset.paintMs = (performance.now() - t0).toFixed(1);
      box.dataset.sinceNavigationMs = performance.now().toFixed(1);
      box.dataset.nodes = String(state.cy.nodes(':visible').length);
    }));
  }

  /* New elements around ``anchor`` without moving the rest: the analyst keeps their bearings. The
   * new nodes start on a ring around it; in a small view fcose then spaces them (and their labels)
   * with every node already there held in place. */
  function addAround(added, anchor) {
    const cy = state.cy;
    const before = cy.nodes(':visible');
    const centre = anchor && cy.$id(anchor).nonempty() ? cy.$id(anchor).position() : { x: 0, y: 0 };
    const k = added.nodes.length, radius = 80 + 6 * k;
    cy.batch(() => {
      [...added.nodes].sort((a, b) => (a.id < b.id ? -1 : 1)).forEach((n, i) => {
        const a = (2 * Math.PI * i) / Math.max(k, 1);
        cy.add({ ...nodeElement(n), position: { x: centre.x + radius * Math.cos(a), y: centre.y + radius * Math.sin(a) } });
      });
      added.edges.forEach((r) => cy.add(edgeElement(r)));
      cy.nodes().filter((node) => state.hidden.has(node.id())).addClass('user-hidden');
    });
    applyFilters(false);
    if (k && !state.cyBig && cy.nodes(':visible').length <= FORCE_MAX) {
      const held = before.filter((n) => !n.hasClass('pinned'));
      held.addClass('pinned');
      forceLayout(cy, false);
      held.removeClass('pinned');
      declutter();
    }
    const ext = cy.extent();
    const outside = added.nodes.some((n) => {
      const node = cy.$id(n.id), p = node.position();
      return node.visible() && (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2);
    });
    if (outside) frame(cy);
  }

  /* ---- filters: relation types and the date window, as graph.model.reads.RelationFilter reads them ---- */

  function passes(rel) {
    if (!state.types.has(rel.type)) return false;
    if (!isEvent(rel.type) || !state.window) return true;
    if (!rel.date) return false;
    const [since, until] = state.window, d = rel.date;
    return !(d.slice(0, since.length) < since.slice(0, d.length)) && !(d.slice(0, until.length) > until.slice(0, d.length));
  }

  /* Hide what the filters drop, and the actors left with nothing shown; classes change only where
   * they must, so a slider step over thousands of elements restyles only those that flip. */
  function applyFilters(refreshMetric = true) {
    const cy = state.cy;
    if (!cy) return;
    const shownTies = new Map();
    cy.batch(() => {
      cy.edges().forEach((e) => {
        const rel = state.edges.get(e.id());
        const show = passes(rel) && !state.hidden.has(rel.source) && !state.hidden.has(rel.target);
        if (show === e.hasClass('hidden')) e.toggleClass('hidden', !show);
        if (show) {
          shownTies.set(rel.source, (shownTies.get(rel.source) || 0) + 1);
          shownTies.set(rel.target, (shownTies.get(rel.target) || 0) + 1);
        }
      });
      cy.nodes().forEach((node) => {
        const id = node.id();
        const show = state.roots.has(id) || state.keep.has(id) || shownTies.has(id) || node.hasClass('path');
        if (show === node.hasClass('hidden')) node.toggleClass('hidden', !show);
      });
    });
    listEdges();
    updateDownloads();
    if (refreshMetric && state.metric) scheduleCentrality();
  }

  function refreshDates() {
    state.dates = [...new Set([...state.edges.values()].filter((r) => isEvent(r.type) && r.date).map((r) => r.date))].sort();
    const since = $('since'), until = $('until'), n = state.dates.length;
    for (const input of [since, until]) { input.max = String(Math.max(n - 1, 0)); input.disabled = n < 2; }
    if (state.window) {  // keep the window on its dates as the view grows
      const lo = state.dates.findIndex((d) => d >= state.window[0]);
      let hi = -1;
      state.dates.forEach((d, i) => { if (d <= state.window[1]) hi = i; });
      since.value = String(Math.max(lo, 0)); until.value = String(hi < 0 ? n - 1 : hi);
    } else {
      since.value = '0'; until.value = String(Math.max(n - 1, 0));
    }
    showWindow();
  }

  function showWindow() {
    const n = state.dates.length;
    $('since-out').textContent = n ? state.dates[Number($('since').value)] : '–';
    $('until-out').textContent = n ? state.dates[Number($('until').value)] : '–';
  }

  function onSlide(moved) {
    const since = $('since'), until = $('until');
    if (Number(since.value) > Number(until.value)) (moved === since ? until : since).value = moved.value;
    const lo = Number(since.value), hi = Number(until.value);
    state.window = (lo === 0 && hi === state.dates.length - 1) ? null : [state.dates[lo], state.dates[hi]];
    showWindow();
    applyFilters();
  }

  /* The API's filter parameters for the current window and types. */
  function filterParams() {
    const all = state.types.size === state.config.relation_types.length;
    return { types: all ? null : [...state.types].join(',') || 'NONE',
             since: state.window ? state.window[0] : null, until: state.window ? state.window[1] : null };
  }

  /* ---- opening, expanding, hiding, pinning ---- */

  /* A fresh view: what the last one drew, hid and highlighted is gone. */
  function resetView(center, roots, keep) {
    Object.assign(state, { center, roots: new Set(roots), keep: new Set(keep), hidden: new Set(),
                           nodes: new Map(), edges: new Map(), window: null, overview: null });
    state.expanded = new Set(roots);
    state.path = { from: state.path.from, to: state.path.to };
  }

  // The view shows what was opened last: an overview or a network arriving late replaces nothing.
  let viewSeq = 0;

  async function openActor(id) {
    const t0 = performance.now(), mine = ++viewSeq;
    performance.mark('ag:open');
    say(`Opening ${id}…`);
    try {
      const g = await api('/subgraph', { center: id, depth: state.depth });
      if (mine !== viewSeq) return;
      performance.mark('ag:fetched');
      resetView(id, [id], [id]);
      mergeGraph(g);
      refreshDates();
      draw(t0);
      history.replaceState(null, '', `#actor=${encodeURIComponent(id)}&depth=${state.depth}`);
      say(`${nameOf(id)}: ${state.nodes.size} actors, ${state.edges.size} relations within ${state.depth} ` +
          `${state.depth === 1 ? 'tie' : 'ties'}. Click a node or an edge for its details, double-click a node to expand it.`);
      showActor(id);
      if (state.metric) scheduleCentrality();
    } catch (err) { if (mine === viewSeq) fail(err, `Could not open ${id}`); }
  }

  /* The first view: the whole graph when small, else its most central actors and their ties. */
  async function openOverview() {
    const t0 = performance.now(), mine = ++viewSeq;
    say('Opening an overview of the graph…');
    try {
      const g = await api('/web/overview.json');
      if (mine !== viewSeq) return;
      resetView(null, [], g.nodes.map((n) => n.id));
      state.overview = g.overview;
      mergeGraph(g);
      refreshDates();
      if (!g.nodes.length) {
        if (state.cy) state.cy.elements().remove();
        listEdges(); updateDownloads();
        say('The graph is empty: ingest articles first (actorgraph ingest ARTICLES), then reload this page.');
        $('details').replaceChildren(el('p', { class: 'hint' }, 'No actors yet.'));
        return;
      }
      draw(t0);
      const o = g.overview;
      say(o.whole ? `The whole graph: ${plural(o.actors_total, 'actor')}, ${plural(state.edges.size, 'relation')}. ` +
                    'Search an actor, or double-click one to expand it.'
                  : `Overview: the ${o.actors_shown} most connected of ${o.actors_total} actors and the ` +
                    `${plural(state.edges.size, 'relation')} among them. Search an actor, or double-click one to expand it.`);
    } catch (err) { if (mine === viewSeq) fail(err, 'Could not open the overview'); }
  }

  /* A click on a node: select it and show it (expanding is a double-click, or the Expand button). */
  function selectNode(id) {
    const cy = state.cy;
    if (cy) { cy.elements().unselect(); cy.$id(id).select(); }
    showActor(id);
  }

  async function expand(id) {
    showActor(id);
    if (state.expanded.has(id)) return;
    state.expanded.add(id);
    try {
      const added = mergeGraph(await api('/subgraph', { center: id, depth: 1 }));
      state.roots.add(id);
      state.keep.add(id);
      state.cy.$id(id).addClass('root');
      addAround(added, id);
      refreshDates();
      applyFilters();
      say(`${nameOf(id)}: ${added.nodes.length} new actors, ${added.edges.length} new relations.`);
    } catch (err) { state.expanded.delete(id); fail(err, `Could not expand ${nameOf(id)}`); }
  }

  function hideNode(id) {
    state.hidden.add(id);
    state.cy.$id(id).unselect().addClass('user-hidden');
    applyFilters();
    showHiddenCount();
    detailsSeq++;
    $('details').replaceChildren(el('p', { class: 'hint' }, `${nameOf(id)} is hidden (Show hidden brings it back).`));
  }

  function showHidden() {
    state.hidden.clear();
    if (state.cy) state.cy.nodes('.user-hidden').removeClass('user-hidden');
    applyFilters();
    showHiddenCount();
  }

  function showHiddenCount() {
    const b = $('show-hidden');
    b.textContent = `Show hidden (${state.hidden.size})`;
    b.disabled = state.hidden.size === 0;
  }

  function togglePin(id) {
    const node = state.cy.$id(id);
    node.toggleClass('pinned', !node.hasClass('pinned'));
    node.hasClass('pinned') ? node.lock() : node.unlock();
    showActor(id);
  }

  /* ---- details ---- */

  function actorButton(id, name) {
    const b = el('button', { type: 'button', class: 'link' }, name || nameOf(id));
    b.addEventListener('click', () => { if (state.cy && state.cy.$id(id).nonempty()) selectNode(id); else openActor(id); });
    return b;
  }

  // The details panel shows what was asked last: an actor's answer arriving late does not replace
  // an edge clicked meanwhile.
  let detailsSeq = 0;

  async function showActor(id) {
    const box = $('details'), mine = ++detailsSeq;
    try {
      const a = await api(`/actors/${encodeURIComponent(id)}`);
      if (mine !== detailsSeq) return;
      const rows = [['type', a.type], ['id', a.id], ['rank', a.rank], ['title', a.title]].filter((r) => r[1]);
      const counts = Object.entries(a.relation_counts).filter(([, v]) => v > 0);
      const swatch = el('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = state.config.colours[a.type];
      const open = el('button', { type: 'button' }, 'Open as centre');
      open.addEventListener('click', () => openActor(a.id));
      const from = el('button', { type: 'button' }, 'Path from here');
      from.addEventListener('click', () => setPathEnd('from', a));
      const to = el('button', { type: 'button' }, 'Path to here');
      to.addEventListener('click', () => setPathEnd('to', a));
      const node = state.cy ? state.cy.$id(a.id) : null, inView = node && node.nonempty();
      const actions = [];
      if (inView) {
        const grow = el('button', { type: 'button', id: 'node-expand', disabled: state.expanded.has(a.id) }, 'Expand');
        grow.addEventListener('click', () => expand(a.id));
        const hide = el('button', { type: 'button', id: 'node-hide' }, 'Hide');
        hide.addEventListener('click', () => hideNode(a.id));
        const pinned = node.hasClass('pinned');
        const pin = el('button', { type: 'button', id: 'node-pin', 'aria-pressed': pinned }, pinned ? 'Unpin' : 'Pin');
        pin.addEventListener('click', () => togglePin(a.id));
        actions.push(el('p', { class: 'actions' }, grow, ' ', hide, ' ', pin));
      }
      box.replaceChildren(
        el('h2', {}, swatch, a.name),
        ...actions,
        el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
        el('h3', {}, 'Aliases'),
        a.aliases.length ? el('ul', {}, ...a.aliases.map((x) => el('li', {}, x))) : el('p', { class: 'hint' }, 'none'),
        el('h3', {}, 'Affiliations'),
        a.affiliations.length
          ? el('ul', {}, ...a.affiliations.map((f) => el('li', {}, `${f.type} `, actorButton(f.actor.id, f.actor.name))))
          : el('p', { class: 'hint' }, 'none'),
        el('h3', {}, 'Relations'),
        counts.length ? el('dl', {}, ...counts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, String(v))]))
          : el('p', { class: 'hint' }, 'none'),
        el('p', {}, open, ' ', from, ' ', to));
    } catch (err) { if (mine === detailsSeq) fail(err, `Could not read ${id}`); }
  }

  /* The sentence as text, the relation's two actors (names and aliases) marked in it: the sentence
   * is the cited span (its offsets are the provenance's), the marks show who in it the edge ties. */
  function markedSentence(sentence, names) {
    const escaped = [...new Set(names.filter((t) => t && t.length > 2))]
      .sort((x, y) => y.length - x.length)
      .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const out = el('blockquote', {});
    let pos = 0;
    if (escaped.length) {
      for (const m of sentence.matchAll(new RegExp(escaped.join('|'), 'giu'))) {
        out.append(sentence.slice(pos, m.index), el('mark', {}, m[0]));
        pos = m.index + m[0].length;
      }
    }
    out.append(sentence.slice(pos));
    return out;
  }

  const terms = (id) => { const n = state.nodes.get(id) || {}; return [n.name, ...(n.aliases || [])]; };

  function citationBlock(c, rel) {
    const meta = el('p', { class: 'meta' },
      el('strong', {}, c.title || c.article),
      c.source ? ` · ${c.source}` : '', c.published ? ` · ${c.published}` : '');
    if (c.url && /^https?:\/\//i.test(c.url)) {
      meta.append(' · ', el('a', { href: c.url, rel: 'noopener noreferrer', target: '_blank' }, 'open article'));
    }
    return el('div', { class: 'citation' }, meta, markedSentence(c.sentence, [...terms(rel.source), ...terms(rel.target)]),
      el('p', { class: 'meta' }, `confidence ${Number(c.confidence).toFixed(2)}`));
  }

  function relationHeading(rel) {
    return el('h2', {}, actorButton(rel.source), ` ${rel.type} `, actorButton(rel.target));
  }

  function placeName(id) { return state.nodes.has(id) ? nameOf(id) : (state.placeNames.get(id) || id); }

  function showEdge(key) {
    const rel = state.edges.get(key);
    if (!rel) return;
    detailsSeq++;
    if (state.cy) { state.cy.elements().unselect(); state.cy.$id(key).select(); }
    const rows = [['date', rel.date], ['place', rel.place && placeName(rel.place)], ['what', rel.what],
                  ['sources', rel.corroboration && sourcesText(rel.corroboration)]].filter((r) => r[1]);
    if (rel.place && !state.nodes.has(rel.place) && !state.placeNames.has(rel.place)) {
      // A place outside the view: its name from the API, then the panel again.
      api(`/actors/${encodeURIComponent(rel.place)}`).then((a) => {
        state.placeNames.set(a.id, a.name);
        if (state.cy && state.cy.$id(key).selected()) showEdge(key);
      }).catch(() => state.placeNames.set(rel.place, rel.place));
    }
    $('details').replaceChildren(
      relationHeading(rel),
      rows.length ? el('dl', {}, ...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])) : '',
      el('h3', {}, `Citations (${rel.citations.length})`),
      ...rel.citations.map((c) => citationBlock(c, rel)));
  }

  /* The visible relations as a list: the keyboard's way to the edges of the canvas. */
  const LIST_MAX = 300;
  function listEdges() {
    const shown = state.cy.edges().filter((e) => !e.hasClass('hidden'));
    $('edge-count').textContent = String(shown.length);
    const items = shown.slice(0, LIST_MAX).map((e) => {
      const rel = state.edges.get(e.id());
      const b = el('button', { type: 'button', 'data-key': rel.key },
        `${nameOf(rel.source)} — ${edgeLabel(rel)} → ${nameOf(rel.target)}`);
      b.addEventListener('click', () => showEdge(rel.key));
      return el('li', {}, b);
    });
    if (shown.length > LIST_MAX) items.push(el('li', { class: 'hint' }, `and ${shown.length - LIST_MAX} more`));
    $('edge-list').replaceChildren(...items);
  }

  /* ---- downloads: exactly what is on screen ---- */

  /* The actors and relations drawn now (after filters, hides, expansions and paths). */
  function onScreen() {
    const cy = state.cy;
    if (!cy) return { actors: [], relations: [] };
    // From the classes the filters and Hide set (a style is recomputed lazily, :visible may lag them).
    const shown = (x) => !x.hasClass('hidden') && !x.hasClass('user-hidden');
    const nodes = cy.nodes().filter(shown);
    const ids = new Set(nodes.map((n) => n.id()));
    return { actors: [...ids].sort(),
             relations: cy.edges().filter((e) => shown(e) && ids.has(e.data('source')) && ids.has(e.data('target')))
               .map((e) => e.id()).sort() };
  }

  function viewTitle() {
    if (state.center) return `${nameOf(state.center)}: explorer view`;
    return state.overview ? 'Overview: explorer view' : 'Explorer view';
  }

  function updateDownloads() {
    const list = $('downloads');
    const shown = onScreen();
    if (!shown.actors.length) { list.replaceChildren(el('li', { class: 'hint' }, 'nothing on screen')); return; }
    $('download-count').textContent = `${plural(shown.actors.length, 'actor')}, ${plural(shown.relations.length, 'relation')}`;
    list.replaceChildren(...state.config.formats.map((fmt) => {
      const b = el('button', { type: 'button', class: 'link', 'data-format': fmt }, fmt);
      b.addEventListener('click', () => downloadView(fmt));
      return el('li', {}, b);
    }));
  }

  /* POST /web/view: the server exports these actors and relations in ``fmt``; saved as a file. */
  async function downloadView(fmt) {
    const shown = onScreen();
    say(`Preparing ${fmt} of ${plural(shown.actors.length, 'actor')}…`);
    try {
      const response = await request(new URL(`/web/view?format=${encodeURIComponent(fmt)}`, location.origin), {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...shown, title: viewTitle(), center: state.center }) });
      if (!response.ok) {
        let body = null;
        try { body = await response.json(); } catch (_) { /* not JSON */ }
        throw new ApiError(describeError(response.status, body), body);
      }
      const disposition = response.headers.get('Content-Disposition') || '';
      const name = (/filename="([^"]+)"/.exec(disposition) || [])[1] || `view.${fmt}`;
      const url = URL.createObjectURL(await response.blob());
      const a = el('a', { href: url, download: name, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      say(`Downloaded ${name}: ${plural(shown.actors.length, 'actor')}, ${plural(shown.relations.length, 'relation')}.`);
    } catch (err) { fail(err, `Could not download ${fmt}`); }
  }

  /* ---- path mode ---- */

  function setPathEnd(which, actor) {
    state.path[which] = actor;
    $(which === 'from' ? 'path-from' : 'path-to').value = actor.name;
  }

  let pathSeq = 0;

  async function findPaths() {
    const { from, to } = state.path;
    if (!from || !to) { say('Pick both ends of the path (From and To).', true); return; }
    const mine = ++pathSeq;
    unhighlightPath();  // the previous answer goes at once: never shown as if it answered this question
    detailsSeq++;
    $('details').replaceChildren(el('p', { class: 'hint' }, `Looking for paths from ${from.name} to ${to.name}…`));
    say(`Looking for paths from ${from.name} to ${to.name}…`);
    try {
      const answer = await api('/paths/shortest', { source: from.id, target: to.id, all: 'true', limit: 20,
                                                    weights: $('path-rank').value || null, ...filterParams() });
      if (mine !== pathSeq) return;
      if (!answer.found) {
        const text = `No path from ${from.name} to ${to.name} within ${state.config.max_hops} hops ` +
                     'for these relations and dates.';
        say(text, true);
        detailsSeq++;
        $('details').replaceChildren(el('h2', {}, 'No path'), el('p', { class: 'empty' }, text));
        return;
      }
      const t0 = performance.now();
      const { added, keys, ids } = mergePaths(answer);
      if (!state.cy || state.cy.nodes().empty()) {  // nothing open: the paths are the view
        state.roots = new Set([from.id, to.id]);
        state.keep = new Set([from.id, to.id]);
        state.expanded = new Set();
        refreshDates();
        draw(t0);
      } else {
        addAround(added, from.id);
        refreshDates();
      }
      highlightPath(ids, keys);
      showPaths(answer);
      const p0 = answer.paths[0];
      say(`${answer.paths.length} ${answer.paths.length === 1 ? 'path' : 'paths'} of ${plural(p0.length, 'hop')}, ` +
          `cost ${p0.cost}${answer.truncated ? ' (more exist)' : ''}` +
          ($('path-rank').value === 'hops' ? ', the fewest hops.' : ': people tied by meetings and signings first.'));
    } catch (err) {
      if (mine === pathSeq) fail(err, 'Could not find paths');
    }
  }

  function highlightPath(ids, keys) {
    const cy = state.cy;
    cy.batch(() => {
      cy.elements().removeClass('path').addClass('faded');
      cy.nodes().filter((n) => ids.has(n.id())).addClass('path').removeClass('faded');
      cy.edges().filter((e) => keys.has(e.id())).addClass('path').removeClass('faded');
    });
    applyFilters(false);
    cy.fit(cy.elements('.path'), 60);
    if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(cy.elements('.path')); }
    edgeLabelsForZoom();
  }

  function unhighlightPath() {
    if (state.cy) state.cy.elements().removeClass('path faded');
  }

  /* Clear: no path, no ends, the details emptied and the whole view back in the frame. */
  function clearPath() {
    pathSeq++;
    unhighlightPath();
    state.path = { from: null, to: null };
    $('path-from').value = ''; $('path-to').value = '';
    applyFilters(false);
    detailsSeq++;
    $('details').replaceChildren(el('p', { class: 'hint' }, 'Click a node for the actor, an edge for its citations.'));
    if (state.cy) { state.cy.elements().unselect(); frame(state.cy); }
    say('Cleared.');
  }

  /* Each path as its hops, each hop as its relations read in their true direction (the API's
   * statements: "Ivo Lanner MEMBER_OF Marenzia", whichever way the path runs through it). */
  function showPaths(answer) {
    detailsSeq++;
    const box = $('details');
    box.replaceChildren(el('h2', {}, `Paths between ${answer.source.name} and ${answer.target.name}`));
    answer.paths.forEach((p, i) => {
      box.append(el('h3', {}, `Path ${i + 1} (${plural(p.length, 'hop')}, cost ${p.cost}): ` +
                              p.actors.map((a) => a.name).join(' · ')));
      p.hops.forEach((hop, h) => {
        const div = el('div', { class: 'hop' }, el('p', { class: 'kind' }, `hop ${h + 1}`));
        hop.relations.forEach((r, j) => {
          const rel = state.edges.get(keyOf(r)) || { ...r, place: r.place && r.place.id };
          const statement = (hop.statements && hop.statements[j]) || `${nameOf(r.source)} ${r.type} ${nameOf(r.target)}`;
          div.append(el('p', { class: 'statement' }, el('strong', {}, statement), rel.date ? ` (${rel.date})` : ''),
                     ...rel.citations.map((c) => citationBlock(c, rel)));
        });
        box.append(div);
      });
    });
  }

  /* ---- centrality mode ---- */

  let centralityTimer = null, centralitySeq = 0;
  function scheduleCentrality() { clearTimeout(centralityTimer); centralityTimer = setTimeout(sizeByCentrality, 200); }

  async function sizeByCentrality() {
    const cy = state.cy;
    if (!cy) return;
    if (!state.metric) { cy.nodes().data('size', NODE_SIZE); return; }
    const seq = ++centralitySeq;
    try {
      const answer = await api('/centrality', { metric: state.metric, limit: 1000, ...filterParams() });
      if (seq !== centralitySeq) return;
      const scores = new Map(answer.items.map((it) => [it.actor.id, it.score]));
      const inView = cy.nodes().map((n) => scores.get(n.id()) || 0);
      const top = Math.max(...inView, 1e-12);
      cy.batch(() => cy.nodes().forEach((n) => n.data('size', 12 + 48 * ((scores.get(n.id()) || 0) / top))));
      say(`Sized by ${state.metric} over ${state.window ? state.window.join(' – ') : 'all dates'}` +
          `${answer.approximate ? ' (approximate on this large graph)' : ''}; the ` +
          `${answer.top ? `${answer.top} most central are scored (exact) on this large graph`
                        : '1,000 most central are ranked'}.`);
    } catch (err) { fail(err); }
  }

  /* ---- search boxes (WAI-ARIA combobox with a listbox) ---- */

  function combobox(input, list, onPick) {
    let items = [], active = -1, seq = 0, timer = null, pending = null;

    function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); }
    function render() {
      const options = items.map((a, i) => {
        const li = el('li', { role: 'option', id: `${list.id}-${i}`, 'aria-selected': i === active ? 'true' : 'false' },
          a.name, el('span', { class: 'type' }, a.type));
        li.addEventListener('mousedown', (ev) => { ev.preventDefault(); pick(i); });
        return li;
      });
      list.replaceChildren(...(options.length ? options : [el('li', { 'aria-disabled': 'true' }, 'no actor found')]));
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      if (active >= 0) input.setAttribute('aria-activedescendant', `${list.id}-${active}`);
      else input.removeAttribute('aria-activedescendant');
    }
    function search() {
      const q = input.value.trim(), mine = ++seq;
      if (!q) { items = []; close(); return Promise.resolve(); }
      pending = api('/actors', { q, limit: 12 }).then((page) => {
        if (mine !== seq) return;
        items = page.items; active = items.length ? 0 : -1; render();
      }).catch((err) => { if (mine === seq) { items = []; close(); fail(err); } });
      return pending;
    }
    function pick(i) { const a = items[i]; if (!a) return; input.value = a.name; close(); onPick(a); }

    input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { timer = null; search(); }, 120); });
    input.addEventListener('keydown', async (ev) => {
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        ev.preventDefault();
        if (list.hidden) { await search(); return; }
        const step = ev.key === 'ArrowDown' ? 1 : -1;
        active = Math.min(Math.max(active + step, 0), items.length - 1);
        render();
      } else if (ev.key === 'Enter') {
        ev.preventDefault();
        if (timer) { clearTimeout(timer); timer = null; await search(); }  // typed and pressed Enter at once
        pick(active >= 0 ? active : 0);
      } else if (ev.key === 'Escape') {
        close();
      }
    });
    input.addEventListener('blur', () => setTimeout(close, 150));
  }

  /* ---- the legend and the view's controls ---- */

  const SVG = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  }

  // The node shapes of the palette (graph/exports/palette.py's TYPE_SHAPES) in a 16 x 16 box.
  const SHAPES = {
    ellipse: () => svgEl('ellipse', { cx: 8, cy: 8, rx: 7, ry: 7 }),
    diamond: () => svgEl('polygon', { points: '8,0.5 15.5,8 8,15.5 0.5,8' }),
    hexagon: () => svgEl('polygon', { points: '4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8' }),
    'round-rectangle': () => svgEl('rect', { x: 1, y: 2, width: 14, height: 12, rx: 3 }),
    pentagon: () => svgEl('polygon', { points: '8,1 15,6.5 12.5,15 3.5,15 1,6.5' }),
    triangle: () => svgEl('polygon', { points: '8,1 15,15 1,15' }),
  };

  function icon(build) {
    const svg = svgEl('svg', { width: 22, height: 16, viewBox: '0 0 22 16', 'aria-hidden': 'true' });
    build(svg);
    return svg;
  }

  function lineIcon(colour, dash, arrow) {
    return icon((svg) => {
      svg.append(svgEl('line', { x1: 1, y1: 8, x2: arrow ? 16 : 21, y2: 8, stroke: colour, 'stroke-width': 2,
                                 ...(dash ? { 'stroke-dasharray': '4 3' } : {}) }));
      if (arrow) svg.append(svgEl('polygon', { points: '15,4 21,8 15,12', fill: colour }));
    });
  }

  function nodeIcon(fill, shape, stroke, width) {
    return icon((svg) => {
      const s = (SHAPES[shape] || SHAPES.ellipse)();
      s.setAttribute('fill', fill);
      s.setAttribute('transform', 'translate(3 0)');
      if (stroke) { s.setAttribute('stroke', stroke); s.setAttribute('stroke-width', width || 2); }
      svg.append(s);
    });
  }

  /* What each colour, shape, line and mark means, from the same config the drawing uses. */
  function buildLegend() {
    const c = state.config, grey = '#8a9a9a';
    const row = (iconNode, text) => el('li', {}, iconNode, ' ', text);
    $('legend').replaceChildren(
      el('h2', {}, 'Legend'),
      el('ul', { class: 'types' }, ...Object.keys(c.colours).map((t) => row(nodeIcon(c.colours[t], c.shapes[t]), t))),
      el('ul', { class: 'lines' },
        row(lineIcon(grey, false, false), 'reported by 2 or more independent sources'),
        row(lineIcon(grey, true, false), 'reported by one source only'),
        row(lineIcon(grey, false, true), 'subject to object (MET, SIGNED: no arrow, both ways)'),
        row(lineIcon('#d62728', false, false), 'on the path found'),
        row(nodeIcon('#ccc', 'ellipse', '#222', 3), 'centre or expanded'),
        row(nodeIcon('#ccc', 'ellipse', '#6a3d9a', 2), 'pinned (dotted ring): stays put')));
  }

  function buildToolbar() {
    const on = (id, fn) => $(id).addEventListener('click', fn);
    on('fit', () => { if (state.cy) { state.cy.fit(state.cy.elements(':visible'), 40); edgeLabelsForZoom(); } });
    on('zoom-in', () => zoomBy(1.25));
    on('zoom-out', () => zoomBy(0.8));
    on('reset', () => { if (state.cy) { state.cy.nodes('.pinned').unlock().removeClass('pinned'); layoutView(true); } });
    on('show-hidden', showHidden);
    on('overview', () => { history.replaceState(null, '', location.pathname); openOverview(); });
    on('legend-toggle', () => {
      const open = $('legend').hidden;
      $('legend').hidden = !open;
      $('legend-toggle').setAttribute('aria-expanded', String(open));
      if (state.cy) state.cy.resize();  // the canvas grew or shrank by the legend's height
    });
    showHiddenCount();
  }

  function zoomBy(factor) {
    const cy = state.cy;
    if (!cy) return;
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  /* ---- start ---- */

  function buildControls() {
    const c = state.config;
    state.types = new Set(c.relation_types);
    $('types').append(...c.relation_types.map((t) => {
      const box = el('input', { type: 'checkbox', id: `type-${t}`, value: t, checked: true });
      box.addEventListener('change', () => { if (box.checked) state.types.add(t); else state.types.delete(t); applyFilters(); });
      return el('label', { for: `type-${t}` }, box, ` ${t}`);
    }));
    $('metric').append(...c.metrics.map((m) => el('option', { value: m }, m)));
    $('metric').addEventListener('change', () => { state.metric = $('metric').value; sizeByCentrality(); });
    $('since').addEventListener('input', () => onSlide($('since')));
    $('until').addEventListener('input', () => onSlide($('until')));
    $('depth').addEventListener('change', () => { state.depth = Number($('depth').value); if (state.center) openActor(state.center); });
    $('path-go').addEventListener('click', findPaths);
    $('path-clear').addEventListener('click', clearPath);
    combobox($('q'), $('q-results'), (a) => openActor(a.id));
    combobox($('path-from'), $('path-from-results'), (a) => setPathEnd('from', a));
    combobox($('path-to'), $('path-to-results'), (a) => setPathEnd('to', a));
    buildLegend();
    buildToolbar();
    updateDownloads();
  }

  async function start() {
    try {
      state.config = await api('/web/config.json');
    } catch (err) { fail(err, 'Could not start'); return; }
    // fcose registers itself on the global cytoscape when its script runs after it (index.html's order).
    if (window.cytoscapeFcose && !cytoscape('layout', 'fcose')) cytoscape.use(window.cytoscapeFcose);
    state.expanded = new Set();
    buildControls();
    ensureCy('medium');  // the renderer's first frame (canvases, fonts) before anyone waits on it
    const params = new URLSearchParams(location.hash.slice(1));
    const depth = Number(params.get('depth'));
    if (depth >= 1 && depth <= state.config.max_depth) {
      state.depth = depth;
      if (![...$('depth').options].some((o) => o.value === String(depth))) $('depth').append(el('option', {}, String(depth)));
      $('depth').value = String(depth);
    }
    if (params.get('actor')) openActor(params.get('actor')); else openOverview();
  }

  // A read-only handle for the tests and the benchmark, which read the drawing's state from it.
  window.actorgraphExplorer = { get cy() { return state.cy; }, get state() { return state; } };
  start();
}());
