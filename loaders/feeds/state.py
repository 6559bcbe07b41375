"""The follower's memory: followed sources and every URL fetched, in a small SQLite file of its own.

Kept apart from the graph store on purpose: it is crawl bookkeeping (validators, hashes, errors),
not part of the graph, it is the same whichever store the graph is in (embedded or Neo4j), and
SQLite in WAL mode lets the service (POST /feeds) and a follower process write it side by side.

An entry is written as ``pending`` when its feed is read and becomes ``ingested`` only after its
article was stored, and a feed's validators are saved only after its entries are: a run killed
at any point leaves work that the next round picks up, and nothing marked done that is not.
"""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from loaders.feeds.sources import Entry

__all__ = ["FollowState", "Source", "MAX_ATTEMPTS"]

# An article URL that failed this many rounds is given up (a page gone for good, say).
MAX_ATTEMPTS = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    url TEXT PRIMARY KEY, added TEXT NOT NULL, kind TEXT, etag TEXT, last_modified TEXT, hash TEXT,
    last_fetch TEXT, status TEXT NOT NULL DEFAULT 'new', error TEXT, articles INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, source TEXT NOT NULL, title TEXT, published TEXT, outlet TEXT,
    etag TEXT, last_modified TEXT, hash TEXT, status TEXT NOT NULL DEFAULT 'pending', error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0, fetched TEXT);
CREATE INDEX IF NOT EXISTS urls_by_source ON urls (source, status);
CREATE INDEX IF NOT EXISTS urls_by_hash ON urls (hash);
"""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Source:
    url: str
    added: str
    kind: str | None
    etag: str | None
    last_modified: str | None
    hash: str | None
    last_fetch: str | None
    status: str          # new, ok, unchanged, failed
    error: str | None
    articles: int        # articles ingested from it, all rounds


class FollowState:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash of the process loses nothing committed
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "FollowState":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write(self, sql: str, rows: Iterable[tuple] | tuple = ()) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                if isinstance(rows, tuple):
                    self._db.execute(sql, rows)
                else:
                    self._db.executemany(sql, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def _read(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # -- sources -----------------------------------------------------------------------------------

    def add_sources(self, urls: Iterable[str]) -> list[str]:
        """Follow these URLs (known ones are kept as they are); returns the ones that were new."""
        urls = list(dict.fromkeys(urls))
        known = {u for (u,) in self._read("SELECT url FROM sources")}
        self._write("INSERT OR IGNORE INTO sources (url, added) VALUES (?, ?)", [(u, _now()) for u in urls])
        return [u for u in urls if u not in known]

    def sources(self) -> list[Source]:
        return [Source(*row) for row in self._read(
            "SELECT url, added, kind, etag, last_modified, hash, last_fetch, status, error, articles "
            "FROM sources ORDER BY added, url")]

    def source(self, url: str) -> Source | None:
        return next((s for s in self.sources() if s.url == url), None)

    def record_source(self, url: str, *, status: str, error: str | None = None, kind: str | None = None,
                      etag: str | None = None, last_modified: str | None = None, hash: str | None = None,
                      validators: bool = False, articles: int = 0) -> None:
        """The outcome of fetching a source; its validators only with ``validators`` (its entries saved)."""
        if validators:
            self._write("UPDATE sources SET last_fetch=?, status=?, error=?, kind=COALESCE(?, kind), etag=?, "
                        "last_modified=?, hash=?, articles=articles+? WHERE url=?",
                        (_now(), status, error, kind, etag, last_modified, hash, articles, url))
        else:
            self._write("UPDATE sources SET last_fetch=?, status=?, error=?, kind=COALESCE(?, kind), "
                        "articles=articles+? WHERE url=?", (_now(), status, error, kind, articles, url))

    # -- fetched URLs ------------------------------------------------------------------------------

    def add_entries(self, source: str, entries: Iterable[Entry]) -> int:
        """Entries seen in a source's listing, pending unless known; returns how many were new."""
        entries = list(entries)
        before = self._read("SELECT COUNT(*) FROM urls")[0][0]
        self._write("INSERT OR IGNORE INTO urls (url, source, title, published, outlet) VALUES (?, ?, ?, ?, ?)",
                    [(e.url, source, e.title, e.published, e.outlet) for e in entries])
        return self._read("SELECT COUNT(*) FROM urls")[0][0] - before

    def pending(self, source: str) -> list[Entry]:
        """The source's entries not yet ingested (new, or failed fewer than MAX_ATTEMPTS times)."""
        return [Entry(*row) for row in self._read(
            "SELECT url, title, published, outlet FROM urls WHERE source=? AND status IN ('pending', 'failed') "
            "AND attempts < ? ORDER BY rowid", (source, MAX_ATTEMPTS))]

    def validators(self, url: str) -> tuple[str | None, str | None, str | None]:
        rows = self._read("SELECT etag, last_modified, hash FROM urls WHERE url=?", (url,))
        return rows[0] if rows else (None, None, None)

    def hash_known(self, hash: str, url: str) -> str | None:
        """Another URL whose content had this hash and was ingested (the same article twice)."""
        rows = self._read("SELECT url FROM urls WHERE hash=? AND url<>? AND status='ingested' LIMIT 1", (hash, url))
        return rows[0][0] if rows else None

    def mark(self, url: str, status: str, *, source: str | None = None, error: str | None = None,
             etag: str | None = None, last_modified: str | None = None, hash: str | None = None) -> None:
        """An entry fetched: ingested, unchanged, duplicate, or failed (one more attempt counted)."""
        self.mark_many([url], status, source=source, error=error, etag=etag, last_modified=last_modified, hash=hash)

    def mark_many(self, urls: Iterable[str], status: str, *, source: str | None = None, error: str | None = None,
                  etag: str | None = None, last_modified: str | None = None, hash: str | None = None,
                  each: dict[str, tuple] | None = None) -> None:
        rows = []
        for u in urls:
            e, lm, h = (each or {}).get(u, (etag, last_modified, hash))
            rows.append((u, source or u, status, error, e, lm, h, int(status == "failed"), _now()))
        self._write("INSERT INTO urls (url, source, status, error, etag, last_modified, hash, attempts, fetched) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET status=excluded.status, "
                    "error=excluded.error, etag=COALESCE(excluded.etag, etag), "
                    "last_modified=COALESCE(excluded.last_modified, last_modified), "
                    "hash=COALESCE(excluded.hash, hash), attempts=attempts+excluded.attempts, fetched=excluded.fetched",
                    rows)

    def counts(self, source: str) -> dict[str, int]:
        return dict(self._read("SELECT status, COUNT(*) FROM urls WHERE source=? GROUP BY status", (source,)))
