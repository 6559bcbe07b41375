"""GET / (the explorer page), GET /web/{file} (its script, style and Cytoscape.js) and
GET /web/config.json (the palette, relation types, export formats and metrics it offers)."""
from __future__ import annotations

from pathlib import Path
from typing import get_args

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import FileResponse

from graph.analytics.algorithms import CentralityMetric
from graph.exports import FORMATS
from graph.exports.palette import TYPE_COLOURS, TYPE_SHAPES
from graph.model import EVENT_TYPES, SYMMETRIC_TYPES, RelType
from service.api.params import MAX_DEPTH, MAX_HOPS

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
    }


@router.get("/web/{name:path}")
def static_file(name: str) -> FileResponse:
    path = _FILES.get(name)
    if path is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file")
    # The vendored library changes only with package.json; the page's own files may change any time.
    return _file(path, "public, max-age=86400" if name.startswith("vendor/") else "no-cache")
