"""Graph algorithms over a store's networkx projection: paths, centrality, ego networks, membership.

Pure functions, networkx-style: the graph is the first argument, options are keywords. They take
the ``MultiDiGraph`` of ``GraphStore.projection(flt)`` (the filter already applied) or the simple
undirected graph ``undirected(G)`` derived from it, and call networkx's algorithms; the one search
networkx lacks (the cheapest path within a hop limit) is written here. Citations are not on the
projection: callers fetch them from the store by key.
"""
from __future__ import annotations

from heapq import heappop, heappush
from itertools import count, islice
from typing import Callable, Iterable, Iterator, Literal

import networkx as nx

from graph.model import Actor, GraphBatch, Relation, RelType

__all__ = [
    "DEFAULT_METRIC",
    "CentralityMetric", "CENTRALITY_METRICS", "CentralityResult", "MEMBERSHIP_TYPES",
    "undirected", "shortest_paths", "path_cost", "centrality", "betweenness_samples", "ego_nodes", "ego_network",
    "membership", "group_members", "edges_between", "actor_from_node",
]

CentralityMetric = Literal["degree", "betweenness", "pagerank", "eigenvector", "closeness"]
CENTRALITY_METRICS: tuple[str, ...] = ("degree", "betweenness", "pagerank", "eigenvector", "closeness")
DEFAULT_METRIC: CentralityMetric = "degree"  # what /centrality ranks by when no metric is named
MEMBERSHIP_TYPES = frozenset({RelType.MEMBER_OF.value, RelType.PART_OF.value})

# Exact betweenness costs one BFS per node; above this size it samples k sources (networkx's k).
BETWEENNESS_EXACT_MAX_NODES = 2_000
# Sample size so that k * edges stays near this many edge visits (about 10 s in pure Python).
BETWEENNESS_EDGE_BUDGET = 4_000_000
BETWEENNESS_MIN_K, BETWEENNESS_MAX_K = 16, 512
# networkx has no sampled closeness; above this size only the highest-degree candidates get theirs.
CLOSENESS_EXACT_MAX_NODES = 5_000
CLOSENESS_CANDIDATES = 100


def undirected(G: nx.MultiDiGraph) -> nx.Graph:
    """One undirected edge per connected pair, carrying ``keys``: the relation keys between them.

    Paths, ego networks and centrality treat a relation as a tie in either direction (who met whom
    is symmetric; a MEMBER_OF ties both ways for reachability), and parallel relations as one tie.
    """
    H = nx.Graph()
    H.add_nodes_from(G.nodes)
    for u, v, key in G.edges(keys=True):
        if H.has_edge(u, v):
            H[u][v]["keys"].append(key)
        else:
            H.add_edge(u, v, keys=[key])
    return H


def shortest_paths(H: nx.Graph, source: str, target: str, *, max_hops: int | None = None,
                   all_paths: bool = False, limit: int = 20,
                   weight: Callable[[str, str, dict], float] | None = None) -> list[list[str]]:
    """Shortest path(s) from ``source`` to ``target`` of at most ``max_hops`` edges, or [].

    With ``all_paths`` up to ``limit`` of them (networkx's order); raises ``nx.NodeNotFound`` for
    an unknown endpoint. The fast bidirectional search runs first so a pair farther apart than
    ``max_hops`` costs no full enumeration. With ``weight`` (a networkx weight function, e.g.
    ``path_costs.hop_cost``) the cheapest paths by Dijkstra, ``all_paths`` listing the ties.
    """
    try:
        first = nx.shortest_path(H, source, target)
    except nx.NetworkXNoPath:
        return []
    if max_hops is not None and len(first) - 1 > max_hops:
        return []
    if weight is not None and len(first) > 1:
        return _cheapest_paths(H, source, target, max_hops=max_hops, all_paths=all_paths, limit=limit,
                               weight=weight)
    if not all_paths or len(first) <= 2:
        return [first]
    return [list(p) for p in islice(nx.all_shortest_paths(H, source, target), limit)]


