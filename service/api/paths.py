"""GET /paths/shortest: how two actors are connected, each hop cited."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graph.queries.subgraphs import find_cited_paths
from service.api.params import MAX_HOPS, MAX_PATHS, MinSources, Since, TypesParam, Until, check_range, parse_types
from service.deps import Names, StoreDep, ViewsDep, actor_id_of
from service.models import HopPublic, PathPublic, PathsPublic, relation_public

router = APIRouter(prefix="/paths", tags=["paths"])


@router.get("/shortest", response_model=PathsPublic, responses={404: {"description": "unknown id; close names"}})
def shortest_paths(
    source: Annotated[str, Query(description="actor id or name", examples=["person:tomas-reyvik"])],
    target: Annotated[str, Query(description="actor id or name", examples=["person:ilse-brandt"])],
    store: StoreDep, views: ViewsDep,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description=f"longest path returned, at most {MAX_HOPS}")] = 6,
    types: TypesParam = None, since: Since = None, until: Until = None, min_sources: MinSources = None,
    all_paths: Annotated[bool, Query(alias="all", description="every shortest path, not just one")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PATHS, description="most paths returned with all=true")] = 20,
) -> PathsPublic:
    """The shortest path (or all shortest paths) between two actors, ties taken either way."""
    check_range(since, until)
    # Ids or names; ids merged away by a ``same`` judgement answer for the kept one.
    source, target = actor_id_of(store, views, source, "source"), actor_id_of(store, views, target, "target")
    found = find_cited_paths(store, source, target, max_hops=max_hops, types=parse_types(types), since=since,
                             until=until, all_paths=all_paths, limit=limit + 1, views=views,
                             min_sources=min_sources)
    paths, names, articles = found.paths, Names(store, found.view.graph), found.view.articles(store)
    out = [PathPublic(length=len(hops),
                      actors=[names.need(source), *(names.need(h.target) for h in hops)],
                      hops=[HopPublic(source=names.need(h.source), target=names.need(h.target),
                                      relations=[relation_public(r, names, articles) for r in h.relations])
                            for h in hops])
           for hops in paths[:limit]]
    return PathsPublic(source=names.need(source), target=names.need(target), found=bool(out), paths=out,
                       truncated=len(paths) > limit)
