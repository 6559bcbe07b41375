"""The Neo4j store's events (graph.model.events): ``(:Event {id})`` nodes with their citations in parallel
list properties (as relations keep theirs, less the sentences, which their derived relationships
hold), and ``(:Actor)-[:IN_EVENT {role, side}]->(:Event)``
beside the binary edges derived from them. Written in managed transactions, one UNWIND per chunk;
values only as parameters. Browser users can ask::

    MATCH (a:Actor)-[p:IN_EVENT]->(e:Event {type: 'MET'}) RETURN e.date, e.id, collect(a.name)
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from neo4j import ManagedTransaction

from graph.model.events import Event, Participant
from graph.model import Provenance, Relation, RelType
from graph.stores.neo4j import cypher as q
from graph.stores.neo4j.writers import Rows, tx_rows

__all__ = ["event_row", "write_events", "read_events", "read_events_query", "with_sentences", "wipe_events",
           "UPSERT_EVENTS", "EXISTING_EVENTS", "CREATE_EVENTS"]

# An event's citations as parallel lists, as relations keep theirs but without the sentences: those
# are its derived relationships' (read back by ``with_sentences``), not stored twice.
_LISTS = ("prov_ids", "articles", "starts", "ends", "confidences")

UPSERT_EVENTS = """UNWIND $rows AS row
MERGE (e:Event {id: row.id})
ON CREATE SET e.type = row.type, e.date = row.date, e.precision = row.precision,
              e.prov_ids = [], e.articles = [], e.starts = [], e.ends = [], e.confidences = []
WITH e, row, size(e.prov_ids) = 0 AS created,
     [i IN range(0, size(row.prov_ids) - 1) WHERE NOT row.prov_ids[i] IN e.prov_ids] AS fresh,
     (e.place IS NULL AND row.place IS NOT NULL) OR (e.what IS NULL AND row.what IS NOT NULL) AS filled
SET e.place = coalesce(e.place, row.place), e.what = coalesce(e.what, row.what),
    e.prov_ids = e.prov_ids + [i IN fresh | row.prov_ids[i]],
    e.articles = e.articles + [i IN fresh | row.articles[i]],
    e.starts = e.starts + [i IN fresh | row.starts[i]],
    e.ends = e.ends + [i IN fresh | row.ends[i]],
    e.confidences = e.confidences + [i IN fresh | row.confidences[i]]
WITH e, row, created, size(fresh) > 0 OR filled AS grew
// the parties only with a new event: an event's id is made of them, so a stored one has them
CALL (e, row, created) {
  WITH e, row WHERE created
  UNWIND row.participants AS p
  MATCH (a:Actor {id: p.actor})
  CREATE (a)-[:IN_EVENT {role: p.role, side: p.side}]->(e)
  RETURN count(*) AS joined
}
RETURN sum(CASE WHEN grew THEN 1 ELSE 0 END) AS changed"""

EXISTING_EVENTS = "UNWIND $ids AS id MATCH (e:Event {id: id}) " + q.collected("id")  # one record of rows

# Events a read in the same transaction found absent: created with their parties, each party found
# by the element id the upsert's actor phase read (graph.stores.neo4j.cypher.by_element), in
# ``row.xs``: no MERGE's lock and lookup per event, no id-index walk per party.
CREATE_EVENTS = f"""UNWIND $rows AS row
CREATE (e:Event {{id: row.id, type: row.type, date: row.date, precision: row.precision, place: row.place,
                 what: row.what, prov_ids: row.prov_ids, articles: row.articles, starts: row.starts,
                 ends: row.ends, confidences: row.confidences}})
