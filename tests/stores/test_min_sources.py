"""Corroboration of relations and the ``min_sources=`` filter, on both stores (embedded, then Neo4j).

The graph (fictional): Gen Tomas Reyvik and Adm Ilse Brandt signed an accord on 2026-03-09, told by
two outlets (Veloria Daily, Ostrland Post: articles a1 and a2); Reyvik met Mira Tovar on 2026-03-12
(a1 alone); Brandt met Tovar on 2026-03-13, told twice by one outlet (a1, a3 both Veloria Daily);
Reyvik is a member of the Velorian Army (a1). So only the signing has two sources, and
``min_sources=2`` leaves one relation: Reyvik - Brandt.
"""
from __future__ import annotations

from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.model import Actor, Article, GraphBatch, NodeType, Relation, RelType, actor_id
from graph.queries.subgraphs import find_paths, select_subgraph
from graph.stores.interface import GraphStore, RelationFilter
from service.app import create_app
from tests.api_support import settings
from tests.factories import cite

REYVIK = actor_id(NodeType.PERSON, "Tomas Reyvik")
BRANDT = actor_id(NodeType.PERSON, "Ilse Brandt")
TOVAR = actor_id(NodeType.PERSON, "Mira Tovar")
ARMY = actor_id(NodeType.ARMED_FORCE, "Velorian Army")
SIGNED = f"SIGNED|{BRANDT}|{REYVIK}|2026-03-09"


def corroboration_batch() -> GraphBatch:
    b = GraphBatch()
    b.add_article(Article(id="a1.txt", source="Veloria Daily", published="2026-03-10"))
    b.add_article(Article(id="a2.txt", source="Ostrland Post", published="2026-03-11"))
    b.add_article(Article(id="a3.txt", source="veloria  daily", published="2026-03-14"))
    for name, type_ in (("Tomas Reyvik", NodeType.PERSON), ("Ilse Brandt", NodeType.PERSON),
                        ("Mira Tovar", NodeType.PERSON), ("Velorian Army", NodeType.ARMED_FORCE)):
        b.add_actor(Actor(id=actor_id(type_, name), type=type_, name=name))
    b.add_relation(Relation(REYVIK, BRANDT, RelType.SIGNED, date="2026-03-09", provenance=[
        cite("a1.txt", "Gen Reyvik and Adm Brandt signed the accord.", 10),
        cite("a2.txt", "The accord was signed by Reyvik and Brandt.", 40)]))
    b.add_relation(Relation(REYVIK, TOVAR, RelType.MET, date="2026-03-12", provenance=[
        cite("a1.txt", "Reyvik later met Mira Tovar.", 90)]))
    b.add_relation(Relation(BRANDT, TOVAR, RelType.MET, date="2026-03-13", provenance=[
        cite("a1.txt", "Brandt met Tovar the next day.", 130), cite("a3.txt", "Brandt met Tovar.", 5)]))
    b.add_relation(Relation(REYVIK, ARMY, RelType.MEMBER_OF, provenance=[
        cite("a1.txt", "Gen Reyvik of the Velorian Army.", 10)]))
    return b


@pytest.fixture
def sourced(store: GraphStore) -> GraphStore:
    store.upsert(corroboration_batch())
    return store


@pytest.fixture
def api(sourced: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(sourced, settings=settings())) as c:
        yield c


def test_the_graph_json_carries_each_edges_corroboration():
    edges = {(e["source"], e["target"]): e for e in corroboration_batch().to_dict()["edges"]}
    assert edges[BRANDT, REYVIK]["corroboration"] == {"articles": 2, "sources": 2, "first_reported": "2026-03-10",
                                                      "last_reported": "2026-03-11"}
    assert edges[TOVAR, REYVIK]["corroboration"] == {"articles": 1, "sources": 1, "first_reported": "2026-03-10",
                                                     "last_reported": "2026-03-10"}
    assert (edges[BRANDT, TOVAR]["corroboration"]["articles"], edges[BRANDT, TOVAR]["corroboration"]["sources"]) \
        == (2, 1)  # one outlet twice
    assert len(edges[BRANDT, REYVIK]["provenance"]) == 2  # what the scorer reads is unchanged


def test_stores_keep_only_well_sourced_relations(sourced):
    assert [r.key for r in sourced.relations(RelationFilter(min_sources=2))] == [SIGNED]
    assert len(sourced.relations(RelationFilter(min_sources=1))) == 4
    assert [r.key for r in sourced.relations(RelationFilter(min_sources=2), actor_id=TOVAR)] == []
    assert [r.key for r in sourced.relations(RelationFilter(types=frozenset({RelType.SIGNED}), min_sources=2),
                                             actor_id=REYVIK)] == [SIGNED]
    G = sourced.projection(RelationFilter(min_sources=2))
    assert [k for _, _, k in G.edges(keys=True)] == [SIGNED]
    assert set(G.nodes) == {REYVIK, BRANDT, TOVAR, ARMY}  # actors stay; their weak ties go
    assert sourced.projection(RelationFilter(min_sources=3)).number_of_edges() == 0


def test_paths_and_subgraphs_drop_single_source_edges(sourced):
    assert len(find_paths(sourced, TOVAR, REYVIK)[0]) == 1
    assert find_paths(sourced, TOVAR, REYVIK, min_sources=2) == []
    hops = find_paths(sourced, BRANDT, REYVIK, min_sources=2)[0]
    assert [r.key for r in hops[0].relations] == [SIGNED]
    assert len(select_subgraph(sourced, REYVIK).relations) == 4
    ego = select_subgraph(sourced, REYVIK, min_sources=2)
    assert list(ego.relations) == [SIGNED] and set(ego.actors) == {REYVIK, BRANDT}
    assert set(ego.articles) == {"a1.txt", "a2.txt"}


