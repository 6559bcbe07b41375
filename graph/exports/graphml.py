"""GraphML for yEd, Gephi and any GraphML reader (node ids are actor ids, edge ids relation keys)."""
from __future__ import annotations

import io

import networkx as nx

from graph.exports.network import to_networkx
from graph.model import GraphBatch

__all__ = ["to_graphml"]


def to_graphml(batch: GraphBatch) -> bytes:
    out = io.BytesIO()
    # Key ids stay d0, d1...: named ids would give node "label" and edge "label" the same XML id,
    # which yEd and Gephi resolve ambiguously. attr.name carries the readable names.
    nx.write_graphml_xml(to_networkx(batch), out, encoding="utf-8")
    return out.getvalue()
