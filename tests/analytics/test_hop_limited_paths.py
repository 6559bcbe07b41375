"""The cheapest path within a hop limit (graph.analytics.algorithms.shortest_paths with ``weight`` and
``max_hops``) against brute force: every simple path of at most ``max_hops`` edges, costed by hand."""
from __future__ import annotations

import networkx as nx
from hypothesis import given, settings, strategies as st

from graph.analytics import algorithms
from graph.analytics.path_costs import DEFAULT_COSTS, hop_cost
from graph.model import RelType

TYPES = [t.value for t in RelType if t.value in DEFAULT_COSTS]


@st.composite
def weighted_graphs(draw):
    """A connected undirected graph of ties carrying relation keys of random types (random costs)."""
    n = draw(st.integers(4, 11))
    H = nx.Graph()
    H.add_nodes_from(f"a{i}" for i in range(n))
    # A random spanning tree first, so the graph is connected, then random extra ties.
    for i in range(1, n):
        j = draw(st.integers(0, i - 1))
        H.add_edge(f"a{i}", f"a{j}")
    for _ in range(draw(st.integers(0, 2 * n))):
        u, v = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if u != v:
            H.add_edge(f"a{u}", f"a{v}")
    for u, v in H.edges:
        kinds = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2))
        H[u][v]["keys"] = [f"{t}|{u}|{v}|{i}" for i, t in enumerate(kinds)]
    return H


def brute_force(H, source, target, max_hops, weight):
    """(cheapest cost, every simple path of that cost) among paths of at most ``max_hops`` edges."""
    costed = [(sum(weight(u, v, H[u][v]) for u, v in zip(p, p[1:])), p)
              for p in nx.all_simple_paths(H, source, target, cutoff=max_hops)]
    best = min(c for c, _ in costed)
    return best, sorted(p for c, p in costed if c == best)


@settings(max_examples=300, deadline=None)
@given(weighted_graphs(), st.data())
def test_the_cheapest_path_within_max_hops_is_what_brute_force_finds(H, data):
    nodes = sorted(H)
    source = data.draw(st.sampled_from(nodes))
    target = data.draw(st.sampled_from([n for n in nodes if n != source]))
    fewest = nx.shortest_path_length(H, source, target)
    max_hops = data.draw(st.integers(fewest, fewest + 3))
    weight = hop_cost(DEFAULT_COSTS)
    best, ties = brute_force(H, source, target, max_hops, weight)

    [one] = algorithms.shortest_paths(H, source, target, max_hops=max_hops, weight=weight)
    assert one[0] == source and one[-1] == target and len(one) - 1 <= max_hops
    assert len(set(one)) == len(one)
    assert algorithms.path_cost(H, one, weight) == best

    every = algorithms.shortest_paths(H, source, target, max_hops=max_hops, weight=weight,
                                      all_paths=True, limit=10_000)
    assert sorted(every) == ties
    assert len(algorithms.shortest_paths(H, source, target, max_hops=max_hops, weight=weight,
                                         all_paths=True, limit=1)) == 1


def test_a_long_chain_of_cheap_ties_gives_way_to_a_dearer_short_cut():
    # a0 - a1 - ... - a6 in meetings (cost 6, 6 hops), or a0 - hub - a6 through memberships (cost 10).
    H = nx.Graph()
    for i in range(6):
        H.add_edge(f"a{i}", f"a{i + 1}", keys=[f"MET|a{i}|a{i + 1}"])
    H.add_edge("a0", "hub", keys=["MEMBER_OF|a0|hub"])
    H.add_edge("a6", "hub", keys=["MEMBER_OF|a6|hub"])
    weight = hop_cost(DEFAULT_COSTS)
    assert algorithms.shortest_paths(H, "a0", "a6", weight=weight) == [[f"a{i}" for i in range(7)]]
    for max_hops in (2, 5):
        assert algorithms.shortest_paths(H, "a0", "a6", max_hops=max_hops, weight=weight) == [["a0", "hub", "a6"]]
    assert algorithms.shortest_paths(H, "a0", "a6", max_hops=1, weight=weight) == []
