"""The embedded store: the graph in a SQLite database (stdlib ``sqlite3``, WAL), networkx in memory.

Actors, relations, provenance and articles are tables; each upsert is one ``BEGIN IMMEDIATE``
transaction, so several processes (a service and CLI ingests) may write one data folder at once:
SQLite serialises their transactions and none loses another's writes. Every row carries the graph
version that last wrote it, so a process catches up on other processes' writes by reading only the
rows newer than what it holds (noticed through ``PRAGMA data_version``, checked before each read).
Each catch-up also logs which ids it read, so ``changes(version)`` can tell the cached views and
the resolver's name index what to patch instead of rebuilding (``graph.queries.views``, ``graph.analytics.projection``).
An upsert touches only the rows of its batch (B-tree lookups), so its cost does not grow with the
store. A committed upsert is on disk (``synchronous=FULL``); a process killed mid-upsert leaves the
previous graph, and the idempotent rerun completes it.

Without a path the database is private to the process (``:memory:``). A path ending in ``.json``
names the old graph file: the database goes beside it (``graph.sqlite``) and the file is imported
on first open.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import weakref
from collections import Counter, deque
from operator import itemgetter
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Collection, Iterable, Iterator

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # networkx loads where a projection is built, not when the store opens
    import networkx as nx

from graph.stores.embedded import events as sqlite_events
from graph.curation import ArticleSource, Curation, Judgement, rebuild_after
from graph.model.events import Event
from graph.model import Actor, Article, GraphBatch, NodeType, Relation, RelType
from graph.analytics.projection import bulk, multidigraph
from graph.model.sourcing import well_sourced, well_sourced_keys
from graph.stores.embedded.tables import (ARTICLE_COLS, BUSY_TIMEOUT_S, DB_FILE, LEGACY_FILE, REL_COLS, SCHEMA_VERSION,
                                          Reader, actor_of_row, cited_articles, copy_actor, edge_of_row, open_read_only,
                                          relations_of_rows, select_in)
from graph.stores.embedded.database import StoreLockUnavailable, folder_lock, open_database, where
from graph.stores.embedded.walks import IndexWalks
from graph.stores.interface import (Changes, RelationFilter, StoreError, StoreNotWritable, UpsertResult,
                                    check_batch, merge_actors)

__all__ = ["EmbeddedStore", "DB_FILE", "LEGACY_FILE", "BUSY_TIMEOUT_S"]  # the file names, kept here for callers

# While degraded (the last write failed), health probes try a tiny write at most this often.
PROBE_INTERVAL_S = 2.0
# Held by the writer that resolves and upserts (``writing``), in any process using the folder.
WRITING_LOCK_FILE = "writing.lock"
# Up to this many cited articles are read by id; more (a whole graph's), all in one read.
ARTICLES_BY_ID_MAX = 5_000
# The change log ``changes()`` answers from: the last syncs' changed ids. A sync changing more rows
# than MAX_LOGGED_ROWS (a bulk load) is not logged: a cache that old is cheaper rebuilt than patched.
CHANGE_LOG_SYNCS = 256
MAX_LOGGED_ROWS = 200_000

log = logging.getLogger("actorgraph.store")


class EmbeddedStore(IndexWalks):
    """The embedded store (kind ``embedded``): SQLite on disk, a networkx projection in memory.

    Thread-safe behind one lock around its one connection."""

    name = "embedded"

    def __init__(self, path: Path | str | None = None, *, legacy: Path | str | None = None,
                 busy_timeout: float = BUSY_TIMEOUT_S) -> None:
        """``path``: the database file; ``legacy``: a graph.json to import if the database is empty."""
        legacy = Path(legacy) if legacy is not None else None
        if path is not None:
            path = Path(path)
            if path.suffix == ".json":  # callers that still name the old file
                legacy, path = path, path.with_name(DB_FILE)
        self.path = path
        self.folder = path.parent if path is not None else None
        self._lock = threading.RLock()
        self._write_failure: str | None = None
        self.read_only_uri: str | None = None  # the URI opened when the folder could not be written
        self._last_probe = 0.0
        # The in-memory projection: actors and relations (without citations), as of _cache_ver.
        self._actors: dict[str, Actor] = {}
        # key -> (source, target, the projection's edge attributes): the unfiltered projection
        # shares the attribute dicts instead of making a million more.
        self._rels: dict[str, tuple[str, str, dict]] = {}
        self._rels_sorted, self._last_key = True, ""  # whether _rels is in key order, and its last key
        self._cache_ver = -1
        self._epoch: str | None = None  # bumped by writes that delete rows: the cache starts over
        # Per sync that moved _cache_ver on: (from, to, actor ids, relation keys, new articles).
        self._log: deque[tuple[int, int, list[str], list[str], list[Article]]] = deque(maxlen=CHANGE_LOG_SYNCS)
        self._article_rowid = 0  # the articles table's largest rowid seen (rows are only deleted in _replace)
        self._counts: tuple[Counter, Counter, int] = (Counter(), Counter(), 0)  # nodes, relations by type, articles
        self._data_version: int | None = None
        self._dirty = True
        self._db = self._connect(busy_timeout)
        # Per-thread read-only connections (_reading), all closed by close().
        # (A thread's ends with it: request threads come and go.)
        self._readers = threading.local()
        self._reader_set: weakref.WeakSet[Reader] = weakref.WeakSet()
        if legacy is not None and legacy.exists() and self._is_empty():
            self._import(legacy)

    # -- the database --------------------------------------------------------------------------

    def _connect(self, busy_timeout: float) -> sqlite3.Connection:
        try:
            return open_database(self.path, self.folder, busy_timeout)
        except (OSError, sqlite3.Error) as exc:
            if self.path is None or not self.path.exists():
                raise StoreNotWritable(self._where(f"cannot open the embedded store: {exc}")) from exc
            # A full or read-only disk at start: the graph on it is intact, so it is served
            # read-only; writes fail (StoreNotWritable) and ``degraded`` says why.
            return self._open_read_only(exc)

    def _open_read_only(self, cause: Exception) -> sqlite3.Connection:
        try:
            db, self.read_only_uri = open_read_only(self.path, BUSY_TIMEOUT_S)
        except sqlite3.Error as exc:
            raise StoreNotWritable(self._where(f"cannot open the embedded store, even read-only: {cause}; "
                                               f"{exc}")) from exc
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            db.close()
            raise StoreNotWritable(self._where(f"cannot open the embedded store: {cause} (and its schema is "
                                               f"too old to read without upgrading it)"))
        self._write_failure = self._where(f"opened read-only, its folder cannot be written: {cause}")
        self._last_probe = time.monotonic()
        log.warning("%s", self._write_failure)
        return db

    def _where(self, message: str) -> str:
        return where(self.folder, message)

    def _is_empty(self) -> bool:
        return self._db.execute("SELECT NOT EXISTS (SELECT 1 FROM actors) AND "
                                "NOT EXISTS (SELECT 1 FROM articles)").fetchone()[0] == 1

    def _import(self, legacy: Path) -> None:
        try:
            data = json.loads(legacy.read_text(encoding="utf-8"))
            batch = GraphBatch.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Refuse rather than start empty: the analyst's graph would look lost.
            raise StoreError(f"cannot import the graph file {legacy}: {exc}") from exc
        self.upsert(batch)
        log.info("imported %s into %s", legacy, self.path)

    # -- writes --------------------------------------------------------------------------------

    def upsert(self, batch: GraphBatch, sources: Iterable[ArticleSource] = ()) -> UpsertResult:
        check_batch(batch)
        return self._write(lambda: self._upsert(batch, list(sources)))

    def _write(self, work):
        """Run a write transaction, reporting a failing disk as StoreNotWritable."""
        with self._lock:
            if self.read_only_uri is not None:
                raise StoreNotWritable(self._write_failure or "the embedded store is read-only")
            try:
                result = work()
            except sqlite3.Error as exc:
                self._rollback()
                self._write_failure = self._where(f"cannot write the embedded store: {exc}")
                self._last_probe = time.monotonic()
                log.error("%s", self._write_failure)
                raise StoreNotWritable(self._write_failure) from exc
            except BaseException:
                self._rollback()
                raise
            self._write_failure = None
            return result

    def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.rollback()
            except sqlite3.Error:
                pass

    def _upsert(self, batch: GraphBatch, sources: list[ArticleSource]) -> UpsertResult:
        db, result = self._db, UpsertResult()
        # IMMEDIATE: take the write lock first, so the reads the merges start from are current.
        db.execute("BEGIN IMMEDIATE")
        batch = Curation(self._read_judgements()).apply(batch)  # the judgements as of this transaction
        ver = int(db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]) + 1
        self._write_sources(sources)
        self._upsert_actors(batch.actors, ver, result)
        self._upsert_relations(batch.relations, ver, result)
        result.events += sqlite_events.write_events(db, batch.events, ver)
        for art in batch.articles.values():
            cur = db.execute("INSERT OR IGNORE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (art.id, art.title, art.published, art.source, art.url, art.content_hash, art.cluster))
            result.articles += cur.rowcount
        if not result.changed:
            if sources:
                db.commit()  # the kept texts changed, not the graph: no version bump
            else:
                db.rollback()  # nothing to write: no version bump, no fsync
            return result
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(ver),))
        db.commit()
        self._dirty = True
        return result

    def _upsert_actors(self, actors: dict[str, Actor], ver: int, result: UpsertResult) -> None:
        stored = {row[0]: actor_of_row(row) for row in select_in(self._db, 
            "SELECT id, type, name, aliases, rank, title FROM actors WHERE id IN ({})", list(actors))}
        rows = [(a.id, a.type.value, a.name, json.dumps(a.aliases, ensure_ascii=False), a.rank, a.title, ver)
                for a in merge_actors(stored, actors.values(), result)]
        self._db.executemany("INSERT OR REPLACE INTO actors VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def _upsert_relations(self, relations: dict[str, Relation], ver: int, result: UpsertResult) -> None:
        keys = list(relations)
        stored = {row[0]: row for row in select_in(self._db, 
            "SELECT key, place, what FROM relations WHERE key IN ({})", keys)}
        cited: set[tuple[str, str]] = set(select_in(self._db, 
            "SELECT relation, pid FROM provenance WHERE relation IN ({})", keys))
        rel_rows, prov_rows = [], []
        for key, rel in relations.items():
            have = stored.get(key)
            if have is None:
                result.relations += 1
                place, what = rel.place, rel.what
                rel_rows.append((key, rel.source, rel.target, rel.type.value, rel.date or None, place, what, ver))
            else:
                place, what = have[1] or rel.place, have[2] or rel.what
                if (place, what) != (have[1], have[2]):
                    result.updated += 1
                    rel_rows.append((key, rel.source, rel.target, rel.type.value, rel.date or None, place, what,
                                     ver))
            for p in rel.provenance:
                if (key, p.id) not in cited:
                    cited.add((key, p.id))
                    prov_rows.append((key, p.id, p.article, p.sentence, p.start, p.end, p.confidence))
        result.provenance += len(prov_rows)
        self._db.executemany(f"INSERT OR REPLACE INTO relations ({REL_COLS}, ver) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             rel_rows)
        self._db.executemany("INSERT INTO provenance (relation, pid, article, sentence, start_offset, end_offset, "
                             "confidence) VALUES (?, ?, ?, ?, ?, ?, ?)", prov_rows)

    def _write_sources(self, sources: Iterable[ArticleSource]) -> None:
        # ON CONFLICT keeps the row (and its seq, the article's place in ingest order).
        self._db.executemany("INSERT INTO sources (id, ingested, data) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE "
                             "SET data = excluded.data", [(s.id, s.ingested, s.to_json()) for s in sources])

    def _read_judgements(self) -> list[Judgement]:
        return [Judgement.from_json(row[0]) for row in
                self._db.execute("SELECT data FROM judgements ORDER BY seq")]

    # -- curation ------------------------------------------------------------------------------

    def judgements(self) -> list[Judgement]:
        with self._lock:
            try:
                return self._read_judgements()
            except sqlite3.Error as exc:
                raise StoreError(self._where(f"cannot read the embedded store: {exc}")) from exc

    def sources(self) -> list[ArticleSource]:
        with self._lock:
            try:
                return self._read_sources()
            except sqlite3.Error as exc:
                raise StoreError(self._where(f"cannot read the embedded store: {exc}")) from exc

    def _read_sources(self) -> list[ArticleSource]:
        rows = self._db.execute("SELECT id, ingested, data FROM sources ORDER BY seq").fetchall()
        return [ArticleSource.from_json(*row) for row in rows]

    def clear(self) -> None:
        self._write(lambda: self._replace(lambda kept: GraphBatch(), wipe=True))

    def _commit_curation(self, judgement: Judgement | None = None, sources: Iterable[ArticleSource] = (),
                         drop_sources: Iterable[str] = ()) -> None:
        sources, drop_sources = list(sources), list(drop_sources)
        # The graph is rebuilt inside the write transaction, from the kept rows as of it: an ingest
        # by another process cannot slip in between the read and the write.
        self._write(lambda: self._replace(lambda kept: rebuild_after(kept, self._read_judgements(), judgement,
                                                                      sources, drop_sources),
                                          judgement=judgement, sources=sources, drop_sources=drop_sources))

    def _replace(self, build: Callable[[list[ArticleSource]], GraphBatch], *, wipe: bool = False,
                 judgement: Judgement | None = None, sources: list[ArticleSource] = (),
                 drop_sources: list[str] = ()) -> None:
        """One transaction: the graph's rows replaced by ``build(kept sources)``, the curation rows updated."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        graph = build(self._read_sources())
        ver = int(db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]) + 1
        for table in ("actors", "relations", "provenance", "articles", *sqlite_events.TABLES) + \
                (("sources", "judgements") if wipe else ()):
            db.execute(f"DELETE FROM {table}")
        self._upsert_actors(graph.actors, ver, UpsertResult())
        self._upsert_relations(graph.relations, ver, UpsertResult())
        sqlite_events.write_events(db, graph.events, ver)
        db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                       [(a.id, a.title, a.published, a.source, a.url, a.content_hash, a.cluster)
                        for a in graph.articles.values()])
        if judgement is not None:
            db.execute("INSERT INTO judgements (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE "
                       "SET data = excluded.data", (judgement.id, judgement.to_json()))
        self._write_sources(sources)
        db.executemany("DELETE FROM sources WHERE id = ?", [(i,) for i in drop_sources])
        epoch = int(db.execute("SELECT coalesce((SELECT value FROM meta WHERE key = 'epoch'), '0')").fetchone()[0])
        db.execute("INSERT OR REPLACE INTO meta VALUES ('epoch', ?)", (str(epoch + 1),))
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(ver),))
        db.commit()
        self._dirty = True

    # -- catching up with the database ---------------------------------------------------------

    def _sync(self) -> None:
        """Bring the in-memory projection up to the database, reading only rows newer than it.
        Caller holds the lock."""
        db = self._db
        data_version = db.execute("PRAGMA data_version").fetchone()[0]  # changes on others' commits
        if not self._dirty and data_version == self._data_version:
            return
        db.execute("BEGIN")  # one snapshot for the version and the rows
        try:
            ver = int(db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])
            epoch = db.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()
            epoch = epoch[0] if epoch else "0"
            # The database was replaced under us, or rows were deleted: start over.
            if ver < self._cache_ver or epoch != self._epoch:
                self._actors, self._rels, self._cache_ver, self._epoch = {}, {}, -1, epoch
                self._log.clear()
                self._article_rowid = db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
                self._counts = (Counter(), Counter(), db.execute("SELECT count(*) FROM articles").fetchone()[0])
            if ver != self._cache_ver:
                self._catch_up(ver)
        finally:
            db.commit()
        self._data_version, self._dirty = data_version, False

    def _catch_up(self, ver: int) -> None:
        """Read the rows newer than the cache (the whole graph on the first sync), keeping the
        counts stats() answers from and, for changes(), which ids moved."""
        db, old = self._db, self._cache_ver
        nodes, rels, n_articles = self._counts
        if old < 0:  # the whole graph: no ids to log, no earlier rows to count out
            with bulk():
                self._actors = {row[0]: actor_of_row(row) for row in db.execute(
                    "SELECT id, type, name, aliases, rank, title FROM actors")}
                # In key order, the order projection() builds in: sorting a million rows there
                # would hold the GIL for seconds while requests are being served.
                # (Sorted here: SQLite's ORDER BY key walks the key index, a second longer at 1M.)
                rows = db.execute(f"SELECT {REL_COLS} FROM relations").fetchall()
                rows.sort(key=itemgetter(0))
                self._rels = {row[0]: edge_of_row(row) for row in rows}
                del rows
                self._rels_sorted = True
                self._last_key = next(reversed(self._rels), "")
            nodes.update(a.type for a in self._actors.values())
            rels.update(r[2]["type"] for r in self._rels.values())
            self._cache_ver = ver
            return
        actor_ids, rel_keys = [], []
        for row in db.execute("SELECT id, type, name, aliases, rank, title FROM actors WHERE ver > ?", (old,)):
            have = self._actors.get(row[0])
            if have is not None:
                nodes[have.type] -= 1
            actor = self._actors[row[0]] = actor_of_row(row)
            nodes[actor.type] += 1
            actor_ids.append(row[0])
        for row in db.execute(f"SELECT {REL_COLS} FROM relations WHERE ver > ?", (old,)):
            have = self._rels.get(row[0])
            if have is not None:
                rels[have[2]["type"]] -= 1
            elif row[0] > self._last_key:
                self._last_key = row[0]  # appended after the largest key: still in key order
            else:
                self._rels_sorted = False
            self._rels[row[0]] = edge_of_row(row)
            rels[row[3]] += 1
            rel_keys.append(row[0])
        articles = [Article(*r[1:]) for r in db.execute(
            f"SELECT rowid, {ARTICLE_COLS} FROM articles WHERE rowid > ? "
            "ORDER BY rowid", (self._article_rowid,))]
        if articles:
            self._article_rowid = db.execute("SELECT max(rowid) FROM articles").fetchone()[0]
        self._counts = (nodes, rels, n_articles + len(articles))
        if old >= 0 and len(actor_ids) + len(rel_keys) <= MAX_LOGGED_ROWS:
            self._log.append((old, ver, actor_ids, rel_keys, articles))
        else:
            self._log.clear()
        self._cache_ver = ver

    def changes(self, since: str) -> Changes | None:
        """The actors, relations and articles written after version ``since`` (by any process),
        from the log of the last syncs; None when it does not reach back that far or rows were
        deleted since (then the caller rebuilds)."""
        try:
            at = int(since)
        except ValueError:
            return None
        with self._lock:
            self._synced()
            if at == self._cache_ver:
                return Changes(version=str(at))
            actor_ids: dict[str, None] = {}
            rel_keys: dict[str, None] = {}
            articles: list[Article] = []
            for start, end, a_ids, r_keys, arts in self._log:
                if end <= at:
                    continue
                if start != at:
                    return None  # a gap: that sync was not logged (or the log was cleared)
                actor_ids.update(dict.fromkeys(a_ids))
                rel_keys.update(dict.fromkeys(r_keys))
                articles.extend(arts)
                at = end
            if at != self._cache_ver:
                return None
            rels = [self._rels[k] for k in rel_keys]
            return Changes(version=str(at), actors=[copy_actor(self._actors[i]) for i in actor_ids],
                           relations=[Relation(source=s, target=t, type=RelType(e["type"]), date=e["date"],
                                               place=e["place"], what=e["what"]) for s, t, e in rels],
                           articles=list(articles))

    def _synced(self) -> None:
        try:
            self._sync()
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(self._where(f"cannot read the embedded store: {exc}")) from exc

    # -- reads ---------------------------------------------------------------------------------

    def get_actor(self, actor_id: str) -> Actor | None:
        with self._lock:
            self._synced()
            actor = self._actors.get(actor_id)
            return copy_actor(actor) if actor is not None else None

    def actors(self, types: Iterable[NodeType] | None = None) -> list[Actor]:
        wanted = None if types is None else {NodeType(t) for t in types}
        with self._lock:
            self._synced()
            return [copy_actor(self._actors[k]) for k in sorted(self._actors)
                    if wanted is None or self._actors[k].type in wanted]

    def relations(self, flt: RelationFilter | None = None, actor_id: str | None = None) -> list[Relation]:
        flt = flt or RelationFilter()
        # This thread's read connection, not the main lock: a hub's relations take a while to read
        # and decode, and every request checks the version under that lock.
        with self._reading() as db:
            rels = _read_relations(db, actor_id)
        if flt != RelationFilter():
            rels = [r for r in rels if flt.accepts(r)]
        if flt.min_sources:
            # Around one actor: the articles it is cited in, not all of them (100k at 1M relations).
            cited = {p.article for r in rels for p in r.provenance}
            articles = self.articles_by_id(cited) if len(cited) <= ARTICLES_BY_ID_MAX \
                else {a.id: a for a in self.articles()}
            rels = well_sourced(rels, articles, flt.min_sources)
        return rels

    def events(self, actor_id: str | None = None) -> list[Event]:
        return self._events(actor_id=actor_id)

    def get_event(self, event_id: str) -> Event | None:
        found = self._events(event_id=event_id)
        return found[0] if found else None

    def events_of_edges(self, relations: Iterable[Relation], within: Collection[str]) -> list[Event]:
        return self._events(read=sqlite_events.read_events_of_edges, relations=list(relations), within=within)

    def _events(self, read=sqlite_events.read_events, **which) -> list[Event]:
        with self._reading() as db:  # as relations(): off the main lock
            return read(db, **which)

    def articles_by_content(self, hashes: Iterable[str]) -> dict[str, str]:
        with self._lock:
            try:  # through the content_hash index: no read of every article
                rows = list(select_in(self._db, "SELECT content_hash, id FROM articles WHERE content_hash IN ({})",
                                            sorted(set(hashes))))
            except sqlite3.Error as exc:
                raise StoreError(self._where(f"cannot read the embedded store: {exc}")) from exc
        return {h: i for h, i in sorted(rows, key=lambda r: r[1])}  # as Dedupe.of(articles()) keeps them

    def projection(self, flt: RelationFilter | None = None) -> nx.MultiDiGraph:
        flt = flt or RelationFilter()
        with self._lock:
            self._synced()
            with bulk():  # a snapshot under the lock (rows are replaced, never changed in place)...
                actors = list(self._actors.items())
                rels = list(self._rels.items())
                in_order = self._rels_sorted
            kept = self._well_sourced([k for k, _ in rels], flt.min_sources) if flt.min_sources else None
        with bulk():  # ... sorted outside it: reads and walks go on meanwhile
            actors = [a for _, a in sorted(actors)]
            if not in_order:
                rels.sort()  # keys are unique: sorted by key alone
        if kept is not None:
            rels = [(k, r) for k, r in rels if k in kept]
        # Straight from the rows (graph.analytics.projection), without a Relation per row.
        nodes = ((a.id, {"type": a.type.value, "name": a.name, "aliases": list(a.aliases), "rank": a.rank,
                         "title": a.title}) for a in actors)
        if flt != RelationFilter():
            accepted = {t.value: t for t in RelType}
            rels = [(k, r) for k, r in rels if flt.accepts_fields(accepted[r[2]["type"]], r[2]["date"])]
        edges = ((s, t, k, e) for k, (s, t, e) in rels)
        with bulk():
            return multidigraph(nodes, edges)

    def _well_sourced(self, keys: list[str], min_sources: int) -> set[str]:
        """Which of ``keys`` at least ``min_sources`` outlets report. Caller holds the lock."""
        try:
            cited, articles = cited_articles(self._db, keys)
        except sqlite3.Error as exc:
            self._rollback()
            raise StoreError(self._where(f"cannot read the embedded store: {exc}")) from exc
        return well_sourced_keys(cited, articles, min_sources)

    def stats(self) -> dict:
        with self._lock:
            self._synced()
            nodes, rels, articles = self._counts  # kept by _catch_up: no walk over the graph
        return {"nodes": {t.value: nodes[t] for t in NodeType},
                "relations": {t.value: rels[t.value] for t in RelType},
                "articles": articles}

    def version(self) -> str:
        with self._lock:
            self._synced()
            return str(self._cache_ver)

    def ping(self) -> None:
        """The database answers a read (a failed write shows in ``degraded``, not here)."""
        with self._lock:
            self._synced()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The writers of this folder, in every process, one at a time (``folder_lock``)."""
        with super().writing():
            if self.folder is None:
                yield
                return
            try:
                with folder_lock(self.folder / WRITING_LOCK_FILE):
                    yield
            except StoreLockUnavailable as exc:
                raise StoreNotWritable(self._where(f"cannot write the embedded store: {exc.__cause__}")) from exc

    def degraded(self) -> str | None:
        """Why writes fail (disk full, read-only folder), or None. While degraded, a tiny write is
        tried now and then, so the store reports itself healthy again once the disk has room."""
        with self._lock:
            if self._write_failure is None or self.path is None:
                return self._write_failure
            if time.monotonic() - self._last_probe >= PROBE_INTERVAL_S:
                self._last_probe = time.monotonic()
                if self.read_only_uri is not None:
                    return self._write_failure  # served read-only until restarted on a writable disk
                try:
                    self._db.execute("BEGIN IMMEDIATE")
                    self._db.execute("INSERT OR REPLACE INTO meta VALUES ('probe', ?)", (str(time.time()),))
                    self._db.commit()
                    self._write_failure = None
                except sqlite3.Error as exc:
                    self._rollback()
                    log.warning("the embedded store is still not writable: %s", exc)
            return self._write_failure

    def close(self) -> None:
        with self._lock:
            try:
                self._db.close()
                for reader in list(self._reader_set):
                    reader.db.close()
            except sqlite3.Error:
                pass


def _read_relations(db: sqlite3.Connection, actor_id: str | None) -> list[Relation]:
    """Every relation, or those touching ``actor_id``, with their citations, inside the caller's snapshot."""
    if actor_id is None:
        rows = db.execute(f"SELECT {REL_COLS} FROM relations").fetchall()
        cites = db.execute("SELECT relation, article, sentence, start_offset, end_offset, confidence "
                           "FROM provenance ORDER BY seq").fetchall()
    else:
        rows = db.execute(f"SELECT {REL_COLS} FROM relations WHERE source = ?1 UNION "
                          f"SELECT {REL_COLS} FROM relations WHERE target = ?1", (actor_id,)).fetchall()
        cites = list(select_in(db, "SELECT relation, article, sentence, start_offset, end_offset, confidence "
                                   "FROM provenance WHERE relation IN ({}) ORDER BY seq", [r[0] for r in rows]))
    return relations_of_rows(rows, cites)
