"""The embedded store's walks over its indexes (graph.analytics.path_search): neighbours, cited
articles and relations by id, the projection among some actors, each read straight from SQLite on
the calling thread's own read-only connection, so none waits for the cache or the main lock."""
from __future__ import annotations

import sqlite3
import threading
import weakref
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Iterator

import networkx as nx

from graph.analytics.projection import multidigraph, node_attrs
from graph.model import Article, Relation, RelType
from graph.model.reads import RelationFilter
from graph.stores.embedded.tables import REL_COLS, Reader, actor_of_row, edge_of_row, json_rows, relations_of_rows, select_in
from graph.stores.interface import GraphStore, StoreError

__all__ = ["IndexWalks"]


class IndexWalks(GraphStore):
    """The reads of an embedded store that need nothing of its in-memory cache; the store sets
    ``path``, ``_db`` and ``_lock`` (its main connection and lock) and the per-thread readers."""

    path: Path | None
    _db: sqlite3.Connection
    _lock: threading.RLock
    _readers: threading.local
    _reader_set: weakref.WeakSet[Reader]

    def _where(self, message: str) -> str:  # the store's names its data folder
        return message

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """A read transaction for reads that need nothing of the in-memory cache, on this thread's
        own read-only connection for a file (so it neither queues behind another thread holding
        the main lock, a projection being built, nor makes it wait), on the main one under its
        lock for an in-memory database, which a second connection cannot see."""
        if self.path is None:
            db, lock = self._db, self._lock
        else:
            reader = getattr(self._readers, "reader", None)
            if reader is None:
                try:
                    reader = Reader(self.path, getattr(self, "read_only_uri", None))
                except sqlite3.Error as exc:
                    raise StoreError(self._where(f"cannot read the embedded store: {exc}")) from exc
                self._reader_set.add(reader)
                self._readers.reader = reader
            db, lock = reader.db, nullcontext()
        with lock:
            try:
                if db.in_transaction:  # the main connection, inside this thread's own write
                    yield db
                    return
                db.execute("BEGIN")  # one snapshot for every chunk read
                try:
                    yield db
                finally:
                    db.commit()
            except sqlite3.Error as exc:
                raise StoreError(self._where(f"cannot read the embedded store: {exc}")) from exc

    def articles(self) -> list[Article]:
        with self._reading() as db:  # not the main lock: at 100k articles this read takes a while
            rows = db.execute("SELECT id, title, published, source, url, content_hash FROM articles "
                              "ORDER BY id").fetchall()
        return [Article(*row) for row in rows]

    def neighbours(self, actor_ids, flt: RelationFilter | None = None) -> dict[str, list[str]] | None:
        flt = flt or RelationFilter()
        if flt.min_sources:
            return None  # outlets are counted over the articles: no cheap per-row answer
        ids = list(actor_ids)
        plain = flt == RelationFilter()
        found: dict[str, dict[str, None]] = {}
        with self._reading() as db:
            for end, other in (("source", "target"), ("target", "source")):
                for u, v, type_, date in json_rows(db, f"{end}, {other}, type, date", f"relations WHERE {end}", ids):
                    if u != v and (plain or flt.accepts_fields(RelType(type_), date)):
                        found.setdefault(u, {})[v] = None
        return {u: list(near) for u, near in found.items()}

    def articles_by_id(self, ids) -> dict[str, Article]:
        with self._reading() as db:
            rows = list(select_in(db, "SELECT id, title, published, source, url, content_hash FROM articles "
                                               "WHERE id IN ({})", sorted(set(ids))))
        return {row[0]: Article(*row) for row in rows}

    def relations_by_key(self, keys) -> list[Relation]:
        with self._reading() as db:
            rows = list(select_in(db, f"SELECT {REL_COLS} FROM relations WHERE key IN ({{}})",
                                           sorted(set(keys))))
            cites = list(select_in(
                db, "SELECT relation, article, sentence, start_offset, end_offset, confidence FROM provenance "
                "WHERE relation IN ({}) ORDER BY seq", [r[0] for r in rows]))
        return relations_of_rows(rows, cites)

    def projection_among(self, actor_ids, flt: RelationFilter | None = None) -> nx.MultiDiGraph:
        flt = flt or RelationFilter()
        if flt.min_sources:
            return super().projection_among(actor_ids, flt)
        ids = sorted(set(actor_ids))
        with self._reading() as db:
            actors = json_rows(db, "id, type, name, aliases, rank, title", "actors WHERE id", ids)
            rels = json_rows(db, REL_COLS, "relations WHERE source", ids, among=True)
        # In id and key order, as projection() builds the whole graph.
        nodes = ((row[0], node_attrs(actor_of_row(row))) for row in sorted(actors))
        edges = ((s, t, key, e) for key, (s, t, e) in sorted((row[0], edge_of_row(row)) for row in rels)
                 if flt.accepts_fields(RelType(e["type"]), e["date"]))
        return multidigraph(nodes, edges)
