"""The stores: the interface both implement (``interface``: ``GraphStore``, ``RelationFilter``, the
errors), the embedded SQLite store (``embedded``), the Neo4j store (``neo4j``), the shared read of
concurrent callers (``coalesce``), and ``open_store``, which opens the configured one:
``open_store("embedded", ...)`` or ``open_store("neo4j", ...)``.

May import: ``graph.model``, ``graph.curation``, ``graph.analytics``. Never ``graph.queries``,
``graph.exports``, ``loaders`` or ``service``.
"""
from __future__ import annotations

from pathlib import Path

from graph.stores.interface import GraphStore, StoreError

__all__ = ["open_store", "STORE_KINDS", "GRAPH_FILE", "LEGACY_GRAPH_FILE"]

STORE_KINDS = ("memory", "neo4j")
GRAPH_FILE = "graph.sqlite"  # the embedded store's database under the data directory
LEGACY_GRAPH_FILE = "graph.json"  # the embedded store's file before SQLite: imported on first open


def open_store(kind: str, *, data_dir: Path | str | None = None, uri: str | None = None,
               user: str = "neo4j", password: str | None = None, database: str = "neo4j",
               fail_fast: bool = False, writers: int | None = None) -> GraphStore:
    """The store of ``kind``. Memory keeps ``data_dir/graph.sqlite`` (nothing on disk without a
    data_dir) and imports an older ``data_dir/graph.json`` on first open; Neo4j connects and
    applies the schema, raising StoreUnavailable naming the URI; ``fail_fast`` gives it short
    timeouts and retries (the service's requests), else the driver's (ingest rides out a blip);
    ``writers``: its transactions in flight at once on a large upsert (default ``DEFAULT_WRITERS``).
    The service passes its settings (``service.settings``), which hold the defaults."""
    if kind == "memory":
        from graph.stores.embedded.store import MemoryStore
        if data_dir is None:
            return MemoryStore(None)
        return MemoryStore(Path(data_dir) / GRAPH_FILE, legacy=Path(data_dir) / LEGACY_GRAPH_FILE)
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
