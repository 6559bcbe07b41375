"""Fixtures: the ``store`` fixture runs a test once per store kind.

The Neo4j runs talk to a real server (``scripts/neo4j-local start``) found through NEO4J_URI,
NEO4J_USER, NEO4J_PASSWORD and NEO4J_DATABASE, and WIPE that database before each test. Without a
server they fail, saying so; deselect them with ``-m "not neo4j"``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

from graph.memory_store import MemoryStore
from graph.store import GraphStore, StoreUnavailable



class Neo4jEnv(NamedTuple):
    uri: str
    user: str
    password: str
    database: str


@pytest.fixture(scope="session")
def neo4j_env() -> Neo4jEnv:
    return Neo4jEnv(uri=os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687"),
                    user=os.environ.get("NEO4J_USER", "neo4j"),
                    password=os.environ.get("NEO4J_PASSWORD", "actorgraph-dev"),
                    database=os.environ.get("NEO4J_DATABASE", "neo4j"))


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_env: Neo4jEnv):
    from graph.neo4j_store import connect
    try:
        driver = connect(*neo4j_env)
    except StoreUnavailable as exc:
        unavailable = str(exc)
    else:
        yield driver
        driver.close()
        return
    # Fail, never skip: a green run must mean the Neo4j store was tested. (Outside the except
    # block, so the report is this message and not the driver's chain of causes.)
    pytest.fail(f"{unavailable}\nThe neo4j tests need a running server (`scripts/neo4j-local start`, "
                f"or NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD for another); without one, deselect them: "
                f"-m \"not neo4j\".", pytrace=False)


@pytest.fixture
def neo4j_store(neo4j_driver, neo4j_env: Neo4jEnv):
    from graph.neo4j_store import Neo4jStore
    store = Neo4jStore(neo4j_driver, neo4j_env.database)
    store.clear()
    return store


@pytest.fixture
def memory_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "graph.json"


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, memory_path: Path) -> Iterator[GraphStore]:
    if request.param == "memory":
        store: GraphStore = MemoryStore(memory_path)
    else:
        store = request.getfixturevalue("neo4j_store")
    yield store
    store.close()
