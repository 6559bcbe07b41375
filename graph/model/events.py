"""Events as first-class records: one meeting, visit, signing or offer with all its participants.

The binary edges (``Relation``) stay what paths, centrality, the scorer and Browser read; they are
*derived* from events by ``Event.relations``: a five-party meeting is one event and ten MET edges.
Who pairs with whom follows from the participants' ``side``:

- everyone on side 0 (a group: "A, B and C met"): every pair, for MET and SIGNED;
- sides 0 and 1 ("A and B met C", "A visited S", "A offered X to B"): each of side 0 with each of
  side 1, directed side 0 -> side 1 for VISITED and OFFERED.

Identity (``event_id``): type, date and the sorted participant ids, so the same meeting reported by
two outlets, each naming the same parties, is ONE event with two citations however each sentence
ordered or grouped them. Place and ``what`` stay out of the id: one outlet may name the venue and
the other not. Two reports naming different sets of parties (one lists four of the five
ministers) stay two events; their common pairs still merge into the same binary edges.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any, Iterable

from graph.model.records import EVENT_TYPES, SYMMETRIC_TYPES, Provenance, Relation, RelType, relation_key

__all__ = ["ROLES", "Participant", "Event", "event_id", "date_precision", "events_from_relations",
           "EventFilter"]

# The roles a participant may have, by event type; the first is the default for side 0, the last
# for side 1.
ROLES: dict[RelType, tuple[str, ...]] = {
    RelType.MET: ("participant", "visitor", "host"),
    RelType.VISITED: ("visitor", "host"),
    RelType.SIGNED: ("signatory",),
    RelType.OFFERED: ("offerer", "recipient"),
}


def default_role(type_: RelType, side: int) -> str:
    roles = ROLES[RelType(type_)]
    if type_ is RelType.MET:
        return "participant"
    return roles[0] if side == 0 else roles[-1]


def date_precision(date: str | None) -> str | None:
    """'day', 'month' or 'year' for an ISO date or prefix; None when undated."""
    if not date:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(date))


def event_id(type_: RelType | str, date: str | None, actors: Iterable[str]) -> str:
    """``event:met:2026-03-09:<12 hex>``: readable type and date, the participants hashed."""
    type_ = RelType(type_)
    parties = "|".join(sorted(set(actors)))
    digest = hashlib.sha1(f"{type_.value}|{date or ''}|{parties}".encode("utf-8")).hexdigest()[:12]
    return f"event:{type_.value.lower()}:{date or 'undated'}:{digest}"


@dataclass(frozen=True)
class Participant:
    actor: str
    role: str
    side: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "role": self.role, "side": self.side}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Participant":
        return cls(actor=d["actor"], role=d["role"], side=int(d.get("side", 0)))


@dataclass
class Event:
    type: RelType
    date: str | None = None
    participants: list[Participant] = field(default_factory=list)
    place: str | None = None
    what: str | None = None
    citations: list[Provenance] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.type = RelType(self.type)
        if self.type not in EVENT_TYPES:
            raise ValueError(f"{self.type.value} is a structure relation, not an event")
        # one entry per (actor, side), in a stable order
        seen: dict[tuple[str, int], Participant] = {}
        for p in self.participants:
            seen.setdefault((p.actor, p.side), p)
        self.participants = sorted(seen.values(), key=lambda p: (p.side, p.actor))

    @property
    def id(self) -> str:
        return event_id(self.type, self.date, self.actors)

    @property
    def actors(self) -> list[str]:
        return sorted({p.actor for p in self.participants})

    @property
    def precision(self) -> str | None:
        return date_precision(self.date)

    def side(self, n: int) -> list[str]:
        return [p.actor for p in self.participants if p.side == n]

    def pairs(self) -> list[tuple[str, str]]:
        """The (source, target) pairs of the binary edges this event stands for."""
        first, second = self.side(0), self.side(1)
        if not second:
            return [(a, b) for a, b in combinations(first, 2)] if self.type in SYMMETRIC_TYPES else []
        return [(a, b) for a in first for b in second if a != b]

    def edge_keys(self) -> list[str]:
        """The keys of ``relations()``, without building them (a subgraph's filter asks thousands)."""
        return [relation_key(self.type, a, b, self.date) for a, b in self.pairs()]

    def relations(self) -> list[Relation]:
        """The derived binary edges, each citing what the event cites."""
        return [Relation(source=a, target=b, type=self.type, date=self.date, place=self.place, what=self.what,
                         provenance=list(self.citations)) for a, b in self.pairs()]

    def merge(self, other: "Event") -> None:
        """Fold another report of the same event in: union the citations, keep the roles first
        given, fill place and what."""
        have = {p.id for p in self.citations}
        self.citations.extend(p for p in other.citations if p.id not in have)
        actors = {p.actor for p in self.participants}
        extra = [p for p in other.participants if p.actor not in actors]
        if extra:
            self.participants = sorted([*self.participants, *extra], key=lambda p: (p.side, p.actor))
        self.place = self.place or other.place
        self.what = self.what or other.what

    @property
    def articles(self) -> list[str]:
        return sorted({p.article for p in self.citations})

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "type": self.type.value}
        if self.date:
            d["date"] = self.date
            d["precision"] = self.precision
        for k in ("place", "what"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        d["participants"] = [p.to_dict() for p in self.participants]
        d["citations"] = [p.to_dict() for p in self.citations]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        return cls(type=d["type"], date=d.get("date"), place=d.get("place"), what=d.get("what"),
                   participants=[Participant.from_dict(p) for p in d.get("participants") or []],
                   citations=[Provenance.from_dict(p) for p in d.get("citations") or []])


def events_from_relations(relations: Iterable[Relation]) -> list[Event]:
    """Events read back from binary edges alone (graphs and stores made before events existed):
    the edges one sentence states with one type and date are one event when they are exactly the
    pairs of a group or of two sides; otherwise each edge is an event of its own two parties."""
    by_sentence: dict[tuple, list[tuple[Relation, Provenance]]] = {}
    for r in relations:
        if r.type not in EVENT_TYPES:
            continue
        for p in r.provenance:
            by_sentence.setdefault((r.type, r.date or None, p.id), []).append((r, p))
    out: dict[str, Event] = {}
    for (type_, date, _), found in by_sentence.items():
        rels = [r for r, _ in found]
        cite = found[0][1]
        keys = {r.key for r in rels}
        place = next((r.place for r in rels if r.place), None)
        what = next((r.what for r in rels if r.what), None)
        candidates = []
        if type_ in SYMMETRIC_TYPES:
            group = sorted({e for r in rels for e in (r.source, r.target)})
            candidates.append([Participant(a, default_role(type_, 0), 0) for a in group])
        sources = sorted({r.source for r in rels})
        targets = sorted({r.target for r in rels})
        candidates.append([Participant(a, default_role(type_, 0), 0) for a in sources] +
                          [Participant(b, default_role(type_, 1), 1) for b in targets])
        for parts in candidates:
            ev = Event(type=type_, date=date, participants=parts, place=place, what=what, citations=[cite])
            if set(ev.edge_keys()) == keys:
                _fold(out, ev)
                break
        else:
            for r in rels:
                _fold(out, Event(type=type_, date=date, place=r.place, what=r.what, citations=[cite],
                                 participants=[Participant(r.source, default_role(type_, 0), 0),
                                               Participant(r.target, default_role(type_, 1), 1)]))
    return [out[k] for k in sorted(out)]


def _fold(events: dict[str, Event], ev: Event) -> None:
    have = events.get(ev.id)
    if have is None:
        events[ev.id] = ev
    else:
        have.merge(ev)


@dataclass(frozen=True)
class EventFilter:
    """Which events a read returns: of an actor (a participant), of these types, dated within
    since..until (by ISO prefix, as ``RelationFilter``; undated ones only without bounds). How many
    outlets report one is ``graph.model.corroboration``'s, applied by ``graph.queries.events.find_events``."""
    actor: str | None = None
    types: frozenset[RelType] | None = None
    since: str | None = None
    until: str | None = None

    def accepts(self, ev: Event) -> bool:
        if self.types is not None and ev.type not in self.types:
            return False
        if self.actor is not None and self.actor not in {p.actor for p in ev.participants}:
            return False
        if self.since is None and self.until is None:
            return True
        if not ev.date:
            return False
        if self.since and ev.date[: len(self.since)] < self.since[: len(ev.date)]:
            return False
        if self.until and ev.date[: len(self.until)] > self.until[: len(ev.date)]:
            return False
        return True
