"""Events as first-class records (graph.model.events): one event per sentence-level event with all its
participants and roles, the binary edges derived from it, on both stores; their codes
(graph.model.event_codes); GET /events; and the exports that carry them."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from graph.model.event_codes import CODES, OFFER_CODES, codes_for
from graph.model.events import Event, Participant, events_from_relations
from graph.exports import export
from graph.stores.embedded.store import DB_FILE, SCHEMA_VERSION, EmbeddedStore
from graph.model import GraphBatch, Provenance, Relation, RelType
from graph.stores.interface import GraphStore
from loaders.read import RawArticle
from service.app import create_app
from tests.api_support import settings
from tests.extraction.support import extractor

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO.parent / "shared" / "schemas"

FIVE = ("Defence ministers Anna Kolv, Piet Varn, Ilse Brandt, Tomas Reyvik and Mira Holt met in Castel Vor "
        "on 9 March 2026.")
SIGNING = "Veloria and Marenzia signed a defence cooperation agreement on 11 March 2026."


def _extract(*articles: tuple[str, str, str | None]) -> GraphBatch:
    """Articles (id, text, outlet) through the real extractor, as ingest reads them."""
    raws = [RawArticle(id=i, text=t, published="2026-03-12", source=s) for i, t, s in articles]
    return extractor().extract(raws)


def _events(batch_or_store, type_: RelType) -> list[Event]:
    events = batch_or_store.events() if isinstance(batch_or_store, GraphStore) else batch_or_store.events.values()
    return [e for e in events if e.type is type_]


# -- the extractor: one event per sentence-level event ------------------------------------------

def test_a_five_party_meeting_is_one_event_with_ten_derived_met_edges(store: GraphStore):
    batch = _extract(("summit.txt", FIVE, "Veloria Herald"))
    store.upsert(batch)
    for holder in (batch, store):
        (ev,) = _events(holder, RelType.MET)
        assert len(ev.actors) == 5 and {p.role for p in ev.participants} == {"participant"}
        assert ev.date == "2026-03-09" and ev.precision == "day"
        assert len(ev.pairs()) == 10
    met = [r for r in store.relations() if r.type is RelType.MET]
    assert len(met) == 10
    assert {r.key for r in met} == {r.key for r in ev.relations()}  # the edges ARE the event's
    assert all(r.provenance[0].sentence == FIVE for r in met)


def test_events_of_several_actors_is_one_read_of_each_ones_events(store: GraphStore):
    batch = _extract(("summit.txt", FIVE, "Veloria Herald"))
    store.upsert(batch)
    (ev,) = store.events()
    some = sorted(ev.actors)[:2] + ["person:nobody"]
    expected = {e.id: e for a in some for e in store.events(actor_id=a)}
    assert [e.id for e in store.events_of(some)] == sorted(expected) == [ev.id]
    assert store.events_of(some) == [expected[k] for k in sorted(expected)]  # participants and citations too
    assert store.events_of(["person:nobody"]) == []


def test_events_of_edges_are_the_events_a_subgraph_holds_read_alone(store: GraphStore):
    """The store's own read equals the reference (every event of the edges' ends, filtered):
    a multi-party event is held only with every party, a two-party one with its edge."""
    store.upsert(_extract(("summit.txt", FIVE, "Veloria Herald"), ("signing.txt", SIGNING, "Veloria Herald"),
                          ("visit.txt", "Ilse Brandt visited Marenzia on 12 March 2026.", "Marenzia Courier")))
    events = store.events()
    assert len(events) >= 3
    relations = store.relations()
    summit = next(e for e in events if len(e.actors) == 5)
    for within in (set(summit.actors), set(summit.actors[:3]), {a for e in events for a in e.actors}):
        edges = [r for r in relations if r.source in within and r.target in within]
        expected = GraphStore.events_of_edges(store, edges, within)  # the interface's reference reading
        got = store.events_of_edges(edges, within)
        assert got == expected
        # Edges without their citations at hand: the sentences are read, not left blank.
        bare = [dataclasses.replace(r, provenance=[]) for r in edges]
        assert store.events_of_edges(bare, within) == expected
        assert (summit in got) == (within >= set(summit.actors))
    assert store.events_of_edges([], {"person:nobody"}) == []


@pytest.mark.neo4j
def test_neo4j_reads_by_key_in_chunks_answer_as_one_read(neo4j_store, monkeypatch):
    """Reads by key ask at most KEYS_PER_READ keys each, so no one record holds a whole graph's
    relations; chunked, the relations and the events' sentences are the same, in the same order."""
    from graph.stores.neo4j import cypher

    neo4j_store.upsert(_extract(("summit.txt", FIVE, "Veloria Herald"), ("signing.txt", SIGNING, "Veloria Herald")))
    keys = sorted(r.key for r in neo4j_store.relations())
    whole, events = neo4j_store.relations_by_key(keys), neo4j_store.events()
    assert len(keys) > 2 and all(c.sentence for e in events for c in e.citations)
    asked: list[int] = []
    rows = neo4j_store._rows
    monkeypatch.setattr(neo4j_store, "_rows", lambda query, **params: (asked.append(len(params.get("keys", ()))),
                                                                       rows(query, **params))[1])
    monkeypatch.setattr(cypher, "KEYS_PER_READ", 2)
    assert neo4j_store.relations_by_key(keys) == whole
    assert neo4j_store.events() == events
    assert asked and max(asked) == 2  # the relations and the events' sentences, two keys a read


