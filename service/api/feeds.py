"""POST /feeds: follow more feeds, sitemaps or article pages; GET /feeds: each source's last fetch.

The sources go to the follower's state file (``loaders.feeds.state``, follow.sqlite in the data
folder), which ``actorgraph follow`` or ``actorgraph serve --follow`` works through. A URL whose
host resolves to a loopback, private or link-local address is refused here already (422), unless
ACTORGRAPH_FETCH_ALLOW_PRIVATE allows it; the fetcher checks every connection again anyway.
"""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from service.deps import SettingsDep, require_read_key, require_write_key
from service.errors import ParameterError

router = APIRouter(prefix="/feeds", tags=["feeds"])


class FeedsIn(BaseModel):
    urls: list[str] = Field(min_length=1, max_length=100,
                            examples=[["https://news.example.org/defence/rss.xml"]],
                            description="RSS/Atom feeds, (news) sitemaps or article pages to follow")


class SourceOut(BaseModel):
    url: str
    kind: str | None = Field(description="feed, sitemap, sitemapindex or page; null before the first fetch")
    added: str
    last_fetch: str | None
    status: str = Field(description="new, ok, unchanged or failed")
    error: str | None
    articles: int = Field(description="articles ingested from it so far")
    pending: int = Field(description="entries seen but not yet ingested")


class FeedsOut(BaseModel):
    sources: list[SourceOut]
    added: list[str] = Field(default_factory=list, description="the URLs of this request that were new")


def _state(request: Request):
    """The app's follower state, opened on first use (its file lives with the data)."""
    from loaders.feeds.state import FollowState
    app = request.app
    if getattr(app.state, "follow_state", None) is None:
        app.state.follow_state = FollowState(app.state.settings.follow_state)
    return app.state.follow_state


def _out(state, added: list[str] | None = None) -> FeedsOut:
    out = []
    for s in state.sources():
        counts = state.counts(s.url)
        out.append(SourceOut(url=s.url, kind=s.kind, added=s.added, last_fetch=s.last_fetch, status=s.status,
                             error=s.error, articles=s.articles,
                             pending=counts.get("pending", 0) + counts.get("failed", 0)))
    return FeedsOut(sources=out, added=added or [])


def _check(i: int, url: str, settings) -> None:
    from loaders.feeds.fetch import AddressRefused, check_address, parse_allow_private
    parts = urlsplit(url)
    where = f"urls.{i}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ParameterError(where, f"not an http(s) URL: {url!r}", where="body")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise ParameterError(where, f"the host {parts.hostname!r} does not resolve", where="body") from None
    allow = parse_allow_private(settings.fetch_allow_private)
    for info in infos:
        try:
            check_address(info[4][0], allow)
        except AddressRefused as exc:
            raise ParameterError(where, f"{url}: {exc}", where="body") from None


@router.post("", response_model=FeedsOut, status_code=status.HTTP_201_CREATED,
             dependencies=[Depends(require_write_key)],
             responses={401: {"description": "missing or wrong X-API-Key"},
                        403: {"description": "writes disabled: ACTORGRAPH_API_KEY is not set"}})
def add_feeds(body: FeedsIn, request: Request, settings: SettingsDep) -> FeedsOut:
    """Follow these URLs from the next round on (URLs already followed are kept as they are)."""
    for i, url in enumerate(body.urls):
        _check(i, url, settings)
    state = _state(request)
    return _out(state, state.add_sources(body.urls))


@router.get("", response_model=FeedsOut, dependencies=[Depends(require_read_key)])
def list_feeds(request: Request) -> FeedsOut:
    """Each followed source with its last fetch, status, error and the articles found in it."""
    return _out(_state(request))
