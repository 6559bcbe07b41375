"""The Neo4j store's events (graph.events): ``(:Event {id})`` nodes with their citations in parallel
list properties (as relations keep theirs), and ``(:Actor)-[:IN_EVENT {role, side}]->(:Event)``
beside the binary edges derived from them. Written in managed transactions, one UNWIND per chunk;
values only as parameters. Browser users can ask::

    MATCH (a:Actor)-[p:IN_EVENT]->(e:Event {type: 'MET'}) RETURN e.date, e.id, collect(a.name)
"""
from __future__ import annotations

from typing import Any, Iterable

from neo4j import ManagedTransaction

from graph.events import Event, Participant
from graph.model import Provenance, RelType

__all__ = ["event_row", "write_events", "read_events", "wipe_events", "UPSERT_EVENTS", "READ_EVENTS"]

_LISTS = ("prov_ids", "articles", "sentences", "starts", "ends", "confidences")

UPSERT_EVENTS = """UNWIND $rows AS row
MERGE (e:Event {id: row.id})
ON CREATE SET e.type = row.type, e.date = row.date, e.precision = row.precision,
              e.prov_ids = [], e.articles = [], e.sentences = [], e.starts = [], e.ends = [], e.confidences = []
WITH e, row,
     [i IN range(0, size(row.prov_ids) - 1) WHERE NOT row.prov_ids[i] IN e.prov_ids] AS fresh,
     (e.place IS NULL AND row.place IS NOT NULL) OR (e.what IS NULL AND row.what IS NOT NULL) AS filled
SET e.place = coalesce(e.place, row.place), e.what = coalesce(e.what, row.what),
    e.prov_ids = e.prov_ids + [i IN fresh | row.prov_ids[i]],
    e.articles = e.articles + [i IN fresh | row.articles[i]],
    e.sentences = e.sentences + [i IN fresh | row.sentences[i]],
    e.starts = e.starts + [i IN fresh | row.starts[i]],
    e.ends = e.ends + [i IN fresh | row.ends[i]],
    e.confidences = e.confidences + [i IN fresh | row.confidences[i]]
WITH e, row, size(fresh) > 0 OR filled AS grew
CALL (e, row) {
  UNWIND row.participants AS p
  MATCH (a:Actor {id: p.actor})
  WHERE NOT EXISTS { (a)-[:IN_EVENT]->(e) }
  CREATE (a)-[:IN_EVENT {role: p.role, side: p.side}]->(e)
  RETURN count(*) AS joined
}
RETURN sum(CASE WHEN grew OR joined > 0 THEN 1 ELSE 0 END) AS changed"""

READ_EVENTS = """MATCH (e:Event)
WHERE ($id IS NULL OR e.id = $id)
  AND ($actor IS NULL OR EXISTS { (:Actor {id: $actor})-[:IN_EVENT]->(e) })
CALL (e) {
  MATCH (a:Actor)-[p:IN_EVENT]->(e)
  RETURN collect({actor: a.id, role: p.role, side: p.side}) AS participants
}
RETURN properties(e) AS event, participants ORDER BY e.id"""

# auto-commit only (CALL IN TRANSACTIONS): before a rebuild writes the graph again
WIPE_EVENTS = "MATCH (e:Event) CALL (e) { DETACH DELETE e } IN TRANSACTIONS OF 10000 ROWS"


def event_row(ev: Event) -> dict[str, Any]:
    cs = ev.citations
    return {"id": ev.id, "type": ev.type.value, "date": ev.date or None, "precision": ev.precision,
            "place": ev.place, "what": ev.what,
            "participants": [p.to_dict() for p in ev.participants],
            "prov_ids": [c.id for c in cs], "articles": [c.article for c in cs],
            "sentences": [c.sentence for c in cs], "starts": [c.start for c in cs], "ends": [c.end for c in cs],
            "confidences": [c.confidence for c in cs]}


def write_events(tx: ManagedTransaction, rows: list[dict]) -> int:
    """Merge a chunk of event rows; returns the events new or changed (created ones included)."""
    result = tx.run(UPSERT_EVENTS, rows=rows)
    record = result.single(strict=True)
    created = result.consume().counters.nodes_created
    return max(created, record["changed"])


def read_events(records: Iterable[Any]) -> list[Event]:
    out = []
    for r in records:
        props = r["event"]
        lists = [props.get(k) or [] for k in _LISTS[1:]]
        out.append(Event(type=RelType(props["type"]), date=props.get("date"), place=props.get("place"),
                         what=props.get("what"),
                         participants=[Participant(p["actor"], p["role"], int(p["side"])) for p in r["participants"]],
                         citations=[Provenance(article=a, sentence=s, start=st, end=e, confidence=c)
                                    for a, s, st, e, c in zip(*lists)]))
    return out


def wipe_events() -> str:
    return WIPE_EVENTS
