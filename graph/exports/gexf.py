"""GEXF 1.3 for Gephi: a dynamic graph whose dated events carry spells, so Gephi's timeline plays them.

Written with ElementTree rather than networkx's writer, whose 1.3 output fails the GEXF 1.3 schema
(a ``graph@name`` attribute, a misspelt XML Schema instance namespace, colours in a namespace the
schema does not declare) and which cannot write one graph with directed and undirected edges.

- ``mode="dynamic"``, ``timeformat="date"``: each dated event gets one spell covering its date at the
  precision known ("2025-03-04" is that day, "2025-03" the month, "2025" the year). Undated events,
  structure relations and actors have none, which Gephi reads as "always there".
- The graph is directed, and MET and SIGNED (the symmetric types) have ``type="mutual"``: Gephi
  draws them as ties both ways, and networkx's ``read_gexf``, which refuses an ``undirected`` edge in
  a directed graph, reads them as directed edges. A GEXF with only symmetric relations (``--types
  MET``) is an undirected graph.
- Node colours are the palette's, as ``<color>`` in the GEXF namespace, where the 1.3 schema
  declares them; Gephi matches the element by its local name.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
import xml.etree.ElementTree as ET

from graph.exports.events import event_codes, event_node_attributes, in_event_edges

from graph.model.batch import complete_events
from graph.exports.network import edge_attributes, node_attributes
from graph.exports.palette import rgb
from graph.model import SYMMETRIC_TYPES, GraphBatch, Relation

__all__ = ["to_gexf", "spell", "GEXF_NAMESPACE", "NODE_ATTRIBUTES", "EDGE_ATTRIBUTES"]

GEXF_NAMESPACE = "http://gexf.net/1.3"

# (attribute id, GEXF type): ids are the readable titles, distinct across nodes and edges.
NODE_ATTRIBUTES = (("name", "string"), ("type", "string"), ("aliases", "string"), ("rank", "string"),
                   ("title", "string"))
EDGE_ATTRIBUTES = (("relation", "string"), ("date", "string"), ("place", "string"), ("what", "string"),
                   ("articles", "string"), ("sentences", "string"), ("citations", "integer"),
                   ("sources", "integer"), ("article_count", "integer"), ("first_reported", "string"),
                   ("last_reported", "string"))
# Declared only when the batch has events (graph.exports.events): their nodes' and IN_EVENT edges' own.
EVENT_NODE_ATTRIBUTES = (("event_type", "string"), ("event_date", "string"), ("event_place", "string"),
                         ("event_what", "string"), ("cameo", "string"), ("plover", "string"),
                         ("participants", "integer"), ("event_citations", "integer"), ("event_articles", "string"))
EVENT_EDGE_ATTRIBUTES = (("role", "string"),)

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def spell(date: str | None) -> tuple[str, str] | None:
    """(start, end) ISO dates covering a date known to the day, month or year; None if it is none."""
    m = _DATE.match(date or "")
    if not m:
        return None
    year, month, day = int(m[1]), m[2] and int(m[2]), m[3] and int(m[3])
    try:
        if day:
            start = end = dt.date(year, month, day)
        elif month:
            start, end = dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:  # "2025-13": no such month; the raw date stays in the edge's attributes
        return None
    return start.isoformat(), end.isoformat()


def _attributes(parent: ET.Element, cls: str, declared: tuple[tuple[str, str], ...]) -> None:
    block = ET.SubElement(parent, "attributes", {"class": cls, "mode": "static"})
    for attr_id, kind in declared:
        ET.SubElement(block, "attribute", {"id": attr_id, "title": attr_id, "type": kind})


def _values(parent: ET.Element, attrs: dict, declared: tuple[tuple[str, str], ...]) -> None:
    present = [(k, attrs[k]) for k, _ in declared if k in attrs]
    if present:
        block = ET.SubElement(parent, "attvalues")
        for k, v in present:
            ET.SubElement(block, "attvalue", {"for": k, "value": str(v)})


def _edge_kind(rel: Relation, default: str) -> str:
    """The edge's type: a symmetric relation in a directed graph is "mutual", never "undirected"."""
    if rel.type in SYMMETRIC_TYPES:
        return "undirected" if default == "undirected" else "mutual"
    return "directed"


def to_gexf(batch: GraphBatch, *, title: str | None = None) -> bytes:
    # Symmetric relations first: networkx's reader adds a mutual edge both ways and turns the graph
    # into a multigraph only when an edge meets one already there, so a mutual edge written after a
    # directed one between the same two actors would overwrite it.
    relations = sorted(batch.relations.values(), key=lambda r: (r.type not in SYMMETRIC_TYPES, r.key))
    events = complete_events(batch)
    default = "undirected" if relations and all(r.type in SYMMETRIC_TYPES for r in relations) else "directed"
    spells = {r.key: spell(r.date) for r in relations}

    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "version": "1.3"})
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": dt.date.today().isoformat()})
    ET.SubElement(meta, "creator").text = "actorgraph"
    if title:
        ET.SubElement(meta, "description").text = title
    graph = ET.SubElement(root, "graph", {"defaultedgetype": default, "mode": "dynamic", "timeformat": "date"})
    dated = sorted(s for s in spells.values() if s)
    if dated:  # the timeline's bounds
        graph.set("start", dated[0][0])
        graph.set("end", max(end for _, end in dated))
    node_declared = NODE_ATTRIBUTES + (EVENT_NODE_ATTRIBUTES if events else ())
    edge_declared = EDGE_ATTRIBUTES + (EVENT_EDGE_ATTRIBUTES if events else ())
    _attributes(graph, "node", node_declared)
    _attributes(graph, "edge", edge_declared)

    nodes = ET.SubElement(graph, "nodes", {"count": str(len(batch.actors) + len(events))})
    for actor_id in sorted(batch.actors):
        actor = batch.actors[actor_id]
        node = ET.SubElement(nodes, "node", {"id": actor.id, "label": actor.name})
        r, g, b = rgb(actor.type)
        ET.SubElement(node, "color", {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
        _values(node, node_attributes(actor), NODE_ATTRIBUTES)
    codes = event_codes(batch)
    for ev in events:
        attrs = event_node_attributes(ev, batch, codes[ev.id])
        node = ET.SubElement(nodes, "node", {"id": ev.id, "label": str(attrs["label"])})
        _values(node, attrs, node_declared)
        if spell(ev.date):
            start, end = spell(ev.date)
            ET.SubElement(ET.SubElement(node, "spells"), "spell", {"start": start, "end": end})

    in_event = [e for ev in events for e in in_event_edges(ev)]
    edges = ET.SubElement(graph, "edges", {"count": str(len(relations) + len(in_event))})
    for rel in relations:
        attrs = edge_attributes(rel, batch.articles)
        edge = ET.SubElement(edges, "edge", {"id": rel.key, "source": rel.source, "target": rel.target,
                                             "label": attrs["label"], "kind": rel.type.value})
        if _edge_kind(rel, default) != default:
            edge.set("type", _edge_kind(rel, default))
        _values(edge, attrs, EDGE_ATTRIBUTES)
        if spells[rel.key]:
            start, end = spells[rel.key]
            ET.SubElement(ET.SubElement(edge, "spells"), "spell", {"start": start, "end": end})
    for actor, eid, key, attrs in in_event:
        edge = ET.SubElement(edges, "edge", {"id": key, "source": actor, "target": eid, "label": attrs["label"],
                                             "kind": attrs["relation"]})
        _values(edge, attrs, edge_declared)  # of the graph's default kind: membership reads either way

    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
