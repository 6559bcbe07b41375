"""Fixtures of the evaluation step, which reads ``../shared`` beside the checkout (or ACTORGRAPH_SHARED_EVAL).

Minimal version from the exports branch; the test-infrastructure branch brings the full one.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    path = Path(os.environ.get("ACTORGRAPH_SHARED_EVAL", Path(__file__).resolve().parents[1].parent / "shared" / "eval"))
    if not path.is_dir():
        pytest.fail(f"the evaluation step needs the shared evaluation data at {path}", pytrace=False)
    return path