def test_the_same_signing_from_two_outlets_is_one_event_with_two_sources(store: GraphStore):
    batch = _extract(("herald.txt", SIGNING, "Veloria Herald"),
                     ("courier.txt", "On 11 March 2026, Marenzia and Veloria signed a defence cooperation "
                                     "agreement in Castel Vor.", "Marenzia Courier"))
    store.upsert(batch)
    (ev,) = _events(store, RelType.SIGNED)
    assert sorted(ev.articles) == ["courier.txt", "herald.txt"]
    assert {p.role for p in ev.participants} == {"signatory"}
    from graph.queries.events import find_events
    (found,) = find_events(store, types=[RelType.SIGNED])
    assert (found.corroboration.articles, found.corroboration.sources) == (2, 2)
    assert found.codes.cameo == "057" and found.codes.plover == "SUPPORT"
    assert find_events(store, types=[RelType.SIGNED], min_sources=3) == []


def test_roles_by_type_visit_and_offer():
    batch = _extract(("v.txt", "Gen Tomas Reyvik visited Ostrland on 9 March 2026. Veloria offered 12 fighter jets "
                               "to Marenzia on 10 March 2026.", None))
    (visit,) = _events(batch, RelType.VISITED)
    assert {(p.actor, p.role) for p in visit.participants} == {("person:tomas-reyvik", "visitor"),
                                                               ("state:ostrland", "host")}
    (offer,) = _events(batch, RelType.OFFERED)
    assert {(p.actor, p.role) for p in offer.participants} == {("state:veloria", "offerer"),
                                                               ("state:marenzia", "recipient")}
    assert batch.to_dict()["events"][0]["codes"]  # the graph JSON carries the codes


def test_reingest_is_a_no_op_and_events_survive_curation(store: GraphStore):
    batch = _extract(("summit.txt", FIVE, "Veloria Herald"))
    store.upsert(batch)
    before, version = store.snapshot().to_dict(), store.version()
    assert not store.upsert(_extract(("summit.txt", FIVE, "Veloria Herald"))).changed
    assert store.version() == version and store.snapshot().to_dict() == before
    # a judgement rebuilds the graph from the kept contributions: the event follows the merge
    from graph.curation import ArticleSource
    store.upsert(GraphBatch(), [ArticleSource(id="summit.txt", text=FIVE, meta={}, raw=batch)])
    store.judge("same", "person:anna-kolv", "person:piet-varn")
    (ev,) = _events(store, RelType.MET)
    assert len(ev.actors) == 4 and "person:piet-varn" not in ev.actors
    assert len([r for r in store.relations() if r.type is RelType.MET]) == 6


# -- the model ---------------------------------------------------------------------------------

def test_event_id_is_the_same_however_a_sentence_orders_the_parties():
    cite = [Provenance("a.txt", "s", 0, 1)]
    one = Event(RelType.MET, "2026-03-09", [Participant(a, "participant") for a in ("x:b", "x:a", "x:c")], citations=cite)
    two = Event(RelType.MET, "2026-03-09", [Participant("x:c", "participant"),
                                            Participant("x:a", "participant", 1), Participant("x:b", "participant", 1)])
    assert one.id == two.id and one.id.startswith("event:met:2026-03-09:")
    assert Event(RelType.MET, "2026-03", one.participants).id != one.id  # the date is part of it
    assert len(one.pairs()) == 3 and len(two.pairs()) == 2  # a group: all pairs; two sides: across


def test_events_read_back_off_edges_of_a_graph_json_from_before_events():
    cite = Provenance("a.txt", "A, B and C met.", 0, 15)
    rels = [Relation(a, b, RelType.MET, date="2026-01-02", provenance=[cite])
            for a, b in (("p:a", "p:b"), ("p:a", "p:c"), ("p:b", "p:c"))]
    (ev,) = events_from_relations(rels)
    assert ev.actors == ["p:a", "p:b", "p:c"] and {r.key for r in ev.relations()} == {r.key for r in rels}
    legacy = {"nodes": [], "edges": [r.to_dict() for r in rels], "articles": []}  # no "events" key
    assert list(GraphBatch.from_dict(legacy).events) == [ev.id]


