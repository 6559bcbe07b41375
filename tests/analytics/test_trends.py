"""Who rose (graph.analytics.trends, GET /centrality/trend and /centrality/risers) on a hand-made graph whose
answer is worked out here, on both stores (embedded, then the real Neo4j).

The graph (fictional): Anna Vell is a member of Veloria (timeless, so in every bucket). In the
first quarter of 2026 Vell met Bo Marek (01-10) and Cato Ruus (02-05); in the second, Dara Oks met
Marek (04-02) and Ruus (05-03) and visited Veloria (06-01). Oks and Marek also met in 2026 on a
day not given ("2026": in the year bucket only).

Degree centrality is degree / (n - 1) on each bucket's graph:

- 2026-Q1: Vell-Veloria, Vell-Marek, Vell-Ruus; n = 4. Vell 3/3 = 1 (rank 1); Marek, Ruus,
  Veloria 1/3 (rank 2). Oks is not in it.
- 2026-Q2: Vell-Veloria, Oks-Marek, Oks-Ruus, Oks-Veloria; n = 5. Oks 3/4 (rank 1), Veloria 2/4
  (rank 2), Vell, Marek, Ruus 1/4 (rank 3).

Risers from 2026-01..2026-03 to 2026-04..2026-06: Oks was absent (counted as rank 4 + 1 = 5), now
1: a gain of 4 ranks and 0.75. Veloria keeps rank 2 but gains 1/2 - 1/3 = 1/6; Vell drops (1 -> 3),
Marek and Ruus drop (2 -> 3). So by rank only Oks rose; by score Oks, then Veloria. Oks's events
in the after window are its two meetings and its visit, in date order; the "2026" meeting lies
wholly in neither window, so it counts in neither.
"""
from __future__ import annotations

from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.analytics import trends
from graph.model import Actor, Article, GraphBatch, NodeType, Relation, RelType, actor_id, relation_key
from graph.stores.interface import GraphStore
from service.app import create_app
from tests.api_support import settings
from tests.factories import cite

VELL, MAREK, RUUS, OKS = (actor_id(NodeType.PERSON, n) for n in ("Anna Vell", "Bo Marek", "Cato Ruus", "Dara Oks"))
VELORIA = actor_id(NodeType.STATE, "Veloria")


def rise_batch() -> GraphBatch:
    b = GraphBatch()
    b.add_article(Article(id="r1.txt", source="Veloria Daily", published="2026-06-02"))
    for name in ("Anna Vell", "Bo Marek", "Cato Ruus", "Dara Oks"):
        b.add_actor(Actor(id=actor_id(NodeType.PERSON, name), type=NodeType.PERSON, name=name))
    b.add_actor(Actor(id=VELORIA, type=NodeType.STATE, name="Veloria"))
    for i, (s, t, type_, date) in enumerate([
        (VELL, VELORIA, RelType.MEMBER_OF, None), (VELL, MAREK, RelType.MET, "2026-01-10"),
        (VELL, RUUS, RelType.MET, "2026-02-05"), (OKS, MAREK, RelType.MET, "2026-04-02"),
        (OKS, RUUS, RelType.MET, "2026-05-03"), (OKS, VELORIA, RelType.VISITED, "2026-06-01"),
        (OKS, MAREK, RelType.MET, "2026"),
    ]):
        b.add_relation(Relation(s, t, type_, date=date, provenance=[cite("r1.txt", f"Sentence {i}.", 20 * i)]))
    return b


def _standing(table, actor):
    st = table.get(actor)
    return None if st is None else (pytest.approx(st.score), st.rank)


def test_trend_per_quarter_matches_the_hand_count():
    from graph.stores.interface import build_projection
    b = rise_batch()
    t = trends.trend(build_projection(b.actors.values(), b.relations.values()), "degree", "quarter")
    assert [(x.label, x.since, x.until, x.events, x.nodes) for x in t.buckets] == [
        ("2026-Q1", "2026-01-01", "2026-03-31", 2, 4), ("2026-Q2", "2026-04-01", "2026-06-30", 3, 5)]
    assert t.imprecise == 1
    q1, q2 = t.standings["2026-Q1"], t.standings["2026-Q2"]
    assert (q1[VELL].score, q1[VELL].rank) == (1.0, 1)
    assert {a: q1[a].rank for a in (MAREK, RUUS, VELORIA)} == {MAREK: 2, RUUS: 2, VELORIA: 2}
    assert OKS not in q1
    assert (q2[OKS].score, q2[OKS].rank, q2[VELORIA].score, q2[VELORIA].rank) == (0.75, 1, 0.5, 2)
    assert {a: (q2[a].score, q2[a].rank) for a in (VELL, MAREK, RUUS)} == {a: (0.25, 3) for a in (VELL, MAREK, RUUS)}
    assert t.leaders(1) == [VELL, OKS]  # rank 1 somewhere: both rank 1, then by id


