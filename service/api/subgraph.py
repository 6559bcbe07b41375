"""GET /subgraph: an actor's ego network as graph JSON (the format DESIGN.md defines)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from graph.queries import select_subgraph
from service.api.params import MAX_DEPTH, Since, TypesParam, Until, check_range, parse_types
from service.deps import SettingsDep, StoreDep, ViewsDep
from service.models import GraphPublic

router = APIRouter(prefix="/subgraph", tags=["subgraph"])


@router.get("", response_model=GraphPublic, response_model_exclude_none=True,
            responses={404: {"description": "unknown id; close names"}})
def subgraph(center: Annotated[str, Query(description="actor id at the centre", examples=["person:tomas-reyvik"])],
             store: StoreDep, views: ViewsDep, settings: SettingsDep,
             depth: Annotated[int, Query(ge=0, le=MAX_DEPTH, description=f"ties from the centre, at most {MAX_DEPTH}")]
             = 1,
             types: TypesParam = None, since: Since = None, until: Until = None) -> dict:
    """The actors within depth ties of center and every relation among them, cited."""
    check_range(since, until)
    batch = select_subgraph(store, center, depth=depth, types=parse_types(types), since=since, until=until,
                            views=views, max_nodes=settings.subgraph_max_nodes)
    return batch.to_dict()
