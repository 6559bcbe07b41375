"""Paths walked on the store's indexes (graph.analytics.path_search, GraphViews.for_paths) answer as the
whole projection does: every shortest path's nodes, the same lengths and, with all=true, the same
paths, under the same filters; a filter the walk cannot judge, a walk over budget and a small
graph fall back to the projection."""
from __future__ import annotations

import random
from functools import partial
from itertools import islice
from pathlib import Path

import networkx as nx
import pytest

from graph.stores.embedded.store import EmbeddedStore
from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType
from graph.analytics.path_search import nodes_on_shortest_paths
from graph.analytics.path_costs import parse_costs
from graph.queries.subgraphs import find_cited_paths as cited_paths_by_cost
from graph.stores.interface import RelationFilter
from graph.queries.views import GraphViews, View, WalkedView

# The walk answers fewest-hop questions (every hop costing the same); a weighted one reads the view.
find_cited_paths = partial(cited_paths_by_cost, costs=parse_costs("hops"))


def nx_neighbours(H: nx.Graph):
    return lambda ids: {u: list(H[u]) for u in ids if u in H}


def on_shortest_paths(H: nx.Graph, s: str, t: str) -> set[str]:
    return {n for p in nx.all_shortest_paths(H, s, t) for n in p}


@pytest.mark.parametrize("seed", range(6))
def test_walk_finds_every_node_of_every_shortest_path(seed: int) -> None:
    rng = random.Random(seed)
    # Sparse random ties plus a few hubs, the shape of people, forces and states.
    H = nx.gnm_random_graph(120, 160, seed=seed)
    for hub in range(3):
        H.add_edges_from((f"hub{hub}", n) for n in rng.sample(range(120), 15))
    H = nx.relabel_nodes(H, str)
    nodes = sorted(H)
    for _ in range(60):
        s, t = rng.choice(nodes), rng.choice(nodes)
        found = nodes_on_shortest_paths(nx_neighbours(H), s, t, max_hops=6)
        assert found is not None
        if s == t:
            assert found.nodes == {s} and found.distance == 0
            continue
        try:
            d = nx.shortest_path_length(H, s, t)
        except nx.NetworkXNoPath:
            d = None
        if d is None or d > 6:
            assert found.distance is None and found.nodes == {s, t}
        else:
            assert found.distance == d
            assert found.nodes == on_shortest_paths(H, s, t)
            # ties: exact neighbour counts of the nodes it expanded
            assert all(found.ties[u] == H.degree(u) for u in found.ties)


def test_walk_stops_at_max_hops_and_at_its_budget() -> None:
    H = nx.path_graph([str(i) for i in range(8)])
    assert nodes_on_shortest_paths(nx_neighbours(H), "0", "7", max_hops=6).distance is None
    assert nodes_on_shortest_paths(nx_neighbours(H), "0", "7", max_hops=7).nodes == set(H)
    star = nx.star_graph(50)
    star = nx.relabel_nodes(star, str)
    assert nodes_on_shortest_paths(nx_neighbours(star), "1", "2", max_hops=6, budget=10) is None
    assert nodes_on_shortest_paths(nx_neighbours(star), "1", "2", max_hops=6, budget=100).nodes == {"0", "1", "2"}


# -- on the embedded store -------------------------------------------------------------------------

TYPES = [RelType.MET, RelType.VISITED, RelType.SIGNED, RelType.MEMBER_OF]


def random_batch(seed: int, people: int = 50, relations: int = 110) -> GraphBatch:
    rng = random.Random(seed)
    batch = GraphBatch(articles={"walk.txt": Article(id="walk.txt", title="Walk")})
    actors = [Actor(id=f"person:p{i}", type=NodeType.PERSON, name=f"P{i}") for i in range(people)]
    actors += [Actor(id=f"state:s{i}", type=NodeType.STATE, name=f"S{i}") for i in range(3)]
    for a in actors:
        batch.add_actor(a)
    for i in range(relations):
        a, b = rng.sample(actors, 2)
        type_ = rng.choice(TYPES)
        date = None if type_ is RelType.MEMBER_OF else f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        batch.add_relation(Relation(a.id, b.id, type_, date=date,
                                    provenance=[Provenance("walk.txt", f"Sentence {i}.", 0, 10)]))
    return batch


@pytest.fixture(params=["file", "in-memory"])
def walk_store(request, tmp_path: Path):
    store = EmbeddedStore(tmp_path / "graph.sqlite" if request.param == "file" else None)
    store.upsert(random_batch(3))
    yield store
    store.close()


def walked_views(store) -> GraphViews:
    views = GraphViews(store)
    views.walk_min_relations = 0  # walk this small graph too
    return views


def answer(found) -> tuple:
    return sorted(tuple([hops[0].source] + [h.target for h in hops]) for hops in found.paths), \
        sorted(r.key for hops in found.paths for h in hops for r in h.relations)


FILTERS = [{}, {"types": [RelType.MET, RelType.MEMBER_OF]}, {"since": "2026-03-01", "until": "2026-07-31"}]