@pytest.mark.parametrize("date,bucket,label", [("2026-03-09", "month", "2026-03"), ("2026-03", "quarter", "2026-Q1"),
                                               ("2026-12-31", "quarter", "2026-Q4"), ("2026-07", "year", "2026"),
                                               ("2026", "month", None), (None, "year", None)])
def test_bucket_of(date, bucket, label):
    assert trends.bucket_of(date, bucket) == label


def test_a_window_holds_the_events_dated_wholly_inside_it():
    from graph.stores.interface import build_projection
    b = rise_batch()
    G = build_projection(b.actors.values(), b.relations.values())
    def events(since, until):
        return sorted(k for *_, k, t in trends.window_graph(G, since, until).edges(keys=True, data="type")
                      if t != "MEMBER_OF")

    assert events("2026-04", "2026-05-03") == sorted([relation_key(RelType.MET, OKS, MAREK, "2026-04-02"),
                                                      relation_key(RelType.MET, OKS, RUUS, "2026-05-03")])
    assert len(events("2026", "2026")) == 6  # the bare-year meeting too
    assert trends.span("2026-02") == ("2026-02-01", "2026-02-28") and trends.span("nope") is None


@pytest.mark.parametrize("text", ["", "2026-01..2026-02..2026-03", "..2026-03", "2026-01..", "2026-13..2026-14", "2026-03..2026-01",
                                  "last year..now", "2026-02-30..2026-03-01"])
def test_a_bad_window_is_refused(text):
    with pytest.raises(trends.WindowError):
        trends.parse_window(text, "before")


def test_one_date_is_its_own_window():
    assert trends.parse_window("2026", "after") == ("2026", "2026")
    assert trends.parse_window(" 2026-01 .. 2026-03-31 ", "after") == ("2026-01", "2026-03-31")


@pytest.fixture
def rise_store(store: GraphStore) -> GraphStore:
    store.upsert(rise_batch())
    return store


@pytest.fixture
def rise(rise_store: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(rise_store, settings=settings())) as c:
        yield c


def _points(series):
    return [(p["bucket"], None if p["score"] is None else round(p["score"], 6), p["rank"]) for p in series["points"]]


