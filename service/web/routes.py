"""GET / (the explorer page), GET /web/{file} (its script, style and Cytoscape.js), GET
/web/config.json (the palette, relation types, export formats, metrics and path costs it offers),
GET /web/overview.json (what the page opens on) and POST /web/view (the view on screen, downloaded)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal, get_args

from fastapi import APIRouter, HTTPException, Query, Response, status
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from graph.analytics.algorithms import CentralityMetric
from graph.analytics.path_costs import DEFAULT_COSTS
from graph.exports import FORMATS, ExportUnavailable, export, filename
from graph.exports.palette import TYPE_COLOURS, TYPE_SHAPES
from graph.model import EVENT_TYPES, SYMMETRIC_TYPES, RelType
from graph.queries.events import events_for_batch
from graph.queries.overview import overview, view_batch
from service.api.params import MAX_DEPTH, MAX_HOPS
from service.deps import StoreDep, ViewsDep

router = APIRouter(include_in_schema=False)

STATIC = Path(__file__).parent / "static"

# Everything from this origin only; no inline script or style, no plugins, no framing. The canvas
# Cytoscape draws on needs nothing more (it styles its elements through the CSSOM, which CSP allows).
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}

_MEDIA = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".html": "text/html; charset=utf-8", ".png": "image/png", ".svg": "image/svg+xml"}
# The files served, listed once at import: a request names one of them or gets a 404, never a path.
_FILES = {p.relative_to(STATIC).as_posix(): p for p in STATIC.rglob("*")
          if p.is_file() and p.suffix in _MEDIA and p.name != "index.html"}


def _file(path: Path, cache: str) -> FileResponse:
    return FileResponse(path, media_type=_MEDIA[path.suffix], headers={**SECURITY_HEADERS, "Cache-Control": cache})


@router.get("/")
def page() -> FileResponse:
    return _file(STATIC / "index.html", "no-cache")


@router.get("/web/config.json")
def config() -> dict:
    """What the page offers, from the same registries the API and the exports use."""
    return {
        "colours": {t.value: c for t, c in TYPE_COLOURS.items()},
        "shapes": {t.value: s for t, s in TYPE_SHAPES.items()},
        "relation_types": [t.value for t in RelType],
        "event_types": sorted(t.value for t in EVENT_TYPES),
        "symmetric_types": sorted(t.value for t in SYMMETRIC_TYPES),
        "formats": list(FORMATS),
        "metrics": list(get_args(CentralityMetric)),
        "max_depth": MAX_DEPTH,
        "max_hops": MAX_HOPS,
        "path_costs": DEFAULT_COSTS,
        "overview_max": OVERVIEW_MAX,
    }


# The page opens on at most this many actors: a first view an analyst can read without zooming.
OVERVIEW_MAX = 40
# A view downloaded holds at most this many actors and relations (the page draws fewer).
VIEW_MAX = 20_000


@router.get("/web/overview.json")
def first_view(store: StoreDep, views: ViewsDep,
               limit: Annotated[int, Query(ge=1, le=200)] = OVERVIEW_MAX) -> dict:
    """The whole graph when it has at most ``limit`` actors with a relation, else the ``limit``
    most central (degree) and the relations among them, as graph JSON with ``overview`` saying which."""
    found = overview(store, views, limit=limit)
    return {**found.batch.to_dict(),
            "overview": {"actors_total": found.actors_total, "actors_shown": len(found.batch.actors),
                         "whole": found.whole}}


class ViewShown(BaseModel):
    """What the page shows: its actors and the relation keys drawn among them."""
    actors: list[str] = Field(max_length=VIEW_MAX)
    relations: list[str] = Field(max_length=VIEW_MAX)
    title: str = Field("Explorer view", max_length=200)
    center: str | None = Field(None, max_length=400)


@router.post("/web/view")
def download_view(shown: ViewShown, store: StoreDep, views: ViewsDep,
                  format: Literal[tuple(FORMATS)] = "json") -> Response:  # type: ignore[valid-type]
    """The view on screen in any export format: exactly its actors and relations, cited, whether
    they came from an ego network, an expansion or a path."""
    batch = events_for_batch(store, view_batch(store, views, shown.actors, shown.relations))
    try:
        content = export(batch, format, title=shown.title, center=shown.center if shown.center in batch.actors else None)
    except ExportUnavailable as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc)) from None
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", shown.title).strip("-").lower() or "view"
    return Response(content, media_type=FORMATS[format].media_type,
                    headers={"Content-Disposition": f'attachment; filename="{filename(format, stem)}"'})


@router.get("/web/{name:path}")
def static_file(name: str) -> FileResponse:
    path = _FILES.get(name)
    if path is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
    # The vendored library changes only with package.json; the page's own files may change any time.
    return _file(path, "public, max-age=86400" if name.startswith("vendor/") else "no-cache")
