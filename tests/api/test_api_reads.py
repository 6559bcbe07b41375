"""The read routes on the factory graph, once per store (embedded, then the real Neo4j).

The graph (tests/factories.py): Lt Gen Anwar Hossain Chowdhury (Armed Forces Division, part of
Bangladesh) met General Tariq Hameed Qureshi (Pakistan Army, part of Pakistan) on 2025-01-14 in
Rawalpindi, cited by both articles, and once before (undated); Maj Gen Selim Reza (AFD) met
Qureshi on 2025-01-16; Chowdhury toured the Heavy Mechanical Complex on 2025-01-15.
"""
from __future__ import annotations

from tests.factories import ARTICLE_ONE, ARTICLE_TWO, ids


def test_health_reports_the_store_and_its_counts(client):
    r = client.get("/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["store"]["reachable"] is True
    assert body["store"]["nodes"]["Person"] == 3 and body["store"]["relations"]["MET"] == 3
    assert body["store"]["articles"] == 2


def test_search_forgives_ranks_case_and_spelling(client):
    assert client.get("/actors", params={"q": "Gen Qureshi"}).json()["items"][0]["id"] == ids.tariq
    assert client.get("/actors", params={"q": "chowdury"}).json()["items"][0]["id"] == ids.anwar
    assert client.get("/actors", params={"q": "lt. gen. ANWAR"}).json()["items"][0]["id"] == ids.anwar
    states = client.get("/actors", params={"q": "", "type": "State"}).json()
    assert [a["id"] for a in states["items"]] == [ids.bangladesh, ids.pakistan] and states["total"] == 2


def test_search_pages_with_a_total(client):
    first = client.get("/actors", params={"limit": 4}).json()
    second = client.get("/actors", params={"limit": 4, "offset": 4}).json()
    assert first["total"] == second["total"] == 11
    assert len(first["items"]) == 4 and not {a["id"] for a in first["items"]} & {a["id"] for a in second["items"]}


def test_actor_detail_has_affiliations_and_relation_counts(client):
    body = client.get(f"/actors/{ids.tariq}").json()
    assert body["name"] == "Tariq Hameed Qureshi" and body["rank"] == "General"
    assert "CJCSC Gen Qureshi" in body["aliases"]
    assert body["affiliations"] == [{"type": "MEMBER_OF",
                                     "actor": {"id": ids.pak_army, "type": "ArmedForce", "name": "Pakistan Army"}}]
    assert body["relation_counts"]["MET"] == 3 and body["relation_counts"]["MEMBER_OF"] == 1


def test_actor_meetings_are_dated_placed_and_cited(client):
    body = client.get(f"/actors/{ids.tariq}/meetings").json()
    assert body["total"] == 3
    dated = body["items"][0]
    assert (dated["counterpart"]["id"], dated["date"], dated["place"]["id"]) == (ids.anwar, "2025-01-14", ids.rawalpindi)
    # One meeting reported by two articles: one relation with every citation.
    assert {c["article"] for c in dated["citations"]} == {ARTICLE_ONE, ARTICLE_TWO}
    cite = next(c for c in dated["citations"] if c["article"] == ARTICLE_ONE and c["start"] == 1043)
    assert cite["sentence"].startswith("Lt Gen Anwar Hossain Chowdhury called on") and cite["end"] > cite["start"]
    assert cite["title"] == "Army chiefs meet in Rawalpindi"
    assert body["items"][-1]["date"] is None  # the undated earlier meeting comes last


def test_actor_meetings_filter_by_date(client):
    body = client.get(f"/actors/{ids.tariq}/meetings", params={"since": "2025-01-15"}).json()
    assert [(m["counterpart"]["id"], m["date"]) for m in body["items"]] == [(ids.selim, "2025-01-16")]


def test_meetings_between_the_members_of_two_states(client):
    body = client.get("/meetings", params={"a": ids.bangladesh, "b": ids.pakistan, "since": "2025",
                                           "until": "2025-12-31"}).json()
    assert [(m["actor"]["id"], m["counterpart"]["id"], m["date"]) for m in body["items"]] == [
        (ids.anwar, ids.tariq, "2025-01-14"), (ids.selim, ids.tariq, "2025-01-16")]
    assert body["a_side"] == 4 and body["b_side"] == 3  # state, force and officers; no places
    assert all(m["citations"] for m in body["items"])
    # Without dates the undated meeting counts too; the sides can be forces or people as well.
    assert client.get("/meetings", params={"a": ids.bd_afd, "b": ids.pak_army}).json()["total"] == 3
    pair = client.get("/meetings", params={"a": ids.tariq, "b": ids.anwar}).json()
    assert pair["total"] == 2 and pair["items"][0]["actor"]["id"] == ids.tariq


def test_meetings_page(client):
    body = client.get("/meetings", params={"a": ids.bangladesh, "b": ids.pakistan, "limit": 1, "offset": 1}).json()
    assert body["total"] == 3 and len(body["items"]) == 1 and body["items"][0]["date"] == "2025-01-16"


def test_shortest_path_hops_carry_relations_and_citations(client):
    body = client.get("/paths/shortest", params={"source": ids.selim, "target": ids.factory,
                                                 "types": "MET,VISITED"}).json()
    assert body["found"] and len(body["paths"]) == 1
    path = body["paths"][0]
    assert [a["id"] for a in path["actors"]] == [ids.selim, ids.tariq, ids.anwar, ids.factory]
    first = path["hops"][0]["relations"]
    assert [(r["type"], r["date"]) for r in first] == [("MET", "2025-01-16")]
    assert first[0]["citations"][0]["sentence"] == "Maj Gen Selim Reza met Gen Qureshi on Thursday."
    # Two relations tie Qureshi and Chowdhury: the dated meeting first, then the undated one.
    assert [(r["type"], r["date"]) for r in path["hops"][1]["relations"]] == [("MET", "2025-01-14"), ("MET", None)]
    assert path["hops"][2]["relations"][0]["type"] == "VISITED"


def test_all_shortest_paths_and_hop_limits(client):
    params = {"source": ids.selim, "target": ids.factory}
    # By the fewest hops, two paths of three; by the default costs the meeting beats the membership.
    every = client.get("/paths/shortest", params={**params, "all": "true", "weights": "hops"}).json()
    assert sorted(tuple(a["id"] for a in p["actors"]) for p in every["paths"]) == [
        (ids.selim, ids.bd_afd, ids.anwar, ids.factory), (ids.selim, ids.tariq, ids.anwar, ids.factory)]
    assert [p["cost"] for p in every["paths"]] == [3, 3]
    cheapest = client.get("/paths/shortest", params={**params, "all": "true"}).json()
    assert [tuple(a["id"] for a in p["actors"]) for p in cheapest["paths"]] == [
        (ids.selim, ids.tariq, ids.anwar, ids.factory)]
    assert client.get("/paths/shortest", params={**params, "max_hops": 2}).json() == {
        **every, "found": False, "paths": [], "truncated": False}
    # Dated relations only from the 15th: Qureshi and Chowdhury no longer tie.
    late = client.get("/paths/shortest", params={**params, "types": ["MET", "VISITED"], "since": "2025-01-15"})
    assert late.json()["found"] is False


def test_centrality_ranks_people_and_says_how(client, seeded):
    body = client.get("/centrality", params={"metric": "degree", "type": "Person"}).json()
    # Neo4j's test server has Graph Data Science; a graph this small is networkx's elsewhere.
    assert body["engine"] == ("gds" if seeded.name == "neo4j" else "networkx")
    assert body["error"] is None and body["top"] is None
    assert [(i["actor"]["id"], round(i["score"], 3)) for i in body["items"]] == [
        (ids.anwar, 0.3), (ids.tariq, 0.3), (ids.selim, 0.2)]
    assert body["approximate"] is False and body["graph"] == {"nodes": 11, "edges": 13}  # 14 relations, one pair tied twice
    assert body["version"] == client.get("/health").json()["store"]["version"]
    for metric in ("betweenness", "pagerank", "eigenvector", "closeness"):
        r = client.get("/centrality", params={"metric": metric, "limit": 3})
        assert r.status_code == 200 and len(r.json()["items"]) == 3, metric


def test_centrality_over_meetings_only(client):
    body = client.get("/centrality", params={"metric": "degree", "types": "MET", "type": "Person"}).json()
    assert body["items"][0]["actor"]["id"] == ids.tariq  # met both others


def test_subgraph_is_graph_json_with_provenance(client):
    body = client.get("/subgraph", params={"center": ids.anwar}).json()
    assert {n["id"] for n in body["nodes"]} == {ids.anwar, ids.tariq, ids.factory, ids.bd_afd}
    types = sorted(e["type"] for e in body["edges"])
    assert types == ["MEMBER_OF", "MET", "MET", "VISITED"]
    met = next(e for e in body["edges"] if e["type"] == "MET" and e.get("date") == "2025-01-14")
    assert len(met["provenance"]) == 3 and met["place"] == ids.rawalpindi
    assert {a["id"] for a in body["articles"]} == {ARTICLE_ONE, ARTICLE_TWO}
    assert "rank" not in next(n for n in body["nodes"] if n["id"] == ids.factory)  # graph JSON omits empties


def test_subgraph_depth_and_filters(client):
    only_me = client.get("/subgraph", params={"center": ids.anwar, "depth": 0}).json()
    assert [n["id"] for n in only_me["nodes"]] == [ids.anwar] and only_me["edges"] == []
    met = client.get("/subgraph", params={"center": ids.anwar, "depth": 2, "types": "MET"}).json()
    assert {n["id"] for n in met["nodes"]} == {ids.anwar, ids.tariq, ids.selim}
