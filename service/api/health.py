"""GET /health: is the service up, and can its store answer."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from service.models import HealthPublic, StorePublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic,
            responses={503: {"model": HealthPublic, "description": "the store cannot answer"}})
def health(request: Request, response: Response) -> HealthPublic:
    """Service and store status: whether the store answers, its version and counts."""
    holder = request.app.state.stores
    try:
        store = holder.get()
        store.ping()
        version = store.version()
        # Counting walks the whole graph: once per version, so probes stay cheap on a large one.
        stats = holder.views.stats(version)
    except Exception as exc:  # noqa: BLE001 - any failure here is what health exists to report
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        return HealthPublic(status="unavailable",
                            store=StorePublic(kind=holder.kind, reachable=False, error=f"{type(exc).__name__}: {exc}"))
    return HealthPublic(status="ok", store=StorePublic(kind=holder.kind, reachable=True, version=version,
                                                       nodes=stats["nodes"], relations=stats["relations"],
                                                       articles=stats["articles"]))
