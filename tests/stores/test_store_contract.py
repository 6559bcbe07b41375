"""The store contract: one suite run on every store (``store`` fixture), then each store's own
promises (the embedded store's file, Neo4j's layout and faults), then both stores side by side."""
from __future__ import annotations

import json
import logging
import socket
import sqlite3
from pathlib import Path

import networkx as nx
import pytest

from graph.stores.neo4j import cypher as cypher_queries
from graph.stores.embedded.store import EmbeddedStore
from graph.model import STRUCTURE_TYPES, Actor, Article, GraphBatch, NodeType, Relation, RelType, relation_key
from graph.stores.interface import (GraphStore, InvalidBatch, RelationFilter, StoreError, StoreNotWritable,
                         StoreUnavailable)
import graph.stores
from graph.stores import open_store
from tests.factories import ARTICLE_ONE, ARTICLE_TWO, both_reports, first_report, ids, second_report

MET_KEY = relation_key(RelType.MET, ids.anwar, ids.tariq, "2025-01-14")
SIGNED_KEY = relation_key(RelType.SIGNED, ids.pakistan, ids.bangladesh, "2025-01")


def edges(g: nx.MultiDiGraph) -> list[tuple]:
    return sorted((s, t, k, tuple(sorted(d.items()))) for s, t, k, d in g.edges(keys=True, data=True))


def nodes(g: nx.MultiDiGraph) -> list[tuple]:
    return sorted((n, json.dumps(d, sort_keys=True)) for n, d in g.nodes(data=True))


# -- the contract, on every store ---------------------------------------------------------------

def test_upsert_reads_back_the_batch(store: GraphStore):
    result = store.upsert(first_report())

    assert store.snapshot().to_dict() == first_report().to_dict()
    assert (result.actors, result.relations, result.provenance, result.articles, result.updated) == (10, 12, 8, 1, 0)
    tariq = store.get_actor(ids.tariq)
    assert tariq == first_report().actors[ids.tariq]
    assert tariq.rank == "General" and "Gen Qureshi" in tariq.aliases
    assert store.get_actor("person:nobody") is None
    assert [a.id for a in store.actors([NodeType.PERSON])] == [ids.anwar, ids.tariq]
    assert [a.id for a in store.actors([NodeType.STATE, NodeType.PLACE])] == \
        [ids.dhaka, ids.rawalpindi, ids.bangladesh, ids.pakistan]  # by id
    assert [a.id for a in store.articles()] == [ARTICLE_ONE]
    assert store.articles()[0].published == "2025-01-15"


def test_provenance_reads_back_in_order(store: GraphStore):
    store.upsert(first_report())
    met = {r.key: r for r in store.relations()}[MET_KEY]
    assert met.provenance == first_report().relations[MET_KEY].provenance
    assert [p.start for p in met.provenance] == [1043, 1150]
    assert met.provenance[1].confidence == 0.7
    assert met.place == ids.rawalpindi


def test_upsert_is_idempotent(store: GraphStore):
    store.upsert(first_report())
    before, version, stats = store.snapshot().to_dict(), store.version(), store.stats()

    again = store.upsert(first_report())

    assert not again.changed
    assert store.snapshot().to_dict() == before
    assert store.stats() == stats
    assert store.version() == version


def test_second_article_adds_citations_and_actors(store: GraphStore):
    store.upsert(first_report())
    result = store.upsert(second_report())

    # Selim is new; the meeting gains a citation; Selim's meeting and membership are new; the MoU
    # gains a citation and its place; Tariq gains an alias.
    assert (result.actors, result.relations, result.provenance, result.articles, result.updated) == (1, 2, 4, 1, 2)
    assert store.snapshot().to_dict() == both_reports().to_dict()
    met = [r for r in store.relations(RelationFilter(types=frozenset({RelType.MET}))) if r.date == "2025-01-14"]
    assert len(met) == 1
    assert met[0].articles == [ARTICLE_ONE, ARTICLE_TWO]
    assert len(met[0].provenance) == 3
    assert "CJCSC Gen Qureshi" in store.get_actor(ids.tariq).aliases
    assert {r.key for r in store.relations(actor_id=ids.selim)} == {
        relation_key(RelType.MET, ids.selim, ids.tariq, "2025-01-16"),
        relation_key(RelType.MEMBER_OF, ids.selim, ids.bd_afd),
    }
    signed = {r.key: r for r in store.relations()}[SIGNED_KEY]
    assert signed.place == ids.dhaka and len(signed.provenance) == 2


