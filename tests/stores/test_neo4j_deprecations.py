"""The suite's guard against deprecated Cypher (tests/conftest.py) sees what the server reports,
and the store's own reads, writes and analytics give it nothing to report."""
from __future__ import annotations

import pytest

from graph.stores.interface import RelationFilter
from tests.factories import both_reports

pytestmark = pytest.mark.neo4j


def test_a_deprecated_function_is_caught(neo4j_store, _deprecations):
    start = len(_deprecations.seen)
    neo4j_store.driver.execute_query("MATCH (a) RETURN id(a) AS n LIMIT 1", database_=neo4j_store.database)
    caught = _deprecations.seen[start:]
    del _deprecations.seen[start:]  # expected here: not a failure of this test
    assert len(caught) == 1 and "id(a)" in caught[0], caught


def test_the_stores_analytics_are_not_deprecated(neo4j_store, _deprecations):
    start = len(_deprecations.seen)
    neo4j_store.upsert(both_reports())
    version = neo4j_store.version()
    for metric in ("degree", "pagerank", "betweenness", "closeness"):
        if neo4j_store.analytics.gds:
            neo4j_store.analytics._gds_centrality(RelationFilter(), metric, version)
    compact = neo4j_store.analytics.compact(RelationFilter(), version)  # from GDS when it is there
    assert sorted(compact.names) == sorted(a.id for a in neo4j_store.actors())
    assert _deprecations.seen[start:] == []
