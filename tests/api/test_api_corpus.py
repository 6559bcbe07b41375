"""The API over the graph the loaders extract from the example articles, on both stores.

The articles are the project's own (examples/articles, about fictional states and people). The
assertions are what an analyst checks by reading them: Marenzia's defence minister met Ostrland's
naval chief in Halvik on 2 July 2026 (reported on the 4th), and so on. Actors are found through the
search route, as an analyst would, not by hard-coded ids.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.model import GraphBatch
from graph.stores.interface import GraphStore
from service.app import create_app
from tests.api_support import API_KEY, settings

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"  # articles/ about fictional states, with their vocab/
HALVIK_ARTICLE = "04_marenzian_minister_in_halvik.txt"  # the Halvik talks of July 2026


@pytest.fixture(scope="module")
def extractor():
    from loaders.pipeline import Extractor
    return Extractor(extra_vocab=(str(EXAMPLES / "vocab"),))


@pytest.fixture(scope="module")
def corpus(extractor) -> dict:
    """The extracted examples as graph JSON (each test upserts a fresh copy)."""
    from loaders.pipeline import extract_paths
    result = extract_paths([EXAMPLES / "articles"], extractor=extractor)
    assert not result.errors, result.errors
    return result.batch.to_dict()


@pytest.fixture
def client(store: GraphStore, corpus: dict, extractor) -> Iterator[TestClient]:
    store.upsert(GraphBatch.from_dict(corpus))
    with TestClient(create_app(store, settings=settings(), extractor_factory=lambda: extractor)) as c:
        yield c


def find(client: TestClient, q: str, type_: str = "Person") -> dict:
    hits = client.get("/actors", params={"q": q, "type": type_}).json()["items"]
    assert hits, f"nobody found for {q!r}"
    return hits[0]


def article_text(name: str) -> str:
    return (EXAMPLES / "articles" / name).read_text(encoding="utf-8")


def test_search_finds_officers_by_part_of_a_name_or_rank_and_surname(client):
    odegard = find(client, "odeg")
    assert odegard["name"] == "Karl Odegard" and odegard["title"] == "Chief of Naval Staff"
    assert find(client, "Adm Brandt")["name"] == "Ilse Brandt"
    assert find(client, "chief of army staff")["name"] == "Tomas Reyvik"


def test_the_minister_met_the_naval_chief_on_2_july_2026_and_the_citation_points_at_the_sentence(client):
    ferrante, odegard = find(client, "Ferrante"), find(client, "Karl Odegard")
    meetings = client.get(f"/actors/{ferrante['id']}/meetings", params={"since": "2026-07", "until": "2026-07"}).json()
    with_odegard = [m for m in meetings["items"] if m["counterpart"]["id"] == odegard["id"]]
    assert [m["date"] for m in with_odegard] == ["2026-07-02"]
    assert with_odegard[0]["place"]["name"] == "Halvik"
    cite = with_odegard[0]["citations"][0]
    assert cite["article"] == HALVIK_ARTICLE and cite["published"] == "2026-07-04"
    # The offsets are the sentence's place in the article: an analyst can open it there.
    assert article_text(cite["article"])[cite["start"]:cite["end"]] == cite["sentence"]
    assert "Odegard" in cite["sentence"]


def test_meetings_between_marenzian_and_ostrlandic_officials_in_2026(client):
    marenzia, ostrland = find(client, "Marenzia", "State"), find(client, "Ostrland", "State")
    body = client.get("/meetings", params={"a": marenzia["id"], "b": ostrland["id"], "since": "2026-01-01",
                                           "until": "2026-12-31"}).json()
    seen = {(m["actor"]["name"], m["counterpart"]["name"], m["date"]) for m in body["items"]}
    assert ("Paolo Ferrante", "Karl Odegard", "2026-07-02") in seen
    assert all(m["date"] and m["date"].startswith("2026") for m in body["items"])  # undated ones fall out
    assert all(m["citations"] for m in body["items"]) and body["total"] == len(body["items"])


def test_path_from_ostrlands_naval_chief_to_velorias_army_chief_over_meetings(client):
    odegard, reyvik = find(client, "Karl Odegard"), find(client, "Gen Reyvik")
    body = client.get("/paths/shortest", params={"source": odegard["id"], "target": reyvik["id"],
                                                 "types": "MET"}).json()
    assert body["found"]
    path = body["paths"][0]
    # Odegard met Ferrante (2 July), Ferrante met Santori (3 July), Santori met Reyvik (12 April).
    assert [a["name"] for a in path["actors"]] == ["Karl Odegard", "Paolo Ferrante", "Aldo Santori", "Tomas Reyvik"]
    assert path["length"] == 3
    for hop in path["hops"]:
        assert hop["relations"] and all(r["type"] == "MET" and r["citations"] for r in hop["relations"])
    assert [hop["relations"][0]["date"] for hop in path["hops"]] == ["2026-07-02", "2026-07-03", "2026-04-12"]


def test_marenzia_is_the_most_connected_state(client):
    body = client.get("/centrality", params={"metric": "degree", "type": "State", "limit": 1}).json()
    assert body["items"][0]["actor"]["name"] == "Marenzia"


def test_the_ministers_ego_network_holds_the_meeting_with_its_citation(client):
    ferrante, odegard = find(client, "Ferrante"), find(client, "Karl Odegard")
    body = client.get("/subgraph", params={"center": ferrante["id"], "depth": 1}).json()
    assert odegard["id"] in {n["id"] for n in body["nodes"]}
    met = [e for e in body["edges"] if e["type"] == "MET" and odegard["id"] in (e["source"], e["target"])]
    assert met and met[0]["date"] == "2026-07-02" and met[0]["provenance"][0]["article"] == HALVIK_ARTICLE
    assert HALVIK_ARTICLE in {a["id"] for a in body["articles"]}


def test_posting_an_article_extracts_and_stores_its_meetings(store: GraphStore, extractor):
    with TestClient(create_app(store, settings=settings(), extractor_factory=lambda: extractor)) as c:
        r = c.post("/articles", headers={"X-API-Key": API_KEY}, json={"articles": [
            {"id": HALVIK_ARTICLE, "text": article_text(HALVIK_ARTICLE), "date": "2026-07-04",
             "source": "Example News"}]})
        assert r.status_code == 201, r.text
        assert r.json()["relations"] > 0 and r.json()["new_articles"] == 1
        ferrante = find(c, "Ferrante")
        met = c.get(f"/actors/{ferrante['id']}/meetings").json()["items"]
        assert {("Karl Odegard", "2026-07-02"), ("Aldo Santori", "2026-07-03")} <= {
            (m["counterpart"]["name"], m["date"]) for m in met}
        assert met[0]["citations"][0]["published"] == "2026-07-04"


def test_the_examples_velorian_army_chief_met_ostrlands_defence_chief(client):
    reyvik = find(client, "Gen Reyvik")  # not the colonel of the same surname
    assert reyvik["name"] == "Tomas Reyvik" and reyvik["rank"] == "General"
    veloria, ostrland = find(client, "Veloria", "State"), find(client, "Ostrland", "State")
    body = client.get("/meetings", params={"a": veloria["id"], "b": ostrland["id"], "since": "2026-03",
                                           "until": "2026-03-31"}).json()
    assert [(m["actor"]["id"], m["counterpart"]["name"], m["date"]) for m in body["items"]] == [
        (reyvik["id"], "Ilse Brandt", "2026-03-09")]  # "on Monday", the article being of 10 March 2026


def test_a_wire_story_posted_from_three_sites_is_one_independent_source(store: GraphStore, extractor):
    """Three sites carry one story under headers of their own, posted one by one: the meetings it
    reports have three articles behind them and one independent source."""
    text = article_text(HALVIK_ARTICLE)
    with TestClient(create_app(store, settings=settings(), extractor_factory=lambda: extractor)) as c:
        for n, site in enumerate(["Example News", "Halvik Wire Daily", "Ostrland Times"]):
            r = c.post("/articles", headers={"X-API-Key": API_KEY}, json={"articles": [
                {"id": f"wire-{n}.txt", "text": f"{site} | World\n\n{text}\n\nReporting by agencies for {site}.",
                 "date": "2026-07-04", "source": site}]})
            assert r.status_code == 201 and r.json()["new_articles"] == 1, r.text
        ferrante = find(c, "Ferrante")
        met = c.get(f"/actors/{ferrante['id']}/meetings").json()["items"]
        assert met and all((m["corroboration"]["articles"], m["corroboration"]["sources"]) == (3, 1) for m in met)
        assert met[0]["corroboration"]["summary"] == "1 independent source (3 articles)"
        assert {a.cluster for a in store.articles()} == {"wire-0.txt"}
