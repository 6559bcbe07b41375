"""A fresh Neo4j database from a graph, through ``neo4j-admin database import full``.

The import tool writes store files directly: it is several times faster than Cypher writes, but
it needs the server's own installation on this machine, the server stopped (it locks the store)
and a database that does not exist yet (it refuses an existing one, and we never pass its
``--overwrite-destination``). ``check_target`` says which of these fails, in words a user can act
on, before anything is written; ``bulk_import`` then writes the CSV files of
``import_files`` plus the store's own bookkeeping nodes (kept article texts), so the imported
database is what batched upserts of the same graph leave: ``Neo4jStore`` reads it back equal, applies ``cypher/schema.cypher`` when it first connects, and
appends to relations whose empty lists the tool does not write (the store coalesces them).

An installation is found in a folder of ``scripts/neo4j-local`` (``home/lib``, ``conf/``) or a
Neo4j tarball (``lib/``, ``conf/``).
"""
from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from graph.curation import ArticleSource
from graph.stores.neo4j.import_files import IMPORT_COMMAND, csv_rows, write_table
from graph.stores.neo4j.writers import cycles_uncollected
from graph.model import GraphBatch

__all__ = ["Installation", "ImportRefused", "ImportFailed", "ImportReport", "find_installation", "check_target",
           "bulk_import", "LOCAL_HOSTS"]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
ADMIN_CLASS = "org.neo4j.cli.AdminTool"


class ImportRefused(Exception):
    """The target cannot take an import (not local, running, not new); nothing was written."""


class ImportFailed(Exception):
    """neo4j-admin ran and failed; its output's end is in the message."""


@dataclass(frozen=True)
class Installation:
    """A Neo4j installation on this machine: NEO4J_HOME, its jars, its data folder, and its conf
    folder (None: a scripts/neo4j-local folder not started since a reset, whose layout is known)."""
    home: Path
    lib: Path
    data: Path
    conf: Path | None = None
    pid_file: Path | None = None  # scripts/neo4j-local's, when it is one of its folders

    def data_dir(self) -> Path:
        """``server.directories.data`` of its neo4j.conf (relative to home), else ``data``."""
        conf = self.conf / "neo4j.conf" if self.conf else None
        text = conf.read_text(encoding="utf-8") if conf and conf.is_file() else ""
        found = re.findall(r"^\s*server\.directories\.data\s*=\s*(.+?)\s*$", text, flags=re.M)
        if not found:
            return self.data
        path = Path(found[-1])
        return path if path.is_absolute() else self.home / path

    def database_dir(self, database: str) -> Path:
        return self.data_dir() / "databases" / database

    def server_pid(self) -> int | None:
        """The pid its scripts/neo4j-local pid file names, if it has one (alive or not)."""
        if self.pid_file is None or not self.pid_file.is_file():
            return None
        pid = "".join(ch for ch in self.pid_file.read_text() if ch.isdigit())
        return int(pid) if pid else None

    def server_running(self) -> bool:
        """True when its scripts/neo4j-local pid file names a live process."""
        pid = self.server_pid()
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def admin(self, args: list[str], cwd: Path, heap: str = "1g") -> subprocess.CompletedProcess:
        """Run neo4j-admin (its main class, from the installation's jars) with this home and conf."""
        self.home.mkdir(parents=True, exist_ok=True)
        conf = self.conf
        if conf is None:  # scripts/neo4j/neo4j.conf.template's layout: data and transaction logs in data/
            conf = cwd / "conf"
            conf.mkdir(exist_ok=True)
            (conf / "neo4j.conf").write_text(f"server.directories.data={self.data}\n"
                                             f"server.directories.transaction.logs.root={self.data / 'transactions'}\n",
                                             encoding="utf-8")
        env = {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(conf)}
        return subprocess.run(["java", f"-Xmx{heap}", "-cp", f"{self.lib}/*", ADMIN_CLASS, *args], cwd=cwd, env=env,
                              capture_output=True, text=True)


def _local_dist_lib(folder: Path) -> Path | None:
    """The jars of a scripts/neo4j-local folder: home/lib once started, else its newest resolved dist."""
    if (folder / "home" / "lib").is_dir():
        return folder / "home" / "lib"
    dists = sorted((d for d in (folder / "dist").glob("neo4j-*") if (d / ".complete").exists()),
                   key=lambda d: d.stat().st_mtime)
    return dists[-1] / "lib" if dists else None


