"""The API over the graph the loaders extract from the sample corpus, on both stores.

The articles stay in ../shared/corpus/seeds (and the project's examples/): nothing of their text is
copied here. The assertions are what an analyst checks by reading them: the Bangladeshi Principal
Staff Officer met Pakistan's Chief of Army Staff on 2025-01-14 (reported 2025-01-15), and so on.
Actors are found through the search route, as an analyst would, not by hard-coded ids.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.model import GraphBatch
from graph.store import GraphStore
from service.app import create_app
from tests.api_support import API_KEY, settings

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
EXAMPLES = REPO / "examples"  # articles/ about fictional states, with their vocab/
PSO_ARTICLE = "004_8921065dff90e340.txt"  # the Rawalpindi meeting of January 2025


@pytest.fixture(scope="module")
def extractor():
    from loaders.pipeline import Extractor
    return Extractor(extra_vocab=(str(EXAMPLES / "vocab"),))


@pytest.fixture(scope="module")
def corpus(extractor) -> dict:
    """The extracted corpus as graph JSON (each test upserts a fresh copy)."""
    if not SEEDS.is_dir():
        pytest.fail(f"the sample corpus is missing: expected it at {SEEDS}", pytrace=False)
    from loaders.pipeline import extract_paths
    paths = [SEEDS, EXAMPLES / "articles"]
    result = extract_paths(paths, extractor=extractor)
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
    return (SEEDS / name).read_text(encoding="utf-8")


def test_search_finds_officers_by_part_of_a_name_or_rank_and_surname(client):
    pso = find(client, "kamrul")
    assert "Kamr" in pso["name"] and pso["title"] == "Principal Staff Officer"
    mirza = find(client, "Gen Mirza")
    assert mirza["name"] == "Sahir Shamshad Mirza"
    assert find(client, "chief of army staff")["name"] == "Asim Munir"


def test_the_pso_met_the_coas_on_14_january_2025_and_the_citation_points_at_the_sentence(client):
    pso, coas = find(client, "kamrul"), find(client, "Asim Munir")
    meetings = client.get(f"/actors/{pso['id']}/meetings", params={"since": "2025-01", "until": "2025-01"}).json()
    with_coas = [m for m in meetings["items"] if m["counterpart"]["id"] == coas["id"]]
    assert [m["date"] for m in with_coas] == ["2025-01-14"]
    cite = with_coas[0]["citations"][0]
    assert cite["article"] == PSO_ARTICLE and cite["published"] == "2025-01-15"
    # The offsets are the sentence's place in the article: an analyst can open it there.
    # (Compared stripped: the extractor's end offset may take in the whitespace after the sentence.)
    assert article_text(cite["article"])[cite["start"]:cite["end"]] == cite["sentence"]
    assert "Munir" in cite["sentence"]


def test_meetings_between_bangladeshi_and_pakistani_officials_in_2025(client):
    bangladesh, pakistan = find(client, "Bangladesh", "State"), find(client, "Pakistan", "State")
    body = client.get("/meetings", params={"a": bangladesh["id"], "b": pakistan["id"], "since": "2025-01-01",
                                           "until": "2025-12-31"}).json()
    seen = {(m["actor"]["name"], m["counterpart"]["name"], m["date"]) for m in body["items"]}
    pso = find(client, "kamrul")["name"]
    assert {(pso, "Asim Munir", "2025-01-14"), (pso, "Sahir Shamshad Mirza", "2025-01-14"),
            ("Faizur Rahman", "Sahir Shamshad Mirza", "2025-08-22")} <= seen
    assert all(m["citations"] for m in body["items"]) and body["total"] == len(body["items"])


def test_path_from_a_bangladeshi_general_to_pakistans_coas_over_meetings(client):
    rahman, coas = find(client, "Faizur Rahman"), find(client, "Asim Munir")
    body = client.get("/paths/shortest", params={"source": rahman["id"], "target": coas["id"], "types": "MET"}).json()
    assert body["found"]
    path = body["paths"][0]
    # Rahman met Mirza (August), Mirza met the PSO, the PSO met Munir (January): three cited meetings.
    assert [a["name"] for a in path["actors"]][:2] == ["Faizur Rahman", "Sahir Shamshad Mirza"]
    assert path["length"] == 3 and path["actors"][-1]["id"] == coas["id"]
    for hop in path["hops"]:
        assert hop["relations"] and all(r["type"] == "MET" and r["citations"] for r in hop["relations"])
    assert path["hops"][0]["relations"][0]["date"] == "2025-08-22"


def test_pakistan_is_the_most_connected_state(client):
    body = client.get("/centrality", params={"metric": "degree", "type": "State", "limit": 1}).json()
    assert body["items"][0]["actor"]["name"] == "Pakistan"


def test_the_coas_ego_network_holds_the_meeting_with_its_citation(client):
    coas, pso = find(client, "Asim Munir"), find(client, "kamrul")
    body = client.get("/subgraph", params={"center": coas["id"], "depth": 1}).json()
    assert pso["id"] in {n["id"] for n in body["nodes"]}
    met = [e for e in body["edges"] if e["type"] == "MET" and pso["id"] in (e["source"], e["target"])]
    assert met and met[0]["date"] == "2025-01-14" and met[0]["provenance"][0]["article"] == PSO_ARTICLE
    assert PSO_ARTICLE in {a["id"] for a in body["articles"]}


def test_posting_an_article_extracts_and_stores_its_meetings(store: GraphStore, extractor):
    with TestClient(create_app(store, settings=settings(), extractor_factory=lambda: extractor)) as c:
        r = c.post("/articles", headers={"X-API-Key": API_KEY}, json={"articles": [
            {"id": PSO_ARTICLE, "text": article_text(PSO_ARTICLE), "date": "2025-01-15", "source": "Business Standard"}]})
        assert r.status_code == 201, r.text
        assert r.json()["relations"] > 0 and r.json()["new_articles"] == 1
        pso = find(c, "kamrul")
        met = c.get(f"/actors/{pso['id']}/meetings").json()["items"]
        assert {("Asim Munir", "2025-01-14"), ("Sahir Shamshad Mirza", "2025-01-14")} <= {
            (m["counterpart"]["name"], m["date"]) for m in met}
        assert met[0]["citations"][0]["published"] == "2025-01-15"


def test_the_examples_velorian_army_chief_met_ostrlands_defence_chief(client):
    reyvik = find(client, "Gen Reyvik")  # not the colonel of the same surname
    assert reyvik["name"] == "Tomas Reyvik" and reyvik["rank"] == "General"
    veloria, ostrland = find(client, "Veloria", "State"), find(client, "Ostrland", "State")
    body = client.get("/meetings", params={"a": veloria["id"], "b": ostrland["id"], "since": "2026-03",
                                           "until": "2026-03-31"}).json()
    assert [(m["actor"]["id"], m["counterpart"]["name"], m["date"]) for m in body["items"]] == [
        (reyvik["id"], "Ilse Brandt", "2026-03-09")]  # "on Monday", the article being of 10 March 2026