def test_api_answers_say_how_many_sources(api):
    hop = api.get("/paths/shortest", params={"source": BRANDT, "target": REYVIK}).json()["paths"][0]["hops"][0]
    assert hop["relations"][0]["corroboration"] == {"articles": 2, "sources": 2, "first_reported": "2026-03-10",
                                                    "last_reported": "2026-03-11", "unknown_outlet": 0,
                                                    "summary": "2 independent sources (2 articles)"}
    met = api.get(f"/actors/{TOVAR}/meetings").json()["items"]
    assert {m["counterpart"]["id"]: (m["corroboration"]["articles"], m["corroboration"]["sources"])
            for m in met} == {REYVIK: (1, 1), BRANDT: (2, 1)}
    between = api.get("/meetings", params={"a": BRANDT, "b": TOVAR}).json()["items"]
    assert between[0]["corroboration"]["last_reported"] == "2026-03-14"
    edges = api.get("/subgraph", params={"center": REYVIK}).json()["edges"]
    assert {e["type"]: e["corroboration"]["sources"] for e in edges} == {"SIGNED": 1 + 1, "MET": 1, "MEMBER_OF": 1}


def test_api_min_sources_filters_paths_centrality_subgraphs_and_meetings(api):
    assert api.get("/paths/shortest", params={"source": TOVAR, "target": REYVIK}).json()["found"] is True
    assert api.get("/paths/shortest", params={"source": TOVAR, "target": REYVIK,
                                              "min_sources": 2}).json()["found"] is False
    central = api.get("/centrality", params={"min_sources": 2}).json()
    assert central["graph"] == {"nodes": 4, "edges": 1}
    scores = {i["actor"]["id"]: i["score"] for i in central["items"]}
    assert scores[REYVIK] == scores[BRANDT] == pytest.approx(1 / 3) and scores[TOVAR] == 0
    everyone = {i["actor"]["id"]: i["score"] for i in api.get("/centrality").json()["items"]}
    assert everyone[TOVAR] == pytest.approx(2 / 3)
    edges = api.get("/subgraph", params={"center": REYVIK, "min_sources": 2}).json()["edges"]
    assert [e["type"] for e in edges] == ["SIGNED"]
    assert api.get(f"/actors/{TOVAR}/meetings", params={"min_sources": 2}).json()["total"] == 0
    assert api.get("/meetings", params={"a": BRANDT, "b": TOVAR, "min_sources": 2}).json()["total"] == 0
    graphml = api.get("/subgraph", params={"center": REYVIK, "min_sources": 2, "format": "graphml"})
    assert graphml.status_code == 200 and TOVAR not in graphml.text


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_a_bad_min_sources_is_a_422_naming_it(api, value):
    r = api.get("/centrality", params={"min_sources": value})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "min_sources"]


def test_a_new_outlet_lifts_a_cached_relation_over_the_bar(sourced):
    """Cached views follow writes (patched in place where they can); a min_sources view must also
    see an OLD relation pass once a second outlet reports it, which no changed row says."""
    from graph.queries.views import GraphViews
    views = GraphViews(sourced)
    flt = RelationFilter(min_sources=2)
    assert {k for _, _, k in views.get(flt).graph.edges(keys=True)} == {SIGNED}
    more = GraphBatch()
    more.add_article(Article(id="a4.txt", source="Marenzia Herald", published="2026-03-15"))
    for a in corroboration_batch().actors.values():
        more.add_actor(a)
    more.add_relation(Relation(REYVIK, TOVAR, RelType.MET, date="2026-03-12", provenance=[
        cite("a4.txt", "Reyvik had met Tovar on Thursday.", 60)]))
    sourced.upsert(more)
    met = f"MET|{REYVIK}|{TOVAR}|2026-03-12" if REYVIK < TOVAR else f"MET|{TOVAR}|{REYVIK}|2026-03-12"
    assert {k for _, _, k in views.get(flt).graph.edges(keys=True)} == {SIGNED, met}


def test_a_wire_story_on_three_sites_is_one_source_in_the_store(store: GraphStore):
    """The near-duplicate cluster set at ingest is stored with each article and read back, and
    counts the three sites carrying one wire story as one independent source."""
    b = corroboration_batch()
    for n, site in enumerate(["Halvik Herald", "Marenzia Herald", "Ostrland Times"]):
        b.add_article(Article(id=f"w{n}.txt", source=site, published="2026-03-12", cluster="w0.txt"))
        b.add_relation(Relation(REYVIK, TOVAR, RelType.MET, date="2026-03-12", provenance=[
            cite(f"w{n}.txt", "Reyvik met Tovar, the agency reported.", 10)]))
    store.upsert(b)
    assert {a.id: a.cluster for a in store.articles() if a.id.startswith("w")} == \
        {"w0.txt": "w0.txt", "w1.txt": "w0.txt", "w2.txt": "w0.txt"}
    assert store.articles_by_id(["w2.txt"])["w2.txt"].cluster == "w0.txt"
    # a1 and the wire story: two independent sources (four articles), not four
    assert sorted(r.key for r in store.relations(RelationFilter(min_sources=2))) == \
        sorted([SIGNED, f"MET|{REYVIK}|{TOVAR}|2026-03-12" if REYVIK < TOVAR else f"MET|{TOVAR}|{REYVIK}|2026-03-12"])
    assert store.relations(RelationFilter(min_sources=3), actor_id=TOVAR) == []
