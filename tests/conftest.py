"""Fixtures: the ``store`` fixture runs a test once per store kind.

The Neo4j runs talk to a real server of the tests' own, which ``scripts/test`` starts and stops
(``.neo4j-test/``, Bolt 17687, password ``actorgraph-test``), and WIPE its database before each
test. They find it through ACTORGRAPH_TEST_NEO4J_URI and ACTORGRAPH_TEST_NEO4J_PASSWORD only, never
the NEO4J_* a user's shell sets for their own server, so no test ever clears a user's graph.
Without the server they fail, saying so; deselect them with ``-m "not neo4j"``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

from graph.stores.embedded.store import EmbeddedStore
from graph.stores.interface import GraphStore, StoreUnavailable
from tests import neo4j_server


class Neo4jEnv(NamedTuple):
    uri: str
    user: str
    password: str
    database: str


@pytest.fixture(scope="session")
def neo4j_env() -> Neo4jEnv:
    return Neo4jEnv(uri=neo4j_server.uri(), user="neo4j", password=neo4j_server.password(), database="neo4j")


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_env: Neo4jEnv):
    from graph.stores.neo4j.store import connect
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
    pytest.fail(f"{unavailable}\nThe neo4j tests need the tests' own server: run them with `scripts/test` "
                f"(which starts and stops it), or point ACTORGRAPH_TEST_NEO4J_URI and "
                f"ACTORGRAPH_TEST_NEO4J_PASSWORD at a server whose database may be wiped; without one, "
                f"deselect them: -m \"not neo4j\".", pytrace=False)


@pytest.fixture
def neo4j_store(neo4j_driver, neo4j_env: Neo4jEnv):
    from graph.stores.neo4j.store import Neo4jStore
    store = Neo4jStore(neo4j_driver, neo4j_env.database)
    store.clear()
    return store


@pytest.fixture
def embedded_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "graph.json"


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, embedded_path: Path) -> Iterator[GraphStore]:
    if request.param == "embedded":
        store: GraphStore = EmbeddedStore(embedded_path)
    else:
        store = request.getfixturevalue("neo4j_store")
    yield store
    store.close()