@pytest.mark.parametrize("flt", FILTERS, ids=["plain", "types", "dates"])
def test_walked_paths_are_the_projections_paths(walk_store, flt) -> None:
    rng = random.Random(11)
    ids = sorted(a.id for a in walk_store.actors())
    walked, built = walked_views(walk_store), GraphViews(walk_store)
    built.walk_min_relations = None
    compared = 0
    for _ in range(40):
        s, t = rng.sample(ids, 2)
        a = find_cited_paths(walk_store, s, t, all_paths=True, limit=1000, views=walked, **flt)
        b = find_cited_paths(walk_store, s, t, all_paths=True, limit=1000, views=built, **flt)
        assert isinstance(a.view, WalkedView) and type(b.view) is View
        assert answer(a) == answer(b)
        one = find_cited_paths(walk_store, s, t, views=walked, **flt)
        assert [len(p) for p in one.paths] == [len(p) for p in b.paths][:1]
        compared += bool(b.paths)
        # the citations are the stored relations, provenance and all
        for hops in a.paths:
            for hop in hops:
                assert all(r.provenance for r in hop.relations)
    assert compared >= 20  # most pairs are connected: the comparison is not vacuous
    assert walked.rebuilds == 0  # no projection was built for the walked answers


def test_walked_projection_and_reads_match_the_store(walk_store) -> None:
    G = walk_store.projection()
    some = sorted(G)[::3]
    sub = walk_store.projection_among(some + ["person:nobody"])
    ref = G.subgraph(some)
    assert dict(sub.nodes(data=True)) == dict(ref.nodes(data=True))
    assert sorted(sub.edges(keys=True, data=True)) == sorted(ref.edges(keys=True, data=True))
    keys = [k for *_, k in islice(G.edges(keys=True), 0, None, 4)]
    by_key = {r.key: r for r in walk_store.relations_by_key(keys + ["no-such-key"])}
    assert by_key == {r.key: r for r in walk_store.relations() if r.key in set(keys)}
    flt = RelationFilter(types=frozenset({RelType.MET}))
    H = nx.Graph(walk_store.projection(flt).to_undirected())
    near = walk_store.neighbours(sorted(H), flt)
    assert {u: sorted(v) for u, v in near.items()} == {u: sorted(H[u]) for u in H if len(H[u])}


def test_what_the_walk_cannot_judge_waits_for_the_projection(walk_store) -> None:
    s, t = "person:p1", "person:p2"
    views = walked_views(walk_store)
    # min_sources counts outlets over the articles: not judged per row
    assert type(find_cited_paths(walk_store, s, t, min_sources=1, views=views).view) is View
    # once a view of the filter is built, it (patched on writes) answers
    views.get()
    assert type(find_cited_paths(walk_store, s, t, views=views).view) is View
    # a small graph (the default threshold) builds its projection
    assert type(find_cited_paths(walk_store, s, t, views=GraphViews(walk_store)).view) is View
    # a walk over its budget gives up
    tight = walked_views(walk_store)
    tight.walk_budget = 1
    assert type(find_cited_paths(walk_store, s, t, views=tight).view) is View


def test_an_unknown_end_is_refused_on_a_walk(walk_store) -> None:
    from graph.queries.subgraphs import UnknownActor
    with pytest.raises(UnknownActor):
        find_cited_paths(walk_store, "person:p1", "person:nobody", views=walked_views(walk_store))


def test_the_projection_stays_in_key_order_whatever_the_write_order(tmp_path: Path) -> None:
    # Loaded in key order, the relations are not sorted again (seconds at a million); a write
    # appending a key before the last one must still give the projection in key order.
    from graph.analytics.projection import edge_attrs, multidigraph, node_attrs
    store = EmbeddedStore(tmp_path / "graph.sqlite")
    store.upsert(random_batch(5, relations=30))
    store.close()
    store = EmbeddedStore(tmp_path / "graph.sqlite")  # a fresh load: in key order from SQLite
    try:
        for seed in (6, 7):
            store.upsert(random_batch(seed, relations=30))  # keys before and after the last one
            expected = multidigraph(((a.id, node_attrs(a)) for a in store.actors()),
                                    ((r.source, r.target, r.key, edge_attrs(r)) for r in store.relations()))
            G = store.projection()
            assert list(G) == list(expected)
            assert list(G.edges(keys=True)) == list(expected.edges(keys=True))
    finally:
        store.close()


def test_a_walked_answer_labels_its_citations_without_reading_every_article(walk_store) -> None:
    from graph.queries.views import ArticleLookup
    views = walked_views(walk_store)
    found = find_cited_paths(walk_store, "person:p1", "person:p2", views=views)
    labels = found.view.articles(walk_store)
    assert isinstance(labels, ArticleLookup)  # nothing read at this version yet: looked up by id
    assert labels.get("walk.txt") == walk_store.articles_by_id(["walk.txt"])["walk.txt"]
    assert labels.get("no-such-article") is None
    views.articles()
    assert find_cited_paths(walk_store, "person:p1", "person:p2", views=views).view.articles(walk_store) == \
        {a.id: a for a in walk_store.articles()}  # once read, the labels of the version serve


def test_a_question_weighted_by_relation_type_is_answered_from_the_whole_view(walk_store) -> None:
    views = walked_views(walk_store)
    weighted = cited_paths_by_cost(walk_store, "person:p1", "person:p2", views=views)  # the default costs
    assert type(weighted.view) is View
    assert isinstance(find_cited_paths(walk_store, "person:p1", "person:p2", views=walked_views(walk_store)).view,
                      WalkedView)
