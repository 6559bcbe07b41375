"""The CSV files ``neo4j-admin database import full`` reads, and the command that loads them: what the
bulk import (``bulk_import``) writes and the ``neo4j-csv`` export (graph.exports.neo4j_csv) zips.

The headers follow the import tool's syntax: ``id:ID`` keeps the actor id as a property, ``:LABEL``
holds ``Actor`` plus the type label, suffixes such as ``aliases:string[]`` type array columns. The result
has the shape the Neo4j store writes (see ``graph.stores.neo4j.store``): provenance as parallel lists.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from graph.stores.neo4j.cypher import PROVENANCE_LISTS
from graph.model.batch import complete_events
from graph.model import GraphBatch

__all__ = ["csv_tables", "ARRAY_DELIMITER", "IMPORT_COMMAND",
           "NODE_HEADER", "RELATIONSHIP_HEADER", "ARTICLE_HEADER", "MENTION_HEADER"]

# The import tool cannot escape its array delimiter inside an element, and citing sentences often
# hold ';' (its default), so we use '|', which prose almost never holds, and swap any that occurs
# for a broken bar rather than let it split one sentence into two and break the parallel lists.
ARRAY_DELIMITER = "|"
_DELIMITER_STANDIN = "\u00a6"

NODE_HEADER = ["id:ID", "name", "type", "aliases:string[]", "rank", "title", ":LABEL"]
# The provenance lists of graph.stores.neo4j.cypher.PROVENANCE_LISTS, typed for the import tool, in
# column order: the citing articles and sentences first, where a reader of the CSV looks for them.
_LIST_TYPES = {"articles": "string", "sentences": "string", "prov_ids": "string", "starts": "long",
               "ends": "long", "confidences": "double"}
RELATIONSHIP_HEADER = [":START_ID", ":END_ID", ":TYPE", "key", "date", "place", "what",
                       *(f"{prop}:{kind}[]" for prop, kind in _LIST_TYPES.items())]
# Provenance field of each list column, in that order.
_LIST_FIELDS = [next(f for f, prop in PROVENANCE_LISTS.items() if prop == column) for column in _LIST_TYPES]
# content_hash: what ingest recognises a duplicate text by (loaders.dedupe), as the store holds it.
# cluster: its near-duplicate cluster (loaders.syndication), what counting independent sources reads.
ARTICLE_HEADER = ["id:ID", "title", "published", "source", "url", "content_hash", "cluster", ":LABEL"]
MENTION_HEADER = [":START_ID", ":END_ID", ":TYPE"]
# Events (graph.model.events) as the Neo4j store holds them: nodes labelled Event, IN_EVENT from each participant.
# The citations as the store holds them: the lists of relations, less the sentences (the derived
# relationships hold those).
_EVENT_LISTS = {k: v for k, v in _LIST_TYPES.items() if k != "sentences"}
EVENT_HEADER = ["id:ID", "type", "date", "precision", "place", "what",
                *(f"{prop}:{kind}[]" for prop, kind in _EVENT_LISTS.items()), ":LABEL"]
_EVENT_FIELDS = [next(f for f, prop in PROVENANCE_LISTS.items() if prop == column) for column in _EVENT_LISTS]
IN_EVENT_HEADER = [":START_ID", ":END_ID", ":TYPE", "role", "side:int"]

# The database name goes first: after --relationships=FILE it would be read as one more file.
IMPORT_COMMAND = (
    "neo4j-admin database import full neo4j"
    f" --array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true"
    " --nodes=nodes.csv --nodes=articles.csv --nodes=events.csv"
    " --relationships=relationships.csv --relationships=mentions.csv --relationships=in_event.csv"
)

def _array(values: Iterable[object]) -> str:
    # An empty field means "no property" to the import tool, which is right for an empty list.
    return ARRAY_DELIMITER.join(str(v).replace(ARRAY_DELIMITER, _DELIMITER_STANDIN) for v in values)


def _value(v: object) -> object:
    return repr(float(v)) if isinstance(v, float) else v


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


def csv_tables(batch: GraphBatch) -> dict[str, str]:
    """{file name: CSV text} for the actors, relations, articles and (article)-[:MENTIONS]->(actor)."""
    nodes = (
        (a.id, a.name, a.type.value, _array(a.aliases), a.rank, a.title, _array(["Actor", a.type.value]))
        for a in (batch.actors[k] for k in sorted(batch.actors))
    )
    relations = (
        (r.source, r.target, r.type.value, r.key, r.date, r.place, r.what,
         *(_array(_value(getattr(p, field)) for p in r.provenance) for field in _LIST_FIELDS))
        for r in (batch.relations[k] for k in sorted(batch.relations))
    )
    articles = (
        (a.id, a.title, a.published, a.source, a.url, a.content_hash, a.cluster, "Article")
        for a in (batch.articles[k] for k in sorted(batch.articles))
    )
    return {
        "nodes.csv": _table(NODE_HEADER, nodes),
        "relationships.csv": _table(RELATIONSHIP_HEADER, relations),
        "articles.csv": _table(ARTICLE_HEADER, articles),
        "mentions.csv": _table(MENTION_HEADER, ((article, actor, "MENTIONS") for article, actor in batch.mentions())),
        "events.csv": _table(EVENT_HEADER, (
            (e.id, e.type.value, e.date, e.precision, e.place, e.what,
             *(_array(_value(getattr(p, field)) for p in e.citations) for field in _EVENT_FIELDS), "Event")
            for e in complete_events(batch))),
        "in_event.csv": _table(IN_EVENT_HEADER, ((p.actor, e.id, "IN_EVENT", p.role, p.side)
                                                 for e in complete_events(batch) for p in e.participants)),
    }
