"""Paths between people rank meetings before a shared state, and read each hop in its true
direction; once per store (embedded, then the real Neo4j).

The graph (fictional): Vera Ostrova visited Marenzia and Ivo Lanner is a member of it;
Ostrova met Pell, Pell met Drago, Drago met Lanner.
The fewest hops go through the state (2); the chain of meetings is 3 hops, cheaper by default.
"""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph.analytics.path_costs import DEFAULT_COSTS, parse_costs
from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType, actor_id
from service.app import create_app
from tests.api_support import settings

ART = "harbour-talks.txt"
OSTROVA, PELL, DRAGO, LANNER = (actor_id(NodeType.PERSON, n) for n in ("Vera Ostrova", "Anton Pell", "Mika Drago",
                                                                       "Ivo Lanner"))
MARENZIA = actor_id(NodeType.STATE, "Marenzia")


def _cite(sentence: str) -> list[Provenance]:
    return [Provenance(article=ART, sentence=sentence, start=0, end=len(sentence), confidence=0.9)]


def hub_graph() -> GraphBatch:
    b = GraphBatch()
    b.add_article(Article(id=ART, title="Harbour talks", published="2026-05-02", source="Example Wire"))
    for name, id_ in (("Vera Ostrova", OSTROVA), ("Anton Pell", PELL), ("Mika Drago", DRAGO), ("Ivo Lanner", LANNER)):
        b.add_actor(Actor(id=id_, type=NodeType.PERSON, name=name))
    b.add_actor(Actor(id=MARENZIA, type=NodeType.STATE, name="Marenzia"))
    for rel in (
        Relation(OSTROVA, MARENZIA, RelType.VISITED, date="2026-05-01", provenance=_cite("Ostrova visited Marenzia.")),
        Relation(LANNER, MARENZIA, RelType.MEMBER_OF, provenance=_cite("Lanner of Marenzia.")),
        Relation(OSTROVA, PELL, RelType.MET, date="2026-04-01", provenance=_cite("Ostrova met Pell.")),
        Relation(PELL, DRAGO, RelType.MET, date="2026-04-02", provenance=_cite("Pell met Drago.")),
        Relation(DRAGO, LANNER, RelType.MET, date="2026-04-03", provenance=_cite("Drago met Lanner.")),
    ):
        b.add_relation(rel)
    return b


@pytest.fixture
def client(store):
    store.upsert(hub_graph())
    with TestClient(create_app(store, settings=settings())) as c:
        yield c


def ids(path: dict) -> list[str]:
    return [a["id"] for a in path["actors"]]


def test_meetings_come_before_a_shared_state(client):
    body = client.get("/paths/shortest", params={"source": OSTROVA, "target": LANNER}).json()
    assert [ids(p) for p in body["paths"]] == [[OSTROVA, PELL, DRAGO, LANNER]]
    assert body["paths"][0]["cost"] == 3 * DEFAULT_COSTS["MET"] and body["paths"][0]["length"] == 3


def test_fewest_hops_and_overridden_costs_go_through_the_state(client):
    params = {"source": OSTROVA, "target": LANNER}
    for weights in ("hops", "MET:10"):
        body = client.get("/paths/shortest", params={**params, "weights": weights}).json()
        assert [ids(p) for p in body["paths"]] == [[OSTROVA, MARENZIA, LANNER]], weights
    # The cheapest path is too long: the cheapest within max_hops instead.
    body = client.get("/paths/shortest", params={**params, "max_hops": 2}).json()
    assert [ids(p) for p in body["paths"]] == [[OSTROVA, MARENZIA, LANNER]]
    assert body["paths"][0]["cost"] == DEFAULT_COSTS["VISITED"] + DEFAULT_COSTS["MEMBER_OF"]


def test_each_hop_reads_in_its_true_direction(client):
    body = client.get("/paths/shortest", params={"source": OSTROVA, "target": LANNER, "weights": "hops"}).json()
    hops = body["paths"][0]["hops"]
    # The second hop runs Marenzia -> Lanner along the path; the membership reads Lanner -> Marenzia.
    assert (hops[1]["source"]["id"], hops[1]["target"]["id"]) == (MARENZIA, LANNER)
    assert hops[1]["statements"] == ["Ivo Lanner MEMBER_OF Marenzia"]
    assert hops[0]["statements"] == ["Vera Ostrova VISITED Marenzia"]
    back = client.get("/paths/shortest", params={"source": LANNER, "target": OSTROVA, "weights": "hops"}).json()
    assert back["paths"][0]["hops"][0]["statements"] == ["Ivo Lanner MEMBER_OF Marenzia"]


@pytest.mark.parametrize("weights", ["MET", "MET:0", "MET:-1", "MET:x", "FRIEND:1", "MET:inf"])
def test_bad_weights_are_a_422_naming_the_parameter(client, weights):
    r = client.get("/paths/shortest", params={"source": OSTROVA, "target": LANNER, "weights": weights})
    assert r.status_code == 422 and "weights" in r.text, r.text


def test_parse_costs_overrides_the_defaults_only_where_asked():
    costs = parse_costs("member_of:7, visited:1.5")
    assert costs == {**DEFAULT_COSTS, "MEMBER_OF": 7, "VISITED": 1.5}
    assert set(parse_costs("hops").values()) == {1}
