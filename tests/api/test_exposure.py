"""What anonymous callers are shown and told: counts only to the key's holders while reads need
the key, no OS account in judgements, no Host header echoed in a redirect, and an OpenAPI schema
whose security matches what each route requires."""
from __future__ import annotations

from fastapi.testclient import TestClient

from graph.stores.interface import GraphStore
from service.app import create_app
from tests.api_support import API_KEY, settings
from service.curation import ingest
from tests.extraction.support import EXAMPLES, extractor
from tests.stores.test_curation import SANTORI, raws

KEY = {"X-API-Key": API_KEY}


def test_health_shows_counts_only_to_the_key_holder_while_reads_need_the_key(seeded: GraphStore) -> None:
    with TestClient(create_app(seeded, settings=settings(read_requires_key=True))) as c:
        anonymous = c.get("/health").json()
        assert anonymous["status"] == "ok"
        assert anonymous["store"]["nodes"] is None and anonymous["store"]["relations"] is None
        assert anonymous["store"]["version"] is None
        assert c.get("/health", headers=KEY).json()["store"]["nodes"]
    with TestClient(create_app(seeded, settings=settings())) as c:
        assert c.get("/health").json()["store"]["nodes"]  # open reads: open counts


def test_judgements_show_the_os_account_only_to_the_key_holder(store: GraphStore) -> None:
    ingest(store, extractor(), raws(EXAMPLES))  # kept texts: what curation needs
    store.judge("rename", SANTORI, "Santori the Elder", "cli:some-operator")
    with TestClient(create_app(store, settings=settings())) as c:
        anonymous = c.get("/judgements").json()
        assert [j["who"] for j in anonymous] == ["cli"]
        assert "some-operator" not in c.get("/judgements").text
        assert [j["who"] for j in c.get("/judgements", headers=KEY).json()] == ["cli:some-operator"]


def test_a_trailing_slash_is_served_not_redirected_so_no_host_is_echoed(client: TestClient) -> None:
    r = client.get("/actors/", params={"q": "qureshi"}, headers={"Host": "evil.example"}, follow_redirects=False)
    assert r.status_code == 200, r.text
    assert "evil.example" not in r.text and "location" not in r.headers
    assert r.json() == client.get("/actors", params={"q": "qureshi"}).json()
    r = client.post("/articles/", json={"articles": []}, headers={"Host": "evil.example"}, follow_redirects=False)
    assert r.status_code == 401 and "location" not in r.headers


def test_the_schema_declares_the_key_where_it_is_required(seeded: GraphStore) -> None:
    def security(schema: dict) -> dict[tuple[str, str], bool]:
        return {(m.upper(), p): bool(op.get("security")) for p, ops in schema["paths"].items() for m, op in ops.items()}

    with TestClient(create_app(seeded, settings=settings())) as c:
        open_reads = security(c.get("/openapi.json").json())
    with TestClient(create_app(seeded, settings=settings(read_requires_key=True))) as c:
        keyed_reads = c.get("/openapi.json").json()
    assert open_reads[("GET", "/actors")] is False and open_reads[("GET", "/judgements")] is False
    assert open_reads[("POST", "/articles")] and open_reads[("POST", "/judgements")]
    assert open_reads[("DELETE", "/articles/{article_id}")]
    assert security(keyed_reads)[("GET", "/actors")] and not security(keyed_reads)[("GET", "/health")]
    assert "401" in keyed_reads["paths"]["/actors"]["get"]["responses"]
    # and the routes do as the schema says
    with TestClient(create_app(seeded, settings=settings())) as c:
        assert c.get("/actors").status_code == 200
        assert c.post("/judgements", json={}).status_code == 401
