"""The compiled analytics engine: centrality of a large graph on a compact array-backed copy of it.

networkx is the reference and stays the engine of paths and of small graphs (below
``ENGINE_MIN_NODES``); above that, ``CompactGraph`` holds the undirected simple graph of a
projection once per graph version (node ids in an array, edges as integer pairs) and scores it
with compiled libraries:

- **python-igraph** (published on PyPI as ``igraph``; C core, wheels for every platform, the
  well-kept library of the field) holds the graph and computes degree, PageRank (PRPACK),
  eigenvector centrality (ARPACK, robust on the bipartite stars a person-force-state graph is full
  of, where a plain power iteration oscillates) and exact betweenness and closeness while the
  graph is small enough for one BFS per node.
- **networkit** (C++ with OpenMP, wheels on PyPI, maintained at KIT) is used for the two things
  igraph lacks and the large graph needs: KADABRA betweenness (Borassi and Natale 2016), an
  adaptive sample of shortest paths with a stated bound (every score within ``err`` of the exact
  one with probability >= 1 - delta), and TopCloseness (Bergamini et al. 2016), the exact top k
  closeness by pruned BFS. igraph's own sampled betweenness (``sources=``) needs one full BFS per
  sampled source (about 0.1 s each at 1M relations, so under 100 sources in the time budget, with a
  weak Hoeffding bound), and igraph has no top-k closeness. networkit alone was not chosen: its
  eigenvector power iteration does not converge on bipartite graphs (a star scores 4:1, not 2:1).

Scores are normalised as networkx normalises them, so both engines answer alike; the tests check
that they agree on small graphs for every metric (``tests/analytics/test_engine.py``).
"""
from __future__ import annotations

import math
import warnings
from itertools import chain
from typing import Iterable, Sequence

import networkx as nx
import numpy as np

from graph.analytics.algorithms import CENTRALITY_METRICS, CentralityResult

__all__ = ["CompactGraph", "CostGraph", "ENGINE_MIN_NODES", "BETWEENNESS_EXACT_WORK", "BETWEENNESS_ERROR",
           "BETWEENNESS_DELTA", "CLOSENESS_EXACT_WORK", "CLOSENESS_TOP_K", "use_engine"]

# Below this many nodes networkx answers (milliseconds either way, and it is the reference).
ENGINE_MIN_NODES = 2_000
# Exact betweenness / closeness cost one BFS per node: nodes * edges visits. Above this, sample.
BETWEENNESS_EXACT_WORK = 2e8
CLOSENESS_EXACT_WORK = 2e8
# KADABRA's bound, in networkx's normalised units: |approximate - exact| <= BETWEENNESS_ERROR for
# every node with probability >= 1 - BETWEENNESS_DELTA.
BETWEENNESS_ERROR = 0.01
BETWEENNESS_DELTA = 0.1
# A large graph's closeness ranks the exact top this many nodes (TopCloseness), not every node:
# the /centrality route's default page. Each further node costs TopCloseness more pruned BFS
# (at 300k relations: 2.2 s for the top 20, 3.2 s for the top 100).
CLOSENESS_TOP_K = 20


def use_engine(H_or_nodes: int) -> bool:
    """Whether a graph of this many nodes is scored by the compiled engine rather than networkx."""
    return H_or_nodes >= ENGINE_MIN_NODES


