"""Projections built straight from rows, and brought up to a write by a copy-on-write patch.

Building a million-edge projection through networkx's ``add_edge`` costs a check and a dict update
per edge; the adjacency dicts networkx itself holds (``_node``, ``_succ``, ``_pred``, ``_adj``)
are filled here directly, in the same order, giving the same graphs as ``build_projection`` and
``algorithms.undirected`` in a fraction of the time.

A write then changes a handful of nodes: ``patched`` makes the next version's graphs from the
previous ones without rebuilding them. The top-level dicts are copied (one pointer per node) and
only the touched nodes' neighbour dicts and the touched pairs' key dicts are copied before they
change; everything else is shared. The previous graphs are never mutated, so requests still
reading an older view keep a consistent graph while newer ones read the patched copy.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator


from graph.model import Actor, Relation
from graph.analytics.priority import paced
from graph.model.reads import Changes, RelationFilter

if TYPE_CHECKING:  # imported where a graph is built: opening a store for `actorgraph stats` loads no networkx
    import networkx as nx

__all__ = ["node_attrs", "edge_attrs", "multidigraph", "undirected", "Patch", "patched", "bulk"]

_bulk_lock = threading.Lock()
_bulk_depth = 0
_gc_was_enabled = True


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while a million containers are made: each full collection
    would walk every object made so far (the graph holds no cycles; refcounting frees it). The
    collector is shared by the process's threads, so nested and concurrent bulks count."""
    global _bulk_depth, _gc_was_enabled
    with _bulk_lock:
        _bulk_depth += 1
        if _bulk_depth == 1:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _bulk_lock:
            _bulk_depth -= 1
            if _bulk_depth == 0 and _gc_was_enabled:
                gc.enable()


def node_attrs(a: Actor) -> dict:
    return {"type": a.type.value, "name": a.name, "aliases": list(a.aliases), "rank": a.rank, "title": a.title}


def edge_attrs(r: Relation) -> dict:
    return {"type": r.type.value, "key": r.key, "date": r.date, "place": r.place, "what": r.what}


def multidigraph(nodes: Iterable[tuple[str, dict]], edges: Iterable[tuple[str, str, str, dict]]) -> nx.MultiDiGraph:
    """The MultiDiGraph of ``nodes`` (id, attributes) and ``edges`` (source, target, key,
    attributes), as ``add_nodes_from`` then ``add_edges_from`` would make it."""
    node: dict = {}
    succ: dict = {}
    pred: dict = {}
    for n, attrs in paced(nodes):  # gives way to requests when built in the background (graph.analytics.priority)
        node[n] = attrs
        succ[n] = {}
        pred[n] = {}
    for u, v, key, attrs in paced(edges):
        su = succ.get(u)
        if su is None:  # an endpoint without an actor row: a bare node, as add_edge makes it
            node[u], su, pred[u] = {}, {}, {}
            succ[u] = su
        if v not in succ:
            node[v], succ[v], pred[v] = {}, {}, {}
        kd = su.get(v)
        if kd is None:
            kd = su[v] = {}
            pred[v][u] = kd  # one key dict per pair, shared by both directions (as networkx keeps it)
        kd[key] = attrs
    import networkx as nx

    G = nx.MultiDiGraph()
    G._node, G._succ, G._pred = node, succ, pred  # the descriptors keep _adj == _succ and reset caches
    return G



def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """``algorithms.undirected(G)``: one edge per connected pair carrying ``keys``, same order."""
    with bulk():
        return _undirected(G)


def _undirected(G: nx.MultiDiGraph) -> nx.Graph:
    adj: dict = {n: {} for n in G._node}
    for u, nbrs in paced(G._succ.items(), 512):  # a node's ties at a time: fewer per checkpoint
        au = adj[u]
        for v, keydict in nbrs.items():
            dd = au.get(v)
            if dd is None:
                dd = au[v] = {"keys": list(keydict)}
                adj[v][u] = dd
            else:
                dd["keys"].extend(keydict)
    import networkx as nx

    H = nx.Graph()
    H._node, H._adj = {n: {} for n in G._node}, adj
    return H


@dataclass
class Patch:
    """A patched projection, its undirected graph (when one was given), and what the patch did."""
    graph: nx.MultiDiGraph
    undirected: nx.Graph | None
    touched: set[str] = field(default_factory=set)   # endpoints of added or changed relations
    new_nodes: int = 0
    new_ties: int = 0                                # pairs of the undirected graph that are new


def patched(G: nx.MultiDiGraph, H: nx.Graph | None, changes: Changes, flt: RelationFilter) -> Patch:
    """The graphs of ``G`` (and its undirected ``H``) with ``changes`` applied, sharing the
    untouched parts with them; ``G`` and ``H`` are left as they were."""
    import networkx as nx

    G2 = nx.MultiDiGraph()
    G2.graph.update(G.graph)
    node, succ, pred = dict(G._node), dict(G._succ), dict(G._pred)
    out = Patch(G2, None)
    own_succ: set[str] = set()
    own_pred: set[str] = set()
    own_pairs: set[tuple[str, str]] = set()
    new_nodes: list[str] = []

    def ensure(n: str, attrs: dict | None = None) -> None:
        if n not in node:
            node[n], succ[n], pred[n] = attrs if attrs is not None else {}, {}, {}
            own_succ.add(n)
            own_pred.add(n)
            new_nodes.append(n)
        elif attrs is not None:
            node[n] = attrs  # a new dict: the old view's node keeps its attributes

    for a in changes.actors:
        ensure(a.id, node_attrs(a))
    added: list[tuple[str, str, str]] = []
    for r in changes.relations:
        if not flt.accepts(r):
            continue
        u, v, key = r.source, r.target, r.key
        ensure(u)
        ensure(v)
        if u not in own_succ:
            succ[u] = dict(succ[u])
            own_succ.add(u)
        if v not in own_pred:
            pred[v] = dict(pred[v])
            own_pred.add(v)
        if (u, v) not in own_pairs:
            kd = succ[u].get(v)
            kd = dict(kd) if kd is not None else {}
            succ[u][v] = pred[v][u] = kd
            own_pairs.add((u, v))
        kd = succ[u][v]
        if key not in kd:
            added.append((u, v, key))
        kd[key] = edge_attrs(r)
        out.touched.update((u, v))
    G2._node, G2._succ, G2._pred = node, succ, pred
    out.new_nodes = len(new_nodes)
    if H is not None:
        out.undirected = _patched_undirected(H, new_nodes, added, out)
    return out


def _patched_undirected(H: nx.Graph, new_nodes: list[str], added: list[tuple[str, str, str]], out: Patch) -> nx.Graph:
    hnode, hadj = dict(H._node), dict(H._adj)
    owned: set[str] = set()
    for n in new_nodes:
        hnode[n], hadj[n] = {}, {}
        owned.add(n)
    for u, v, key in added:
        for end in (u, v):
            if end not in owned:
                hadj[end] = dict(hadj[end])
                owned.add(end)
        dd = hadj[u].get(v)
        if dd is None:
            out.new_ties += 1
            dd = {"keys": [key]}
        else:
            dd = {**dd, "keys": [*dd["keys"], key]}  # new dict and list: the old view's tie stays as it was
        hadj[u][v] = hadj[v][u] = dd
    import networkx as nx

    H2 = nx.Graph()
    H2.graph.update(H.graph)
    H2._node, H2._adj = hnode, hadj
    return H2
