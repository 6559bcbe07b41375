"""The embedded store's SQLite file: opening it (WAL, the schema created or upgraded on a new
file only, so opening never waits for other writers), the folder-wide writer lock, and messages
that name the data folder and what is wrong with its disk."""
from __future__ import annotations

import fcntl
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from graph.stores.embedded import events as sqlite_events
from graph.stores.embedded.tables import CACHE_KIB, SCHEMA, SCHEMA_VERSION

__all__ = ["open_database", "folder_lock", "where", "StoreLockUnavailable"]


def open_database(path: Path | None, folder: Path | None, busy_timeout: float) -> sqlite3.Connection:
    """A connection to the store's database (``:memory:`` without a path); raises OSError or
    sqlite3.Error when the folder or file cannot be written."""
    target = ":memory:" if path is None else str(path)
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    # Autocommit mode: transactions are begun explicitly (BEGIN IMMEDIATE for writes).
    db = sqlite3.connect(target, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    if path is not None:
        mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise sqlite3.OperationalError(f"cannot switch to WAL mode (got {mode})")
    db.execute("PRAGMA synchronous=FULL")  # a returned upsert survives a power cut too
    db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
        # Only a new database is written to on open: opening never waits for other writers.
        db.execute("BEGIN IMMEDIATE")
        old = db.execute("PRAGMA user_version").fetchone()[0]
        if old != SCHEMA_VERSION:
            for statement in SCHEMA.split(";"):
                db.execute(statement)
            if old and old < 3:  # a store from before events (schema 1 or 2): read them off its edges
                sqlite_events.backfill(db)
            if old and "cluster" not in {r[1] for r in db.execute("PRAGMA table_info(articles)")}:
                db.execute("ALTER TABLE articles ADD COLUMN cluster TEXT")  # each article its own, as before
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.commit()
    return db


class StoreLockUnavailable(OSError):
    """The writer lock file cannot be opened (its cause is the OSError)."""


@contextmanager
def folder_lock(lock_file: Path) -> Iterator[None]:
    """The writers of a folder, in every process, one at a time: a lock file beside the database
    (``fcntl.flock``; released by the system if the process dies)."""
    try:
        handle = open(lock_file, "a+b")
    except OSError as exc:
        raise StoreLockUnavailable(str(exc)) from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def where(folder: Path | None, message: str) -> str:
    """The message naming the data folder, and what is wrong with its disk when that shows."""
    if folder is None:
        return message
    try:
        st = os.statvfs(folder)
        if st.f_flag & os.ST_RDONLY:
            message += "; the folder's file system is read-only"
        elif st.f_bavail * st.f_frsize < 1024 * 1024:
            message += "; the disk is full"
    except OSError:
        pass
    return f"{message} (data folder {folder})"
