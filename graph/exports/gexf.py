"""GEXF 1.2 for Gephi, with each node coloured by its type (the ``viz`` namespace)."""
from __future__ import annotations

import io

import networkx as nx

from graph.exports.network import to_networkx
from graph.exports.palette import rgb
from graph.model import GraphBatch

__all__ = ["to_gexf"]


def to_gexf(batch: GraphBatch) -> bytes:
    g = to_networkx(batch)
    for _, attrs in g.nodes(data=True):
        r, gr, b = rgb(attrs["type"])
        attrs["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}}
    for _, _, attrs in g.edges(data=True):
        # The relation key becomes the edge id. (networkx still adds it as "networkx_key", which it
        # reads back as the multigraph key; GEXF reserves an edge's "type" for its direction.)
        attrs["id"] = attrs.pop("key")
    out = io.BytesIO()
    nx.write_gexf(g, out, encoding="utf-8", prettyprint=True, version="1.2draft")
    return out.getvalue()