def find_installation(folder: Path) -> Installation:
    """The installation in ``folder``: a scripts/neo4j-local folder (dist/, home/, conf/) or a Neo4j
    tarball (lib, conf). ImportRefused when it is neither, or its jars lack the import tool."""
    folder = folder.expanduser().resolve()
    local_lib = _local_dist_lib(folder)
    if local_lib is not None:
        conf = folder / "conf"
        inst = Installation(home=folder / "home", lib=local_lib, data=folder / "data",
                            conf=conf if (conf / "neo4j.conf").is_file() else None,
                            pid_file=folder / "run" / "neo4j.pid")
    elif (folder / "lib").is_dir() and (folder / "conf").is_dir():
        inst = Installation(home=folder, lib=folder / "lib", data=folder / "data", conf=folder / "conf")
    else:
        raise ImportRefused(f"no Neo4j installation in {folder}: expected a scripts/neo4j-local folder "
                            "(e.g. .neo4j after a first `scripts/neo4j-local start`) or a Neo4j folder with lib/ "
                            "and conf/")
    if not any(inst.lib.glob("neo4j-import-tool-*.jar")):
        raise ImportRefused(f"the Neo4j installation in {folder} has no import tool jar in {inst.lib}")
    return inst


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host.strip("[]"), port), timeout=0.5):
            return True
    except OSError:
        return False


def check_target(inst: Installation, uri: str, database: str) -> None:
    """Refuse (ImportRefused) unless neo4j-admin can build ``database`` here: the URI's server is
    on this machine, it is stopped, and the database does not exist yet."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if host not in LOCAL_HOSTS:
        raise ImportRefused(f"--bulk writes the database files with neo4j-admin, on the server's own machine; "
                            f"NEO4J_URI names the host {host or uri!r}, not this one (use a batched ingest "
                            "for a remote server)")
    port = parts.port or 7687
    if inst.server_running() or _port_open(host, port):
        raise ImportRefused(f"the Neo4j server is running ({uri}): neo4j-admin import needs it stopped. Stop it "
                            "(scripts/neo4j-local stop) and run this again, then start it")
    target = inst.database_dir(database)
    if target.exists() and any(target.iterdir()):
        raise ImportRefused(f"the database {database!r} already exists ({target}): neo4j-admin import builds a "
                            "new database and we do not overwrite one (it may hold a graph). For a fresh load, "
                            "delete it first (scripts/neo4j-local reset deletes the server's data), or add to it "
                            "with a batched ingest (without --bulk)")


@dataclass
class ImportReport:
    nodes: int
    relationships: int
    properties: int
    seconds: float


# The store's bookkeeping beside the graph (graph.stores.neo4j.store): kept articles, in an ID space
# of their own (an ArticleSource has its article's id). The version is the last committed
# transaction, which a new database has: nothing to write for it.
SOURCE_HEADER = ["id:ID(ArticleSource)", "seq:long", "ingested", "data", ":LABEL"]


def write_csv(batch: GraphBatch, sources: Iterable[ArticleSource], folder: Path) -> list[str]:
    """The import's files in ``folder``, each streamed as its rows are made; returns the import
    command's arguments after its name."""
    seq = time.time_ns()
    with cycles_uncollected():  # a tuple per row: the collector would walk the batch's heap (17% at 1M)
        tables = {**csv_rows(batch), "sources.csv": (SOURCE_HEADER, (
            (s.id, seq + i, s.ingested, s.to_json(), "ArticleSource") for i, s in enumerate(sources)))}
        for name, (header, rows) in tables.items():
            with open(folder / name, "w", encoding="utf-8", newline="") as out:
                write_table(out, header, rows)
    args = shlex.split(IMPORT_COMMAND)[4:]  # after "neo4j-admin database import full"
    return [*args, "--nodes=sources.csv"]


def bulk_import(inst: Installation, batch: GraphBatch, sources: Iterable[ArticleSource], database: str, *,
                uri: str | None = None, heap: str = "1g", work: Path | None = None) -> ImportReport:
    """Import ``batch`` (and the kept ``sources``) as the new database ``database`` of ``inst``.
    ``uri``: the server's, checked with ``check_target`` first (None: the caller checked)."""
    if uri is not None:
        check_target(inst, uri, database)
    with tempfile.TemporaryDirectory(prefix="actorgraph-import-", dir=work) as tmp:
        folder = Path(tmp)
        args = write_csv(batch, sources, folder)
        args = [database if a == "neo4j" else a for a in args]
        start = time.perf_counter()
        proc = inst.admin(["database", "import", "full", *args, f"--report-file={folder / 'import.report'}"],
                          cwd=folder, heap=heap)
        seconds = time.perf_counter() - start
        bad = (folder / "import.report").read_text(errors="replace").strip() \
            if (folder / "import.report").exists() else ""
    if proc.returncode != 0:
        tail = (proc.stdout[-1500:] + proc.stderr[-1500:]).strip()
        raise ImportFailed(f"neo4j-admin database import failed (exit {proc.returncode}):\n{tail}")
    if bad:
        raise ImportFailed(f"neo4j-admin reported bad entries:\n{bad[:1500]}")
    found = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships\s+(\d+) properties", proc.stdout)
    if not found:
        raise ImportFailed(f"neo4j-admin gave no import summary:\n{proc.stdout[-1500:]}")
    nodes, rels, props = map(int, found.groups())
    return ImportReport(nodes=nodes, relationships=rels, properties=props, seconds=seconds)