class CompactGraph:
    """An undirected simple graph as arrays: ``names[i]`` is node i, ``edges`` an (m, 2) array of
    node numbers, each tie once (parallel relations and both directions collapse, as
    ``graph.analytics.algorithms.undirected`` does). Immutable; build one per graph version."""

    def __init__(self, names: Sequence[str], edges: np.ndarray):
        self.names = list(names)
        self.edges = edges
        self._ig = self._nk = None

    @classmethod
    def from_pairs(cls, names: Sequence[str], sources: np.ndarray, targets: np.ndarray) -> "CompactGraph":
        """From directed relation endpoints as node numbers (repeats and reversed pairs allowed)."""
        n = max(len(names), 1)
        lo, hi = np.minimum(sources, targets).astype(np.int64), np.maximum(sources, targets).astype(np.int64)
        codes = np.unique(lo * n + hi)
        return cls(names, np.column_stack((codes // n, codes % n)))

    @classmethod
    def from_projection(cls, G: nx.MultiDiGraph) -> "CompactGraph":
        """From a store's projection: every node (isolated ones too), one edge per tied pair."""
        names = list(G)
        index = {node: i for i, node in enumerate(names)}
        # The adjacency dicts already collapse parallel relations of one direction; map and chain
        # keep the walk over a million ties in C.
        succ = G.succ
        sources = np.repeat(np.arange(len(names), dtype=np.int64), [len(succ[u]) for u in names])
        targets = np.fromiter(map(index.__getitem__, chain.from_iterable(succ[u] for u in names)),
                              dtype=np.int64, count=len(sources))
        return cls.from_pairs(names, sources, targets)

    @classmethod
    def from_id_pairs(cls, names: Iterable[str], pairs: Iterable[tuple[str, str]]) -> "CompactGraph":
        """From every node id and (source id, target id) pairs, e.g. streamed from a server."""
        names = list(names)
        index = {node: i for i, node in enumerate(names)}
        flat = np.fromiter((index[x] for pair in pairs for x in pair), dtype=np.int64).reshape(-1, 2)
        return cls.from_pairs(names, flat[:, 0], flat[:, 1])

    def number_of_nodes(self) -> int:
        return len(self.names)

    def number_of_edges(self) -> int:
        return len(self.edges)

    @property
    def graph(self):
        """The igraph graph, built on first use (degree needs only the arrays)."""
        if self._ig is None:
            import igraph

            self._ig = igraph.Graph(n=len(self.names), edges=self.edges)
        return self._ig

    @property
    def networkit(self):
        """The same graph in networkit, built on first use (KADABRA, TopCloseness)."""
        if self._nk is None:
            import networkit as nk

            e = self.edges.astype(np.uint64)
            self._nk = nk.GraphFromCoo((np.ones(len(e)), (e[:, 0], e[:, 1])), n=len(self.names), directed=False)
        return self._nk

    def _scores(self, values: Iterable[float]) -> dict[str, float]:
        return dict(zip(self.names, map(float, values)))

    def centrality(self, metric: str, *, seed: int = 0) -> CentralityResult:
        """Scores by ``metric``, normalised as ``graph.analytics.algorithms.centrality`` (networkx) does."""
        if metric not in CENTRALITY_METRICS:
            raise ValueError(f"unknown centrality metric {metric!r}: expected one of {', '.join(CENTRALITY_METRICS)}")
        n, m = self.number_of_nodes(), self.number_of_edges()
        if n == 0:
            return CentralityResult({}, metric=metric, engine="igraph")
        if n == 1:  # networkx's conventions for a lone node
            return CentralityResult({self.names[0]: {"degree": 1.0, "pagerank": 1.0, "eigenvector": 1.0}.get(metric, 0.0)},
                                    metric=metric, engine="igraph")
        if metric == "degree":  # a loop counts twice, as in networkx and igraph
            degree = np.bincount(self.edges.ravel(), minlength=n)
            return CentralityResult(self._scores(degree / (n - 1)), metric=metric, engine="igraph")
        g = self.graph
        if metric == "pagerank":
            return CentralityResult(self._scores(g.pagerank(damping=0.85, directed=False, implementation="arpack")), metric=metric,
                                    engine="igraph")
        if metric == "eigenvector":
            with warnings.catch_warnings():  # igraph warns on disconnected graphs, which ours often are
                warnings.simplefilter("ignore", RuntimeWarning)
                x = np.abs(np.array(g.eigenvector_centrality(scale=True)))
            norm = math.sqrt(float(x @ x)) or 1.0  # networkx scales to unit Euclidean norm
            return CentralityResult(self._scores(x / norm), metric=metric, engine="igraph")
        if metric == "betweenness":
            if n * m <= BETWEENNESS_EXACT_WORK or n < 3:
                raw = np.array(g.betweenness(directed=False))
                scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0
                return CentralityResult(self._scores(raw * scale), metric=metric, engine="igraph")
            return self._kadabra(seed)
        return self._closeness()

    def _kadabra(self, seed: int) -> CentralityResult:
        import networkit as nk

        n = self.number_of_nodes()
        # networkit's KADABRA scores are 2n/(n-2) times networkx's normalised ones (measured against
        # exact betweenness), its error bound too.
        to_nx = (n - 2) / (2 * n)
        nk.engineering.setSeed(seed, True)
        algo = nk.centrality.KadabraBetweenness(self.networkit, BETWEENNESS_ERROR / to_nx, BETWEENNESS_DELTA, True)
        algo.run()
        scores = np.array(algo.scores()) * to_nx
        return CentralityResult(self._scores(scores), metric="betweenness", engine="networkit", approximate=True,
                                k=int(algo.getNumberOfIterations()), error=BETWEENNESS_ERROR)

    def _closeness(self) -> CentralityResult:
        n, m = self.number_of_nodes(), self.number_of_edges()
        g = self.graph
        if n * m <= CLOSENESS_EXACT_WORK:
            # igraph scores each node within its component; networkx (Wasserman-Faust) scales by
            # the share of the graph the node reaches.
            parts = g.connected_components()
            reach = np.array(parts.sizes())[parts.membership] - 1
            within = np.nan_to_num(np.array(g.closeness(normalized=True), dtype=float))
            return CentralityResult(self._scores(within * reach / (n - 1)), metric="closeness", engine="igraph")
        import networkit as nk

        top = nk.centrality.TopCloseness(self.networkit, min(CLOSENESS_TOP_K, n), True, False)
        top.run()
        scores = {self.names[v]: float(s) for v, s in zip(top.topkNodesList(), top.topkScoresList())}
        return CentralityResult(scores, metric="closeness", engine="networkit", top=len(scores))


class CostGraph:
    """The undirected graph of a projection as a sparse matrix of tie costs (``path_costs.hop_cost``):
    the cheapest path between two actors by scipy's compiled Dijkstra, where networkx's in Python
    read hubs of thousands of ties at a few microseconds each (15 ms a path at 100k relations).
    igraph's Dijkstra took the costs as a Python list on every call and converted all of them each
    time: 3.0 against 1.9 ms a path on the 100k-relation graph, 73 against 44 ms at 810k ties.
    Built once per view and costs; equally cheap paths may be tied either way."""

    def __init__(self, H: nx.Graph, weight) -> None:
        from scipy.sparse import csr_matrix

        self.names = list(H)
        self.index = {node: i for i, node in enumerate(self.names)}
        index = self.index
        rows, cols, costs = [], [], []
        for u, nbrs in H.adjacency():  # each tie both ways, as an undirected graph's adjacency has it
            iu = index[u]
            for v, data in nbrs.items():
                rows.append(iu)
                cols.append(index[v])
                costs.append(weight(u, v, data))
        n = len(self.names)
        self.matrix = csr_matrix((np.asarray(costs, dtype=float), (rows, cols)), shape=(n, n))

    def cheapest_path(self, source: str, target: str) -> list[str]:
        """A cheapest path from ``source`` to ``target`` as node ids, or [] when none joins them."""
        from scipy.sparse.csgraph import dijkstra

        s, t = self.index[source], self.index[target]
        if s == t:
            return [source]
        distances, previous = dijkstra(self.matrix, indices=s, return_predecessors=True)
        if not np.isfinite(distances[t]):
            return []
        path = [t]
        while path[-1] != s:
            path.append(int(previous[path[-1]]))
        return [self.names[i] for i in reversed(path)]
