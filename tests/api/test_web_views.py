"""The explorer's own reads, once per store (embedded, then the real Neo4j): the overview it opens
on, and the download of exactly the actors and relations a view shows."""
from __future__ import annotations

import json

from graph.model import relation_key
from tests.factories import ids


def keys(graph: dict) -> set[str]:
    return {relation_key(e["type"], e["source"], e["target"], e.get("date")) for e in graph["edges"]}


def test_a_small_graph_is_its_own_overview(client):
    body = client.get("/web/overview.json").json()
    tied = {a for e in body["edges"] for a in (e["source"], e["target"])}
    assert body["overview"]["whole"] is True and {n["id"] for n in body["nodes"]} == tied
    assert body["overview"]["actors_total"] == len(tied)
    assert all(e["provenance"] is not None for e in body["edges"])


def test_a_limited_overview_keeps_the_most_connected_and_their_ties(client):
    body = client.get("/web/overview.json", params={"limit": 3}).json()
    kept = {n["id"] for n in body["nodes"]}
    assert body["overview"]["whole"] is False and len(kept) == 3
    degree = {i["actor"]["id"]: i["score"] for i in
              client.get("/centrality", params={"metric": "degree", "limit": 1000}).json()["items"]}
    assert min(degree[k] for k in kept) >= max(v for k, v in degree.items() if k not in kept)
    assert all(e["source"] in kept and e["target"] in kept for e in body["edges"])


def test_a_view_downloads_exactly_what_it_shows(client):
    ego = client.get("/subgraph", params={"center": ids.anwar, "depth": 1}).json()
    actors = sorted({n["id"] for n in ego["nodes"]} - {ids.factory})
    relations = sorted(k for k in keys(ego) if ids.factory not in k)[:-1]  # one relation hidden too
    r = client.post("/web/view", params={"format": "json"},
                    json={"actors": actors, "relations": relations, "title": "Chowdhury, seen", "center": ids.anwar})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    got = json.loads(r.content)
    assert sorted(n["id"] for n in got["nodes"]) == actors and sorted(keys(got)) == relations
    assert all(e["provenance"] for e in got["edges"] if e["type"] == "MET")  # cited, as the page shows them
    assert client.post("/web/view", params={"format": "docx"}, json={"actors": [], "relations": []}).status_code == 422
