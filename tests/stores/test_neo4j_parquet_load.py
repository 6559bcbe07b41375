"""``actorgraph ingest DIR`` of the Parquet that ``extract --out DIR`` wrote, into a real Neo4j:
batched through the server, and with ``--bulk`` as a new database built by neo4j-admin import;
both hold the very graph the Parquet holds, and loading it again adds nothing."""
from __future__ import annotations

import subprocess
import sys

import pytest

from graph.exports.parquet import read_parquet
from graph.stores.neo4j.store import Neo4jStore, connect
from tests.cli.test_ingest_cli import _env, _ingest
from tests.extraction.support import EXAMPLES, EXAMPLE_VOCAB, REPO
from tests.stores.test_neo4j_bulk import PASSWORD, scratch  # noqa: F401  (the fixture)

pytestmark = pytest.mark.neo4j


@pytest.fixture
def parquet(tmp_path):
    out = tmp_path / "graph"
    p = subprocess.run([sys.executable, "-m", "service.cli", "extract", str(EXAMPLES), "--vocab", str(EXAMPLE_VOCAB),
                        "--workers", "1", "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return out


def _graph(store: Neo4jStore) -> dict:
    return store.snapshot().to_dict()


def test_parquet_loads_into_neo4j_in_batches_and_again_adds_nothing(neo4j_store, neo4j_env, parquet, tmp_path):
    want = read_parquet(parquet).to_dict()
    assert want["edges"] and want["events"]
    env = _env("neo4j", tmp_path / "data", neo4j_env)
    for _ in range(2):
        p = _ingest(env, str(parquet))
        assert p.returncode == 0, p.stderr
    assert "(+0)" in p.stderr
    assert _graph(neo4j_store) == want


def test_parquet_bulk_imports_as_a_new_database(parquet, scratch, tmp_path):  # noqa: F811
    want = read_parquet(parquet).to_dict()
    bulk = _ingest(scratch.cli_env(tmp_path / "data"), "--bulk", "--neo4j-dir", str(scratch.folder), str(parquet))
    assert bulk.returncode == 0 and "imported" in bulk.stderr, bulk.stderr
    started = scratch.neo4j_local("start")
    assert started.returncode == 0, started.stderr[-2000:]
    driver = connect(scratch.uri, "neo4j", PASSWORD)
    try:
        assert _graph(Neo4jStore(driver)) == want
    finally:
        driver.close()
