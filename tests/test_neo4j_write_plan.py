"""The Neo4j store's write queries, as the real server plans them: no Eager barrier (which
materialises every row of a batch between operators), and relations found by their unique key."""
from __future__ import annotations

import pytest

from graph import cypher_queries as q
from graph.model import NodeType, RelType

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
    **{f"upsert_actors({t.value})": q.upsert_actors(t) for t in NodeType},
    "upsert_articles": q.upsert_articles(),
    "upsert_mentions": q.upsert_mentions(),
    "bump_version": q.bump_version(),
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
