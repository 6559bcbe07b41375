"""The API's routers, one module per resource, gathered into ``api_router``."""
from __future__ import annotations

from fastapi import APIRouter, Depends

from service.api import actors, articles, centrality, events, feeds, health, judgements, meetings, paths, subgraph, trends
from service.deps import require_read_key

api_router = APIRouter()
api_router.include_router(health.router)
_reads = [Depends(require_read_key)]  # open unless ACTORGRAPH_READ_REQUIRES_KEY
for module in (actors, meetings, paths, centrality, trends, subgraph, events):
    api_router.include_router(module.router, dependencies=_reads)
api_router.include_router(articles.router)
api_router.include_router(judgements.router)  # reads check the key per route
api_router.include_router(feeds.router)  # POST needs the write key, GET the read key if asked
