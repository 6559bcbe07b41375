"""Fixtures: the ``store`` fixture runs a test once per store kind.

The Neo4j runs talk to a real server of the tests' own, which ``scripts/test`` starts and stops
(``.neo4j-test/``, Bolt 17687, password ``actorgraph-test``), and WIPE its database before each
test. They find it through ACTORGRAPH_TEST_NEO4J_URI and ACTORGRAPH_TEST_NEO4J_PASSWORD only, never
the NEO4J_* a user's shell sets for their own server, so no test ever clears a user's graph.
Without the server they fail, saying so; deselect them with ``-m "not neo4j"``.

Every test fails on a deprecation notification from the server (a function or syntax Neo4j
will drop, such as ``id()``): the driver logs each notification to ``neo4j.notifications``.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest

from graph.stores.embedded.store import EmbeddedStore
from graph.stores.interface import GraphStore, StoreUnavailable
from tests import neo4j_server


class _Deprecations(logging.Handler):
    """The deprecation notifications the driver logs (``neo4j.notifications``), with their query."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        printer = record.args[0] if isinstance(record.args, tuple) and record.args else None
        classification = getattr(getattr(printer, "notification", None), "classification", None)
        if getattr(classification, "value", None) == "DEPRECATION":
            self.seen.append(record.getMessage())


@pytest.fixture(scope="session")
def _deprecations() -> Iterator[_Deprecations]:
    logger = logging.getLogger("neo4j.notifications")
    handler, level = _Deprecations(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)  # every notification reaches the handler, whatever its severity
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def no_deprecated_cypher(_deprecations: _Deprecations) -> Iterator[None]:
    """Fail the test if the server called any of its queries deprecated."""
    start = len(_deprecations.seen)
    yield
    found = _deprecations.seen[start:]
    if found:
        pytest.fail("the server reported deprecated Cypher:\n" + "\n".join(found), pytrace=False)


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
