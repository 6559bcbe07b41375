"""Two ingests into one store at once give the graph the same ingests give one after the other
(``service.curation.ingest`` resolves and upserts holding ``GraphStore.writing``).

Each writer has its own store object (as two ``actorgraph ingest`` processes would: the embedded
store's lock is a file lock, Neo4j's a locked node), and both have read their articles before
either resolves one. The extractor is a stand-in whose resolution depends on the store as
spaCy's does: a name joins a stored actor holding it as name or alias, else it is a new actor."""
from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Callable

import pytest

from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType
from graph.stores.embedded.store import EmbeddedStore
from graph.stores.interface import GraphStore
from loaders.read import RawArticle
from service.curation import ingest
from tests.fake_extractor import ExtractsWhenResolving

FIRST = RawArticle(id="first.txt", text="Tomas Reyvik met Ilse Brandt.")
SECOND = RawArticle(id="second.txt", text="Reyvik met Brandt.")


class JoinsKnownNames(ExtractsWhenResolving):
    """'A met B.': each name joins an ``existing`` actor holding it, else is a new person whose
    last word is an alias. ``barrier``: reading waits there, so both writers have read first."""

    def __init__(self, barrier: threading.Barrier | None = None):
        self.barrier = barrier

    def readings(self, raws):
        read = [(raw, raw, None) for raw in raws]
        if self.barrier is not None:
            self.barrier.wait(timeout=30)
        return iter(read)

    def extract(self, raws, existing=()):
        batch = GraphBatch()
        for raw in raws:
            ends = []
            for name in re.match(r"(.+) met (.+)\.", raw.text).groups():
                known = next((a for a in existing if name == a.name or name in a.aliases), None)
                actor = known or Actor(id="person:" + name.lower().replace(" ", "-"), type=NodeType.PERSON,
                                       name=name, aliases=[name.split()[-1]] if " " in name else [])
                batch.add_actor(actor)
                ends.append(actor.id)
            batch.add_relation(Relation(source=ends[0], target=ends[1], type=RelType.MET, date="2031-03-03",
                                        provenance=[Provenance(raw.id, raw.text, 0, len(raw.text))]))
            batch.add_article(Article(id=raw.id))
        return batch


def graph_of(store: GraphStore) -> tuple[list[str], list[str]]:
    return sorted(a.id for a in store.actors()), sorted(r.key for r in store.relations())


def sequential(open_store: Callable[[str], GraphStore], order: list[RawArticle], name: str):
    store = open_store(name)
    for raw in order:
        ingest(store, JoinsKnownNames(), [raw])
    try:
        return graph_of(store)
    finally:
        store.close()


def concurrent(open_store: Callable[[str], GraphStore], name: str):
    """Both ingests at once; the graph, and which article the store took first."""
    stores = [open_store(name), open_store(name)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(store: GraphStore, raw: RawArticle) -> None:
        try:
            ingest(store, JoinsKnownNames(barrier), [raw])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(s, raw)) for s, raw in zip(stores, (FIRST, SECOND))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    try:
        return graph_of(stores[0]), [s.id for s in stores[0].sources()][0]
    finally:
        for s in stores:
            s.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def open_store(request, tmp_path: Path) -> Callable[[str], GraphStore]:
    """A new store object on the store called ``name`` (a folder; for Neo4j the one database,
    wiped when a new name is first asked for)."""
    if request.param == "embedded":
        return lambda name: EmbeddedStore(tmp_path / name / "graph.sqlite")
    from graph.stores.neo4j.store import Neo4jStore
    driver, database = request.getfixturevalue("neo4j_driver"), request.getfixturevalue("neo4j_env").database
    seen: set[str] = set()

    def opened(name: str) -> GraphStore:
        store = Neo4jStore(driver, database)
        if name not in seen:
            seen.add(name)
            store.clear()
        return store

    return opened


def test_the_stand_in_resolves_against_the_store_so_order_matters(open_store) -> None:
    # The premise: one after the other, the second article joins the first's actors...
    assert sequential(open_store, [FIRST, SECOND], "a")[0] == ["person:ilse-brandt", "person:tomas-reyvik"]
    # ...and the other way round it cannot (its names are too short to be joined later).
    assert len(sequential(open_store, [SECOND, FIRST], "b")[0]) == 4


@pytest.mark.parametrize("trial", range(6))  # either writer may take the lock first: each order is met
def test_two_ingests_at_once_give_the_graph_of_one_after_the_other(open_store, trial) -> None:
    found, first = concurrent(open_store, f"concurrent-{trial}")
    order = [FIRST, SECOND] if first == FIRST.id else [SECOND, FIRST]
    assert found == sequential(open_store, order, f"sequential-{trial}")
