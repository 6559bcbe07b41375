"""graph.analytics.algorithms and graph.analytics.search on small graphs with hand-checked answers."""
from __future__ import annotations

import networkx as nx
import pytest

from graph.analytics import algorithms
from graph.model import Actor, NodeType, RelType, relation_key
from graph.analytics.search import ActorIndex, fold, name_tokens


def projection(edges: list[tuple[str, str, str]], *, dates: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """A projection-shaped graph: nodes typed by their id's prefix, edges keyed like the stores'."""
    G = nx.MultiDiGraph()
    types = {"p": "Person", "f": "ArmedForce", "s": "State", "x": "Facility"}
    for u, v, t in edges:
        for n in (u, v):
            G.add_node(n, type=types[n[0]], name=n.upper(), aliases=[], rank=None, title=None)
        date = (dates or {}).get(f"{u}-{v}")
        G.add_edge(u, v, key=relation_key(t, u, v, date), type=t, date=date, place=None, what=None)
    return G


# p1 - p2 - p3 - p4 in a line of meetings, p1 and p4 both members of f1, which is part of s1.
LINE = [("p1", "p2", "MET"), ("p2", "p3", "MET"), ("p3", "p4", "MET")]
STRUCTURE = [("p1", "f1", "MEMBER_OF"), ("p4", "f1", "MEMBER_OF"), ("f1", "s1", "PART_OF"), ("p9", "s1", "MEMBER_OF")]


def test_undirected_collapses_parallel_relations_into_one_tie_with_their_keys():
    G = projection([("p1", "p2", "MET"), ("p2", "p1", "VISITED")], dates={"p1-p2": "2025-01-01"})
    H = algorithms.undirected(G)
    assert H.number_of_edges() == 1
    assert sorted(H["p1"]["p2"]["keys"]) == sorted(k for _, _, k in G.edges(keys=True))


def test_shortest_path_follows_ties_either_way_and_respects_max_hops():
    H = algorithms.undirected(projection(LINE))
    assert algorithms.shortest_paths(H, "p4", "p1") == [["p4", "p3", "p2", "p1"]]
    assert algorithms.shortest_paths(H, "p1", "p4", max_hops=2) == []
    assert algorithms.shortest_paths(H, "p1", "p1") == [["p1"]]


def test_all_shortest_paths_lists_every_tie_and_obeys_the_limit():
    # A square: two paths of two hops from p1 to p3.
    H = algorithms.undirected(projection([("p1", "p2", "MET"), ("p2", "p3", "MET"), ("p1", "p4", "MET"),
                                          ("p4", "p3", "MET")]))
    assert sorted(algorithms.shortest_paths(H, "p1", "p3", all_paths=True)) == [["p1", "p2", "p3"], ["p1", "p4", "p3"]]
    assert len(algorithms.shortest_paths(H, "p1", "p3", all_paths=True, limit=1)) == 1
    assert len(algorithms.shortest_paths(H, "p1", "p3")) == 1


def test_no_path_between_components_and_unknown_node_raises():
    H = algorithms.undirected(projection([("p1", "p2", "MET"), ("p3", "p4", "MET")]))
    assert algorithms.shortest_paths(H, "p1", "p4") == []
    with pytest.raises(nx.NodeNotFound):
        algorithms.shortest_paths(H, "p1", "p0")


def test_centrality_on_a_star_matches_hand_computed_values():
    # Star: the hub p0 ties to p1..p4. Degree: hub 4/4 = 1, leaves 1/4. Betweenness: hub carries
    # all 6 leaf pairs, normalised by (n-1)(n-2)/2 = 6 -> 1.0. Closeness: hub 1, leaves 4/7.
    H = algorithms.undirected(projection([("p0", f"p{i}", "MET") for i in range(1, 5)]))
    degree = algorithms.centrality(H, "degree")
    assert degree["p0"] == 1.0 and degree["p1"] == 0.25
    betweenness = algorithms.centrality(H, "betweenness")
    assert betweenness["p0"] == pytest.approx(1.0) and betweenness["p1"] == 0.0 and not betweenness.approximate
    closeness = algorithms.centrality(H, "closeness")
    assert closeness["p0"] == 1.0 and closeness["p2"] == pytest.approx(4 / 7)
    pagerank = algorithms.centrality(H, "pagerank")
    assert sum(pagerank.values()) == pytest.approx(1.0) and max(pagerank, key=pagerank.get) == "p0"
    eigen = algorithms.centrality(H, "eigenvector")
    assert max(eigen, key=eigen.get) == "p0" and eigen["p1"] == pytest.approx(eigen["p4"])


def test_centrality_samples_betweenness_on_large_graphs_and_flags_it(monkeypatch):
    monkeypatch.setattr(algorithms, "BETWEENNESS_EXACT_MAX_NODES", 100)
    monkeypatch.setattr(algorithms, "BETWEENNESS_EDGE_BUDGET", 20_000)
    H = nx.gnm_random_graph(300, 1000, seed=3)
    k = algorithms.betweenness_samples(H)
    assert k == 20
    result = algorithms.centrality(H, "betweenness")
    assert result.approximate and result.k == k
    assert result == algorithms.centrality(H, "betweenness")  # seeded: the same on every call


def test_centrality_of_an_empty_graph_and_an_unknown_metric():
    assert algorithms.centrality(nx.Graph(), "pagerank") == {}
    with pytest.raises(ValueError, match="unknown centrality metric"):
        algorithms.centrality(nx.Graph(), "fame")


def test_ego_network_is_a_batch_of_the_actors_within_radius_and_the_relations_among_them():
    G = projection(LINE + STRUCTURE)
    batch = algorithms.ego_network(G, "p2", radius=1)
    assert set(batch.actors) == {"p1", "p2", "p3"}
    assert {(r.source, r.target) for r in batch.relations.values()} == {("p1", "p2"), ("p2", "p3")}
    assert batch.actors["p1"].type is NodeType.PERSON
    assert set(algorithms.ego_network(G, "p2", radius=2).actors) == {"p1", "p2", "p3", "p4", "f1"}


def test_group_members_follows_member_of_and_part_of_transitively():
    M = algorithms.membership(projection(LINE + STRUCTURE))
    assert sorted(M.edges) == sorted((u, v) for u, v, _ in STRUCTURE)  # the meetings left out
    assert algorithms.group_members(M, "s1") == {"s1", "f1", "p1", "p4", "p9"}
    assert algorithms.group_members(M, "f1") == {"f1", "p1", "p4"}
    assert algorithms.group_members(M, "p2") == {"p2"}  # a person is a side of one


def test_edges_between_two_sides_orients_each_relation_from_side_a():
    G = projection(LINE + STRUCTURE)
    found = algorithms.edges_between(G, {"p3", "p4"}, {"p1", "p2"}, types=[RelType.MET])
    assert [(a, b) for a, b, _ in found] == [("p3", "p2")]
    # Walking the smaller side first must not change the orientation.
    found = algorithms.edges_between(G, {"p3", "p4", "f1"}, {"p2"}, types=[RelType.MET])
    assert [(a, b) for a, b, _ in found] == [("p3", "p2")]


# -- search -----------------------------------------------------------------------------------

def _people() -> ActorIndex:
    return ActorIndex([
        Actor("person:sm-karim-haque", NodeType.PERSON, "S.M. Karim-ul-Haque", ["Lt Gen S.M. Karim-ul-Haque"],
              rank="Lieutenant General"),
        Actor("person:omar-zaidi", NodeType.PERSON, "Omar Farooq Zaidi", ["General Zaidi", "Gen Omar Zaidi"],
              rank="General", title="Chief of Naval Staff"),
        Actor("person:zaidi-khan", NodeType.PERSON, "Zaidi Khan", [], rank="Major"),
        Actor("person:jose-nunez", NodeType.PERSON, "José Núñez"),
        Actor("state:freedonia", NodeType.STATE, "Freedonia"),
    ])


def test_fold_and_tokens_drop_ranks_dots_accents():
    assert fold("Lt. Gen. José Núñez-Ruiz") == "lt gen jose nunez ruiz"
    assert name_tokens("Lt Gen S.M. Karim") == (["sm", "karim"], {"lieutenant", "general"})


@pytest.mark.parametrize("query, expected", [
    ("karim", "person:sm-karim-haque"),          # one word of the name
    ("KARIM UL HAQUE", "person:sm-karim-haque"),  # case and hyphens
    ("Gen Zaidi", "person:omar-zaidi"),           # rank set aside, then preferred over Major Zaidi Khan
    ("zaydi", "person:omar-zaidi"),               # misspelt
    ("jose nunez", "person:jose-nunez"),          # accents folded
    ("chief of naval staff", "person:omar-zaidi"),  # by title
    ("person:zaidi-khan", "person:zaidi-khan"),   # an id
])
def test_search_finds_the_actor_an_analyst_means(query, expected):
    hits = _people().search(query)
    assert hits and hits[0].actor.id == expected, [(h.actor.id, h.score) for h in hits]


def test_search_filters_by_type_and_lists_all_on_an_empty_query():
    index = _people()
    assert [h.actor.id for h in index.search("freedonia", types=[NodeType.PERSON])] == []
    assert [h.actor.name for h in index.search("", types=[NodeType.STATE])] == ["Freedonia"]
    assert index.search("completely unrelated words") == []
