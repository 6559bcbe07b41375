"""graph.analytics.engine (igraph / networkit) against networkx, the reference, on small graphs: every metric."""
from __future__ import annotations

import networkx as nx
import pytest

from graph.analytics import algorithms, engine
from graph.analytics.engine import CompactGraph
from tests.analytics.test_algorithms import projection


def _graphs() -> dict[str, nx.MultiDiGraph]:
    """Projection-shaped graphs: a star, a disconnected one with isolated actors and parallel and
    reversed relations, and a scale-free one."""
    star = projection([("p0", f"p{i}", "MET") for i in range(1, 6)])
    split = projection([("p1", "p2", "MET"), ("p2", "p1", "VISITED"), ("p2", "p3", "MET"), ("p3", "p4", "MET"),
                        ("p4", "p2", "MET"), ("p5", "p6", "MET"), ("p6", "p7", "MET"), ("p1", "f1", "MEMBER_OF")])
    for i in range(3):
        split.add_node(f"s{i}", type="State", name=f"S{i}", aliases=[], rank=None, title=None)
    scale_free = nx.MultiDiGraph()
    for u, v in nx.barabasi_albert_graph(300, 2, seed=5).edges:
        scale_free.add_edge(f"p{u}", f"p{v}", key=f"{u}-{v}", type="MET")
    scale_free.add_node("s-alone")
    return {"star": star, "split": split, "scale_free": scale_free}


GRAPHS = _graphs()


def _top(scores: dict, n: int) -> list[str]:
    return [node for node, _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def test_compact_graph_collapses_ties_like_undirected():
    for G in GRAPHS.values():
        H, C = algorithms.undirected(G), CompactGraph.from_projection(G)
        assert (C.number_of_nodes(), C.number_of_edges()) == (H.number_of_nodes(), H.number_of_edges())
        assert {frozenset((C.names[u], C.names[v])) for u, v in C.edges} == {frozenset(e) for e in H.edges}


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("metric", algorithms.CENTRALITY_METRICS)
def test_engine_agrees_with_networkx(name, metric):
    G = GRAPHS[name]
    reference = algorithms.centrality(algorithms.undirected(G), metric)
    compiled = CompactGraph.from_projection(G).centrality(metric)
    assert compiled.engine == "igraph" and not compiled.approximate and compiled.top is None
    assert set(compiled) == set(reference)
    for node, score in reference.items():
        assert compiled[node] == pytest.approx(score, abs=1e-4), (node, metric)
    # Same top ranks wherever the reference's scores are not tied.
    ranked = _top(reference, 10)
    distinct = [n for i, n in enumerate(ranked) if all(abs(reference[n] - reference[o]) > 1e-6
                                                        for o in reference if o != n)]
    assert [n for n in _top(compiled, 10) if n in distinct] == distinct


def test_sampled_betweenness_stays_within_its_stated_bound(monkeypatch):
    monkeypatch.setattr(engine, "BETWEENNESS_EXACT_WORK", 0)
    G = GRAPHS["scale_free"]
    reference = algorithms.centrality(algorithms.undirected(G), "betweenness")
    sampled = CompactGraph.from_projection(G).centrality("betweenness")
    assert sampled.approximate and sampled.engine == "networkit" and sampled.k > 0
    assert sampled.error == engine.BETWEENNESS_ERROR
    assert max(abs(sampled[n] - reference[n]) for n in reference) <= sampled.error
    assert _top(sampled, 3) == _top(reference, 3)
    assert sampled == CompactGraph.from_projection(G).centrality("betweenness")  # seeded: repeatable


@pytest.mark.parametrize("name", ["scale_free", "split"])
def test_top_k_closeness_is_exact_for_the_top_nodes(monkeypatch, name):
    monkeypatch.setattr(engine, "CLOSENESS_EXACT_WORK", 0)
    monkeypatch.setattr(engine, "CLOSENESS_TOP_K", 5)
    G = GRAPHS[name]
    reference = algorithms.centrality(algorithms.undirected(G), "closeness")
    top = CompactGraph.from_projection(G).centrality("closeness")
    assert top.top == len(top) == 5 and not top.approximate and top.engine == "networkit"
    for node, score in top.items():
        assert score == pytest.approx(reference[node], abs=1e-9)
    # The five best scores, whichever of tied nodes carry them.
    assert sorted(top.values(), reverse=True) == pytest.approx(sorted(reference.values(), reverse=True)[:5])


def test_views_use_networkx_below_the_threshold_and_the_engine_above(monkeypatch):
    from graph.queries.views import View
    from graph.stores.interface import RelationFilter

    G = GRAPHS["scale_free"]
    assert View("1", RelationFilter(), G).centrality("pagerank").engine == "networkx"
    monkeypatch.setattr(engine, "ENGINE_MIN_NODES", 10)
    view = View("1", RelationFilter(), G)
    assert view.centrality("pagerank").engine == "igraph"
    assert view.size == {"nodes": 301, "edges": algorithms.undirected(G).number_of_edges()}


def test_cost_graph_cheapest_paths_cost_what_networkx_finds():
    """The compiled Dijkstra against networkx's on a scale-free graph with every relation type:
    same cost for every pair asked (the path itself may take the other side of a tie), each hop a
    real tie, none where networkx finds none."""
    import random

    from graph.analytics.path_costs import DEFAULT_COSTS, hop_cost

    rng = random.Random(3)
    types = sorted(DEFAULT_COSTS)
    G = nx.MultiDiGraph()
    for u, v in nx.barabasi_albert_graph(400, 2, seed=9).edges:
        for _ in range(rng.randint(1, 2)):
            t = rng.choice(types)
            G.add_edge(f"n{u}", f"n{v}", key=f"{t}|n{u}|n{v}|{rng.random()}", type=t)
    G.add_node("alone")
    H = algorithms.undirected(G)
    weight = hop_cost(DEFAULT_COSTS)
    costs = engine.CostGraph(H, weight)
    nodes = sorted(H)
    for _ in range(200):
        s, t = rng.choice(nodes), rng.choice(nodes)
        path = costs.cheapest_path(s, t)
        if s == "alone" or t == "alone":
            assert path == ([s] if s == t else [])
            continue
        assert path[0] == s and path[-1] == t and all(H.has_edge(a, b) for a, b in zip(path, path[1:]))
        assert algorithms.path_cost(H, path, weight) == nx.dijkstra_path_length(H, s, t, weight=weight)
