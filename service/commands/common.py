"""What the read commands share: opening the store they read, naming actors by name or id."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from graph.stores.interface import GraphStore

STORE_CHOICES = ("embedded", "neo4j")
STORE_HELP = "store to read: embedded (SQLite in the data folder) or neo4j (default: ACTORGRAPH_STORE, else embedded)"


def store_choice(value: str) -> str:
    """``--store``'s value: the embedded store's old name ``memory`` still works, with a notice."""
    from graph.stores import store_kind  # with the store interface: not before a command runs
    return store_kind(value)


class CommandError(Exception):
    """A message for the user and the exit status (2: bad input or setup, 1: the work failed)."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def open_read_store(kind: str | None) -> "GraphStore":
    """The configured store, for reading. An embedded store whose data folder or graph file is
    missing is an error naming the absolute path, not an empty graph (a relative ACTORGRAPH_DATA
    run from another folder would otherwise read nothing and say nothing)."""
    from graph.stores.interface import StoreError
    from graph.stores import GRAPH_FILE
    from service.settings import get_settings

    settings = get_settings()
    if (kind or settings.store) == "embedded":
        folder = settings.data.expanduser().resolve()
        if not folder.is_dir():
            raise CommandError(f"no embedded store: the data folder {folder} does not exist (ACTORGRAPH_DATA, "
                               f"default ./data; `actorgraph ingest` creates it)")
        if not (folder / GRAPH_FILE).is_file():
            raise CommandError(f"no embedded store: {folder} holds no {GRAPH_FILE} (`actorgraph ingest` writes it)")
    try:
        return settings.open_store(kind)
    except StoreError as exc:
        raise CommandError(f"store: {exc}") from exc


def resolve_actor_option(store: "GraphStore", text: str, option: str, prog: str) -> str:
    """The id of the actor ``text`` names (an id, or a name as GET /actors finds it); says on stderr
    which actor a name was taken for. CommandError with close names when it names none or several."""
    from graph.analytics.search import ActorIndex, NoSuchActor, resolve_actor

    try:
        actor = resolve_actor(ActorIndex(store.actors()), text)
    except NoSuchActor as exc:
        raise CommandError(f"{option}: {exc} (`actorgraph actors NAME` lists actors with their ids)") from exc
    if actor.id != text.strip():
        print(f"{prog}: {option} {text!r} is {actor.name} ({actor.id})", file=sys.stderr)
    return actor.id


def bulk_target(args, settings):
    """The Neo4j installation and database ``--bulk`` builds, checked before any work (the server
    stopped, the database absent), or the exit status after saying why not."""
    import os
    from pathlib import Path

    from graph.stores.neo4j.bulk_import import ImportRefused, check_target, find_installation

    if (args.store or "neo4j") != "neo4j":
        print("actorgraph: --bulk builds a Neo4j database; it does not apply to --store embedded", file=sys.stderr)
        return 2
    folder = args.neo4j_dir or Path(os.environ.get("NEO4J_LOCAL_DIR") or ".neo4j")
    try:
        inst = find_installation(folder)
        check_target(inst, settings.neo4j_uri, settings.neo4j_database)
    except ImportRefused as exc:
        print(f"actorgraph: --bulk: {exc}", file=sys.stderr)
        return 2
    return inst, settings.neo4j_database


def bulk_import_into(inst, database: str, batch, sources, settings, *, imported: str, note: str = "") -> int:
    """neo4j-admin import of ``batch`` (and the ``sources`` whose texts it keeps) as the new database
    ``bulk_target`` checked; says what was imported (``imported``: which articles, then ``note``)
    or why not. The exit status: 0, 1 (the tool failed: nothing loaded) or 2 (refused)."""
    import time

    from graph.stores.neo4j.bulk_import import ImportFailed, ImportRefused, bulk_import

    start = time.perf_counter()
    try:
        report = bulk_import(inst, batch, sources, database, uri=settings.neo4j_uri)
    except ImportRefused as exc:
        print(f"actorgraph: --bulk: {exc}", file=sys.stderr)
        return 2
    except ImportFailed as exc:
        print(f"actorgraph: --bulk: {exc}\nactorgraph: nothing was loaded; remove the database folder "
              f"{inst.database_dir(database)} if the tool left one, then run again", file=sys.stderr)
        return 1
    print(f"actorgraph: imported {imported} as the new Neo4j database {database!r} in {inst.data_dir()} with "
          f"neo4j-admin: {len(batch.actors)} actors, {len(batch.relations)} relations, {len(batch.articles)} "
          f"articles ({report.nodes} nodes, {report.relationships} relationships in "
          f"{time.perf_counter() - start:.1f} s){note}. Start the server (scripts/neo4j-local start): "
          "actorgraph applies its schema when it first connects", file=sys.stderr)
    return 0


def write_graph_json(batch, output) -> None:
    """The graph JSON of ``batch`` to the file ``output`` (written whole, then moved into place, so a
    reader never sees half of it) or, without one, to standard output."""
    import json

    text = json.dumps(batch.to_dict(), indent=1, ensure_ascii=False) + "\n"
    if output:
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(output)
    else:
        sys.stdout.write(text)


def growth(before: dict, after: dict) -> str:
    """'N actors (+n), M relations (+m)' between two ``GraphStore.stats()`` readings."""
    nodes, rels = sum(after["nodes"].values()), sum(after["relations"].values())
    return (f"{nodes} actors (+{nodes - sum(before['nodes'].values())}), "
            f"{rels} relations (+{rels - sum(before['relations'].values())})")
