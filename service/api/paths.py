"""GET /paths/shortest: how two actors are connected, each hop cited."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graph.analytics.path_costs import DEFAULT_COSTS, HOPS, parse_costs
from graph.queries.subgraphs import find_cited_paths
from service.api.params import MAX_HOPS, MAX_PATHS, MinSources, Since, TypesParam, Until, check_range, parse_types
from service.errors import ParameterError
from service.deps import Names, StoreDep, ViewsDep
from service.models import HopPublic, PathPublic, PathsPublic, relation_public

router = APIRouter(prefix="/paths", tags=["paths"])


@router.get("/shortest", response_model=PathsPublic, responses={404: {"description": "unknown id; close names"}})
def shortest_paths(
    source: Annotated[str, Query(description="actor id", examples=["person:tomas-reyvik"])],
    target: Annotated[str, Query(description="actor id", examples=["person:ilse-brandt"])],
    store: StoreDep, views: ViewsDep,
    max_hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description=f"longest path returned, at most {MAX_HOPS}")] = 6,
    types: TypesParam = None, since: Since = None, until: Until = None, min_sources: MinSources = None,
    all_paths: Annotated[bool, Query(alias="all", description="every shortest path, not just one")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PATHS, description="most paths returned with all=true")] = 20,
    weights: Annotated[str | None, Query(description=(
        "the cost of a hop by relation type, TYPE:cost pairs overriding the defaults "
        f"({', '.join(f'{t}:{c:g}' for t, c in DEFAULT_COSTS.items())}), or '{HOPS}' for the fewest hops"),
        examples=["MEMBER_OF:10,VISITED:1"])] = None,
) -> PathsPublic:
    """The cheapest path (or all equally cheap paths) between two actors, ties taken either way.

    A hop costs its cheapest relation's type (``weights``): people tied through meetings and
    signings come before people tied through a state or force they belong to. Each hop's
    ``statements`` read its relations in their true direction ("A MEMBER_OF Marenzia")."""
    check_range(since, until)
    try:
        costs = parse_costs(weights)
    except ValueError as e:
        raise ParameterError("weights", str(e), weights) from None
    cur = views.curation()  # ids merged away by a ``same`` judgement answer for the kept one
    source, target = cur.canonical(source), cur.canonical(target)
    found = find_cited_paths(store, source, target, max_hops=max_hops, types=parse_types(types), since=since,
                             until=until, all_paths=all_paths, limit=limit + 1, views=views,
                             min_sources=min_sources, costs=costs)
    paths, names, articles = found.paths, Names(store, found.view.graph), found.view.articles(store)
    out = [PathPublic(length=len(hops), cost=cost,
                      actors=[names.need(source), *(names.need(h.target) for h in hops)],
                      hops=[HopPublic(source=names.need(h.source), target=names.need(h.target),
                                      relations=[relation_public(r, names, articles) for r in h.relations],
                                      statements=[f"{names.need(r.source).name} {r.type.value} "
                                                  f"{names.need(r.target).name}" for r in h.relations])
                            for h in hops])
           for hops, cost in zip(paths[:limit], found.costs)]
    return PathsPublic(source=names.need(source), target=names.need(target), found=bool(out), paths=out,
                       truncated=len(paths) > limit)