def _cheapest_paths(H: nx.Graph, source: str, target: str, *, max_hops: int | None, all_paths: bool,
                    limit: int, weight: Callable[[str, str, dict], float]) -> list[list[str]]:
    # Bidirectional: the two searches meet after reading the neighbourhoods of both ends, where a
    # one-sided Dijkstra reads every actor cheaper than the target (most of a large graph).
    cost, cheapest = nx.bidirectional_dijkstra(H, source, target, weight=weight)
    too_long = max_hops is not None and len(cheapest) - 1 > max_hops
    if not all_paths and not too_long:
        return [cheapest]
    if max_hops is None:
        return [list(p) for p in islice(nx.all_shortest_paths(_on_cheapest(H, source, target, cost, weight),
                                                              source, target, weight=weight, method="dijkstra"),
                                        limit)]
    # The fewest hops from each actor to the target, within max_hops: a BFS (on a small-world graph,
    # most of it), so only when the limit matters.
    hops_left = nx.single_source_shortest_path_length(H, target, cutoff=max_hops)
    if too_long:
        # The cheapest within max_hops (one exists: the caller's fewest-hops search found it).
        cost, cheapest = _cheapest_within_hops(H, source, target, max_hops, weight, hops_left)
    if not all_paths:
        return [cheapest]
    # The ties within max_hops: networkx's would list a tie of more hops too.
    return list(islice(_paths_of_cost(H, source, target, max_hops, weight, hops_left, cost), limit))


def _cheapest_within_hops(H: nx.Graph, source: str, target: str, max_hops: int,
                          weight: Callable[[str, str, dict], float],
                          hops_left: dict[str, int]) -> tuple[float, list[str]]:
    """The cost and path of the cheapest path of at most ``max_hops`` edges (one must exist).

    The hop-limited shortest path, which networkx lacks (its Yen ranking of the next cheapest paths
    took seconds on a 100k-relation graph): a Dijkstra over (actor, hops) labels. A label is kept
    only with fewer hops than every label of its actor settled before it (those are no dearer and
    reach whatever it reaches in no more hops), so an actor is settled at most ``max_hops + 1``
    times. ``hops_left``: the fewest hops from each actor to ``target`` (within ``max_hops``); an
    actor that cannot reach it in the hops left is not entered.
    """
    fewest: dict[str, int] = {}  # actor -> hops of its last settled label (each fewer than before)
    parent: dict[tuple[str, int], tuple[str, int] | None] = {}
    order = count()  # ties in cost and hops pop in push order: never compare actors or labels
    heap: list = [(0.0, 0, next(order), source, None)]
    while heap:
        cost, hops, _, v, came_from = heappop(heap)
        if fewest.get(v, max_hops + 1) <= hops:
            continue
        fewest[v] = hops
        parent[(v, hops)] = came_from
        if v == target:
            path, label = [], (v, hops)
            while label is not None:
                path.append(label[0])
                label = parent[label]
            return cost, path[::-1]
        for w, data in H[v].items():
            if hops + 1 + hops_left.get(w, max_hops + 1) <= max_hops and fewest.get(w, max_hops + 1) > hops + 1:
                heappush(heap, (cost + weight(v, w, data), hops + 1, next(order), w, (v, hops)))
    raise nx.NetworkXNoPath(f"no path of at most {max_hops} hops between {source} and {target}")


def _paths_of_cost(H: nx.Graph, source: str, target: str, max_hops: int,
                   weight: Callable[[str, str, dict], float], hops_left: dict[str, int],
                   cost: float) -> Iterator[list[str]]:
    """Every simple path of at most ``max_hops`` edges costing ``cost`` (the cheapest such), depth
    first: a step is taken only if the cheapest completion from there (a Dijkstra from ``target``
    bounded by ``cost``) and the fewest hops left still fit."""
    to_target = nx.single_source_dijkstra_path_length(H, target, cutoff=cost, weight=weight)
    tolerance = 1e-9 * max(1.0, cost)  # float costs from ``weights=`` sum with rounding
    path, on_path = [source], {source}

    def walk(spent: float) -> Iterator[list[str]]:
        v = path[-1]
        if v == target:
            yield list(path)
            return
        for w, data in H[v].items():
            if w in on_path or w not in to_target or len(path) + hops_left.get(w, max_hops + 1) > max_hops:
                continue
            step = spent + weight(v, w, data)
            if step + to_target[w] > cost + tolerance:
                continue
            path.append(w)
            on_path.add(w)
            yield from walk(step)
            on_path.discard(path.pop())

    yield from walk(0.0)


