"""What the API answers when a request or the store is wrong: 404 with suggestions, 422 naming the
parameter, 401/403 with nothing written, 503 while the store is down and recovery after."""
from __future__ import annotations

import socket

import pytest
from fastapi.testclient import TestClient

from graph.stores.embedded.store import EmbeddedStore
from graph.model import Article
from graph.stores.interface import GraphStore, StoreUnavailable
from service.app import create_app
from tests.api_support import API_KEY, settings
from tests.factories import both_reports, ids
from tests.fake_extractor import ExtractsWhenResolving

# -- 404 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, params, parameter", [
    ("/actors/person:tariq-qureshi", {}, "actor_id"),
    ("/actors/person:tariq-qureshi/meetings", {}, "actor_id"),
    ("/paths/shortest", {"source": "person:tariq-qureshi", "target": ids.anwar}, "source"),
    ("/subgraph", {"center": "person:tariq-qureshi"}, "center"),
    ("/meetings", {"a": ids.anwar, "b": "person:tariq-qureshi"}, "b"),
])
def test_unknown_actor_is_404_suggesting_close_names(client, path, params, parameter):
    r = client.get(path, params=params)
    assert r.status_code == 404
    body = r.json()
    assert body["parameter"] == parameter and "person:tariq-qureshi" in body["detail"]
    assert body["suggestions"][0]["id"] == ids.tariq


def test_misspelt_state_suggests_the_state(client):
    r = client.get("/meetings", params={"a": "state:pakistn", "b": ids.bangladesh})
    assert r.status_code == 404 and r.json()["suggestions"][0]["id"] == ids.pakistan


# -- 422 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path, params, parameter", [
    ("/subgraph", {"center": ids.anwar, "depth": 5}, "depth"),
    ("/actors", {"limit": 1001}, "limit"),
    ("/actors", {"offset": -1}, "offset"),
    ("/actors", {"type": "Spaceship"}, "type"),
    ("/paths/shortest", {"source": ids.anwar, "target": ids.tariq, "max_hops": 9}, "max_hops"),
    ("/paths/shortest", {"source": ids.anwar, "target": ids.tariq, "types": "MET,KISSED"}, "types"),
    ("/paths/shortest", {"target": ids.tariq}, "source"),
    ("/meetings", {"a": ids.anwar, "b": ids.tariq, "since": "2025-02-30"}, "since"),
    ("/meetings", {"a": ids.anwar, "b": ids.tariq, "since": "last tuesday"}, "since"),
    ("/meetings", {"a": ids.anwar, "b": ids.tariq, "since": "2025-03", "until": "2025-01"}, "until"),
    ("/centrality", {"metric": "fame"}, "metric"),
    ("/centrality", {"limit": 0}, "limit"),
    (f"/actors/{ids.tariq}/meetings", {"until": "2025-1-5"}, "until"),
])
def test_bad_parameter_is_422_naming_it(client, path, params, parameter):
    r = client.get(path, params=params)
    assert r.status_code == 422, r.text
    assert [e["loc"] for e in r.json()["detail"]] == [["query", parameter]]


def test_too_large_subgraph_is_422_on_depth(seeded):
    with TestClient(create_app(seeded, settings=settings(subgraph_max_nodes=3))) as c:
        r = c.get("/subgraph", params={"center": ids.anwar, "depth": 2})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "depth"]
        assert "lower depth" in r.json()["detail"][0]["msg"]


def test_subgraph_of_too_many_relations_is_422_naming_the_filters(seeded):
    with TestClient(create_app(seeded, settings=settings(subgraph_max_relations=2))) as c:
        whole = c.get("/subgraph", params={"center": ids.anwar, "depth": 1})
        assert whole.status_code == 422, whole.text
        detail = whole.json()["detail"][0]
        assert detail["loc"] == ["query", "since"] and "relations, over the 2 allowed" in detail["msg"]
    with TestClient(create_app(seeded, settings=settings(subgraph_max_relations=10_000))) as c:
        assert len(c.get("/subgraph", params={"center": ids.anwar, "depth": 1}).json()["edges"]) > 2


# -- keys ------------------------------------------------------------------------------------

ARTICLE = {"articles": [{"id": "fake-1.txt", "text": "A text the fake extractor reads.", "date": "2025-02-01"}]}


class FakeExtractor(ExtractsWhenResolving):
    """Returns the factory graph for any text; counts calls so a refused write can prove none ran."""

    calls = 0

    def extract(self, raws, existing=()):
        FakeExtractor.calls += 1
        batch = both_reports()
        for raw in raws:
            batch.add_article(Article(id=raw.id, published=raw.published, title=raw.title))
        return batch


def _app(store: GraphStore, **overrides) -> TestClient:
    return TestClient(create_app(store, settings=settings(**overrides), extractor_factory=FakeExtractor))


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": ""}])
def test_write_without_the_right_key_is_401_and_writes_nothing(store, headers):
    FakeExtractor.calls = 0
    before = (store.version(), store.stats())
    with _app(store) as c:
        r = c.post("/articles", json=ARTICLE, headers=headers)
    assert r.status_code == 401 and "X-API-Key" in r.json()["detail"]
    assert (store.version(), store.stats()) == before and FakeExtractor.calls == 0