def test_upserting_the_reports_in_either_order_or_together_agrees(store: GraphStore):
    store.upsert(second_report())
    store.upsert(first_report())
    store.upsert(both_reports())
    # Actors merge symmetrically but name choice and alias order follow arrival; relations must agree.
    got = store.snapshot()
    assert sorted(got.relations) == sorted(both_reports().relations)
    assert {k: sorted(p.id for p in r.provenance) for k, r in got.relations.items()} == \
        {k: sorted(p.id for p in r.provenance) for k, r in both_reports().relations.items()}


def test_relations_touching_an_actor_include_both_directions(store: GraphStore):
    store.upsert(first_report())
    keys = {r.key for r in store.relations(actor_id=ids.anwar)}
    assert keys == {
        MET_KEY, relation_key(RelType.MET, ids.tariq, ids.anwar),
        relation_key(RelType.VISITED, ids.anwar, ids.factory, "2025-01-15"),
        relation_key(RelType.MEMBER_OF, ids.anwar, ids.bd_afd),
    }
    assert store.relations(actor_id="person:nobody") == []
    only_met = store.relations(RelationFilter(types=frozenset({RelType.MET}), since="2025-01-01"), actor_id=ids.anwar)
    assert [r.key for r in only_met] == [MET_KEY]


def test_relations_read_by_key_are_those_relations_with_their_citations(store: GraphStore):
    store.upsert(both_reports())
    every = {r.key: r for r in store.relations()}
    some = sorted(every)[::2]
    got = store.relations_by_key(some + ["MET|person:nobody|person:none|2025-01-01", "not a key"])
    assert got is not None and {r.key: r for r in got} == {k: every[k] for k in some}
    assert any(r.provenance for r in got)  # cited (the equality above: as relations() cites them)
    assert store.relations_by_key([]) == []


@pytest.mark.parametrize("flt, expected", [
    (RelationFilter(), 12),
    (RelationFilter(types=frozenset({RelType.MET})), 2),  # the undated one too: no date bound
    (RelationFilter(types=frozenset({RelType.MET}), since="2025-01-01"), 1),
    (RelationFilter(since="2025-01-15"), 2 + 7),  # the visit and the month-dated MoU, and structure
    (RelationFilter(until="2025-01-14"), 3 + 7),  # meeting, MoU (by prefix), offer, and structure
    (RelationFilter(since="2025-02"), 7),
    (RelationFilter(since="2025-01", until="2025-01"), 4 + 7),
    (RelationFilter(types=STRUCTURE_TYPES, since="2030"), 7),
    (RelationFilter(types=frozenset({RelType.SIGNED, RelType.OFFERED}), until="2024-12-31"), 0),
])
def test_filters_follow_relation_filter_accepts(store: GraphStore, flt: RelationFilter, expected: int):
    store.upsert(first_report())
    got = store.relations(flt)
    assert [r.key for r in got] == sorted(k for k, r in first_report().relations.items() if flt.accepts(r))
    assert len(got) == expected


def test_projection(store: GraphStore):
    store.upsert(first_report())
    g = store.projection()

    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == 10 and g.number_of_edges() == 12
    assert g.nodes[ids.tariq] == {"type": "Person", "name": "Tariq Hameed Qureshi",
                                  "aliases": ["General Tariq Hameed Qureshi", "Gen Qureshi"],
                                  "rank": "General", "title": "Chairman Joint Chiefs of Staff Committee"}
    assert g.edges[ids.anwar, ids.tariq, MET_KEY] == {"type": "MET", "key": MET_KEY, "date": "2025-01-14",
                                                       "place": ids.rawalpindi, "what": None}
    events = store.projection(RelationFilter(types=frozenset({RelType.MET, RelType.VISITED}), since="2025-01-01"))
    assert events.number_of_nodes() == 10  # every actor stays: algorithms see isolated ones too
    assert sorted(k for _, _, k in events.edges(keys=True)) == [
        MET_KEY, relation_key(RelType.VISITED, ids.anwar, ids.factory, "2025-01-15")]


