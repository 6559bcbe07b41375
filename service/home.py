"""What ``/`` shows. Until the service has a page of its own, the interactive API docs.

One small router so that the home page can be swapped for another without touching the app.
"""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse

router = APIRouter(include_in_schema=False)


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/docs")
