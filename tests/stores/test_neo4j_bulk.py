"""``actorgraph ingest --bulk``: neo4j-admin database import into a new database of a real, stopped
server gives the graph a batched ingest of the same articles gives; it refuses a remote or running
server and an existing database before writing anything."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from graph.stores.neo4j.store import Neo4jStore, connect
from tests import neo4j_server
from tests.extraction.support import EXAMPLES, REPO
from tests.cli.test_ingest_cli import _env, _ingest

pytestmark = pytest.mark.neo4j

PASSWORD = "actorgraph-bulk"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Scratch:
    """A scripts/neo4j-local folder of the test's own, sharing the tests' server's resolved jars."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir()
        tests_dir = neo4j_server.folder()
        (folder / "dist").symlink_to(tests_dir / "dist")  # no second Maven resolution
        shutil.copy(tests_dir / "versions.env", folder / "versions.env")
        self.bolt, self.http = _free_port(), _free_port()
        self.uri = f"bolt://127.0.0.1:{self.bolt}"
        # No class-data recording: the shared dist's archive belongs to the tests' server.
        self.env = {**os.environ, "NEO4J_LOCAL_DIR": str(folder), "NEO4J_BOLT_PORT": str(self.bolt),
                    "NEO4J_HTTP_PORT": str(self.http), "NEO4J_PASSWORD": PASSWORD, "NEO4J_LOCAL_CDS": "0",
                    "NEO4J_HEAP_MAX": "1g", "NEO4J_PAGECACHE": "256m"}

    def neo4j_local(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(REPO / "scripts" / "neo4j-local"), command], env=self.env, capture_output=True,
                              text=True, timeout=300)

    def cli_env(self, tmp: Path) -> dict:
        env = _env("neo4j", tmp)
        env.update(NEO4J_URI=self.uri, NEO4J_USER="neo4j", NEO4J_PASSWORD=PASSWORD, NEO4J_DATABASE="neo4j")
        return env


@pytest.fixture
def scratch(tmp_path):
    server = Scratch(tmp_path / "neo4j")
    yield server
    server.neo4j_local("stop")


def _read(store: Neo4jStore) -> dict:
    """What the store holds, part by part (so a failure names the part)."""
    graph = store.snapshot().to_dict()
    return {"nodes": graph["nodes"], "edges": graph["edges"], "articles": graph["articles"], "stats": store.stats(),
            "sources": [(s.id, s.text, s.meta, s.raw.to_dict()) for s in store.sources()]}


def _same(found: dict, expected: dict) -> None:
    for part in expected:
        assert found[part] == expected[part], part


def test_bulk_import_equals_a_batched_ingest(neo4j_store, neo4j_env, scratch, tmp_path):
    batched = _ingest(_env("neo4j", tmp_path, neo4j_env), str(EXAMPLES))
    assert batched.returncode == 0, batched.stderr
    expected = _read(neo4j_store)
    assert expected["edges"] and expected["sources"]

    env = scratch.cli_env(tmp_path)
    bulk = _ingest(env, "--bulk", "--neo4j-dir", str(scratch.folder), str(EXAMPLES))
    assert bulk.returncode == 0, bulk.stderr
    assert "imported" in bulk.stderr and "Traceback" not in bulk.stderr

    started = scratch.neo4j_local("start")
    assert started.returncode == 0, started.stderr[-2000:]
    driver = connect(scratch.uri, "neo4j", PASSWORD)
    try:
        store = Neo4jStore(driver)
        _same(_read(store), expected)
        version = store.version()
        assert version != "0"

        # Refused while it runs: neo4j-admin needs the server stopped.
        running = _ingest(env, "--bulk", "--neo4j-dir", str(scratch.folder), str(EXAMPLES))
        assert running.returncode == 2 and "running" in running.stderr and "stop" in running.stderr, running.stderr

        # The imported graph takes batched ingests as the batched one does: the same articles add
        # nothing (relations without citations have no lists after the import, and stay right).
        again = _ingest(env, str(EXAMPLES))
        assert again.returncode == 0 and "(+0)" in again.stderr, again.stderr
        _same(_read(store), expected)
        # The first batched ingest after an import may store what the import does not carry (the
        # articles' texts for curation, the writers' lock node): from then on, adding nothing
        # leaves the version as it was.
        version = store.version()
        third = _ingest(env, str(EXAMPLES))
        assert third.returncode == 0 and "(+0)" in third.stderr, third.stderr
        _same(_read(store), expected)
        assert store.version() == version
        assert not store.upsert(store.snapshot()).changed
    finally:
        driver.close()
    stopped = scratch.neo4j_local("stop")
    assert stopped.returncode == 0, stopped.stderr

    # Stopped, but the database now exists: refused, and left as it was.
    db = scratch.folder / "data" / "databases" / "neo4j"
    before = sorted((p.name, p.stat().st_size) for p in db.iterdir())
    existing = _ingest(env, "--bulk", "--neo4j-dir", str(scratch.folder), str(EXAMPLES))
    assert existing.returncode == 2 and "already exists" in existing.stderr, existing.stderr
    assert sorted((p.name, p.stat().st_size) for p in db.iterdir()) == before


def test_bulk_refuses_a_remote_server_and_a_missing_installation(tmp_path):
    env = _env("neo4j", tmp_path)
    env.update(NEO4J_URI="bolt://graph.example.org:7687", NEO4J_PASSWORD="whatever")
    remote = _ingest(env, "--bulk", "--neo4j-dir", str(neo4j_server.folder()), str(EXAMPLES))
    assert remote.returncode == 2 and "graph.example.org" in remote.stderr and "this one" in remote.stderr
    env.update(NEO4J_URI="bolt://127.0.0.1:7")
    missing = _ingest(env, "--bulk", "--neo4j-dir", str(tmp_path / "nowhere"), str(EXAMPLES))
    assert missing.returncode == 2 and "no Neo4j installation" in missing.stderr
    assert "Traceback" not in remote.stderr + missing.stderr


def test_bulk_refuses_the_running_tests_server(neo4j_env, tmp_path):
    env = _env("neo4j", tmp_path, neo4j_env)
    p = _ingest(env, "--bulk", "--neo4j-dir", str(neo4j_server.folder()), str(EXAMPLES))
    assert p.returncode == 2 and "running" in p.stderr and neo4j_env.uri in p.stderr, p.stderr