def test_trend_route_on_both_stores(rise):
    r = rise.get("/centrality/trend", params={"metric": "degree", "bucket": "quarter", "actors": f"{VELL},{OKS}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [b["bucket"] for b in body["buckets"]] == ["2026-Q1", "2026-Q2"] and body["imprecise"] == 1
    series = {s["actor"]["id"]: _points(s) for s in body["actors"]}
    assert series == {VELL: [("2026-Q1", 1.0, 1), ("2026-Q2", 0.25, 3)],
                      OKS: [("2026-Q1", None, None), ("2026-Q2", 0.75, 1)]}
    # By year everything is one graph, the "2026" meeting included: Oks ties Marek, Ruus, Veloria, Vell.
    year = rise.get("/centrality/trend", params={"bucket": "year", "actors": [OKS, VELL]}).json()
    assert [p["rank"] for s in year["actors"] for p in s["points"]] == [1, 1] and year["imprecise"] == 0
    leaders = rise.get("/centrality/trend", params={"limit": 1}).json()
    assert [s["actor"]["id"] for s in leaders["actors"]] == [VELL, OKS]


def test_risers_route_on_both_stores(rise):
    params = {"before": "2026-01..2026-03", "after": "2026-04..2026-06"}
    body = rise.get("/centrality/risers", params=params).json()
    assert body["total"] == 1 and body["before"] == {"since": "2026-01", "until": "2026-03"}
    oks = body["items"][0]
    assert oks["actor"]["id"] == OKS and oks["before"] is None and oks["after"]["rank"] == 1
    assert (oks["rank_gain"], oks["score_gain"]) == (4, pytest.approx(0.75))
    assert [(e["type"], e["date"]) for e in oks["events"]] == [
        ("MET", "2026-04-02"), ("MET", "2026-05-03"), ("VISITED", "2026-06-01")]
    assert oks["events_total"] == 3 and oks["events"][0]["citations"][0]["article"] == "r1.txt"
    by_score = rise.get("/centrality/risers", params={**params, "by": "score"}).json()
    assert [(i["actor"]["id"], round(i["score_gain"], 6)) for i in by_score["items"]] == [
        (OKS, 0.75), (VELORIA, round(1 / 2 - 1 / 3, 6))]
    assert by_score["items"][1]["before"] == {"score": pytest.approx(1 / 3), "rank": 2}


@pytest.mark.parametrize("route,params,parameter", [
    ("/centrality/trend", {"bucket": "week"}, "bucket"),
    ("/centrality/trend", {"metric": "fame"}, "metric"),
    ("/centrality/risers", {"before": "2026-01..2026-99", "after": "2026-04..2026-06"}, "before"),
    ("/centrality/risers", {"before": "2026-01..2026-03", "after": "2026-06..2026-04"}, "after"),
    ("/centrality/risers", {"before": "2026-01..2026-05", "after": "2026-04..2026-06"}, "after"),
    ("/centrality/risers", {"before": "2026-01..2026-03"}, "after"),
])
def test_bad_windows_and_buckets_are_422s_naming_them(rise, route, params, parameter):
    r = rise.get(route, params=params)
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", parameter], r.text


def test_an_unknown_actor_is_a_404_with_close_names(rise):
    r = rise.get("/centrality/trend", params={"actors": f"{VELL},person:dara-oksa"})
    assert r.status_code == 404
    body = r.json()
    assert body["parameter"] == "actors" and body["suggestions"][0]["id"] == OKS


def test_trend_and_risers_follow_a_new_version_of_the_graph(rise, rise_store):
    """Cached per graph version: a new meeting (Vell meets Oks on 2026-05-10) gives Q2 new standings.
    Q2 then: Vell-Veloria, Oks-Marek, Oks-Ruus, Oks-Veloria, Oks-Vell; n = 5; Oks 4/4 (rank 1),
    Vell and Veloria 2/4 (rank 2), Marek and Ruus 1/4 (rank 4)."""
    params = {"bucket": "quarter", "actors": [VELL, OKS]}
    before = rise.get("/centrality/trend", params=params).json()
    assert rise.get("/centrality/trend", params=params).json() == before
    batch = rise_batch()
    batch.relations = {}
    batch.add_relation(Relation(VELL, OKS, RelType.MET, date="2026-05-10", provenance=[cite("r1.txt", "Met.", 500)]))
    rise_store.upsert(batch)
    after = rise.get("/centrality/trend", params=params).json()
    assert after["version"] != before["version"]
    q2 = {s["actor"]["id"]: s["points"][1] for s in after["actors"]}
    assert (q2[OKS]["score"], q2[OKS]["rank"], q2[VELL]["score"], q2[VELL]["rank"]) == (1.0, 1, 0.5, 2)
    risers = rise.get("/centrality/risers", params={"before": "2026-01..2026-03", "after": "2026-04..2026-06"}).json()
    assert risers["version"] == after["version"]
    assert [e["date"] for e in risers["items"][0]["events"]] == ["2026-04-02", "2026-05-03", "2026-05-10", "2026-06-01"]


def _stars(months: dict[str, int]) -> "trends.nx.MultiDiGraph":
    """A projection with, in each month, one hub that met that month's leaves (n of them)."""
    G = trends.nx.MultiDiGraph()
    for month, n in months.items():
        hub = f"person:hub-{month}"
        for i in range(n):
            G.add_edge(hub, f"person:leaf-{month}-{i}", f"MET|{hub}|{i}", type="MET", date=f"{month}-15")
    return G


def test_a_large_buckets_betweenness_is_estimated_within_its_stated_error():
    """A month of 15,000 meetings is scored by the compiled engine, past exact betweenness's work
    (nodes x ties over engine.BETWEENNESS_EXACT_WORK) by KADABRA: the trend says it is
    estimated and by how much, and the estimates are within that of the exact scores (a star's hub
    lies on every path between its leaves: 1.0; a leaf on none: 0.0)."""
    from graph.analytics import engine

    G = _stars({"2026-01": 15_000, "2026-02": 5})
    table = trends.trend(G, "betweenness", "month")
    assert table.approximate and table.error == engine.BETWEENNESS_ERROR
    big, small = table.standings["2026-01"], table.standings["2026-02"]
    assert big["person:hub-2026-01"].rank == 1 and abs(big["person:hub-2026-01"].score - 1.0) <= table.error
    assert all(st.score <= table.error for a, st in big.items() if "leaf" in a)
    assert small["person:hub-2026-02"].score == 1.0  # five leaves: networkx, exact


def test_small_graphs_are_scored_exactly_and_say_so():
    G = _stars({"2026-01": 5, "2026-02": 7})
    assert not trends.trend(G, "betweenness", "month").approximate
    found = trends.risers(G, "degree", ("2026-01", "2026-01"), ("2026-02", "2026-02"))
    assert not found.approximate and found.error is None and found[0].actor == "person:hub-2026-02"


def test_risers_over_a_large_window_say_they_are_estimated():
    G = _stars({"2026-01": 5, "2026-02": 15_000})
    found = trends.risers(G, "betweenness", ("2026-01", "2026-01"), ("2026-02", "2026-02"))
    assert found.approximate and found.error is not None
    assert found[0].actor == "person:hub-2026-02" and found[0].after.rank == 1
