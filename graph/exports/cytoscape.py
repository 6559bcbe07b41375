"""Cytoscape.js JSON: ``{"elements": {"nodes": [{"data": ...}], "edges": [...]}, "style": [...]}``.

Loads with ``cytoscape({container, ...json})`` and imports into Cytoscape desktop as ``.cyjs``.
Unlike GraphML, data keeps its lists (aliases, citations) since JSON can carry them.
"""
from __future__ import annotations

import json
from typing import Any

from graph.model.corroboration import corroborate
from graph.exports.network import edge_label
from graph.exports.palette import TYPE_COLOURS, TYPE_SHAPES
from graph.model import GraphBatch

__all__ = ["to_cytoscape", "cytoscape_elements", "STYLE"]

STYLE: list[dict[str, Any]] = [
    {"selector": "node", "style": {"label": "data(name)", "font-size": 10, "text-wrap": "wrap",
                                   "text-max-width": 90, "text-valign": "bottom"}},
    *({"selector": f"node.{t.value}", "style": {"background-color": c, "shape": TYPE_SHAPES[t]}}
      for t, c in TYPE_COLOURS.items()),
    {"selector": "edge", "style": {"label": "data(label)", "font-size": 8, "curve-style": "bezier",
                                   "target-arrow-shape": "triangle", "line-color": "#999",
                                   "target-arrow-color": "#999", "text-rotation": "autorotate"}},
    # A relation only one outlet reports is drawn dashed, as in the pictures.
    {"selector": "edge[sources < 2]", "style": {"line-style": "dashed"}},
]


def cytoscape_elements(batch: GraphBatch) -> dict[str, list[dict[str, Any]]]:
    nodes = []
    for k in sorted(batch.actors):
        data = batch.actors[k].to_dict()
        data["label"] = data["name"]
        nodes.append({"data": data, "classes": data["type"]})
    edges = []
    for k in sorted(batch.relations):
        rel = batch.relations[k]
        data = rel.to_dict()
        c = corroborate(rel.provenance, batch.articles)
        # Flat, so a style selector can read it ("edge[sources < 2]"); the object too, as in graph JSON.
        data.update(id=k, label=edge_label(rel), sources=c.sources, corroboration=c.to_dict())
        edges.append({"data": data, "classes": rel.type.value})
    return {"nodes": nodes, "edges": edges}


def to_cytoscape(batch: GraphBatch, *, indent: int | None = 2) -> str:
    doc = {
        "format_version": "1.0",
        "generated_by": "actorgraph",
        "target_cytoscapejs_version": "~3",
        "data": {"articles": [batch.articles[k].to_dict() for k in sorted(batch.articles)]},
        "elements": cytoscape_elements(batch),
        "style": STYLE,
    }
    return json.dumps(doc, ensure_ascii=False, indent=indent) + "\n"
