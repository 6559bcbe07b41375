"""GET /subgraph: an actor's ego network as graph JSON (the format DESIGN.md defines), or with
``format=`` as a download in any export format (GraphML, GEXF, CSV, Cypher, pictures, reports)."""
from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status

from graph.queries.events import events_for_batch
from graph.exports import FORMATS, ExportUnavailable, export, filename
from graph.queries.subgraphs import select_subgraph
from service.api.params import MAX_DEPTH, MinSources, Since, TypesParam, Until, check_range, parse_types
from service.deps import SettingsDep, StoreDep, ViewsDep, actor_id_of
from service.models import GraphPublic

router = APIRouter(prefix="/subgraph", tags=["subgraph"])

ExportFormat = Literal[tuple(FORMATS)]  # type: ignore[valid-type]  # the registry's names, validated


def _download(batch, fmt: str, center: str, depth: int) -> Response:
    """The export as an attachment named after the centre, e.g. person-jane-doe-depth1.graphml."""
    name = batch.actors[center].name if center in batch.actors else center
    try:
        content = export(batch, fmt, title=f"{name}: ego network, depth {depth}", center=center)
    except ExportUnavailable as exc:  # the renderer is not installed on this server
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", center).strip("-") + f"-depth{depth}"
    return Response(content, media_type=FORMATS[fmt].media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename(fmt, stem)}"'})


@router.get("", response_model=GraphPublic, response_model_exclude_none=True,
            responses={404: {"description": "unknown id; close names"},
                       200: {"description": "graph JSON, or with format= the export as an attachment",
                             "content": {f.media_type: {} for f in FORMATS.values()}},
                       503: {"description": "the renderer of this format is not installed on the server"}})
def subgraph(center: Annotated[str, Query(description="actor id or name at the centre", examples=["person:tomas-reyvik"])],
             store: StoreDep, views: ViewsDep, settings: SettingsDep,
             depth: Annotated[int, Query(ge=0, le=MAX_DEPTH, description=f"ties from the centre, at most {MAX_DEPTH}")]
             = 1,
             types: TypesParam = None, since: Since = None, until: Until = None,
             min_sources: MinSources = None,
             format: Annotated[ExportFormat | None, Query(description="download as this export format instead of "
                                                                      "graph JSON: " + ", ".join(FORMATS))] = None,
             ) -> dict | Response:
    """The actors within depth ties of center and every relation among them, cited."""
    check_range(since, until)
    center = actor_id_of(store, views, center, "center")  # an id or a name; a merged-away id answers the kept one
    batch = select_subgraph(store, center, depth=depth, types=parse_types(types), since=since, until=until,
                            views=views, max_nodes=settings.subgraph_max_nodes, min_sources=min_sources,
                            max_relations=settings.subgraph_max_relations)
    batch = events_for_batch(store, batch)  # the events it holds, for the graph JSON and the exports
    if format is not None:
        return _download(batch, format, center, depth)
    return batch.to_dict()
