"""GET /actors (search), /actors/{id} (detail) and /actors/{id}/meetings."""
from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Path, Query

from graph.model import STRUCTURE_TYPES, NodeType, RelType
from graph.queries.subgraphs import meetings_filter, relation_sort_key
from service.api.params import Limit, MinSources, Offset, Since, StateParam, Until, check_range
from service.deps import Names, NamesDep, StoreDep, ViewsDep, lookup_actor, members_of
from service.models import (ActorDetail, ActorHit, ActorPublic, AffiliationPublic, CorroborationPublic,
                            MeetingPublic, Page, citations)

router = APIRouter(prefix="/actors", tags=["actors"])

ActorId = Annotated[str, Path(description="actor id, e.g. person:tomas-reyvik, or a name", examples=["person:tomas-reyvik"])]


@router.get("", response_model=Page[ActorHit])
def search_actors(views: ViewsDep,
                  q: Annotated[str, Query(max_length=200, description="name or alias; ranks, titles, case, accents "
                                          "and small misspellings are forgiven", examples=["Gen Reyvik"])] = "",
                  type: Annotated[NodeType | None, Query(description="only actors of this type")] = None,
                  limit: Limit = 20, offset: Offset = 0) -> Page[ActorHit]:
    """Search actors by name or alias, best match first; an empty q lists all by name."""
    hits = views.actor_index().search(q, types=None if type is None else [type])
    items = [ActorHit.of(h) for h in hits[offset: offset + limit]]
    return Page[ActorHit](total=len(hits), limit=limit, offset=offset, items=items)


@router.get("/{actor_id}", response_model=ActorDetail, responses={404: {"description": "unknown id; close names"}})
def get_actor(actor_id: ActorId, store: StoreDep, views: ViewsDep, names: NamesDep) -> ActorDetail:
    """An actor's attributes, aliases, affiliations and relation counts by type."""
    actor = lookup_actor(store, actor_id, "actor_id", views)
    actor_id = actor.id  # an old id merged into another answers that one
    rels = store.relations(actor_id=actor_id)
    counts = Counter(r.type for r in rels)
    affiliations = [AffiliationPublic(type=r.type, actor=names.need(r.target))
                    for r in sorted(rels, key=lambda r: (r.type.value, r.target))
                    if r.type in STRUCTURE_TYPES and r.source == actor_id]
    return ActorDetail(**ActorPublic.of(actor).model_dump(), affiliations=affiliations,
                       relation_counts={t.value: counts[t] for t in RelType})


@router.get("/{actor_id}/meetings", response_model=Page[MeetingPublic],
            responses={404: {"description": "unknown id; close names"}})
def actor_meetings(actor_id: ActorId, store: StoreDep, views: ViewsDep, since: Since = None,
                   until: Until = None, min_sources: MinSources = None, state: StateParam = None,
                   limit: Limit = 100, offset: Offset = 0) -> Page[MeetingPublic]:
    """Who this actor met, when and where, each meeting cited; in date order. With ``state=`` only
    meetings with actors affiliated with that state."""
    check_range(since, until)
    full = views.get()  # names from the cached projection, not a store read per counterpart
    if actor_id not in full.graph:
        actor_id = lookup_actor(store, actor_id, "actor_id", views).id  # names, old merged ids
    view = views.get(meetings_filter(since, until, min_sources))
    # The view keeps the cited relations around recently asked actors: no store read on a repeat.
    met = sorted(view.relations_around(store, actor_id).values(), key=relation_sort_key)
    if state:
        group, members = members_of(store, views, state)
        side = members | {group}
        met = [r for r in met if (r.target if r.source == actor_id else r.source) in side]
    names = Names(store, full.graph)
    articles = views.articles()
    items = [MeetingPublic(actor=names.need(actor_id),
                           counterpart=names.need(r.target if r.source == actor_id else r.source),
                           date=r.date, place=names(r.place) if r.place else None,
                           corroboration=CorroborationPublic.of_relation(r, articles),
                           citations=citations(r, articles))
             for r in met[offset: offset + limit]]
    return Page[MeetingPublic](total=len(met), limit=limit, offset=offset, items=items)
