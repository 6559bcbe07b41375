"""Fixtures for the API tests: an app over the shared ``store`` fixture (embedded, then real Neo4j).

Import the fixtures into a test module (``from tests.api_support import client, seeded  # noqa``).
"""
from __future__ import annotations

from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.stores.interface import GraphStore
from service.app import create_app
from service.settings import Settings
from tests.factories import both_reports

API_KEY = "test-key-not-secret"


def settings(**overrides) -> Settings:
    """Settings for a test app, whatever ACTORGRAPH_* the shell that runs the tests has set."""
    return Settings(**{"store": "embedded", "api_key": API_KEY, "read_requires_key": False, **overrides})


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    """The store holding the two factory reports (fictional officers of Pakistan and Bangladesh)."""
    store.upsert(both_reports())
    return store


@pytest.fixture
def client(seeded: GraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(seeded, settings=settings())) as c:
        yield c
