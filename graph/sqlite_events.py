"""The embedded store's events (graph.events): two tables beside the relations, written in the
upsert's transaction, and the migration that gives a schema-2 database its events.

``events`` holds one row per event (its id, type, date, place, what, and its citations as JSON, in
arrival order, without their sentences: those are the derived edges' provenance's, not stored
twice); ``event_participants`` one per (actor, event, side) with the role, keyed by actor first so
"the events of X" is one index range.
"""
from __future__ import annotations

import json
import sqlite3
from typing import Iterable, Sequence

from graph.events import Event, Participant, events_from_relations
from graph.model import Provenance, Relation, RelType

__all__ = ["SCHEMA", "TABLES", "write_events", "read_events", "backfill"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, date TEXT, place TEXT, what TEXT,
    cites TEXT NOT NULL, ver INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS event_participants (
    actor TEXT NOT NULL, event TEXT NOT NULL, role TEXT NOT NULL, side INTEGER NOT NULL,
    PRIMARY KEY (actor, event, side)) WITHOUT ROWID;
"""
TABLES = ("events", "event_participants")
_IN = 500
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # one event's citations


def _select_in(db: sqlite3.Connection, query: str, values: Sequence[str]):
    for i in range(0, len(values), _IN):
        part = values[i:i + _IN]
        yield from db.execute(query.format(",".join("?" * len(part))), part)


def _cite(c: Provenance) -> list:
    return [c.article, c.start, c.end, c.confidence]


def write_events(db: sqlite3.Connection, events: dict[str, Event], ver: int) -> int:
    """Merge events in (citations unioned, place and what filled, as Event.merge); returns how many
    were new or changed. Runs inside the caller's transaction.

    An event's citations are kept as [article, start, end, confidence] (its sentence is the one its
    derived edges' provenance holds, read back by ``read_events``), and its participants are
    written once, with the event: its id is made of them, so a stored event of the same id has them."""
    if not events:
        return 0
    ids = list(events)
    stored = {row[0]: row for row in _select_in(db, "SELECT id, place, what, cites FROM events WHERE id IN ({})", ids)}
    rows, part_rows = [], []
    for eid, ev in events.items():
        have = stored.get(eid)
        if have is None:
            rows.append((eid, ev.type.value, ev.date or None, ev.place, ev.what,
                         _json([_cite(c) for c in ev.citations]), ver))
            part_rows.extend((p.actor, eid, p.role, p.side) for p in ev.participants)
            continue
        cites = json.loads(have[3])
        known = {(a, s, e) for a, s, e, _ in cites}
        fresh = [_cite(c) for c in ev.citations if (c.article, c.start, c.end) not in known]
        place, what = have[1] or ev.place, have[2] or ev.what
        if fresh or (place, what) != (have[1], have[2]):
            rows.append((eid, ev.type.value, ev.date or None, place, what, _json(cites + fresh), ver))
    db.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    db.executemany("INSERT OR IGNORE INTO event_participants VALUES (?, ?, ?, ?)", part_rows)
    return len(rows)


def read_events(db: sqlite3.Connection, actor_id: str | None = None, event_id: str | None = None) -> list[Event]:
    """Events in id order: all, those an actor takes part in, or the one of an id. One snapshot."""
    db.execute("BEGIN")
    try:
        if event_id is not None:
            rows = db.execute("SELECT id, type, date, place, what, cites FROM events WHERE id = ?", (event_id,)).fetchall()
        elif actor_id is not None:
            rows = db.execute("SELECT e.id, e.type, e.date, e.place, e.what, e.cites FROM event_participants p "
                              "JOIN events e ON e.id = p.event WHERE p.actor = ? GROUP BY e.id", (actor_id,)).fetchall()
        else:
            rows = db.execute("SELECT id, type, date, place, what, cites FROM events").fetchall()
        ids = [r[0] for r in rows]
        if event_id is None and actor_id is None:
            parts = db.execute("SELECT event, actor, role, side FROM event_participants").fetchall()
        else:
            parts = list(_select_in(db, "SELECT event, actor, role, side FROM event_participants "
                                        "WHERE event IN ({})", ids))
        by_parts: dict[str, list[Participant]] = {}
        for eid, actor, role, side in parts:
            by_parts.setdefault(eid, []).append(Participant(actor, role, side))
        out = []
        for eid, t, d, pl, w, cites in rows:
            out.append(Event(type=RelType(t), date=d, place=pl, what=w, participants=by_parts.get(eid, []),
                             citations=[Provenance(a, "", s, e, c) for a, s, e, c in json.loads(cites)]))
        _sentences(db, out, whole=event_id is None and actor_id is None)
    finally:
        db.commit()
    return sorted(out, key=lambda e: e.id)


def _sentences(db: sqlite3.Connection, events: list[Event], whole: bool) -> None:
    """Fill the events' citing sentences from their derived edges' provenance (same article, offsets)."""
    if whole:
        found = {(a, s, e): text for a, text, s, e in
                 db.execute("SELECT article, sentence, start_offset, end_offset FROM provenance")}
    else:
        keys = sorted({r.key for ev in events for r in ev.relations()})
        found = {(a, s, e): text for a, text, s, e in
                 _select_in(db, "SELECT article, sentence, start_offset, end_offset FROM provenance "
                                "WHERE relation IN ({})", keys)}
    for ev in events:
        ev.citations = [Provenance(c.article, found.get((c.article, c.start, c.end), ""), c.start, c.end,
                                   c.confidence) for c in ev.citations]


def backfill(db: sqlite3.Connection) -> int:
    """Give a schema-2 database its events, read back off its edges and their citations
    (graph.events.events_from_relations), at its current version. Inside the caller's transaction."""
    ver = int(db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])
    cites: dict[str, list[Provenance]] = {}
    for key, *c in db.execute("SELECT relation, article, sentence, start_offset, end_offset, confidence "
                              "FROM provenance ORDER BY seq"):
        cites.setdefault(key, []).append(Provenance(*c))
    rels = [Relation(source=s, target=t, type=RelType(ty), date=d, place=pl, what=w, provenance=cites.get(k, []))
            for k, s, t, ty, d, pl, w in db.execute("SELECT key, source, target, type, date, place, what "
                                                    "FROM relations")]
    return write_events(db, {e.id: e for e in events_from_relations(rels)}, ver)