# -- codes -----------------------------------------------------------------------------------

@pytest.mark.parametrize("what, cameo", [("12 fighter jets", "0332"), ("a loan of 40 million euros", "0331"),
                                         ("humanitarian relief", "0333"), ("to mediate", "039"),
                                         ("training slots", "031"), ("its good offices", "030")])
def test_an_offer_gets_the_03x_of_what_is_offered(what, cameo):
    codes = codes_for(RelType.OFFERED, what=what)
    assert codes.cameo == cameo and codes.plover == "AGREE"
    assert codes in [c for _, c in OFFER_CODES] + [CODES[(RelType.OFFERED, "")]]


def test_a_meeting_at_a_third_place_is_044_and_at_home_040():
    types = {"state:veloria": "State", "state:ostrland": "State", "state:marenzia": "State",
             "place:halvik": "Place", "p:a": "Person", "p:b": "Person"}
    structure = [("p:a", "state:veloria"), ("p:b", "state:ostrland"), ("place:halvik", "state:marenzia")]
    from graph.model.event_codes import state_lookup
    state_of = state_lookup(types, structure)
    third = codes_for(RelType.MET, place="place:halvik", participants=["p:a", "p:b"], state_of=state_of)
    assert third == CODES[(RelType.MET, "third-party")] and third.cameo == "044" and third.mode == "third-party"
    home = state_lookup(types, [*structure[:2], ("place:halvik", "state:ostrland")])
    assert codes_for(RelType.MET, place="place:halvik", participants=["p:a", "p:b"], state_of=home).cameo == "040"
    assert codes_for(RelType.VISITED).cameo == "042" and codes_for(RelType.SIGNED).cameo == "057"


# -- the embedded store's schema migration -----------------------------------------------------

def test_a_schema_2_store_gains_its_events_on_open(tmp_path: Path):
    path = tmp_path / DB_FILE
    store = EmbeddedStore(path)
    store.upsert(_extract(("summit.txt", FIVE, "Veloria Herald")))
    store.close()
    db = sqlite3.connect(path)  # make it a schema-2 file: no events tables
    db.executescript("DROP TABLE events; DROP TABLE event_participants; "
                     "PRAGMA user_version = 2;")
    db.close()
    reopened = EmbeddedStore(path)
    assert reopened._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    (ev,) = _events(reopened, RelType.MET)
    assert len(ev.actors) == 5 and len(ev.pairs()) == 10


# -- the routes ------------------------------------------------------------------------------

@pytest.fixture
def events_client(store: GraphStore):
    store.upsert(_extract(("summit.txt", FIVE, "Veloria Herald"), ("herald.txt", SIGNING, "Veloria Herald"),
                          ("courier.txt", "Marenzia and Veloria signed a defence cooperation agreement on "
                                          "11 March 2026.", "Marenzia Courier")))
    with TestClient(create_app(store, settings=settings())) as c:
        yield c


def test_get_events_filters_by_actor_type_dates_and_sources(events_client: TestClient):
    everything = events_client.get("/events").json()
    assert everything["total"] == 2 and [e["type"] for e in everything["items"]] == ["MET", "SIGNED"]
    met = everything["items"][0]
    assert met["edges"] == 10 and len(met["participants"]) == 5 and met["codes"]["cameo"] == "040"
    assert events_client.get("/events", params={"actor": "state:veloria"}).json()["total"] == 1
    assert events_client.get("/events", params={"type": "MET"}).json()["items"][0]["id"] == met["id"]
    assert events_client.get("/events", params={"since": "2026-03-10"}).json()["total"] == 1
    assert events_client.get("/events", params={"until": "2026-03-09"}).json()["total"] == 1
    two = events_client.get("/events", params={"min_sources": 2}).json()
    assert [e["type"] for e in two["items"]] == ["SIGNED"] and two["items"][0]["corroboration"]["sources"] == 2
    page = events_client.get("/events", params={"limit": 1, "offset": 1}).json()
    assert page["total"] == 2 and [e["type"] for e in page["items"]] == ["SIGNED"]


def test_get_event_by_id_and_clear_errors(events_client: TestClient):
    met = events_client.get("/events", params={"type": "MET"}).json()["items"][0]
    detail = events_client.get(f"/events/{met['id']}").json()
    assert detail["citations"][0]["sentence"] == FIVE and len(detail["relations"]) == 10
    assert {p["role"] for p in detail["participants"]} == {"participant"}
    missing = events_client.get("/events/event:met:2026-01-01:000000000000")
    assert missing.status_code == 404 and "no event" in missing.json()["detail"]
    assert events_client.get("/events", params={"actor": "person:nobody"}).status_code == 404
    for bad in ({"type": "MEMBER_OF"}, {"type": "HUGGED"}, {"min_sources": 0}, {"since": "2026-13"}):
        r = events_client.get("/events", params=bad)
        assert r.status_code == 422, bad


