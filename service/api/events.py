"""GET /events and GET /events/{id}: events (graph.model.events) with every participant and its role,
their corroboration and their PLOVER / CAMEO codes."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query

from graph.queries.events import EventAnswer, answer, find_events, state_of_graph
from graph.model import EVENT_TYPES
from service.api.params import Limit, Offset, Since, StateParam, Until, check_range, parse_types
from service.deps import Names, StoreDep, ViewsDep, lookup_actor, members_of
from service.errors import ParameterError, excerpt
from service.models import (CitationPublic, CorroborationPublic, EventCodesPublic, EventDetail, EventPublic,
                            EventsPublic, ParticipantPublic)

router = APIRouter(prefix="/events", tags=["events"])

EventTypes = Annotated[list[str] | None, Query(
    description="event types, repeated or comma-separated: MET,VISITED,SIGNED,OFFERED (default all)",
    examples=["MET,SIGNED"])]
EventMinSources = Annotated[int | None, Query(ge=1, le=1000, description="only events reported by at least this "
                                                                    "many independent sources")]


def _state_of(views):
    """The state each actor belongs to, for the codes: once per graph version, off the cached view."""
    view = views.get()
    return view.derived("state_of", lambda: state_of_graph(view.graph))


def _public(a: EventAnswer, names: Names, cls=EventPublic, **extra) -> EventPublic:
    ev = a.event
    return cls(id=ev.id, type=ev.type, date=ev.date, precision=ev.precision,
               place=names(ev.place) if ev.place else None, what=ev.what,
               participants=[ParticipantPublic(actor=names.need(p.actor), role=p.role, side=p.side)
                             for p in ev.participants],
               edges=len(ev.pairs()), corroboration=CorroborationPublic.of(a.corroboration),
               codes=EventCodesPublic(**a.codes.to_dict()), **extra)


@router.get("", response_model=EventsPublic, responses={404: {"description": "unknown actor; close names"}})
def list_events(store: StoreDep, views: ViewsDep,
                actor: Annotated[str | None, Query(description="an actor id or name: only events it takes part in",
                                                   examples=["person:tomas-reyvik"])] = None,
                state: StateParam = None,
                type: EventTypes = None, since: Since = None, until: Until = None, min_sources: EventMinSources = None,
                limit: Limit = 100, offset: Offset = 0) -> EventsPublic:
    """Events in date order, each with its participants and roles, corroboration and codes; with
    ``state=`` those in which the state or an actor affiliated with it takes part."""
    check_range(since, until)
    types = parse_types(type, "type")
    if types is not None:
        wrong = [t.value for t in types if t not in EVENT_TYPES]
        if wrong:
            raise ParameterError("type", f"{', '.join(wrong)} is a structure relation, not an event type: "
                                         "expected any of MET, VISITED, SIGNED, OFFERED", ",".join(type or []))
    if actor is not None:
        actor = lookup_actor(store, actor, "actor", views).id
    found = find_events(store, actor=actor, types=types, since=since, until=until, min_sources=min_sources,
                        articles=views.articles(), state_of=_state_of(views))
    if state:
        group, members = members_of(store, views, state)
        side = members | {group}
        found = [a for a in found if any(p in side for p in a.event.actors)]
    names = Names(store)
    items = [_public(a, names) for a in found[offset: offset + limit]]
    return EventsPublic(total=len(found), limit=limit, offset=offset, items=items)


@router.get("/{event_id}", response_model=EventDetail, responses={404: {"description": "no such event"}})
def get_event(event_id: Annotated[str, Path(description="an event id, as /events lists them",
                                            examples=["event:met:2026-03-09:3f0c9a1b2d4e"])],
              store: StoreDep, views: ViewsDep) -> EventDetail:
    """One event: its participants and roles, citations, corroboration, codes and derived edges."""
    ev = store.get_event(event_id)
    if ev is None:
        raise HTTPException(status_code=404, detail=f"no event with id {excerpt(event_id)!r}")
    articles = views.articles()
    a = answer(ev, articles, _state_of(views))
    return _public(a, Names(store), EventDetail,
                   citations=[CitationPublic.of(p, articles.get(p.article)) for p in ev.citations],
                   relations=sorted(r.key for r in ev.relations()))
