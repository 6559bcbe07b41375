"""The evaluation step (``scripts/eval [DIR]``): measurements on the shared gold sets, not tests.

They read the shared evaluation folder (the sample and dev articles' gold graphs, the reference
scorer), which a clone of the repository does not hold: ``scripts/eval`` passes its path in
ACTORGRAPH_SHARED_EVAL (default ``../shared/eval``). Without it the run fails, saying where it
looked; it never skips, so a green evaluation always means the floors were measured.
"""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
ENV = "ACTORGRAPH_SHARED_EVAL"
DEFAULT = REPO.parent / "shared" / "eval"


def shared_eval_dir() -> Path:
    return Path(os.environ.get(ENV) or DEFAULT).resolve()


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """The shared evaluation folder (gold sets, score.py); the corpus is its sibling ``../corpus``."""
    path = shared_eval_dir()
    if not (path.is_dir() and (path / "score.py").is_file()):
        pytest.fail(f"the shared evaluation folder is missing: expected it (with score.py) at {path}; "
                    f"run `scripts/eval DIR` with DIR the folder, or set {ENV}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def shared_corpus(shared_eval: Path) -> Path:
    """The shared sample articles (``corpus/`` beside ``eval/``)."""
    path = shared_eval.parent / "corpus"
    if not path.is_dir():
        pytest.fail(f"the shared corpus is missing: expected it at {path}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def scorer(shared_eval: Path) -> ModuleType:
    """The reference scorer, ``score.py`` of the shared evaluation folder."""
    spec = importlib.util.spec_from_file_location("gold_scorer", shared_eval / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
