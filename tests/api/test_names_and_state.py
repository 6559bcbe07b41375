"""Names are taken wherever ids are (as the CLI takes them), and ``state=`` narrows /centrality,
/events and /actors/{id}/meetings to the actors affiliated with a state; on both stores."""
from __future__ import annotations

from fastapi.testclient import TestClient

from graph.model import Actor, GraphBatch, NodeType, actor_id
from graph.model.events import events_from_relations
from service.app import create_app
from tests.api_support import settings
from tests.factories import both_reports, ids


def test_paths_take_names_for_ids(client: TestClient):
    r = client.get("/paths/shortest", params={"source": "Tariq Hameed Qureshi", "target": "Selim Reza"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["source"]["id"], body["target"]["id"], body["found"]) == (ids.tariq, ids.selim, True)


def test_other_routes_take_names_too(client: TestClient):
    assert client.get("/actors/Selim Reza").json()["id"] == ids.selim
    met = client.get("/actors/Selim Reza/meetings").json()["items"]
    assert {m["counterpart"]["id"] for m in met} == {ids.tariq}
    assert client.get("/subgraph", params={"center": "Pakistan Army"}).json()["nodes"]
    assert client.get("/meetings", params={"a": "Pakistan", "b": "Bangladesh"}).json()["total"] >= 1
    assert {e["id"] for e in client.get("/events", params={"actor": "Selim Reza"}).json()["items"]} == \
        {e["id"] for e in client.get("/events", params={"actor": ids.selim}).json()["items"]}


def test_a_name_matching_nothing_is_a_404_naming_the_parameter(client: TestClient):
    assert client.get("/paths/shortest", params={"source": "Selim Rezza", "target": ids.tariq}).json()["source"]["id"] \
        == ids.selim  # a small misspelling is forgiven, as in search
    r = client.get("/paths/shortest", params={"source": "Zorbak Quillon", "target": ids.tariq})
    assert r.status_code == 404 and r.json()["parameter"] == "source"


def test_an_ambiguous_name_is_a_404_listing_the_candidates(seeded):
    more = GraphBatch()
    for name in ("Nadia Kessel", "Omar Kessel"):
        more.add_actor(Actor(id=actor_id(NodeType.PERSON, name), type=NodeType.PERSON, name=name))
    seeded.upsert(more)
    with TestClient(create_app(seeded, settings=settings())) as c:
        r = c.get("/paths/shortest", params={"source": "Kessel", "target": ids.tariq})
    assert r.status_code == 404
    assert "could be any of" in r.json()["detail"]
    assert {actor_id(NodeType.PERSON, "Nadia Kessel"), actor_id(NodeType.PERSON, "Omar Kessel")} <= \
        {s["id"] for s in r.json()["suggestions"]}


def test_centrality_by_state_ranks_only_its_people_and_forces(client: TestClient):
    everyone = {i["actor"]["id"] for i in client.get("/centrality", params={"limit": 100}).json()["items"]}
    pakistani = {i["actor"]["id"] for i in client.get("/centrality", params={"state": "Pakistan", "limit": 100}).json()["items"]}
    assert pakistani == {ids.tariq, ids.pak_army} and pakistani < everyone
    by_id = client.get("/centrality", params={"state": ids.bangladesh, "type": "Person"}).json()["items"]
    assert {i["actor"]["id"] for i in by_id} == {ids.anwar, ids.selim}


def test_events_and_meetings_by_state(store):
    batch = both_reports()
    for ev in events_from_relations(batch.relations.values()):
        batch.add_event(ev)
    store.upsert(batch)
    with TestClient(create_app(store, settings=settings())) as client:
        _events_and_meetings_by_state(client)


def _events_and_meetings_by_state(client: TestClient):
    every = client.get("/events").json()["items"]
    pak = client.get("/events", params={"state": "Pakistan"}).json()["items"]
    assert pak and len(pak) < len(every)
    assert all({ids.tariq, ids.pak_army, ids.pakistan} & {p["actor"]["id"] for p in e["participants"]} for e in pak)
    assert not any({p["actor"]["id"] for p in e["participants"]} <= {ids.selim, ids.anwar, ids.bd_afd} for e in pak)
    with_bd = client.get(f"/actors/{ids.tariq}/meetings", params={"state": "Bangladesh"}).json()["items"]
    assert {m["counterpart"]["id"] for m in with_bd} == {ids.anwar, ids.selim}
    assert client.get(f"/actors/{ids.tariq}/meetings", params={"state": "Pakistan"}).json()["total"] == 0
    assert client.get("/centrality", params={"state": "Nowhere Land"}).status_code == 404
