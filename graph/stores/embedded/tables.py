"""The embedded store's tables (its schema, kept in ``PRAGMA user_version``), and how their rows
become records: what the store (``store``) and its index walks (``walks``) both read."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from graph.model import Actor, Article, NodeType, Provenance, Relation, RelType
from graph.stores.embedded import events as sqlite_events

__all__ = ["DB_FILE", "LEGACY_FILE", "BUSY_TIMEOUT_S", "CACHE_KIB", "SCHEMA_VERSION", "SCHEMA", "REL_COLS",
           "IN_CHUNK", "Reader", "select_in", "cited_articles", "json_rows", "relations_of_rows", "actor_of_row", "edge_of_row",
           "copy_actor"]

DB_FILE = "graph.sqlite"
LEGACY_FILE = "graph.json"
# How long a write waits for another process's transaction (ingest chunks take well under this).
BUSY_TIMEOUT_S = 30.0
# SQLite's page cache per connection (its default is 2 MiB): the B-tree levels above the leaves of
# a million-relation store stay in it, so an upsert's lookups rarely leave the process.
CACHE_KIB = 64 * 1024
SCHEMA_VERSION = 3  # 2: the kept article texts and the judgements (graph.curation); 3: events
IN_CHUNK = 500  # ids per "IN (...)" query: under SQLite's variable limit
IN_CHUNK = 500  # ids per "IN (...)" query: under SQLite's variable limit

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS actors (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT NOT NULL, aliases TEXT NOT NULL,
    rank TEXT, title TEXT, ver INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS actors_ver ON actors(ver);
CREATE TABLE IF NOT EXISTS relations (
    key TEXT PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL, type TEXT NOT NULL,
    date TEXT, place TEXT, what TEXT, ver INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS relations_source ON relations(source);
CREATE INDEX IF NOT EXISTS relations_target ON relations(target);
CREATE INDEX IF NOT EXISTS relations_ver ON relations(ver);
CREATE TABLE IF NOT EXISTS provenance (
    seq INTEGER PRIMARY KEY, relation TEXT NOT NULL, pid TEXT NOT NULL, article TEXT NOT NULL,
    sentence TEXT NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
    confidence REAL NOT NULL, UNIQUE (relation, pid));  -- seq: each relation's citations in arrival order
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT, published TEXT, source TEXT, url TEXT, content_hash TEXT);
CREATE INDEX IF NOT EXISTS articles_content ON articles(content_hash);
CREATE TABLE IF NOT EXISTS sources (
    seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, ingested TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS judgements (seq INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, data TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('version', '0');
INSERT OR IGNORE INTO meta VALUES ('epoch', '0');
""" + sqlite_events.SCHEMA

REL_COLS = "key, source, target, type, date, place, what"


def select_in(db: sqlite3.Connection, query: str, values: Sequence[str]) -> Iterator[tuple]:
    """The rows of ``query`` (its ``IN ({})`` filled) for ``values``, in chunks under SQLite's variable limit."""
    for i in range(0, len(values), IN_CHUNK):
        part = values[i:i + IN_CHUNK]
        yield from db.execute(query.format(",".join("?" * len(part))), part)


def open_read_only(path: Path, timeout: float) -> tuple[sqlite3.Connection, str]:
    """A connection that never writes, on a folder that cannot be written (a full or read-only
    disk), and its URI: ``mode=ro`` when SQLite can still share the WAL index, else ``immutable``
    (nothing can change the file there: no other writer can either)."""
    last: sqlite3.Error | None = None
    for option in ("mode=ro", "immutable=1"):
        uri = f"{path.resolve().as_uri()}?{option}"
        try:
            db = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA user_version").fetchone()  # mode=ro fails here when it cannot
            return db, uri
        except sqlite3.Error as exc:
            last = exc
    assert last is not None
    raise last


class Reader:
    """A read-only connection of one thread, closed when the thread (and so this) goes."""

    def __init__(self, path: Path, uri: str | None = None):
        target = uri or str(path)
        self.db = sqlite3.connect(target, uri=uri is not None, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                  check_same_thread=False)
        self.db.execute("PRAGMA query_only = 1")

    def __del__(self) -> None:
        try:
            self.db.close()
        except sqlite3.Error:
            pass


def cited_articles(db: sqlite3.Connection, keys: Iterable[str]) -> tuple[dict[str, list[str]], dict[str, Article]]:
    """The ids of the articles citing each of ``keys``, and all articles by id (what
    ``well_sourced_keys`` counts outlets over): the citations' article ids, not their sentences."""
    db.execute("BEGIN")
    try:
        pairs = db.execute("SELECT DISTINCT relation, article FROM provenance").fetchall()
        arts = [Article(*row) for row in db.execute("SELECT id, title, published, source, url, content_hash FROM articles")]
    finally:
        db.commit()
    wanted = set(keys)
    cited: dict[str, list[str]] = {}
    for key, article in pairs:
        if key in wanted:
            cited.setdefault(key, []).append(article)
    return cited, {a.id: a for a in arts}


def json_rows(db: sqlite3.Connection, columns: str, where: str, ids: Sequence[str], *,
               among: bool = False) -> list[list]:
    """``SELECT columns FROM where IN (ids)``, in chunks of ids, each chunk's rows fetched as one
    JSON array. One row per chunk, not per match: the sqlite3 module gives up the GIL around every
    row it steps to, and while the projection is built in another thread each row then waits for
    the GIL again (milliseconds each, seconds for a state's thousands of ties). ``among``: only the
    rows whose target is among ``ids`` too."""
    out: list[list] = []
    for i in range(0, len(ids), IN_CHUNK):
        part = list(ids[i:i + IN_CHUNK])
        sql = f"SELECT json_group_array(json_array({columns})) FROM {where} IN ({','.join('?' * len(part))})"
        if among:
            sql += f" AND target IN ({','.join('?' * len(ids))})"
            part += ids
        out += json.loads(db.execute(sql, part).fetchone()[0])
    return out


def relations_of_rows(rows: list[tuple], cites: Iterable[tuple]) -> list[Relation]:
    """Relation rows with their citation rows, in key order."""
    # In seq order within each relation (a relation's citations all come from one IN chunk).
    by_key: dict[str, list[Provenance]] = {}
    for key, article, sentence, start, end, confidence in cites:
        by_key.setdefault(key, []).append(Provenance(article, sentence, start, end, confidence))
    rows.sort(key=lambda r: r[0])
    return [Relation(source=s, target=t, type=RelType(ty), date=d, place=pl, what=w,
                     provenance=by_key.get(k, [])) for k, s, t, ty, d, pl, w in rows]


def actor_of_row(row: tuple) -> Actor:
    _id, type_, name, aliases, rank, title = row
    return Actor(id=_id, type=NodeType(type_), name=name, aliases=json.loads(aliases), rank=rank, title=title)


def edge_of_row(row: tuple) -> tuple[str, str, dict]:
    key, source, target, type_, date, place, what = row
    return source, target, {"type": type_, "key": key, "date": date, "place": place, "what": what}


def copy_actor(a: Actor) -> Actor:
    return Actor(id=a.id, type=a.type, name=a.name, aliases=list(a.aliases), rank=a.rank, title=a.title)
