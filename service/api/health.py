"""GET /health: is the service up, and can its store answer (and write)."""
from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response, status

from graph.stores.interface import StoreUnavailable
from service.deps import key_held
from service.models import HealthPublic, StorePublic

log = logging.getLogger("actorgraph.service")

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic,
            responses={503: {"model": HealthPublic, "description": "the store cannot answer"}})
def health(request: Request, response: Response) -> HealthPublic:
    """Service and store status: whether the store answers, its version and counts (to the key's
    holders only when reads need the key); "degraded"
    (still 200: reads answer) when the store cannot write, e.g. its disk is full."""
    holder = request.app.state.stores
    try:
        store = holder.get()
        store.ping()
        version = store.version()
        # Counting walks the whole graph: once per version, so probes stay cheap on a large one.
        stats = holder.views.stats(version)
        degraded = store.degraded()
    except Exception as exc:  # noqa: BLE001 - any failure here is what health exists to report
        # The reason in a word for the caller; the message (URIs, driver text) for the log only.
        reason = exc.reason if isinstance(exc, StoreUnavailable) else "failing"
        log.warning("health: the %s store is %s: %s", holder.kind, reason, exc)
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthPublic(status="unavailable", store=StorePublic(kind=holder.kind, reachable=False, error=reason))
    if degraded:
        log.warning("health: the %s store is degraded: %s", holder.kind, degraded)
    settings = request.app.state.settings
    # While reads need the key, what the graph holds is a read: anonymous probes get the status only.
    shown = not settings.read_requires_key or key_held(request, settings)
    return HealthPublic(status="degraded" if degraded else "ok",
                        store=StorePublic(kind=holder.kind, reachable=True, writable=not degraded,
                                          version=version if shown else None,
                                          nodes=stats["nodes"] if shown else None,
                                          relations=stats["relations"] if shown else None,
                                          articles=stats["articles"] if shown else None,
                                          error=_why(store) if degraded else None),
                        warming=holder.warming)


def _why(store) -> str:
    """Why the store cannot write, in words safe for anyone (the full message, naming the folder, is logged)."""
    return "not writable: opened read-only" if getattr(store, "read_only_uri", None) else "not writable"
