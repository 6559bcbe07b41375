"""The Neo4j store's version: the database's last committed transaction, so no write transaction
locks a shared node to bump it; it changes with any client's committed write, and only then."""
from __future__ import annotations

import threading

import pytest

from bench.ingest import synthetic_batch
from graph.model import GraphBatch
from graph.stores.neo4j.store import Neo4jStore, _write_actors
from tests.factories import first_report

pytestmark = pytest.mark.neo4j


def test_another_clients_write_changes_the_version_and_a_read_does_not(neo4j_store: Neo4jStore):
    neo4j_store.upsert(first_report())
    before = neo4j_store.version()
    neo4j_store.driver.execute_query("MATCH (a:Actor) RETURN count(a) AS n", database_=neo4j_store.database)
    assert neo4j_store.version() == before
    # Not through the store: a Browser user's edit must invalidate the caches too.
    neo4j_store.driver.execute_query("MATCH (a:Actor) WITH a LIMIT 1 SET a.note = 'edited'",
                                     database_=neo4j_store.database)
    after = neo4j_store.version()
    assert after != before
    # Setting a property to the value it has commits nothing.
    neo4j_store.driver.execute_query("MATCH (a:Actor) WHERE a.note IS NOT NULL SET a.note = 'edited'",
                                     database_=neo4j_store.database)
    assert neo4j_store.version() == after


def test_a_wiped_database_never_repeats_a_version(neo4j_store: Neo4jStore):
    seen = [neo4j_store.version()]
    for _ in range(2):
        neo4j_store.upsert(first_report())
        seen.append(neo4j_store.version())
        neo4j_store.clear()
        seen.append(neo4j_store.version())
    assert len(set(seen)) == len(seen)


def test_a_write_commits_while_another_write_transaction_is_open(neo4j_store: Neo4jStore):
    """Two writers of disjoint actors: the second commits while the first still holds its locks.
    With a version node every changing transaction updated, the second waited for the first."""
    batch = synthetic_batch(200, seed=5)
    actors = sorted(batch.actors.values(), key=lambda a: a.id)
    first, second = actors[: len(actors) // 2], actors[len(actors) // 2:]
    done = threading.Event()
    errors: list[BaseException] = []

    def other_writer() -> None:
        try:
            neo4j_store.upsert(GraphBatch(actors={a.id: a for a in second}))
            done.set()
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        tx = session.begin_transaction()
        try:
            assert _write_actors(tx, first)[0].actors == len(first)  # written, not committed
            before = neo4j_store.version()
            thread = threading.Thread(target=other_writer, daemon=True)
            thread.start()
            committed = done.wait(60)
        finally:
            tx.rollback()
        thread.join(60)
    assert not errors, errors
    assert committed, "the second writer waited for the first writer's transaction to end"
    assert neo4j_store.version() != before
    assert {a.id for a in neo4j_store.actors()} == {a.id for a in second}