def test_stats(store: GraphStore):
    assert store.stats() == {"nodes": {t.value: 0 for t in NodeType}, "relations": {t.value: 0 for t in RelType},
                             "articles": 0}
    store.upsert(first_report())
    store.upsert(second_report())
    assert store.stats() == {
        "nodes": {"Person": 3, "ArmedForce": 2, "State": 2, "Organization": 1, "Facility": 1, "Place": 2},
        "relations": {"MET": 3, "VISITED": 1, "SIGNED": 1, "OFFERED": 1, "MEMBER_OF": 3, "PART_OF": 2,
                      "LOCATED_IN": 3},
        "articles": 2,
    }


def test_version_changes_on_every_change_and_only_then(store: GraphStore):
    seen = [store.version()]
    store.upsert(first_report())
    seen.append(store.version())
    store.upsert(first_report())
    assert store.version() == seen[-1]

    alias_only = GraphBatch()
    alias_only.add_actor(Actor(id=ids.dhaka, type=NodeType.PLACE, name="Dhaka", aliases=["Dacca"]))
    result = store.upsert(alias_only)
    assert (result.updated, result.changed) == (1, True)
    seen.append(store.version())
    assert len(set(seen)) == 3


def test_refuses_a_relation_whose_endpoint_is_not_in_the_batch(store: GraphStore):
    batch = first_report()
    batch.add_relation(Relation(ids.tariq, "person:ghost", RelType.MET, date="2025-01-01"))
    with pytest.raises(InvalidBatch, match="person:ghost"):
        store.upsert(batch)
    assert store.stats()["relations"]["MET"] == 0


def test_ping(store: GraphStore):
    store.ping()


# -- the embedded store's file ------------------------------------------------------------------

def test_embedded_store_restart_keeps_the_graph(embedded_path: Path):
    with EmbeddedStore(embedded_path) as store:
        store.upsert(first_report())
        store.upsert(second_report())
        version = store.version()

    reopened = EmbeddedStore(embedded_path)
    assert reopened.snapshot().to_dict() == both_reports().to_dict()
    assert reopened.version() == version
    assert not reopened.upsert(second_report()).changed


