"""The embedded store's events (graph.model.events): two tables beside the relations, written in the
upsert's transaction, and the migration that gives a schema-2 database its events.

``events`` holds one row per event: its id, type, date, place, what, its participants (side, role,
actor) and its citations (article and offsets, in arrival order; the sentences are the derived
edges' provenance's, not stored twice), both as compact text. ``event_participants`` indexes by
actor the events of more than two parties; a two-party event is found from the actor's own edges,
since its id is its edge's type, date and two ends (graph.model.events.event_id). So an event costs one
row, and a multilateral one a row per party more: the event model stays within 1.5x of the ingest
time without it (``python -m bench.ingest``).
"""
from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from graph.model.events import Event, Participant, event_id, events_from_relations
from graph.model import EVENT_TYPES, Provenance, Relation, RelType

__all__ = ["SCHEMA", "TABLES", "write_events", "read_events", "read_events_of_edges", "backfill"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY, type TEXT NOT NULL, date TEXT, place TEXT, what TEXT,
    parties TEXT NOT NULL, cites TEXT NOT NULL, ver INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS event_participants (
    actor TEXT NOT NULL, event TEXT NOT NULL, PRIMARY KEY (actor, event)) WITHOUT ROWID;
"""
TABLES = ("events", "event_participants")
_IN = 500
_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_SEP = "\x1e"  # between entries: an ASCII record separator, which no id holds in practice
_EVENT_TYPES = tuple(t.value for t in EVENT_TYPES)


def _select_in(db: sqlite3.Connection, query: str, values: Sequence[str]):
    for i in range(0, len(values), _IN):
        part = values[i:i + _IN]
        yield from db.execute(query.format(",".join("?" * len(part))), part)


def _encode(entries: list[tuple], parts: list[str]) -> str:
    """``parts`` (each entry as 'a:b:...:last', the last field free text) joined by _SEP: a
    quarter of JSON's cost, and this runs for every event written. As JSON (``entries``) when a
    field holds _SEP, which the count of separators shows."""
    text = _SEP.join(parts)
    return text if text.count(_SEP) == len(parts) - 1 or not parts else _json(entries)


def _encode_parties(ev: Event) -> str:
    ps = ev.participants
    return _encode([(p.side, p.role, p.actor) for p in ps], [f"{p.side}:{p.role}:{p.actor}" for p in ps])


def _encode_cites(cites: list[tuple]) -> str:
    return _encode(cites, [f"{s}:{e}:{c}:{a}" for s, e, c, a in cites])


def _decode(text: str, fields: int) -> list[list[str]]:
    if text.startswith("["):
        return [[str(f) for f in e] for e in json.loads(text)]
    return [part.split(":", fields - 1) for part in text.split(_SEP)] if text else []


def _cites(text: str) -> list[Provenance]:
    return [Provenance(a, "", int(s), int(e), float(c)) for s, e, c, a in _decode(text, 4)]


def _parties(text: str) -> list[Participant]:
    return [Participant(a, role, int(side)) for side, role, a in _decode(text, 3)]


def write_events(db: sqlite3.Connection, events: dict[str, Event], ver: int) -> int:
    """Merge events in (citations unioned, place and what filled, as Event.merge); returns how many
    were new or changed. Runs inside the caller's transaction. A stored event of the same id has
    the same parties (its id is made of them): only the first report's roles are kept."""
    if not events:
        return 0
    stored = {row[0]: row for row in _select_in(db, "SELECT id, place, what, cites FROM events WHERE id IN ({})",
                                                list(events))}
    rows, part_rows = [], []
    for eid, ev in events.items():
        have = stored.get(eid)
        if have is None:
            parties = ev.participants
            rows.append((eid, ev.type.value, ev.date or None, ev.place, ev.what, _encode_parties(ev),
                         _encode_cites([(c.start, c.end, c.confidence, c.article) for c in ev.citations]), ver))
            if len(parties) > 2:
                part_rows.extend((a, eid) for a in ev.actors)
            continue
        cites = _decode(have[3], 4)
        known = {(a, int(s), int(e)) for s, e, _, a in cites}
        fresh = [(c.start, c.end, c.confidence, c.article) for c in ev.citations
                 if (c.article, c.start, c.end) not in known]
        place, what = have[1] or ev.place, have[2] or ev.what
        if fresh or (place, what) != (have[1], have[2]):
            db.execute("UPDATE events SET place = ?, what = ?, cites = ?, ver = ? WHERE id = ?",
                       (place, what, _encode_cites([*map(tuple, cites), *fresh]), ver, eid))
            rows.append(None)
    new = [r for r in rows if r is not None]
    new.sort()  # in key order: a bulk load then appends to the B-tree instead of splitting pages all over it
    part_rows.sort()
    db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", new)
    db.executemany("INSERT OR IGNORE INTO event_participants VALUES (?, ?)", part_rows)
    return len(rows)


@contextmanager
def _snapshot(db: sqlite3.Connection) -> Iterator[None]:
    """One read transaction, unless the caller's (``IndexWalks._reading``) is already open."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.commit()


def read_events(db: sqlite3.Connection, actor_id: str | None = None, event_id: str | None = None) -> list[Event]:
    """Events in id order: all, those an actor takes part in, or the one of an id. One snapshot."""
    cols = "id, type, date, place, what, parties, cites"
    with _snapshot(db):
        if event_id is not None:
            rows = db.execute(f"SELECT {cols} FROM events WHERE id = ?", (event_id,)).fetchall()
        elif actor_id is not None:
            ids = {r[0] for r in db.execute("SELECT event FROM event_participants WHERE actor = ?", (actor_id,))}
            # two-party events: the id of each of the actor's event edges
            ids.update(_pair_id(t, d, s, o) for t, d, s, o in db.execute(
                "SELECT type, date, source, target FROM relations WHERE source = ?1 UNION ALL "
                "SELECT type, date, source, target FROM relations WHERE target = ?1", (actor_id,))
                if t in _EVENT_TYPES)
            rows = list(_select_in(db, f"SELECT {cols} FROM events WHERE id IN ({{}})", sorted(ids)))
        else:
            rows = db.execute(f"SELECT {cols} FROM events").fetchall()
        out = [Event(type=RelType(t), date=d, place=pl, what=w, participants=_parties(parties), citations=_cites(c))
               for eid, t, d, pl, w, parties, c in rows]
        _sentences(db, out, whole=event_id is None and actor_id is None)
    return sorted(out, key=lambda e: e.id)


def read_events_of_edges(db: sqlite3.Connection, relations: Sequence[Relation], within: Iterable[str]) -> list[Event]:
    """``GraphStore.events_of_edges``: a two-party event's id is its edge's (read off ``relations``),
    a larger one's found through ``event_participants`` and kept when every party is ``within``;
    only those are decoded (a hub's neighbours take part in thousands). One snapshot."""
    within = set(within)
    ids = {_pair_id(r.type.value, r.date, r.source, r.target) for r in relations if r.type.value in _EVENT_TYPES}
    with _snapshot(db):
        parties: dict[str, set[str]] = {}
        ends = sorted({a for r in relations for a in (r.source, r.target)})
        for ev, actor in _select_in(db, "SELECT event, actor FROM event_participants WHERE event IN "
                                        "(SELECT event FROM event_participants WHERE actor IN ({}))", ends):
            parties.setdefault(ev, set()).add(actor)
        ids.update(ev for ev, actors in parties.items() if actors <= within)
        cols = "id, type, date, place, what, parties, cites"
        out = [Event(type=RelType(t), date=d, place=pl, what=w, participants=_parties(ps), citations=_cites(c))
               for eid, t, d, pl, w, ps, c in _select_in(db, f"SELECT {cols} FROM events WHERE id IN ({{}})", sorted(ids))]
        keys = {r.key for r in relations}
        out = [e for e in out if all(a in within for a in e.actors) and any(k in keys for k in e.edge_keys())]
        _sentences(db, out, whole=False)
    return sorted(out, key=lambda e: e.id)


def _pair_id(type_: str, date: str | None, source: str, target: str) -> str:
    return event_id(type_, date, (source, target))


def _sentences(db: sqlite3.Connection, events: list[Event], whole: bool) -> None:
    """Fill the events' citing sentences from their derived edges' provenance (same article, offsets)."""
    if whole:
        found = {(a, s, e): text for a, text, s, e in
                 db.execute("SELECT article, sentence, start_offset, end_offset FROM provenance")}
    else:
        keys = sorted({k for ev in events for k in ev.edge_keys()})
        found = {(a, s, e): text for a, text, s, e in
                 _select_in(db, "SELECT article, sentence, start_offset, end_offset FROM provenance "
                                "WHERE relation IN ({})", keys)}
    for ev in events:
        ev.citations = [Provenance(c.article, found.get((c.article, c.start, c.end), ""), c.start, c.end,
                                   c.confidence) for c in ev.citations]


def backfill(db: sqlite3.Connection) -> int:
    """Give a schema-2 database its events, read back off its edges and their citations
    (graph.model.events.events_from_relations), at its current version. Inside the caller's transaction."""
    ver = int(db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0])
    cites: dict[str, list[Provenance]] = {}
    for key, *c in db.execute("SELECT relation, article, sentence, start_offset, end_offset, confidence "
                              "FROM provenance ORDER BY seq"):
        cites.setdefault(key, []).append(Provenance(*c))
    rels = [Relation(source=s, target=t, type=RelType(ty), date=d, place=pl, what=w, provenance=cites.get(k, []))
            for k, s, t, ty, d, pl, w in db.execute("SELECT key, source, target, type, date, place, what "
                                                    "FROM relations")]
    return write_events(db, {e.id: e for e in events_from_relations(rels)}, ver)
