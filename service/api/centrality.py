"""GET /centrality: the most central actors, computed once per graph version (networkx on a small
graph, graph.analytics.engine on a large one, GDS on a Neo4j server that has it)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graph.analytics.algorithms import DEFAULT_METRIC, CentralityMetric
from graph.model import NodeType
from graph.queries.subgraphs import make_filter
from service.api.params import (Limit, MinSources, Offset, Since, StateParam, TypesParam, Until, check_range,
                                parse_types)
from service.deps import Names, StoreDep, ViewsDep, members_of
from service.models import CentralityItem, CentralityPublic

router = APIRouter(prefix="/centrality", tags=["centrality"])


@router.get("", response_model=CentralityPublic,
            responses={404: {"description": "unknown state (state=); close names"}})
def centrality(store: StoreDep, views: ViewsDep,
               metric: Annotated[CentralityMetric, Query(description="centrality measure on the undirected graph (networkx's definitions)")]
               = DEFAULT_METRIC,
               type: Annotated[NodeType | None, Query(description="rank only actors of this type")] = None,
               state: StateParam = None,
               types: TypesParam = None, since: Since = None, until: Until = None,
               min_sources: MinSources = None, limit: Limit = 20, offset: Offset = 0) -> CentralityPublic:
    """Actors ranked by centrality over the relations passing the filter, highest first; with
    ``state=`` only the actors affiliated with it are ranked (scores stay those of the whole graph)."""
    check_range(since, until)
    group, members = members_of(store, views, state) if state else (None, None)
    view = views.get(make_filter(parse_types(types), since, until, min_sources))
    scores = view.centrality(metric, store)
    graph = view.graph

    def ranking() -> list[tuple[str, float]]:
        kept = ((n, s) for n, s in scores.items() if (type is None or graph.nodes[n].get("type") == type.value)
                and (members is None or n in members))
        return sorted(kept, key=lambda ns: (-ns[1], ns[0]))

    # Sorted once per (version, filter, metric, type): pages then slice it.
    ranked = view.derived(("ranking", metric, type, group), ranking)
    names = Names(store, graph)
    items = [CentralityItem(rank=offset + i + 1, actor=names.need(n), score=s)
             for i, (n, s) in enumerate(ranked[offset: offset + limit])]
    return CentralityPublic(metric=metric, approximate=scores.approximate, k=scores.k, error=scores.error,
                            top=scores.top, engine=scores.engine, version=view.version,
                            graph=view.size,
                            total=len(ranked), limit=limit, offset=offset, items=items)
