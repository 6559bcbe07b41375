"""The API tests' app: over the shared ``store`` fixture (tests/conftest.py: embedded, then the real
Neo4j), seeded with the two factory reports."""
from __future__ import annotations

from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.stores.interface import GraphStore
from service.app import create_app
from tests.api_support import settings
from tests.factories import both_reports


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    """The store holding the two factory reports (fictional officers of Pakistan and Bangladesh)."""
    store.upsert(both_reports())
    return store


@pytest.fixture
def client(seeded: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(seeded, settings=settings())) as c:
        yield c
