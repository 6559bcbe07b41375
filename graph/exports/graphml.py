"""GraphML for yEd, Gephi and any GraphML reader (node ids are actor ids, edge ids relation keys).

Actors and their relations only, unless ``events=True``: event nodes and their IN_EVENT edges
would otherwise count in every degree a reader computes (``actorgraph export --events`` asks)."""
from __future__ import annotations

import io

import networkx as nx

from graph.exports.events import event_codes, event_node_attributes, in_event_edges

from graph.model.batch import complete_events
from graph.exports.network import to_networkx
from graph.model import GraphBatch

__all__ = ["to_graphml"]


def to_graphml(batch: GraphBatch, *, events: bool = False) -> bytes:
    out = io.BytesIO()
    # Key ids stay d0, d1...: named ids would give node "label" and edge "label" the same XML id,
    # which yEd and Gephi resolve ambiguously. attr.name carries the readable names.
    g = to_networkx(batch)
    # events as nodes (type Event), tied to their participants by IN_EVENT edges with the role
    codes = event_codes(batch) if events else {}
    for ev in complete_events(batch) if events else ():
        g.add_node(ev.id, **event_node_attributes(ev, batch, codes[ev.id]))
        g.add_edges_from((actor, eid, key, attrs) for actor, eid, key, attrs in in_event_edges(ev))
    nx.write_graphml_xml(g, out, encoding="utf-8")
    return out.getvalue()
