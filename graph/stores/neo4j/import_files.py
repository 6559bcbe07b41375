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
from operator import itemgetter
from typing import TextIO

from graph.model import GraphBatch, Provenance
from graph.model.batch import complete_event_items

__all__ = ["csv_rows", "csv_tables", "write_table", "ARRAY_DELIMITER", "IMPORT_COMMAND",
           "NODE_HEADER", "RELATIONSHIP_HEADER", "ARTICLE_HEADER", "MENTION_HEADER"]

# The import tool cannot escape its array delimiter inside an element, and citing sentences often
# hold ';' (its default), so we use '|', which prose almost never holds, and swap any that occurs
# for a broken bar rather than let it split one sentence into two and break the parallel lists.
ARRAY_DELIMITER = "|"
_DELIMITER_STANDIN = "\u00a6"

NODE_HEADER = ["id:ID", "name", "type", "aliases:string[]", "rank", "title", ":LABEL"]
# The provenance lists of graph.stores.neo4j.cypher.PROVENANCE_LISTS, typed for the import tool, in
# column order (``_citation_lists`` makes the cells): the citing articles and sentences first, where
# a reader of the CSV looks for them.
_LIST_TYPES = {"articles": "string", "sentences": "string", "prov_ids": "string", "starts": "long",
               "ends": "long", "confidences": "double"}
RELATIONSHIP_HEADER = [":START_ID", ":END_ID", ":TYPE", "key", "date", "place", "what",
                       *(f"{prop}:{kind}[]" for prop, kind in _LIST_TYPES.items())]
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
IN_EVENT_HEADER = [":START_ID", ":END_ID", ":TYPE", "role", "side:int"]

# The database name goes first: after --relationships=FILE it would be read as one more file.
IMPORT_COMMAND = (
    "neo4j-admin database import full neo4j"
    f" --array-delimiter='{ARRAY_DELIMITER}' --multiline-fields=true"
    " --nodes=nodes.csv --nodes=articles.csv --nodes=events.csv"
    " --relationships=relationships.csv --relationships=mentions.csv --relationships=in_event.csv"
)

TableRows = Iterable[Sequence[object]]


def _strings(values: Sequence[str]) -> str:
    """One array cell: the values joined by the delimiter, which any value holding it has swapped
    for the stand-in."""
    joined = ARRAY_DELIMITER.join(values)
    if joined.count(ARRAY_DELIMITER) == len(values) - 1 or not values:
        return joined  # no element holds the delimiter: the common case, one C-level pass
    return ARRAY_DELIMITER.join(v.replace(ARRAY_DELIMITER, _DELIMITER_STANDIN) for v in values)


def _citation_lists(cs: Sequence[Provenance], *, sentences: bool) -> tuple[str, ...]:
    """Citations as the array cells of ``_LIST_TYPES`` (less the sentences, for events), in that
    order. An empty field means "no property" to the import tool, which is right for an empty list."""
    cells = [_strings([c.article for c in cs])]
    if sentences:
        cells.append(_strings([c.sentence for c in cs]))
    cells += [_strings([c.id for c in cs]), ARRAY_DELIMITER.join([str(c.start) for c in cs]),
              ARRAY_DELIMITER.join([str(c.end) for c in cs]),
              ARRAY_DELIMITER.join([repr(float(c.confidence)) for c in cs])]
    return tuple(cells)


def csv_rows(batch: GraphBatch) -> dict[str, tuple[list[str], TableRows]]:
    """{file name: (header, rows)} for the actors, relations, articles, (article)-[:MENTIONS]->(actor),
    events and their IN_EVENT edges: rows made as they are written (a million relations' text is
    never held at once), each table in id order, so equal graphs give equal files."""
    actors = (
        (a.id, a.name, a.type.value, _strings(list(a.aliases)), a.rank, a.title,
         f"Actor{ARRAY_DELIMITER}{a.type.value}")
        for a in (batch.actors[k] for k in sorted(batch.actors))
    )
    relations = (
        (r.source, r.target, r.type.value, key, r.date, r.place, r.what, *_citation_lists(r.provenance, sentences=True))
        for key, r in sorted(batch.relations.items(), key=itemgetter(0))
    )
    articles = (
        (a.id, a.title, a.published, a.source, a.url, a.content_hash, a.cluster, "Article")
        for a in (batch.articles[k] for k in sorted(batch.articles))
    )
    events = complete_event_items(batch)  # with their ids: each a hash of the parties, not recomputed here
    return {
        "nodes.csv": (NODE_HEADER, actors),
        "relationships.csv": (RELATIONSHIP_HEADER, relations),
        "articles.csv": (ARTICLE_HEADER, articles),
        "mentions.csv": (MENTION_HEADER, ((article, actor, "MENTIONS") for article, actor in batch.mentions())),
        "events.csv": (EVENT_HEADER, ((k, e.type.value, e.date, e.precision, e.place, e.what,
                                      *_citation_lists(e.citations, sentences=False), "Event") for k, e in events)),
        "in_event.csv": (IN_EVENT_HEADER, ((p.actor, k, "IN_EVENT", p.role, p.side)
                                           for k, e in events for p in e.participants)),
    }


def write_table(out: TextIO, header: Sequence[str], rows: TableRows) -> None:
    """One CSV table to ``out`` (a None cell is written empty, as the import tool reads "no property")."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)


def csv_tables(batch: GraphBatch) -> dict[str, str]:
    """``csv_rows`` as {file name: CSV text}: for the export's zip (graph.exports.neo4j_csv)."""
    out = {}
    for name, (header, rows) in csv_rows(batch).items():
        text = io.StringIO()
        write_table(text, header, rows)
        out[name] = text.getvalue()
    return out
