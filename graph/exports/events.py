"""Events (graph.model.events) for the exports that can carry them: as nodes beside the actors, tied to
their participants by IN_EVENT edges carrying the role, as the Neo4j store holds them; and the
codes of each (graph.model.event_codes), read against the batch's own structure relations."""
from __future__ import annotations

from typing import Iterator

from graph.model.event_codes import EventCodes, codes_for, state_lookup
from graph.model.events import Event
from graph.exports.network import actor_name
from graph.model import STRUCTURE_TYPES, GraphBatch
from graph.model.batch import complete_events

__all__ = ["EVENT_LABEL", "IN_EVENT", "event_codes", "event_label", "event_node_attributes",
           "in_event_edges", "in_event_id"]

EVENT_LABEL = "Event"
IN_EVENT = "IN_EVENT"


def event_codes(batch: GraphBatch) -> dict[str, EventCodes]:
    state_of = state_lookup({a.id: a.type.value for a in batch.actors.values()},
                            [(r.source, r.target) for r in batch.relations.values() if r.type in STRUCTURE_TYPES])
    return {ev.id: codes_for(ev.type, what=ev.what, place=ev.place, participants=ev.actors, state_of=state_of)
            for ev in complete_events(batch)}


def event_label(ev: Event, batch: GraphBatch) -> str:
    where = f" in {actor_name(batch, ev.place)}" if ev.place else ""
    return f"{ev.type.value} {ev.date or 'undated'}{where}"


def event_node_attributes(ev: Event, batch: GraphBatch, codes: EventCodes) -> dict[str, str | int]:
    attrs: dict[str, str | int] = {"label": event_label(ev, batch), "name": event_label(ev, batch),
                                   "type": EVENT_LABEL, "event_type": ev.type.value,
                                   "cameo": codes.cameo, "plover": codes.plover,
                                   "participants": len(ev.actors), "event_citations": len(ev.citations)}
    # event_*: GEXF wants attribute ids distinct from the edges' date, place, what...
    for k in ("date", "what"):
        if getattr(ev, k):
            attrs[f"event_{k}"] = getattr(ev, k)
    if ev.place:
        attrs["event_place"] = actor_name(batch, ev.place)
    if ev.citations:
        attrs["event_articles"] = "; ".join(ev.articles)
    return attrs


def in_event_id(actor: str, ev: Event, side: int) -> str:
    return f"{IN_EVENT}|{actor}|{ev.id}|{side}"


def in_event_edges(ev: Event) -> Iterator[tuple[str, str, str, dict[str, str]]]:
    """(actor, event id, edge id, attributes) for each participant."""
    for p in ev.participants:
        yield p.actor, ev.id, in_event_id(p.actor, ev, p.side), {"label": p.role, "relation": IN_EVENT,
                                                                 "role": p.role}
