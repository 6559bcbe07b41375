"""The stores: the interface both implement (``interface``: ``GraphStore``, ``RelationFilter``, the
errors), the embedded SQLite store (``embedded``), the Neo4j store (``neo4j``), the shared read of
concurrent callers (``coalesce``), and ``open_store``, which opens the configured one:
``open_store("embedded", ...)`` or ``open_store("neo4j", ...)``.

May import: ``graph.model``, ``graph.curation``, ``graph.analytics``. Never ``graph.queries``,
``graph.exports``, ``loaders`` or ``service``.
"""
from __future__ import annotations

import logging
from pathlib import Path

from graph.stores.interface import GraphStore, StoreError

__all__ = ["open_store", "store_kind", "STORE_KINDS", "OLD_STORE_NAMES", "GRAPH_FILE", "LEGACY_GRAPH_FILE"]

STORE_KINDS = ("embedded", "neo4j")
# The embedded store was called "memory", though it keeps its graph on disk: still accepted.
OLD_STORE_NAMES = {"memory": "embedded"}
GRAPH_FILE = "graph.sqlite"  # the embedded store's database under the data directory
LEGACY_GRAPH_FILE = "graph.json"  # the embedded store's file before SQLite: imported on first open


log = logging.getLogger("actorgraph.store")
_noticed: set[str] = set()


def store_kind(kind: str) -> str:
    """``kind`` by its current name: the old ``memory`` gives ``embedded``, with a one-line notice
    (once per process; a warning, so a CLI with no logging set up prints it on stderr)."""
    new = OLD_STORE_NAMES.get(kind)
    if new is None:
        return kind
    if kind not in _noticed:
        _noticed.add(kind)
        log.warning("the store %r is now called %r; %r still works", kind, new, kind)
    return new


def open_store(kind: str, *, data_dir: Path | str | None = None, uri: str | None = None,
               user: str = "neo4j", password: str | None = None, database: str = "neo4j",
               fail_fast: bool = False, writers: int | None = None) -> GraphStore:
    """The store of ``kind``. The embedded store keeps ``data_dir/graph.sqlite`` (nothing on disk without a
    data_dir) and imports an older ``data_dir/graph.json`` on first open; Neo4j connects and
    applies the schema, raising StoreUnavailable naming the URI; ``fail_fast`` gives it short
    timeouts and retries (the service's requests), else the driver's (ingest rides out a blip);
    ``writers``: its transactions in flight at once on a large upsert (default ``DEFAULT_WRITERS``).
    The service passes its settings (``service.settings``), which hold the defaults."""
    kind = store_kind(kind)
    if kind == "embedded":
        from graph.stores.embedded.store import EmbeddedStore
        if data_dir is None:
            return EmbeddedStore(None)
        return EmbeddedStore(Path(data_dir) / GRAPH_FILE, legacy=Path(data_dir) / LEGACY_GRAPH_FILE)
    if kind == "neo4j":
        # Imported here so the embedded store never needs the driver loaded.
        from graph.stores.neo4j.store import DEFAULT_WRITERS, FAIL_FAST, Neo4jStore, connect
        if uri is None or password is None:
            raise StoreError("the neo4j store needs a uri and a password (NEO4J_URI, NEO4J_PASSWORD)")
        driver = connect(uri, user, password, database, **(FAIL_FAST if fail_fast else {}))
        try:
            return Neo4jStore(driver, database, owns_driver=True, writers=writers or DEFAULT_WRITERS)
        except BaseException:
            driver.close()
            raise
    raise StoreError(f"unknown store {kind!r}: expected one of {', '.join(STORE_KINDS)}")
