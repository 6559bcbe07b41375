"""The FastAPI application: ``create_app()`` for uvicorn, ``create_app(store)`` for tests.

The store (and for Neo4j its driver) is made once in the lifespan from the settings, unless one is
injected; requests get it through ``StoreDep``. Interactive docs at /docs and /redoc, served with
the Swagger UI and ReDoc files that the fastapi-offline package installs (ReDoc's logo pointed at a
copy of our own, ``service.redoc``), so they work offline;
``/`` is the explorer page (``service.web``), which links to them.
"""
from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable

import anyio.to_thread
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline

from graph.stores.interface import GraphStore, StoreUnavailable
from service.api import api_router
from service.deps import ExtractorHolder, StoreHolder, check_key
from service.errors import install_handlers
from service.heavy import HeavyWork
from service.middleware import Foreground, RequestLimits, SecurityHeaders
from service.response_cache import ResponseCache
from service.settings import Settings, get_settings
from service.warm import warm
from service.redoc import router as redoc_router
from service.web import router as web_router

__all__ = ["create_app"]

log = logging.getLogger("actorgraph.service")


def create_app(store: GraphStore | None = None, settings: Settings | None = None,
               extractor_factory: Callable[[], Any] | None = None) -> FastAPI:
    """The app over ``store`` (closed by its owner), or over the store the settings name (opened
    at start, closed at shutdown). ``extractor_factory`` replaces the loaders' Extractor."""
    settings = settings or get_settings()
    kind = getattr(store, "name", None) or settings.store
    # fail_fast: with Neo4j gone a request answers 503 in about a second, not after 30 s of retries.
    holder = StoreHolder(kind, opener=lambda: settings.open_store(fail_fast=True), store=store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warming, stop_warming = None, threading.Event()
        # The sync routes run in anyio's worker threads, which share one GIL: past a few at once,
        # more threads only slice the same CPU thinner, and a long answer shares it with every
        # short one behind it.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads(kind)
        try:
            holder.get()
        except StoreUnavailable as exc:
            # Serve anyway: /health says 503 and requests retry the store until it answers.
            log.warning("starting without the %s store (%s): %s", kind, exc.reason, exc)
        else:
            if holder.owns_store:
                # Its projections build in the background: /health answers before they are done.
                warming = warm(holder, stop_warming)
        try:
            yield
        finally:
            app.state.heavy.close()  # its workers end at once: shutdown does not wait for a trend
            if warming is not None:  # its current step ends before the store is closed under it
                stop_warming.set()
                warming.join()
            holder.close()
            if getattr(app.state, "follow_state", None) is not None:  # opened by /feeds
                app.state.follow_state.close()
                app.state.follow_state = None

    # FastAPI with /docs and /redoc on the package's own copies of their scripts, not a CDN.
    # No validator badge either: Swagger UI would fetch it from validator.swagger.io.
    app = FastAPIOffline(title="actorgraph", version="0.1.0", lifespan=lifespan, redoc_url=None,
                         summary="Who met whom in defence and diplomacy news: cited meetings, paths, centrality.",
                         swagger_ui_parameters={"validatorUrl": None})
    app.state.settings = settings
    app.router.redirect_slashes = False  # RequestLimits serves /x/ as /x: no redirect echoes the Host
    _truthful_security(app, settings)
    app.state.stores = holder
    app.state.extractor = ExtractorHolder(settings, extractor_factory)
    app.state.heavy = HeavyWork(workers=settings.heavy_workers, budget_s=settings.heavy_budget_s,
                                per_client=settings.heavy_per_client, overall=settings.heavy_overall)
    install_handlers(app)
    app.include_router(api_router)
    app.include_router(web_router)  # the explorer page at /
    app.include_router(redoc_router)  # /redoc, its script and logo served here too
    # Innermost: a request is checked (RequestLimits) and its version pinned (Foreground) first.
    app.add_middleware(ResponseCache, version=lambda scope: holder.views.version(),
                       max_bytes=lambda: settings.response_cache_mb << 20)
    # Outermost last: the security headers also go on the 401s and 413s RequestLimits answers.
    app.add_middleware(RequestLimits, max_body_bytes=lambda: settings.max_body_bytes,
                       max_header_bytes=lambda: settings.max_header_bytes,
                       check_key=lambda key: check_key(settings, key),
                       operations=lambda: _operations(app), read_timeout_s=lambda: settings.read_timeout_s)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Foreground)
    return app



def _operations(app: FastAPI) -> dict:
    """The schema's paths and operations: which take a body, which the key (RequestLimits); and the
    explorer page's own routes (``service.web``), kept out of the API's documentation but served all
    the same (its POST /web/view takes the view on screen as a body, no key: it only renders what
    it is sent)."""
    paths = {path: dict(ops) for path, ops in app.openapi()["paths"].items()}
    for route in web_router.routes:
        if isinstance(route, APIRoute):
            for method in route.methods or ():
                op = {"requestBody": {}} if route.body_field is not None else {}
                paths.setdefault(route.path, {})[method.lower()] = op
    return paths


_KEY_REFUSED = {"401": {"description": "missing or wrong X-API-Key"},
                "403": {"description": "writes disabled: ACTORGRAPH_API_KEY is not set"}}


def _truthful_security(app: FastAPI, settings: Settings) -> None:
    """The schema says which operations need the key: every write, and the reads only while
    ACTORGRAPH_READ_REQUIRES_KEY is set (/health never); those that need it declare 401 and 403,
    those that take a body 400 and 413."""
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = build()
            for path, ops in schema["paths"].items():
                for method, op in ops.items():
                    reading = method.upper() in ("GET", "HEAD")
                    if reading and (not settings.read_requires_key or path == "/health"):
                        op.pop("security", None)
                    elif op.get("security"):
                        for code, response in _KEY_REFUSED.items():
                            op.setdefault("responses", {}).setdefault(code, response)
                    if "requestBody" in op:
                        op["responses"].setdefault("400", {"description": "the body is not JSON"})
                        op["responses"].setdefault("413", {"description": "the body is over ACTORGRAPH_MAX_BODY_BYTES"})
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
