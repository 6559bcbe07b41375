"""The tests' own Neo4j server, as ``scripts/test`` starts it (its defaults are repeated there).

Never the development server (``scripts/neo4j-local``'s .neo4j/ on Bolt 7687): the tests wipe
the database they reach, so they reach it through ACTORGRAPH_TEST_* only.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
URI = "bolt://127.0.0.1:17687"
PASSWORD = "actorgraph-test"
DIR = REPO / ".neo4j-test"


def uri() -> str:
    return os.environ.get("ACTORGRAPH_TEST_NEO4J_URI") or URI


def password() -> str:
    return os.environ.get("ACTORGRAPH_TEST_NEO4J_PASSWORD") or PASSWORD


def folder() -> Path:
    """Where scripts/test keeps the tests' server (its resolved jars include neo4j-admin)."""
    return Path(os.environ.get("ACTORGRAPH_TEST_NEO4J_DIR") or DIR)
