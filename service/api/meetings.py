"""GET /meetings: meetings between two actors, or between the members of two states or forces."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graph.queries.subgraphs import cited_relations, meetings_between
from service.api.params import Limit, MinSources, Offset, Since, Until, check_range
from service.deps import Names, StoreDep, ViewsDep, actor_id_of
from service.models import CorroborationPublic, MeetingPublic, MeetingsPublic, citations

router = APIRouter(prefix="/meetings", tags=["meetings"])

Side = Annotated[str, Query(description="an actor id or name: a person, or a state, force or body whose members count "
                                        "(MEMBER_OF it, or of something PART_OF it, transitively)",
                            examples=["state:veloria"])]


@router.get("", response_model=MeetingsPublic, responses={404: {"description": "unknown id; close names"}})
def list_meetings(a: Side, b: Side, store: StoreDep, views: ViewsDep, since: Since = None, until: Until = None,
                  min_sources: MinSources = None, limit: Limit = 100, offset: Offset = 0) -> MeetingsPublic:
    """Meetings between a's side and b's side, in date order, each cited."""
    check_range(since, until)
    a, b = actor_id_of(store, views, a, "a"), actor_id_of(store, views, b, "b")  # ids or names
    meetings = meetings_between(store, a, b, since=since, until=until, views=views, min_sources=min_sources)
    page = meetings.found[offset: offset + limit]
    relations = cited_relations(store, meetings.view, page)
    names, articles = Names(store, meetings.view.graph), meetings.view.articles(store)
    items = []
    for a_end, b_end, key in page:
        r = relations.get(key)
        if r is None:  # the graph changed between the projection and this read: skip, not fail
            continue
        items.append(MeetingPublic(actor=names.need(a_end), counterpart=names.need(b_end), date=r.date,
                                   place=names(r.place) if r.place else None,
                                   corroboration=CorroborationPublic.of_relation(r, articles),
                                   citations=citations(r, articles)))
    return MeetingsPublic(a=names.need(a), b=names.need(b), a_side=len(meetings.side_a),
                          b_side=len(meetings.side_b), total=len(meetings.found), limit=limit, offset=offset,
                          items=items)