def _on_cheapest(H: nx.Graph, source: str, target: str, cost: float,
                 weight: Callable[[str, str, dict], float]) -> nx.Graph:
    """The subgraph of the nodes on some path of ``cost`` (a node v with d(source, v) + d(v, target)
    = cost): every cheapest path lies in it, and both searches stop at ``cost``, not at the graph's end."""
    reach = nx.single_source_dijkstra_path_length(H, source, cutoff=cost, weight=weight)
    back = nx.single_source_dijkstra_path_length(H, target, cutoff=cost, weight=weight)
    tolerance = 1e-9 * max(1.0, cost)  # float costs from ``weights=`` sum with rounding
    return H.subgraph([v for v, d in reach.items() if v in back and d + back[v] <= cost + tolerance])


def _cost(H: nx.Graph, path: list[str], weight: Callable[[str, str, dict], float]) -> float:
    return sum(weight(u, v, H[u][v]) for u, v in zip(path, path[1:]))


def path_cost(H: nx.Graph, path: list[str], weight: Callable[[str, str, dict], float] | None = None) -> float:
    """The cost of ``path`` under ``weight`` (its hops without one)."""
    return float(len(path) - 1) if weight is None else float(_cost(H, path, weight))


def betweenness_samples(H: nx.Graph) -> int | None:
    """The ``k`` of sampled betweenness for this graph, or None for the exact computation."""
    n, m = H.number_of_nodes(), H.number_of_edges()
    if n <= BETWEENNESS_EXACT_MAX_NODES:
        return None
    return min(n, max(BETWEENNESS_MIN_K, min(BETWEENNESS_MAX_K, BETWEENNESS_EDGE_BUDGET // max(m, 1))))


class CentralityResult(dict):
    """Scores by node, plus how they were computed: ``engine`` (networkx, igraph, networkit, gds),
    ``approximate`` with ``k`` samples (sources or paths) and, when known, ``error``: a bound that
    every score is within of the exact one (with probability >= 0.9); ``top``: only the top this
    many nodes were scored (their scores exact), the rest of the ranking is not computed."""

    def __init__(self, scores: dict, *, metric: str, approximate: bool = False, k: int | None = None,
                 engine: str = "networkx", error: float | None = None, top: int | None = None):
        super().__init__(scores)
        self.metric, self.approximate, self.k = metric, approximate, k
        self.engine, self.error, self.top = engine, error, top


def centrality(H: nx.Graph, metric: CentralityMetric = DEFAULT_METRIC, *, seed: int = 0) -> CentralityResult:
    """Scores of every node of the undirected graph by ``metric`` (normalised as networkx does).

    Large graphs: betweenness samples ``betweenness_samples(H)`` sources (seeded, so repeatable);
    closeness is computed only for the ``CLOSENESS_CANDIDATES`` highest-degree nodes. Both are then
    flagged ``approximate``.
    """
    if metric not in CENTRALITY_METRICS:
        raise ValueError(f"unknown centrality metric {metric!r}: expected one of {', '.join(CENTRALITY_METRICS)}")
    if H.number_of_nodes() == 0:
        return CentralityResult({}, metric=metric)
    if metric == "degree":
        return CentralityResult(nx.degree_centrality(H), metric=metric)
    if metric == "pagerank":
        return CentralityResult(nx.pagerank(H), metric=metric)
    if metric == "eigenvector":
        # The power iteration networkx uses works on disconnected graphs (its numpy variant refuses).
        return CentralityResult(nx.eigenvector_centrality(H, max_iter=1000, tol=1e-6), metric=metric)
    if metric == "betweenness":
        k = betweenness_samples(H)
        return CentralityResult(nx.betweenness_centrality(H, k=k, seed=seed), metric=metric,
                                approximate=k is not None, k=k)
    if H.number_of_nodes() <= CLOSENESS_EXACT_MAX_NODES:
        return CentralityResult(nx.closeness_centrality(H), metric=metric)
    top = sorted(H.degree, key=lambda nd: (-nd[1], str(nd[0])))[:CLOSENESS_CANDIDATES]
    scores = {n: nx.closeness_centrality(H, u=n) for n, _ in top}
    return CentralityResult(scores, metric=metric, approximate=True, k=len(scores))


def ego_nodes(H: nx.Graph, center: str, *, radius: int = 1) -> set[str]:
    """The nodes within ``radius`` ties of ``center`` (the nodes of networkx's ego_graph), center
    included. Found by a breadth-first search cut at ``radius``: ego_graph also copies the
    subgraph they induce, thousands of ties around a hub, only for its node set to be read."""
    return set(nx.single_source_shortest_path_length(H, center, cutoff=radius))


def ego_network(G: nx.MultiDiGraph, center: str, *, radius: int = 1, H: nx.Graph | None = None,
                nodes: set[str] | None = None) -> GraphBatch:
    """The ego network of ``center`` as a batch: its actors and every relation among them.

    Relations come from the projection's edge attributes, so they carry no provenance; ``H`` is the
    undirected view of ``G`` when the caller has it cached, ``nodes`` its ``ego_nodes`` when it has
    those. The relations are read from each actor's own out-edges: a subgraph view of ``G``
    filters every node of the whole graph on each walk (a third of an ego network's time at 100k).
    """
    if nodes is None:
        nodes = ego_nodes(H if H is not None else undirected(G), center, radius=radius)
    batch = GraphBatch()
    succ = G.succ
    for u in sorted(nodes):
        batch.add_actor(actor_from_node(u, G.nodes[u]))
        for v, keyed in succ[u].items():
            if v in nodes:
                for key, attrs in keyed.items():
                    batch.relations[key] = Relation(source=u, target=v, type=attrs["type"], date=attrs.get("date"),
                                                    place=attrs.get("place"), what=attrs.get("what"))
    return batch


def membership(G: nx.MultiDiGraph) -> nx.DiGraph:
    """Who belongs to what: the MEMBER_OF and PART_OF edges of ``G``, as a plain DiGraph."""
    M = nx.DiGraph()
    M.add_edges_from((u, v) for u, v, t in G.edges(data="type") if t in MEMBERSHIP_TYPES)
    return M


def group_members(M: nx.DiGraph, actor: str) -> set[str]:
    """``actor`` and everything that belongs to it in the membership graph ``M``: MEMBER_OF it, or
    MEMBER_OF / PART_OF something that does, transitively (a general MEMBER_OF an army PART_OF a
    state belongs to the state)."""
    return {actor} | (nx.ancestors(M, actor) if actor in M else set())


def edges_between(G: nx.MultiDiGraph, side_a: Iterable[str], side_b: Iterable[str], *,
                  types: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
    """Relations (as ``(a_end, b_end, key)``) with one end in ``side_a`` and the other in ``side_b``,
    oriented so the first end is on side a. A relation whose ends are both on both sides counts once."""
    a, b = set(side_a), set(side_b)
    flip = len(b) < len(a)  # walk the relations of the smaller side
    walk, other_side = (b, a) if flip else (a, b)
    wanted = None if types is None else {RelType(t).value for t in types}
    found: dict[str, tuple[str, str, str]] = {}
    for n in walk:
        if n not in G:
            continue
        # The adjacency dicts, not edge views: a state's side can hold thousands of people.
        for adjacency in (G.succ[n], G.pred[n]):
            for other, by_key in adjacency.items():
                if other not in other_side:
                    continue
                for key, attrs in by_key.items():
                    if (wanted is None or attrs.get("type") in wanted) and key not in found:
                        found[key] = (other, n, key) if flip else (n, other, key)
    return [found[k] for k in sorted(found)]


def actor_from_node(node: str, attrs: dict) -> Actor:
    """The Actor a projection node stands for (nodes carry the actor's fields)."""
    return Actor(id=node, type=attrs["type"], name=attrs.get("name") or node,
                 aliases=list(attrs.get("aliases") or []), rank=attrs.get("rank"), title=attrs.get("title"))
