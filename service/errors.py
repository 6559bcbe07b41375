"""Errors the routes raise and the handlers that turn them (and the stores' errors) into responses.

422 bodies keep FastAPI's shape (``detail: [{loc: ["query", name], msg, type}]``) so a client reads
every parameter error the same way; 404s for unknown actors suggest close names; a store that cannot
answer is a 503 that names the store and why in a word ("unreachable", "authentication failed",
"locked out", "not writable"), and the next request tries again. Nothing else of the error reaches
the caller (driver messages quote URIs): the details go to the server log.
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from graph.queries.subgraphs import TooLarge, UnknownActor
from graph.stores.interface import StoreError, StoreUnavailable
from graph.queries.views import GraphViews
from service.heavy import Busy, ClientGone, OverBudget
from service.models import ActorHit

__all__ = ["ParameterError", "install_handlers", "parameter_error_body", "suggest"]

log = logging.getLogger("actorgraph.service")


class ParameterError(ValueError):
    """A request parameter the route refuses (malformed, unknown value, over a bound). ``where``
    is 'query', or 'body' with ``parameter`` the path to the field, e.g. 'articles.0.text'."""

    def __init__(self, parameter: str, message: str, value: Any = None, where: str = "query"):
        super().__init__(message)
        self.parameter, self.value, self.where = parameter, value, where


# A 422 shows at most this much of what was sent: enough to spot the mistake, never the body back.
EXCERPT_CHARS = 80


def excerpt(value: Any) -> Any:
    """A short, JSON-safe excerpt of an input: scalars as they are, strings cut, containers left out."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value if len(value) <= EXCERPT_CHARS else value[:EXCERPT_CHARS] + "…"
    return None  # an object or a list: the field's location says which; echoing it could be megabytes


def parameter_error_body(parameter: str, message: str, value: Any = None, where: str = "query") -> dict:
    loc = [where, *(int(p) if p.isdigit() else p for p in parameter.split("."))]
    return {"detail": [{"type": "value_error", "loc": loc, "msg": message, "input": excerpt(value)}]}


def _store_kind(request: Request) -> str:
    holder = getattr(request.app.state, "stores", None)
    return holder.kind if holder is not None else "store"


def suggest(views: GraphViews, text: str, limit: int = 5) -> list[dict]:
    """Actors whose names are close to ``text`` (an id's slug counts as its words)."""
    words = text.split(":", 1)[-1].replace("-", " ")
    return [ActorHit.of(h).model_dump(mode="json") for h in views.actor_index().search(words, limit=limit)]


def _suggestions(request: Request, actor_id: str) -> list[dict]:
    try:
        return suggest(request.app.state.stores.views, actor_id)
    except StoreError:  # the 404 stands without suggestions
        return []


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # FastAPI's shape, with each input cut to an excerpt (its default echoes the whole input).
        detail = [{"type": e["type"], "loc": list(e["loc"]), "msg": e["msg"], "input": excerpt(e.get("input"))}
                  for e in exc.errors()]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(ParameterError)
    async def _parameter(request: Request, exc: ParameterError) -> JSONResponse:
        return JSONResponse(parameter_error_body(exc.parameter, str(exc), exc.value, exc.where), status_code=422)

    @app.exception_handler(TooLarge)
    async def _too_large(request: Request, exc: TooLarge) -> JSONResponse:
        return JSONResponse(parameter_error_body(exc.parameter, str(exc)), status_code=422)

    @app.exception_handler(UnknownActor)
    async def _unknown(request: Request, exc: UnknownActor) -> JSONResponse:
        suggestions = await run_in_threadpool(_suggestions, request, exc.actor_id)
        return JSONResponse({"detail": str(exc), "parameter": exc.parameter, "suggestions": suggestions},
                            status_code=404)

    @app.exception_handler(StoreUnavailable)
    async def _unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        log.warning("store unavailable (%s): %s", exc.reason, exc)
        return unavailable_response(_store_kind(request), exc.reason)

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.error("store error: %s", exc)
        return JSONResponse({"detail": f"the {_store_kind(request)} store failed", "store": _store_kind(request)},
                            status_code=500)

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=429, headers={"Retry-After": str(exc.retry_after)})

    @app.exception_handler(OverBudget)
    async def _over_budget(request: Request, exc: OverBudget) -> JSONResponse:
        return JSONResponse({"detail": str(exc), "budget_s": exc.budget_s}, status_code=503,
                            headers={"Retry-After": str(max(1, int(exc.budget_s)))})

    @app.exception_handler(ClientGone)
    async def _gone(request: Request, exc: ClientGone) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)  # nobody reads it

    _install_neo4j_handlers(app)


def unavailable_response(kind: str, reason: str) -> JSONResponse:
    return JSONResponse({"detail": f"the {kind} store is unavailable ({reason})", "store": kind, "reason": reason},
                        status_code=503, headers={"Retry-After": "5"})


def _install_neo4j_handlers(app: FastAPI) -> None:
    """Driver errors that escape the store (it maps most to StoreUnavailable itself)."""
    try:
        from neo4j.exceptions import (AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired,
                                      TransientError)

        from graph.stores.neo4j.store import classify
    except ImportError:  # the driver is optional for the embedded store
        return

    async def _down(request: Request, exc: Exception) -> JSONResponse:
        log.warning("neo4j unavailable: %s", exc)
        return unavailable_response("neo4j", classify(exc) or "unreachable")

    async def _failed(request: Request, exc: Exception) -> JSONResponse:
        log.error("neo4j error: %s", exc)
        return JSONResponse({"detail": "the neo4j store failed", "store": "neo4j"}, status_code=502)

    # A transient error (DatabaseUnavailable while the server stops or starts) is a 503 with
    # Retry-After like a server that is gone, not a 502: asking again shortly will work.
    for exc_type in (ServiceUnavailable, SessionExpired, AuthError, TransientError):
        app.add_exception_handler(exc_type, _down)
    for exc_type in (Neo4jError, DriverError):
        app.add_exception_handler(exc_type, _failed)
