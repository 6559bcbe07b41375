"""/redoc with nothing from another host: fastapi-offline serves ReDoc's script locally, but the
script itself draws the "API docs by Redocly" logo from Redocly's CDN. This module serves the
same script with that one address pointed at a logo of our own, and the /redoc page using it."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response

__all__ = ["router", "ASSETS", "CDN_LOGO"]

ASSETS = "/static-local-docs"
CDN_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
_LOGO = Path(__file__).parent / "docs_assets" / "redoc-logo.svg"

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def _script() -> bytes:
    import fastapi_offline
    js = (Path(fastapi_offline.__file__).parent / "static" / "redoc.standalone.js").read_bytes()
    return js.replace(CDN_LOGO.encode(), f"{ASSETS}/redoc-logo.svg".encode())


@router.get(f"{ASSETS}/redoc.standalone.js")
def redoc_script() -> Response:
    return Response(_script(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


@router.get(f"{ASSETS}/redoc-logo.svg")
def redoc_logo() -> Response:
    return Response(_LOGO.read_bytes(), media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/redoc")
def redoc_page(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_redoc_html(openapi_url=f"{root}{request.app.openapi_url}", title=f"{request.app.title} - ReDoc",
                          redoc_js_url=f"{root}{ASSETS}/redoc.standalone.js",
                          redoc_favicon_url=f"{root}/static-offline-docs/favicon.png", with_google_fonts=False)
