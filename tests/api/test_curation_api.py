"""The curation routes over HTTP, on both stores: POST/GET /judgements, undo, DELETE /articles/{id};
writes need the write key, old ids merged by ``same`` still resolve, every route is in /docs."""
from __future__ import annotations

from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.stores.interface import GraphStore
from service.app import create_app
from service.curation import ingest
from tests.api_support import API_KEY, settings
from tests.extraction.support import EXAMPLES, extractor
from tests.factories import both_reports
from tests.stores.test_curation import DROVNIA, FERRANTE, MET_01, SANTORI, raws

KEY = {"X-API-Key": API_KEY}


@pytest.fixture
def curated(store: GraphStore) -> Iterator[TestClient]:
    ingest(store, extractor(), raws(EXAMPLES))
    with TestClient(create_app(store, settings=settings(api_key_name="desk-7"),
                               extractor_factory=extractor)) as c:
        yield c


def test_judgements_need_the_write_key(curated, store):
    body = {"kind": "same", "target": SANTORI, "other": FERRANTE}
    assert curated.post("/judgements", json=body).status_code == 401
    assert curated.post("/judgements", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    assert store.judgements() == [] and store.get_actor(FERRANTE) is not None
    with TestClient(create_app(store, settings=settings(api_key=None))) as closed:
        assert closed.post("/judgements", json=body, headers=KEY).status_code == 403
        assert closed.delete("/articles/briefs-veloria-colonel", headers=KEY).status_code == 403
    assert store.judgements() == []


def test_same_over_http_keeps_old_ids_resolving_and_undo_restores(curated, store):
    r = curated.post("/judgements", json={"kind": "same", "target": SANTORI, "other": FERRANTE}, headers=KEY)
    assert r.status_code == 201, r.text
    j = r.json()
    assert j["who"] == "api:desk-7" and j["active"] and j["at"]
    listed = curated.get("/judgements").json()
    assert [x["id"] for x in listed] == [j["id"]]
    old = curated.get(f"/actors/{FERRANTE}")
    assert old.status_code == 200 and old.json()["id"] == SANTORI
    assert old.json()["relation_counts"]["VISITED"] >= 1
    assert curated.get(f"/actors/{FERRANTE}/meetings").status_code == 200
    undo = curated.post(f"/judgements/{j['id']}/undo", headers=KEY)
    assert undo.status_code == 200 and undo.json()["undone_by"] == "api:desk-7" and not undo.json()["active"]
    assert curated.get(f"/actors/{FERRANTE}").json()["id"] == FERRANTE
    assert curated.post(f"/judgements/{j['id']}/undo", headers=KEY).status_code == 422


def test_refused_judgements_are_clear_errors(curated, store):
    unknown = curated.post("/judgements", json={"kind": "reject-actor", "target": "person:nobody"}, headers=KEY)
    assert unknown.status_code == 422 and "person:nobody" in unknown.json()["detail"]
    bad_kind = curated.post("/judgements", json={"kind": "merge", "target": SANTORI}, headers=KEY)
    assert bad_kind.status_code == 422
    assert store.judgements() == []


def test_a_posted_article_obeys_earlier_judgements(curated, store):
    r = curated.post("/judgements", json={"kind": "reject-relation", "target": MET_01}, headers=KEY)
    assert r.status_code == 201
    posted = curated.post("/articles", headers=KEY, json={"articles": [
        # told again with a line of its own (the same text under another id would be a duplicate)
        {"id": "again.txt", "text": (EXAMPLES / "01_velorian_army_chief_in_ostrland.txt").read_text()
         + "\n\nThe report was filed again.",
         "date": "2026-03-10"},
        {"id": DROVNIA.name, "text": DROVNIA.read_text()}]})
    assert posted.status_code == 201, posted.text
    assert MET_01 not in {rel.key for rel in store.relations()}
    assert {s.id for s in store.sources()} >= {"again.txt", DROVNIA.name}  # texts kept for reextract


def test_delete_article_over_http(curated, store):
    gone = "02_marenzia_veloria_pact.html"
    assert curated.delete(f"/articles/{gone}").status_code == 401
    assert curated.delete("/articles/no-such.txt", headers=KEY).status_code == 404
    r = curated.delete(f"/articles/{gone}", headers=KEY)
    assert r.status_code == 204
    assert gone not in {a.id for a in store.articles()}
    assert curated.get("/actors/person:elena-duarte").status_code == 404


def test_legacy_articles_refuse_curation_with_a_conflict(store):
    store.upsert(both_reports())  # stored without their texts
    with TestClient(create_app(store, settings=settings())) as c:
        r = c.post("/judgements", json={"kind": "reject-actor", "target": "place:dhaka"}, headers=KEY)
        assert r.status_code == 409 and "ingest them again" in r.json()["detail"]
        assert c.delete("/articles/101_first_report.txt", headers=KEY).status_code == 409
    assert store.get_actor("place:dhaka") is not None


def test_every_curation_route_is_in_the_docs(curated):
    paths = curated.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/judgements"])
    assert "post" in paths["/judgements/{judgement_id}/undo"]
    assert "delete" in paths["/articles/{article_id}"]
    assert curated.get("/docs").status_code == 200


def test_old_ids_resolve_in_paths_meetings_and_subgraph(curated, store):
    assert curated.post("/judgements", json={"kind": "same", "target": SANTORI, "other": FERRANTE},
                        headers=KEY).status_code == 201
    sub = curated.get("/subgraph", params={"center": FERRANTE, "depth": 1})
    assert sub.status_code == 200 and SANTORI in {n["id"] for n in sub.json()["nodes"]}
    assert FERRANTE not in {n["id"] for n in sub.json()["nodes"]}
    path = curated.get("/paths/shortest", params={"source": FERRANTE, "target": "person:tomas-reyvik"})
    assert path.status_code == 200 and path.json()["source"]["id"] == SANTORI and path.json()["found"]
    met = curated.get("/meetings", params={"a": FERRANTE, "b": "person:tomas-reyvik"})
    assert met.status_code == 200 and met.json()["a"]["id"] == SANTORI and met.json()["total"] >= 1
