"""Shared, cached extraction runs for the tests (spaCy is loaded once per session)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from graph.model import GraphBatch

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples" / "articles"
EXAMPLE_VOCAB = REPO / "examples" / "vocab"


@lru_cache(maxsize=1)
def extractor():
    from loaders.pipeline import Extractor
    return Extractor(extra_vocab=(str(EXAMPLE_VOCAB),))


@lru_cache(maxsize=4)
def extract(*paths: str) -> GraphBatch:
    from loaders.pipeline import extract_paths
    result = extract_paths(list(paths), extractor=extractor())
    assert not result.errors, result.errors
    return result.batch


def examples_batch() -> GraphBatch:
    return extract(str(EXAMPLES))


def edges(batch: GraphBatch, type_: str) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in batch.relations.values() if r.type.value == type_}
