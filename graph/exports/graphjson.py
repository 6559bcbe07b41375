"""The graph JSON of DESIGN.md (nodes, edges with provenance, articles): the interchange format."""
from __future__ import annotations

import json

from graph.model import GraphBatch

__all__ = ["to_json"]


def to_json(batch: GraphBatch, *, indent: int | None = 2) -> str:
    return json.dumps(batch.to_dict(), ensure_ascii=False, indent=indent) + "\n"