def test_embedded_store_without_a_path_writes_nothing(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = open_store("embedded")
    store.upsert(first_report())
    store.close()
    assert list(tmp_path.iterdir()) == []


def test_open_store_embedded_keeps_its_database_under_the_data_dir(tmp_path: Path):
    store = open_store("embedded", data_dir=tmp_path / "data")
    store.upsert(first_report())
    assert (tmp_path / "data" / "graph.sqlite").exists()
    assert open_store("embedded", data_dir=tmp_path / "data").stats() == store.stats()


def test_open_store_takes_the_old_name_memory_for_the_embedded_store(tmp_path: Path, caplog, monkeypatch):
    monkeypatch.setattr(graph.stores, "_noticed", set())  # the notice is once per process
    with caplog.at_level(logging.WARNING, logger="actorgraph.store"):
        store = open_store("memory", data_dir=tmp_path)
        open_store("memory", data_dir=tmp_path).close()
    assert isinstance(store, EmbeddedStore) and store.name == "embedded"
    assert [r.getMessage() for r in caplog.records] == ["the store 'memory' is now called 'embedded'; 'memory' still works"]
    store.close()


def test_open_store_refuses_an_unknown_kind():
    with pytest.raises(StoreError, match="unknown store 'sqlite'"):
        open_store("sqlite")


def test_embedded_store_imports_an_old_graph_file_once(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "graph.json").write_text(json.dumps({"format": "actorgraph-graph/1", "version": 3,
                                                 **both_reports().to_dict()}))
    with open_store("embedded", data_dir=data) as store:
        assert store.snapshot().to_dict() == both_reports().to_dict()
        store.upsert(GraphBatch(articles={"extra.txt": Article(id="extra.txt")}))
    # Reopened: the database is not empty, so the file is not imported again over it.
    (data / "graph.json").write_text(json.dumps(first_report().to_dict()))
    with open_store("embedded", data_dir=data) as store:
        assert [a.id for a in store.articles()] == sorted([*both_reports().articles, "extra.txt"])
        assert store.snapshot().relations.keys() == both_reports().relations.keys()


def test_embedded_store_refuses_a_corrupt_old_file(embedded_path: Path):
    embedded_path.parent.mkdir(parents=True)
    embedded_path.write_text('{"nodes": [{"id": "person:x", "type": "Pers')
    with pytest.raises(StoreError, match="cannot import the graph file"):
        EmbeddedStore(embedded_path)


def test_embedded_store_failed_write_changes_nothing_and_is_reported(embedded_path: Path, monkeypatch):
    store = EmbeddedStore(embedded_path)
    store.upsert(first_report())
    version = store.version()
    # A write that fails half way (as a full disk fails it): the transaction is rolled back whole.
    real = store._upsert_relations

    def disk_full(*args):
        real(*args)
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_upsert_relations", disk_full)
    with pytest.raises(StoreNotWritable, match="data folder"):
        store.upsert(second_report())
    assert store.degraded() is not None
    assert store.version() == version
    assert EmbeddedStore(embedded_path).snapshot().to_dict() == first_report().to_dict()
    monkeypatch.undo()
    store.upsert(second_report())
    assert store.degraded() is None
    assert EmbeddedStore(embedded_path).snapshot().to_dict() == both_reports().to_dict()


# -- Neo4j: the layout Browser users query, and the faults --------------------------------------

@pytest.mark.neo4j
def test_neo4j_layout_for_browser_users(neo4j_store):
    neo4j_store.upsert(first_report())
    neo4j_store.upsert(second_report())
    records = neo4j_store.driver.execute_query(
        "MATCH (a:Actor)-[r:MET {key: $key}]-(b:Actor) WHERE a.id < b.id "
        "RETURN labels(a) AS labels, a.name AS a, b.name AS b, r.sentences AS sentences, r.articles AS articles",
        key=MET_KEY, database_=neo4j_store.database).records
    assert len(records) == 1
    assert sorted(records[0]["labels"]) == ["Actor", "Person"]
    assert records[0]["articles"] == [ARTICLE_ONE, ARTICLE_ONE, ARTICLE_TWO]
    assert len(records[0]["sentences"]) == 3
    articles = neo4j_store.driver.execute_query(
        "MATCH (a:Article {id: $id}) RETURN a.title AS title, a.published AS published",
        id=ARTICLE_ONE, database_=neo4j_store.database).records
    assert articles[0]["published"] == "2025-01-15"


@pytest.mark.neo4j
def test_neo4j_schema_is_applied_and_reapplies(neo4j_store):
    neo4j_store.ensure_schema()  # a second time: IF NOT EXISTS makes it a no-op
    found = {r["name"] for r in neo4j_store.driver.execute_query(
        "SHOW CONSTRAINTS YIELD name RETURN name", database_=neo4j_store.database).records}
    assert {"actor_id", "article_id"} <= found


@pytest.mark.neo4j
def test_neo4j_small_batches_write_the_same_graph(neo4j_driver, neo4j_store):
    from graph.stores.neo4j.store import Neo4jStore
    small = Neo4jStore(neo4j_driver, neo4j_store.database, batch_size=3)
    result = small.upsert(both_reports())
    assert (result.actors, result.relations) == (11, 14)
    assert small.snapshot().to_dict() == both_reports().to_dict()


@pytest.mark.neo4j
def test_neo4j_wrong_password_is_unavailable_naming_the_uri(neo4j_driver, neo4j_env):
    from graph.stores.neo4j.store import connect
    with pytest.raises(StoreUnavailable, match="credentials") as info:
        connect(neo4j_env.uri, neo4j_env.user, "not-the-password", neo4j_env.database)
    assert neo4j_env.uri in str(info.value)


def test_neo4j_closed_port_is_unavailable_naming_the_uri():
    from graph.stores.neo4j.store import connect
    with socket.socket() as s:  # a port nothing listens on: bind one, then let it go
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    uri = f"bolt://127.0.0.1:{port}"
    with pytest.raises(StoreUnavailable) as info:
        connect(uri, "neo4j", "whatever", connection_timeout=5)
    assert uri in str(info.value)
    with pytest.raises(StoreUnavailable, match=f"127.0.0.1:{port}"):
        open_store("neo4j", uri=uri, password="whatever")


def test_schema_file_makes_every_relation_key_unique():
    statements = cypher_queries.schema_statements()
    assert all("IF NOT EXISTS" in s or s.startswith(("DROP INDEX", "DROP CONSTRAINT")) and s.endswith("IF EXISTS") for s in statements)
    for t in RelType:
        # The uniqueness constraint's index is what the store's MERGE seeks a relation by.
        assert any(f"[r:{t.value}]-() REQUIRE r.key IS UNIQUE" in s for s in statements), t


@pytest.mark.neo4j
def test_schema_replaces_the_old_key_indexes_with_constraints(neo4j_store):
    """A database made before the constraints (a plain index per key) takes them when the store opens."""
    from graph.stores.neo4j.store import Neo4jStore
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        session.run("DROP CONSTRAINT met_key_unique IF EXISTS").consume()
        session.run("CREATE INDEX met_key IF NOT EXISTS FOR ()-[r:MET]-() ON (r.key)").consume()
    store = Neo4jStore(neo4j_store.driver, neo4j_store.database)
    store.upsert(first_report())
    assert store.snapshot().to_dict() == first_report().to_dict()
    records = neo4j_store.driver.execute_query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties").records
    unique = {r["labelsOrTypes"][0] for r in records if r["type"] == "RELATIONSHIP_UNIQUENESS" and r["properties"] == ["key"]}
    assert unique == {t.value for t in RelType}
    names = {r["name"] for r in neo4j_store.driver.execute_query("SHOW INDEXES YIELD name").records}
    assert "met_key" not in names and "met_key_unique" in names


def test_batched():
    from graph.stores.neo4j.store import batched
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batched([], 3)) == []


