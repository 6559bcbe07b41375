/* The actorgraph explorer: search an actor, draw its ego network with Cytoscape.js, read the
 * citations of an edge, filter by relation type and date window, find shortest paths, size nodes
 * by centrality, download the view. Everything comes from the JSON API of the same origin.
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
    roots: new Set(),        // the centre and the nodes expanded since: always shown
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

  async function api(path, params) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== '') url.searchParams.set(k, v);
    }
    const response = await fetch(url, { headers: { Accept: 'application/json' } });
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

  const fail = (err) => say(err instanceof Error ? err.message : String(err), true);

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
  const FORCE_MAX = 60;      // up to this many nodes: a force layout (cose, O(n^2) per step)
  const BIG = 1000;          // past this: straight edges, no arrows, no edge labels, node labels on zoom
  const LABEL_ZOOM = 0.7;    // in a big view, nodes on screen get labels from this zoom on
  const LABEL_MAX = 400;     // ... at most this many at once

  /* kind: 'small' (force layout, labels turned along their edges), 'medium' (rings, level labels),
   * 'big' (see BIG). */
  function stylesheet(kind) {
    const c = state.config, big = kind === 'big', small = kind === 'small';
    return [
      { selector: 'node', style: {
        label: big ? '' : 'data(name)', 'font-size': 10, 'text-valign': 'bottom', 'text-margin-y': 3,
        'min-zoomed-font-size': 6, width: 'data(size)', height: 'data(size)',
        'border-width': 1, 'border-color': '#fff', 'background-color': '#888' } },
      { selector: 'node.labelled, node.root, node:selected', style: { label: 'data(name)' } },
      ...Object.keys(c.colours).map((t) => ({
        selector: `node.${t}`, style: { 'background-color': c.colours[t], shape: c.shapes[t] } })),
      { selector: 'edge', style: big
        ? { 'curve-style': 'haystack', 'haystack-radius': 0, width: 1, 'line-color': '#bcc' }
        : { label: 'data(label)', 'font-size': 8, 'text-rotation': small ? 'autorotate' : 'none',
            'min-zoomed-font-size': 7, 'curve-style': 'bezier', width: 1.5, 'line-color': '#9aa', color: '#444',
            'target-arrow-shape': 'triangle', 'target-arrow-color': '#9aa', 'arrow-scale': 0.8,
            'text-background-color': '#fff', 'text-background-opacity': small ? 0.8 : 0, 'text-background-padding': 1 } },
      ...c.symmetric_types.map((t) => ({ selector: `edge.${t}`, style: { 'target-arrow-shape': 'none' } })),
      { selector: 'edge:selected, edge.path', style: { label: 'data(label)', 'font-size': 9 } },
      // Reported by one outlet only: dashed, as in the exported pictures.
      { selector: 'edge.single', style: { 'line-style': 'dashed' } },
      { selector: '.hidden', style: { display: 'none' } },
      { selector: 'node.root', style: { 'border-width': 3, 'border-color': '#222' } },
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
    cy.on('tap', 'node', (ev) => onNode(ev.target.id()));
    cy.on('tap', 'edge', (ev) => showEdge(ev.target.id()));
    if (big) cy.on('viewport', scheduleLabels);
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

  function draw(t0) {
    const n = state.nodes.size, big = n > BIG;
    const cy = ensureCy(big ? 'big' : n <= FORCE_MAX ? 'small' : 'medium');
    const elements = [...[...state.nodes.values()].map(nodeElement), ...[...state.edges.values()].map(edgeElement)];
    cy.batch(() => {
      cy.elements().remove();
      cy.add(elements);
      cy.nodes().filter((node) => state.roots.has(node.id())).addClass('root');
    });
    applyFilters(false);
    performance.mark('ag:built');
    if (n <= FORCE_MAX) {
      cy.layout({ name: 'cose', animate: false, fit: true, padding: 40, nodeRepulsion: () => 400000,
                  idealEdgeLength: () => 110, gravity: 0.3, numIter: 1000, randomize: true,
                  nodeDimensionsIncludeLabels: true }).run();
      if (cy.zoom() > 1.3) { cy.zoom(1.3); cy.center(); }  // a handful of nodes: labels at reading size
    } else {
      const pos = ringPositions(big);
      cy.batch(() => cy.nodes().forEach((node) => { node.position(pos[node.id()]); }));
      fitPositions(cy, pos);
    }
    performance.mark('ag:laid-out');
    markPainted(t0);
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

  /* New elements around ``anchor`` without moving the rest: the analyst keeps their bearings. */
  function addAround(added, anchor) {
    const cy = state.cy;
    const centre = anchor && cy.$id(anchor).nonempty() ? cy.$id(anchor).position() : { x: 0, y: 0 };
    const k = added.nodes.length, radius = 80 + 6 * k;
    cy.batch(() => {
      added.nodes.forEach((n, i) => {
        const a = (2 * Math.PI * i) / Math.max(k, 1);
        cy.add({ ...nodeElement(n), position: { x: centre.x + radius * Math.cos(a), y: centre.y + radius * Math.sin(a) } });
      });
      added.edges.forEach((r) => cy.add(edgeElement(r)));
    });
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
        const rel = state.edges.get(e.id()), show = passes(rel);
        if (show === e.hasClass('hidden')) e.toggleClass('hidden', !show);
        if (show) {
          shownTies.set(rel.source, (shownTies.get(rel.source) || 0) + 1);
          shownTies.set(rel.target, (shownTies.get(rel.target) || 0) + 1);
        }
      });
      cy.nodes().forEach((node) => {
        const id = node.id(), show = state.roots.has(id) || shownTies.has(id) || node.hasClass('path');
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

  /* ---- opening, expanding ---- */

  async function openActor(id) {
    const t0 = performance.now();
    performance.mark('ag:open');
    say(`Opening ${id}…`);
    try {
      const g = await api('/subgraph', { center: id, depth: state.depth });
      performance.mark('ag:fetched');
      Object.assign(state, { center: id, roots: new Set([id]), nodes: new Map(), edges: new Map(), window: null });
      state.expanded = new Set([id]);
      mergeGraph(g);
      refreshDates();
      draw(t0);
      history.replaceState(null, '', `#actor=${encodeURIComponent(id)}&depth=${state.depth}`);
      say(`${nameOf(id)}: ${state.nodes.size} actors, ${state.edges.size} relations within ${state.depth} ` +
          `${state.depth === 1 ? 'tie' : 'ties'}. Click an edge for its citations, a node to expand it.`);
      showActor(id);
      if (state.metric) scheduleCentrality();
    } catch (err) { fail(err); }
  }

  async function onNode(id) {
    showActor(id);
    if (state.expanded.has(id)) return;
    state.expanded.add(id);
    try {
      const added = mergeGraph(await api('/subgraph', { center: id, depth: 1 }));
      state.roots.add(id);
      state.cy.$id(id).addClass('root');
      addAround(added, id);
      refreshDates();
      applyFilters();
      say(`${nameOf(id)}: ${added.nodes.length} new actors, ${added.edges.length} new relations.`);
    } catch (err) { state.expanded.delete(id); fail(err); }
  }

  /* ---- details ---- */

  function actorButton(id, name) {
    const b = el('button', { type: 'button', class: 'link' }, name || nameOf(id));
    b.addEventListener('click', () => { if (state.cy && state.cy.$id(id).nonempty()) onNode(id); else openActor(id); });
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
      box.replaceChildren(
        el('h2', {}, swatch, a.name),
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
    } catch (err) { fail(err); }
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

  /* ---- downloads ---- */

  function updateDownloads() {
    const list = $('downloads');
    if (!state.center) { list.replaceChildren(el('li', { class: 'hint' }, 'open an actor first')); return; }
    const f = filterParams();
    list.replaceChildren(...state.config.formats.map((fmt) => {
      const url = new URL('/subgraph', location.origin);
      url.searchParams.set('center', state.center);
      url.searchParams.set('depth', String(state.depth));
      for (const k of ['types', 'since', 'until']) if (f[k]) url.searchParams.set(k, f[k]);
      url.searchParams.set('format', fmt);
      return el('li', {}, el('a', { href: url.pathname + url.search, download: '' }, fmt));
    }));
  }

  /* ---- path mode ---- */

  function setPathEnd(which, actor) {
    state.path[which] = actor;
    $(which === 'from' ? 'path-from' : 'path-to').value = actor.name;
  }

  async function findPaths() {
    const { from, to } = state.path;
    if (!from || !to) { say('Pick both ends of the path (From and To).', true); return; }
    say(`Looking for paths from ${from.name} to ${to.name}…`);
    try {
      const answer = await api('/paths/shortest', { source: from.id, target: to.id, all: 'true', limit: 20,
                                                    ...filterParams() });
      if (!answer.found) { say(`No path from ${from.name} to ${to.name} within ${state.config.max_hops} hops ` +
                               'for these relations and dates.', true); return; }
      const t0 = performance.now();
      const { added, keys, ids } = mergePaths(answer);
      if (!state.center) {  // no network open: the paths are the view
        Object.assign(state, { center: from.id, roots: new Set([from.id, to.id]), expanded: new Set() });
        refreshDates();
        draw(t0);
      } else {
        addAround(added, from.id);
        refreshDates();
      }
      highlightPath(ids, keys);
      showPaths(answer);
      say(`${answer.paths.length} shortest ${answer.paths.length === 1 ? 'path' : 'paths'} of ` +
          `${answer.paths[0].length} ${answer.paths[0].length === 1 ? 'hop' : 'hops'}` +
          `${answer.truncated ? ' (more exist)' : ''}.`);
    } catch (err) { fail(err); }
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
  }

  function clearPath() {
    if (state.cy) state.cy.elements().removeClass('path faded');
    state.path = { from: null, to: null };
    $('path-from').value = ''; $('path-to').value = '';
    applyFilters(false);
  }

  function showPaths(answer) {
    detailsSeq++;
    const box = $('details');
    box.replaceChildren(el('h2', {}, `Paths: ${answer.source.name} → ${answer.target.name}`));
    answer.paths.forEach((p, i) => {
      box.append(el('h3', {}, `Path ${i + 1}: ${p.actors.map((a) => a.name).join(' → ')}`));
      for (const hop of p.hops) {
        const div = el('div', { class: 'hop' }, el('strong', {}, `${hop.source.name} → ${hop.target.name}`));
        for (const r of hop.relations) {
          const rel = state.edges.get(keyOf(r)) || { ...r, place: r.place && r.place.id };
          div.append(el('p', {}, edgeLabel(rel)), ...rel.citations.map((c) => citationBlock(c, rel)));
        }
        box.append(div);
      }
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
      }).catch(fail);
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
    updateDownloads();
  }

  async function start() {
    try {
      state.config = await api('/web/config.json');
    } catch (err) { fail(err); return; }
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
    if (params.get('actor')) openActor(params.get('actor'));
  }

  // A read-only handle for the tests and the benchmark, which read the drawing's state from it.
  window.actorgraphExplorer = { get cy() { return state.cy; }, get state() { return state; } };
  start();
}());