def test_write_is_refused_when_no_key_is_configured(store):
    before = store.version()
    with _app(store, api_key=None) as c:
        r = c.post("/articles", json=ARTICLE, headers={"X-API-Key": API_KEY})
    assert r.status_code == 403 and "ACTORGRAPH_API_KEY" in r.json()["detail"]
    assert store.version() == before


def test_write_with_the_key_ingests_and_is_idempotent(store):
    with _app(store) as c:
        first = c.post("/articles", json=ARTICLE, headers={"X-API-Key": API_KEY})
        assert first.status_code == 201, first.text
        assert first.json()["articles"] == ["fake-1.txt"] and first.json()["relations"] == 14
        again = c.post("/articles", json=ARTICLE, headers={"X-API-Key": API_KEY}).json()
        assert (again["actors"], again["relations"], again["provenance"]) == (0, 0, 0)
        # The article's metadata is what the request said.
        assert c.get("/health").json()["store"]["articles"] == 3
    assert any(a.id == "fake-1.txt" and a.published == "2025-02-01" for a in store.articles())


def test_reads_can_require_the_key(seeded):
    with _app(seeded, read_requires_key=True) as c:
        assert c.get(f"/actors/{ids.tariq}").status_code == 401
        assert c.get(f"/actors/{ids.tariq}", headers={"X-API-Key": API_KEY}).status_code == 200
        assert c.get("/health").status_code == 200  # health stays open for probes


def test_bad_article_body_is_422(store):
    with _app(store) as c:
        r = c.post("/articles", json={"articles": []}, headers={"X-API-Key": API_KEY})
        assert r.status_code == 422 and r.json()["detail"][0]["loc"][:2] == ["body", "articles"]


def test_too_large_article_is_422_and_writes_nothing(store):
    FakeExtractor.calls = 0
    before = store.version()
    body = {"articles": [{"text": "short"}, {"text": "x" * 101}]}
    with _app(store, max_article_bytes=100) as c:
        r = c.post("/articles", json=body, headers={"X-API-Key": API_KEY})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["body", "articles", 1, "text"]
    assert store.version() == before and FakeExtractor.calls == 0


# -- the store down ----------------------------------------------------------------------------


class SwitchableStore(EmbeddedStore):
    """An embedded store that can be switched off: every read and write raises StoreUnavailable."""

    down = False

    def __getattribute__(self, name):
        if name in {"upsert", "get_actor", "actors", "relations", "articles", "projection", "stats", "version",
                    "ping"} and object.__getattribute__(self, "down"):
            raise StoreUnavailable("switched off for the test")
        return object.__getattribute__(self, name)


def test_embedded_store_down_is_503_and_the_service_recovers():
    store = SwitchableStore()
    store.upsert(both_reports())
    with TestClient(create_app(store, settings=settings())) as c:
        assert c.get(f"/actors/{ids.tariq}/meetings").status_code == 200
        store.down = True
        for path in ("/health", f"/actors/{ids.tariq}", "/actors?q=qureshi", "/centrality",
                     f"/paths/shortest?source={ids.anwar}&target={ids.tariq}"):
            r = c.get(path)
            assert r.status_code == 503, path
        assert r.json()["store"] == "embedded" and "unavailable" in r.json()["detail"]
        assert c.get("/health").json()["store"]["reachable"] is False
        store.down = False
        assert c.get("/health").status_code == 200
        assert c.get(f"/actors/{ids.tariq}/meetings").json()["total"] == 3


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed once the with block ends: nothing listens there


@pytest.mark.neo4j
def test_neo4j_unreachable_is_503_then_the_service_recovers_without_restart(neo4j_store, neo4j_env):
    neo4j_store.upsert(both_reports())
    cfg = settings(store="neo4j", NEO4J_URI=f"bolt://127.0.0.1:{_closed_port()}", NEO4J_USER=neo4j_env.user,
                   NEO4J_PASSWORD=neo4j_env.password, NEO4J_DATABASE=neo4j_env.database)
    with TestClient(create_app(settings=cfg)) as c:
        health = c.get("/health")
        assert health.status_code == 503 and health.json()["store"]["kind"] == "neo4j"
        assert health.json()["store"]["error"] == "unreachable"
        r = c.get(f"/actors/{ids.tariq}")
        assert r.status_code == 503 and r.json() == {"detail": "the neo4j store is unavailable (unreachable)",
                                                     "store": "neo4j", "reason": "unreachable"}
        cfg.neo4j_uri = neo4j_env.uri  # the server "comes back" where the service looks
        assert c.get("/health").status_code == 200
        assert c.get(f"/actors/{ids.tariq}/meetings").json()["total"] == 3
