"""service.response_cache on both stores: a repeated read is answered from what was kept, a write
moves the version on so no stale answer is given, an answer is kept only for the same key, errors
and unlisted routes are never kept, and the kept bodies stay within their bound."""
from __future__ import annotations

from fastapi.testclient import TestClient

from graph.model import Actor, GraphBatch, NodeType, actor_id
from graph.stores.interface import GraphStore
from service.app import create_app
from service.response_cache import _Entries, cacheable
from tests.api_support import API_KEY, settings
from tests.factories import ids


def test_a_repeated_read_is_answered_from_the_cache_with_the_same_body(client):
    for path, params in [("/centrality", {"metric": "degree"}), (f"/actors/{ids.anwar}/meetings", {}),
                         ("/paths/shortest", {"source": ids.anwar, "target": ids.bangladesh})]:
        first, second = client.get(path, params=params), client.get(path, params=params)
        assert first.status_code == second.status_code == 200, first.text
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert second.content == first.content
        assert second.headers["content-type"] == first.headers["content-type"]
        assert second.headers["x-content-type-options"] == "nosniff"  # the outer middleware still runs


def test_a_write_moves_the_version_on_and_the_next_answer_is_new(seeded: GraphStore, client):
    before = client.get("/actors", params={"q": "Zorvan"})
    assert before.headers["x-cache"] == "miss" and before.json()["items"] == []
    assert client.get("/actors", params={"q": "Zorvan"}).headers["x-cache"] == "hit"
    added = Actor(id=actor_id(NodeType.PERSON, "Zorvan Pell"), type=NodeType.PERSON, name="Zorvan Pell")
    seeded.upsert(GraphBatch(actors={added.id: added}))
    after = client.get("/actors", params={"q": "Zorvan"})
    assert after.headers["x-cache"] == "miss"
    assert [h["id"] for h in after.json()["items"]] == [added.id]


def test_an_answer_is_kept_for_the_same_key_only(seeded: GraphStore):
    with TestClient(create_app(seeded, settings=settings())) as c:
        keyed = c.get("/centrality", headers={"X-API-Key": API_KEY})
        assert keyed.headers["x-cache"] == "miss"
        assert c.get("/centrality").headers["x-cache"] == "miss"  # not the key holder's answer
        assert c.get("/centrality", headers={"X-API-Key": API_KEY}).headers["x-cache"] == "hit"


def test_errors_and_unlisted_routes_are_never_kept(client):
    for _ in range(2):
        missing = client.get("/actors/person:nobody-at-all")
        assert missing.status_code == 404 and missing.headers["x-cache"] == "miss"
        assert "x-cache" not in client.get("/health").headers
    assert not cacheable("/centrality/trend") and not cacheable("/judgements") and cacheable("/events/e1")


def test_cache_off_when_given_no_room(seeded: GraphStore):
    with TestClient(create_app(seeded, settings=settings(response_cache_mb=0))) as c:
        assert "x-cache" not in c.get("/centrality").headers and "x-cache" not in c.get("/centrality").headers


def test_kept_bodies_stay_within_their_bound_dropping_the_least_recently_used():
    entries = _Entries(max_bytes=1000)
    for i in range(10):
        entries.put(("v", i), (200, [], b"x" * 300))
        assert entries.size <= 1000
    assert len(entries) == 3 and entries.get(("v", 0)) is None
    assert entries.get(("v", 7)) is not None  # now the most recent: 8 goes first
    entries.put(("v", 10), (200, [], b"x" * 300))
    assert entries.get(("v", 8)) is None and entries.get(("v", 7)) is not None