def test_subgraph_json_carries_the_events(events_client: TestClient):
    got = events_client.get("/subgraph", params={"center": "person:tomas-reyvik", "depth": 1}).json()
    assert [len(e["participants"]) for e in got["events"]] == [5]
    assert len([e for e in got["edges"] if e["type"] == "MET"]) == 10  # the edges as before


# -- exports -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def summit() -> GraphBatch:
    return _extract(("summit.txt", FIVE, "Veloria Herald"), ("herald.txt", SIGNING, "Veloria Herald"))


def test_graphml_and_gexf_carry_events_as_nodes_with_in_event_edges(summit: GraphBatch):
    import networkx as nx
    plain = nx.read_graphml(io.BytesIO(export(summit, "graphml")))  # by default, actors and relations only
    assert not [n for n, d in plain.nodes(data=True) if d.get("type") == "Event"]
    g = nx.read_graphml(io.BytesIO(export(summit, "graphml", events=True)))
    events = [n for n, d in g.nodes(data=True) if d.get("type") == "Event"]
    assert len(events) == 2
    roles = [d["role"] for _, t, d in g.edges(data=True) if d.get("relation") == "IN_EVENT"]
    assert len(roles) == 7 and set(roles) == {"participant", "signatory"}
    gexf = export(summit, "gexf")
    schema = SCHEMAS / "gexf-1.3" / "gexf.xsd"
    if not schema.exists():
        pytest.fail(f"the shared GEXF schema is missing: {schema}")
    etree.XMLSchema(etree.parse(str(schema))).assertValid(etree.fromstring(gexf))
    h = nx.read_gexf(io.BytesIO(gexf))
    assert sum(1 for _, d in h.nodes(data=True) if d.get("type") == "Event") == 2


def test_cypher_csv_report_and_json_carry_events(summit: GraphBatch):
    cypher = export(summit, "cypher").decode()
    assert "MERGE (e:Event {id: row.id})" in cypher and "IN_EVENT" in cypher
    archive = zipfile.ZipFile(io.BytesIO(export(summit, "neo4j-csv")))
    events = list(csv.DictReader(io.StringIO(archive.read("events.csv").decode())))
    assert sorted(e["type"] for e in events) == ["MET", "SIGNED"]
    assert len(list(csv.DictReader(io.StringIO(archive.read("in_event.csv").decode())))) == 7
    html = export(summit, "html").decode()
    assert '<section id="events">' in html and "057 Sign formal agreement" in html
    assert len(json.loads(export(summit, "json"))["events"]) == 2


def test_plover_export_has_polecat_shaped_records(summit: GraphBatch):
    records = json.loads(export(summit, "plover"))
    by_type = {r["ag_type"]: r for r in records}
    met, signed = by_type["MET"], by_type["SIGNED"]
    for r in records:
        assert {"id", "date", "source", "target", "event", "mode", "context", "text", "eventText"} <= set(r)
    assert met["event"] == "CONSULT" and met["ag_cameo"] == "040" and len(met["source"]) == 5
    assert met["target"] == [] and met["text"] == FIVE  # a group: one compound source
    assert signed["event"] == "SUPPORT" and signed["context"] == "diplomatic" and signed["ag_cameo"] == "057"
    assert {a["actorText"] for a in signed["source"]} == {"Veloria", "Marenzia"}


def test_the_events_command_lists_them_with_roles_and_codes(tmp_path: Path, monkeypatch, capsys):
    from service.cli import main
    store = EmbeddedStore(tmp_path / "data" / DB_FILE)
    store.upsert(_extract(("summit.txt", FIVE, "Veloria Herald"), ("herald.txt", SIGNING, "Veloria Herald")))
    store.close()
    from service.settings import get_settings
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    monkeypatch.setenv("ACTORGRAPH_DATA", str(tmp_path / "data"))
    get_settings.cache_clear()  # the settings of this environment, and none left for later tests
    try:
        _events_command(main, capsys)
    finally:
        get_settings.cache_clear()


def _events_command(main, capsys) -> None:
    assert main(["events", "--type", "SIGNED", "--format", "json"]) == 0
    (signed,) = json.loads(capsys.readouterr().out)
    assert signed["codes"]["cameo"] == "057" and {p["role"] for p in signed["participants"]} == {"signatory"}
    assert main(["events", "--actor", "state:marenzia"]) == 0
    assert "SIGNED" in capsys.readouterr().out
    assert main(["events", "--type", "MEMBER_OF"]) != 0
    assert "unknown event type" in capsys.readouterr().err
