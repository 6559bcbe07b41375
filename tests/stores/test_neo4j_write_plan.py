"""The Neo4j store's write queries, as the real server plans them: no Eager barrier (which
materialises every row of a batch between operators), and relations found by their unique key."""
from __future__ import annotations

import pytest

from graph.stores.neo4j import cypher as q
from graph.model import GraphBatch, NodeType, RelType

pytestmark = pytest.mark.neo4j


def _operators(plan: dict) -> list[str]:
    """Every operator of an EXPLAIN plan, parent first, without the '@database' suffix."""
    out = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        out += _operators(child)
    return out


def _plan(neo4j_store, query: str) -> list[str]:
    # Empty parameters, so the server plans the query without warning of missing ones.
    params = {"rows": [], "keys": [], "props": [], "ids": []}
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        return _operators(session.run("EXPLAIN " + query, params).consume().plan)


WRITES = {
    **{f"upsert_relations({t.value})": q.upsert_relations(t) for t in RelType},
    **{f"create_relations({t.value})": q.create_relations(t) for t in RelType},
    **{f"upsert_actors({t.value})": q.upsert_actors(t) for t in NodeType},
    "upsert_articles": q.upsert_articles(),
    "upsert_mentions": q.upsert_mentions(),
    "write_mentions(create)": q.write_mentions(create=True),
    "write_mentions(merge)": q.write_mentions(create=False),
    "save_sources": q.save_sources(),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_write_plans_have_no_eager_barrier(neo4j_store, name):
    operators = _plan(neo4j_store, WRITES[name])
    assert not [op for op in operators if op.startswith("Eager") and op != "EagerAggregation"], operators


def test_relations_merge_in_one_streaming_locking_merge_found_by_the_unique_key(neo4j_store):
    """By the key's uniqueness constraint, never an Expand(Into) over the endpoints' relationships
    (at scale the planner chose that for a plain index, and a hub has thousands)."""
    merge = _plan(neo4j_store, q.upsert_relations(RelType.MET))
    assert merge.count("LockingMerge") == 1
    assert "DirectedRelationshipUniqueIndexSeek(Locking)" in merge, merge
    assert not {"EagerAggregation", "SetProperties", "Expand(Into)", "Expand(All)"} & set(merge), merge
    stored = _plan(neo4j_store, q.stored_relations(RelType.MET))
    assert "DirectedRelationshipUniqueIndexSeek" in stored, stored
    assert not {"Expand(All)", "Expand(Into)", "AllNodesScan", "NodeByLabelScan"} & set(stored), stored


def test_new_relations_and_mentions_are_created_without_a_merge_or_an_expand(neo4j_store):
    """What the store knows is new (no stored key; an article it has just created) it CREATEs: the
    endpoints by the element ids its earlier phases read, then one Create, no lock-and-look-again
    of a MERGE, and no walk of the id index."""
    for query in (q.create_relations(RelType.MET), q.write_mentions(create=True)):
        plan = _plan(neo4j_store, query)
        assert plan.count("Create") == 1 and plan.count("NodeByElementIdSeek") == 2, plan
        assert not {"LockingMerge", "Merge", "Expand(Into)", "Expand(All)", "NodeByLabelScan",
                    "NodeUniqueIndexSeek", "NodeUniqueIndexSeek(Locking)"} & set(plan), plan


def test_merged_relations_and_mentions_find_their_ends_by_element_id(neo4j_store):
    for query in (q.upsert_relations(RelType.MET), q.write_mentions(create=False)):
        plan = _plan(neo4j_store, query)
        assert plan.count("NodeByElementIdSeek") == 2, plan
        assert not {"NodeUniqueIndexSeek", "NodeUniqueIndexSeek(Locking)", "NodeByLabelScan"} & set(plan), plan


def test_a_relation_another_writer_created_meanwhile_is_merged_not_doubled(neo4j_store, monkeypatch):
    """The store creates the relations its read found absent; when another writer created one of
    them between that read and the CREATE, the key's uniqueness constraint refuses the transaction
    and the store writes the chunk again by MERGE: one relationship, the citations of both."""
    from graph.stores.neo4j import store as store_module
    from tests.factories import both_reports, first_report, second_report

    neo4j_store.upsert(first_report())
    # As if the read ran before the other writer's commit: it sees none of the stored relations.
    real = q.stored_relations
    monkeypatch.setattr(store_module.q, "stored_relations",
                        lambda rel_type: real(rel_type).replace("UNWIND $keys AS key", "UNWIND [] AS key"))
    neo4j_store.upsert(second_report())
    monkeypatch.setattr(store_module.q, "stored_relations", real)

    expected = both_reports()
    assert {r.key: r for r in neo4j_store.relations()} == dict(expected.relations)
    count = neo4j_store.driver.execute_query("MATCH (:Actor)-[r]->(:Actor) RETURN count(r) AS n",
                                             database_=neo4j_store.database).records[0]["n"]
    assert count == len(expected.relations)
    mentions = neo4j_store.driver.execute_query(
        "MATCH (a:Article)-[:MENTIONS]->(x:Actor) RETURN a.id AS article, x.id AS actor ORDER BY article, actor",
        database_=neo4j_store.database).records
    # Each upsert writes its own batch's mentions.
    assert [(r["article"], r["actor"]) for r in mentions] == sorted({*first_report().mentions(),
                                                                       *second_report().mentions()})


def test_an_element_id_of_another_node_matches_nothing(neo4j_store):
    """The writes find a relation's ends by the element ids the upsert read, checked against the
    actor ids: an element id now held by another node (a deleted actor's, reused) writes no
    relation, as a MATCH by a missing id would not, and a write of the right ids does."""
    from graph.stores.neo4j.store import _write_relations, relation_row
    from tests.factories import first_report

    batch = first_report()
    neo4j_store.upsert(GraphBatch(actors=batch.actors, articles=batch.articles))
    rel = next(r for r in batch.relations.values() if r.type is RelType.MET)
    elements = {r["id"]: r["element"] for r in neo4j_store.driver.execute_query(
        q.actor_elements(), ids=sorted(batch.actors), database_=neo4j_store.database).records[0]["rows"]}
    other = next(e for a, e in elements.items() if a not in (rel.source, rel.target))
    row = {**relation_row(rel), "s": other, "t": elements[rel.target]}
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        assert session.execute_write(_write_relations, RelType.MET, [row]).relations == 0
        assert neo4j_store.relations() == []
        row["s"] = elements[rel.source]
        assert session.execute_write(_write_relations, RelType.MET, [row]).relations == 1
    assert [r.key for r in neo4j_store.relations()] == [rel.key]