WITH e, row
UNWIND range(0, size(row.participants) - 1) AS i
WITH e, row.participants[i] AS p, row.xs[i] AS x
{q.by_element("a", "Actor", "x", "p.actor")}
CREATE (a)-[:IN_EVENT {{role: p.role, side: p.side}}]->(e)"""

_PARTIES = """
CALL (e) {
  MATCH (a:Actor)-[p:IN_EVENT]->(e)
  RETURN collect({actor: a.id, role: p.role, side: p.side}) AS participants
}
"""


def read_events_query(*, by: str | None = None) -> str:
    """All events, streamed; or, as one record of ``rows`` (``cypher.collected``), by=``'id'`` the
    one of $id, by=``'actor'`` those $actor takes part in (from the actor's IN_EVENT edges, not a
    scan of every event), by=``'actors'`` those of any of $actors, by=``'within'`` those all of whose
    parties are $within (a subgraph's actors: filtered on the server). Each row or record holds
    ``event`` (its properties) and ``participants``."""
    if by is None:
        return "MATCH (e:Event)" + _PARTIES + "RETURN properties(e) AS event, participants ORDER BY e.id"
    match = {
        "id": "MATCH (e:Event {id: $id})",
        "actor": "MATCH (:Actor {id: $actor})-[:IN_EVENT]->(e:Event)\nWITH DISTINCT e",
        "actors": "UNWIND $actors AS actor MATCH (:Actor {id: actor})-[:IN_EVENT]->(e:Event)\nWITH DISTINCT e",
        # Every party's IN_EVENT comes from $within: counted, not read (no party's id is read per
        # candidate event: 68 -> 55 ms of server time for a hub's ego network at 100k relations).
        "within": ("UNWIND $within AS id MATCH (:Actor {id: id})-[:IN_EVENT]->(e:Event)\nWITH e, count(*) AS inside\n"
                   "WHERE inside = COUNT { (e)<-[:IN_EVENT]-() }"),
    }[by]
    return match + _PARTIES + q.collected("{event: properties(e), participants: participants}",
                                          order="e.id", carried="e, participants")


# auto-commit only (CALL IN TRANSACTIONS): before a rebuild writes the graph again
WIPE_EVENTS = "MATCH (e:Event) CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10000 ROWS"


def event_row(ev: Event, event_id: str | None = None) -> dict[str, Any]:
    """``event_id``: ``ev.id`` when the caller has it (a batch's key): it is a hash of the parties."""
    cs = ev.citations
    return {"id": event_id or ev.id, "type": ev.type.value, "date": ev.date or None, "precision": ev.precision,
            "place": ev.place, "what": ev.what,
            "participants": [p.to_dict() for p in ev.participants],
            "prov_ids": [c.id for c in cs], "articles": [c.article for c in cs],
            "starts": [c.start for c in cs], "ends": [c.end for c in cs],
            "confidences": [c.confidence for c in cs]}


def write_events(tx: ManagedTransaction, rows: list[dict], *, create: bool = True) -> int:
    """Write a chunk of event rows (``event_row``, with ``xs``: the element id of each party, as
    the upsert's actor phase read them); returns the events new or changed (created ones included).

    ``create``: the events a read finds absent are created (``CREATE_EVENTS``), the stored ones
    merged; False merges all (after a concurrent writer created one of them: the id's uniqueness
    constraint refused the CREATE)."""
    new: list[dict] = []
    if create:
        stored = set(tx_rows(tx, EXISTING_EVENTS, ids=Rows(row["id"] for row in rows)))
        new = [row for row in rows if row["id"] not in stored]
        rows = [row for row in rows if row["id"] in stored]
    written = 0
    if new:
        tx.run(CREATE_EVENTS, rows=Rows(new)).consume()
        written += len(new)
    if rows:
        result = tx.run(UPSERT_EVENTS, rows=Rows(rows))
        record = result.single(strict=True)
        written += max(result.consume().counters.nodes_created, record["changed"])
    return written


def read_events(records: Iterable[Any]) -> list[Event]:
    """Events from the records or rows of ``read_events_query``, their sentences still blank
    (``with_sentences`` fills them)."""
    out = []
    for r in records:
        props = r["event"]
        lists = [props.get(k) or [] for k in _LISTS[1:]]
        out.append(Event(type=RelType(props["type"]), date=props.get("date"), place=props.get("place"),
                         what=props.get("what"),
                         participants=[Participant(p["actor"], p["role"], int(p["side"])) for p in r["participants"]],
                         citations=[Provenance(article=a, sentence="", start=st, end=e, confidence=c)
                                    for a, st, e, c in zip(*lists)]))
    return out


def sentences_query(rel_type: RelType) -> str:
    """The citations of relations of one type by key ($keys), as one record (``cypher.collected``);
    the type is an enum member, formatted in as graph.stores.neo4j.cypher does (labels cannot be
    parameters)."""
    return (f"UNWIND $keys AS k MATCH ()-[r:`{RelType(rel_type).value}` {{key: k}}]->()\n"
            + q.collected("{articles: r.articles, sentences: r.sentences, starts: r.starts, ends: r.ends}"))


def with_sentences(events: list[Event], read: Callable[..., list], known: Iterable[Relation] = ()) -> list[Event]:
    """Fill the events' citing sentences from their derived relationships' citations (same article
    and offsets); ``read(query, **params)`` runs a read query answered as one record and returns
    its ``rows``. ``known``: relations at hand with their citations (a subgraph's): an event each
    of whose citations they hold costs no read."""
    found: dict[tuple, str] = {(p.article, p.start, p.end): p.sentence for r in known for p in r.provenance}
    by_type: dict[RelType, set[str]] = {}
    for ev in events:
        if any((c.article, c.start, c.end) not in found for c in ev.citations):
            by_type.setdefault(ev.type, set()).update(ev.edge_keys())
    rows = [r for rel_type, keys in by_type.items()
            for chunk in q.key_chunks(keys) for r in read(sentences_query(rel_type), keys=chunk)]
    for r in rows:
        for a, s, st, e in zip(r["articles"] or [], r["sentences"] or [], r["starts"] or [], r["ends"] or []):
            found[(a, st, e)] = s
    for ev in events:
        ev.citations = [Provenance(c.article, found.get((c.article, c.start, c.end), ""), c.start, c.end, c.confidence)
                        for c in ev.citations]
    return events


def wipe_events() -> str:
    return WIPE_EVENTS
