"""The Neo4j store's parallel writers (graph.stores.neo4j.writers): chunks at once, each in its own
transaction, give the graph one writer gives; a failing chunk stops the rest and is raised."""
from __future__ import annotations

import gc
import threading
import time

import pytest

from bench.ingest import synthetic_batch, with_events
from graph.stores.neo4j import cypher as q
from graph.stores.neo4j.store import Neo4jStore, batched
from graph.stores.neo4j.writers import Writers, cycles_uncollected


def test_batched_by_weight_keeps_rows_whole_and_under_the_size():
    rows = [3, 1, 4, 1, 5, 9, 2, 6]
    chunks = list(batched(rows, 6, weight=lambda r: r))
    assert [row for chunk in chunks for row in chunk] == rows
    assert chunks == [[3, 1], [4, 1], [5], [9], [2], [6]]  # 9 is heavier than the size: alone
    assert list(batched(rows, 3)) == [[3, 1, 4], [1, 5, 9], [2, 6]]


def test_mention_rows_group_each_articles_mentions_once():
    batch = synthetic_batch(300, seed=3)
    rows = q.mention_rows(batch.mentioned())
    assert len({row["article"] for row in rows}) == len(rows)
    assert sorted((row["article"], actor) for row in rows for actor in row["actors"]) == batch.mentions()


def test_the_cycle_collector_is_back_after_the_last_of_overlapping_users():
    assert gc.isenabled()
    inside = threading.Event()
    release = threading.Event()

    def other() -> None:
        with cycles_uncollected():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with cycles_uncollected():
        thread.start()
        assert inside.wait(5)
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread is still building
    release.set()
    thread.join(5)
    assert gc.isenabled()
    gc.disable()
    try:
        with cycles_uncollected():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()


class _Session:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Driver:
    """Sessions only: the tasks here never touch a server."""

    def session(self, **_):
        return _Session()


def test_a_failing_chunk_is_raised_and_the_chunks_not_started_are_dropped():
    started: list[int] = []

    def task(_session, n: int) -> int:
        started.append(n)
        if n == 1:
            raise RuntimeError("chunk 1 refused")
        time.sleep(0.3 if n == 0 else 0.05)
        return n

    with pytest.raises(RuntimeError, match="chunk 1 refused"):
        with Writers(_Driver(), "neo4j", 2) as writers:
            writers.start(task, [(n,) for n in range(40)]).results()
    assert 0 in started and len(started) < 10, started
    # An exception of the caller's own leaving the block drops what has not started too.
    started.clear()
    with pytest.raises(KeyError):
        with Writers(_Driver(), "neo4j", 2) as writers:
            writers.start(lambda _s, n: started.append(n) or time.sleep(0.05), [(n,) for n in range(40)])
            raise KeyError("the caller's own")
    assert len(started) < 10, started


@pytest.mark.parametrize("n", [1, 3])
def test_phases_give_each_chunks_result_in_order(n):
    order: list[str] = []
    with Writers(_Driver(), "neo4j", n) as writers:
        first = writers.start(lambda _s, x: order.append(f"a{x}") or x * x, [(x,) for x in range(12)])
        second = writers.start(lambda _s, chunk: order.append("b") or len(chunk), [[1, 2], [3]])
        assert first.results() == [x * x for x in range(12)]
        assert second.results() == [2, 1]
    assert sorted(order) == sorted([f"a{x}" for x in range(12)] + ["b", "b"])
    if n == 1:
        assert order == [f"a{x}" for x in range(12)] + ["b", "b"]


@pytest.mark.neo4j
@pytest.mark.parametrize("writers", [1, 3])
def test_parallel_writers_write_the_graph_one_writer_writes(neo4j_driver, neo4j_store, writers):
    """Small chunks of a graph with hubs, so chunks of one phase lock the same actors at once."""
    batch = with_events(synthetic_batch(400, seed=5))
    store = Neo4jStore(neo4j_driver, neo4j_store.database, batch_size=15, writers=writers)
    result = store.upsert(batch)
    assert (result.actors, result.relations, result.articles) == (len(batch.actors), 400, len(batch.articles))
    assert result.events == len(batch.events) > 0
    assert store.snapshot().to_dict() == batch.to_dict()
    assert _parties(neo4j_driver, neo4j_store.database) == _parties_of(batch)
    mentions = neo4j_driver.execute_query(
        "MATCH (a:Article)-[:MENTIONS]->(x:Actor) RETURN a.id AS article, x.id AS actor ORDER BY article, actor",
        database_=neo4j_store.database).records
    assert [(r["article"], r["actor"]) for r in mentions] == batch.mentions()
    again = store.upsert(batch)
    assert (again.actors, again.relations, again.provenance, again.articles, again.events) == (0, 0, 0, 0, 0)


def _parties(driver, database) -> list[tuple]:
    """Every IN_EVENT edge as (event, actor, role, side), duplicates kept."""
    return sorted(tuple(r) for r in driver.execute_query(
        "MATCH (a:Actor)-[p:IN_EVENT]->(e:Event) RETURN e.id, a.id, p.role, p.side", database_=database).records)


def _parties_of(batch) -> list[tuple]:
    return sorted((e.id, p.actor, p.role, p.side) for e in batch.events.values() for p in e.participants)


@pytest.mark.neo4j
def test_two_stores_writing_the_same_events_at_once_write_each_once(neo4j_driver, neo4j_store):
    """Each upsert creates the events it read as absent; the other's CREATE of the same id makes the
    id's uniqueness constraint refuse one transaction, which merges that chunk instead."""
    batch = with_events(synthetic_batch(300, seed=11))
    stores = [Neo4jStore(neo4j_driver, neo4j_store.database, batch_size=10, writers=2) for _ in range(2)]
    failures: list[BaseException] = []

    def write(store: Neo4jStore) -> None:
        try:
            store.upsert(batch)
        except BaseException as exc:  # raised in the test's thread below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
    assert _parties(neo4j_driver, neo4j_store.database) == _parties_of(batch)
    assert store_events(neo4j_store) == sorted(e.id for e in batch.events.values())


def store_events(store: Neo4jStore) -> list[str]:
    return sorted(e.id for e in store.events())


@pytest.mark.neo4j
def test_an_upsert_writes_without_the_cycle_collector_and_turns_it_back_on(neo4j_store, monkeypatch):
    """The whole write runs without the collector (it would walk the batch's heap every few thousand
    rows); after it, and after one that fails, the collector is on again."""
    seen: list[bool] = []
    write = neo4j_store._write_graph

    def watched(batch):
        seen.append(gc.isenabled())
        return write(batch)

    monkeypatch.setattr(neo4j_store, "_write_graph", watched)
    assert gc.isenabled()
    neo4j_store.upsert(synthetic_batch(50, seed=5))
    assert seen == [False] and gc.isenabled()
    assert sum(neo4j_store.stats()["relations"].values()) == 50

    def failing(batch):
        raise RuntimeError("the write failed")

    monkeypatch.setattr(neo4j_store, "_write_graph", failing)
    with pytest.raises(RuntimeError):
        neo4j_store.upsert(synthetic_batch(50, seed=6))
    assert gc.isenabled()