# -- both stores, same batches, same graph ------------------------------------------------------

@pytest.mark.neo4j
def test_embedded_and_neo4j_hold_the_same_graph(neo4j_store, embedded_path: Path):
    embedded = EmbeddedStore(embedded_path)
    for batch in (first_report(), second_report(), first_report()):
        assert embedded.upsert(batch) == neo4j_store.upsert(batch)
    assert neo4j_store.snapshot().to_dict() == embedded.snapshot().to_dict()
    assert nodes(neo4j_store.projection()) == nodes(embedded.projection())
    assert edges(neo4j_store.projection()) == edges(embedded.projection())
    assert neo4j_store.stats() == embedded.stats()


# -- the example articles, through the extractor, into both stores -------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def seed_batches() -> list[dict]:
    """One graph JSON per example file, as the extractor gives them (upserted one by one)."""
    from loaders.pipeline import Extractor, extract_paths
    extractor = Extractor(extra_vocab=(str(EXAMPLES / "vocab"),))
    out = []
    for path in sorted((EXAMPLES / "articles").iterdir()):
        result = extract_paths([path], extractor=extractor)
        assert not result.errors, result.errors
        out.append(result.batch.to_dict())
    assert len(out) >= 4
    return out


def test_sample_corpus_reads_back(store: GraphStore, seed_batches: list[dict]):
    for data in seed_batches:
        store.upsert(GraphBatch.from_dict(data))
    expected = GraphBatch.merged(GraphBatch.from_dict(d) for d in seed_batches)
    assert expected.relations, "the extractor found no relations in the example articles"
    assert store.snapshot().to_dict() == expected.to_dict()
    version = store.version()
    assert not store.upsert(expected).changed
    assert store.version() == version


@pytest.mark.neo4j
def test_sample_corpus_gives_the_same_graph_in_both_stores(seed_batches, neo4j_store, embedded_path: Path):
    embedded = EmbeddedStore(embedded_path)
    for data in seed_batches:
        assert embedded.upsert(GraphBatch.from_dict(data)) == neo4j_store.upsert(GraphBatch.from_dict(data))
    assert neo4j_store.snapshot().to_dict() == embedded.snapshot().to_dict()
    assert nodes(neo4j_store.projection()) == nodes(embedded.projection())
    assert edges(neo4j_store.projection()) == edges(embedded.projection())
    assert neo4j_store.stats() == embedded.stats()
