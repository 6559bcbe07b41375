"""A Cypher script that recreates a subgraph in another Neo4j: plain MERGE statements, no parameters,
so it runs as it is in cypher-shell (``cypher-shell -f subgraph.cypher``) and in Neo4j Browser.

Every value is a literal, so escaping is the whole of its safety: strings are single-quoted with
backslash, quote and control characters escaped, and ``;`` written as ``\\u003B`` so that no client's
statement splitter can cut a statement inside a citing sentence. Labels and relationship types come
from the model's enums and are checked against a plain-identifier pattern before they are written.

Rows go in batches of ``UNWIND [{...}, ...] AS row MERGE ...``: one statement per few hundred rows
instead of one per entity keeps a 5,000-node script quick to run. The shape matches what the Neo4j
store writes: ``:Actor`` plus the type label, relations merged on ``key`` with provenance as the
parallel lists ``prov_ids``, ``articles``, ``sentences``, ``starts``, ``ends``, ``confidences``,
and ``(:Article)-[:MENTIONS]->(:Actor)`` for the actors each article's citations name.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import groupby, islice

from graph.stores.neo4j.cypher import PROVENANCE_LISTS, mention_rows, upsert_mentions
from graph.model.batch import complete_events
from graph.stores.neo4j.events import event_row
from graph.model import Actor, GraphBatch, Relation

__all__ = ["to_cypher", "cypher_literal", "cypher_string", "ROWS_PER_STATEMENT"]

ROWS_PER_STATEMENT = 500

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")

# Kept to the names in cypher/schema.cypher; IF NOT EXISTS makes them no-ops where it has been run.
_CONSTRAINTS = (
    "CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (n:Actor) REQUIRE n.id IS UNIQUE;",
    "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;",
    "CREATE CONSTRAINT event_id IF NOT EXISTS FOR (n:Event) REQUIRE n.id IS UNIQUE;",
)


def cypher_string(value: str) -> str:
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == ";" or ord(ch) < 0x20 or ord(ch) == 0x7F or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_literal(value: object) -> str:
    """A Cypher literal for a str, int, float, bool, None, list or str-keyed map."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no Cypher literal for {value!r}")
        return repr(value)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_identifier(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a plain Cypher identifier: {name!r}")
    return name


def _chunks(rows: Sequence[dict], size: int) -> Iterator[list[dict]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _unwind(rows: Sequence[dict], body: str, size: int) -> Iterator[str]:
    for chunk in _chunks(rows, size):
        listing = ",\n  ".join(cypher_literal(r) for r in chunk)
        yield f"UNWIND [\n  {listing}\n] AS row\n{body};"


def _compact(d: dict) -> dict:
    """Drop unset scalars: SET n += row.props then leaves a property out instead of writing null."""
    return {k: v for k, v in d.items() if v is not None and v != ""}


def _actor_props(actor: Actor) -> dict:
    # aliases is written even when empty, as the store does, so later merges can append to it.
    return _compact({"type": actor.type.value, "name": actor.name, "aliases": list(actor.aliases),
                     "rank": actor.rank, "title": actor.title})


def _relation_props(rel: Relation) -> dict:
    """As the Neo4j store writes a relation: the provenance lists are always there, empty for a
    structure relation, because the store's later merges append to them and skip known prov_ids."""
    props = _compact({"key": rel.key, "date": rel.date, "place": rel.place, "what": rel.what})
    for field, prop in PROVENANCE_LISTS.items():
        values = [getattr(p, field) for p in rel.provenance]
        props[prop] = [float(v) for v in values] if field == "confidence" else values
    return props


def to_cypher(batch: GraphBatch, *, rows_per_statement: int = ROWS_PER_STATEMENT) -> str:
    actors = [batch.actors[k] for k in sorted(batch.actors)]
    relations = [batch.relations[k] for k in sorted(batch.relations)]
    articles = [batch.articles[k] for k in sorted(batch.articles)]
    lines = [
        "// actorgraph subgraph: "
        f"{len(actors)} actors, {len(relations)} relations, {len(articles)} articles, {len(batch.events)} events.",
        "// Run with: cypher-shell -f FILE, or paste into Neo4j Browser.",
        *_CONSTRAINTS,
    ]

    def statements() -> Iterable[str]:
        by_type = groupby(sorted(actors, key=lambda a: (a.type.value, a.id)), key=lambda a: a.type.value)
        for type_, group in by_type:
            rows = [{"id": a.id, "props": _actor_props(a)} for a in group]
            yield from _unwind(rows, f"MERGE (n:Actor {{id: row.id}})\nSET n:{_identifier(type_)}, n += row.props",
                               rows_per_statement)
        rows = [{"id": a.id, "props": _compact({k: v for k, v in a.to_dict().items() if k != "id"})}
                for a in articles]
        yield from _unwind(rows, "MERGE (n:Article {id: row.id})\nSET n += row.props", rows_per_statement)
        by_rel = groupby(sorted(relations, key=lambda r: (r.type.value, r.key)), key=lambda r: r.type.value)
        for type_, group in by_rel:
            rows = [{"source": r.source, "target": r.target, "props": _relation_props(r)} for r in group]
            yield from _unwind(
                rows,
                "MATCH (a:Actor {id: row.source}), (b:Actor {id: row.target})\n"
                f"MERGE (a)-[r:{_identifier(type_)} {{key: row.props.key}}]->(b)\nSET r += row.props",
                rows_per_statement)
        # Events as the store writes them (graph.stores.neo4j.events): (:Actor)-[:IN_EVENT {role, side}]->(:Event)
        event_rows = []
        for ev in complete_events(batch):
            row = event_row(ev)
            props = _compact({k: row[k] for k in ("type", "date", "precision", "place", "what")})
            props.update({k: row[k] for k in ("prov_ids", "articles", "starts", "ends")})
            props["confidences"] = [float(c) for c in row["confidences"]]
            event_rows.append({"id": ev.id, "props": props, "participants": row["participants"]})
        yield from _unwind(event_rows, "MERGE (e:Event {id: row.id})\nSET e += row.props\n"
                                       "WITH e, row UNWIND row.participants AS p\n"
                                       "MATCH (a:Actor {id: p.actor})\n"
                                       "MERGE (a)-[r:IN_EVENT {side: p.side}]->(e) SET r.role = p.role",
                           rows_per_statement)
        # The store's own statement, after its UNWIND: the same shape whichever way a graph arrives.
        yield from _unwind(mention_rows(batch.mentioned()), upsert_mentions().split("AS row ", 1)[1],
                           rows_per_statement)

    lines.extend(statements())
    return "\n".join(lines) + "\n"
