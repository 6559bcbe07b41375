"""Questions about events (graph.model.events) that the service and the CLI ask of any store: the events
of a filter with their corroboration (graph.model.corroboration) and codes (graph.model.event_codes), and the
events of a subgraph, for exports."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from graph.model.corroboration import Corroboration, corroborate
from graph.model.event_codes import EventCodes, codes_for, state_lookup
from graph.model.events import Event, EventFilter
from graph.model import STRUCTURE_TYPES, Article, GraphBatch, RelType
from graph.stores.interface import GraphStore, RelationFilter

__all__ = ["EventAnswer", "state_of_store", "state_of_graph", "answer", "find_events", "events_for_batch"]


@dataclass
class EventAnswer:
    event: Event
    corroboration: Corroboration
    codes: EventCodes


def state_of_store(store: GraphStore) -> Callable[[str], str | None]:
    """``codes_for``'s state_of over the store's structure relations (a read of the store: the
    service takes ``state_of_graph`` of its cached view instead)."""
    types = {a.id: a.type.value for a in store.actors()}
    structure = [(r.source, r.target) for r in store.relations(RelationFilter(types=frozenset(STRUCTURE_TYPES)))]
    return state_lookup(types, structure)


def state_of_graph(G) -> Callable[[str], str | None]:
    """``codes_for``'s state_of over a projection (``GraphStore.projection``): its nodes' types
    and its structure edges, so no store read."""
    structure = {t.value for t in STRUCTURE_TYPES}
    return state_lookup({n: t for n, t in G.nodes(data="type") if t},
                        [(u, v) for u, v, t in G.edges(data="type") if t in structure])


def answer(ev: Event, articles: Mapping[str, Article], state_of: Callable[[str], str | None]) -> EventAnswer:
    return EventAnswer(ev, corroborate(ev.citations, articles),
                       codes_for(ev.type, what=ev.what, place=ev.place, participants=ev.actors, state_of=state_of))


def find_events(store: GraphStore, *, actor: str | None = None, types: Iterable[RelType | str] | None = None,
                since: str | None = None, until: str | None = None, min_sources: int | None = None,
                articles: Mapping[str, Article] | None = None,
                state_of: Callable[[str], str | None] | None = None) -> list[EventAnswer]:
    """The events passing the filter, at least ``min_sources`` outlets behind each, by date then id
    (``articles`` and ``state_of`` when the caller has them cached; else read from the store)."""
    flt = EventFilter(actor=actor, types=None if types is None else frozenset(RelType(t) for t in types),
                      since=since, until=until)
    articles = articles if articles is not None else {a.id: a for a in store.articles()}
    found = [e for e in store.events(actor_id=actor) if flt.accepts(e)]
    if not found:
        return []
    state_of = state_of or state_of_store(store)
    out = [answer(e, articles, state_of) for e in found]
    if min_sources:
        out = [a for a in out if a.corroboration.sources >= min_sources]
    return sorted(out, key=lambda a: (a.event.date or "", a.event.id))


def events_for_batch(store: GraphStore, batch: GraphBatch) -> GraphBatch:
    """Attach to a subgraph the events all of whose participants it holds and one of whose derived
    edges it holds (so an export's IN_EVENT edges never dangle), and return it."""
    if not batch.relations:
        return batch
    for ev in store.events_of_edges(batch.relations.values(), batch.actors):
        batch.add_event(ev)
    return batch
