"""Answers of the graph's read routes kept per graph version: a repeat costs a lookup.

Analysts' pages and scripts ask the same questions again (the meetings of the people on screen,
the centrality table, a path they cite), and every answer is a function of the graph's version and
the request: ``ResponseCache`` keeps the bodies of ``200`` answers to GETs of ``CACHED_ROUTES``,
keyed by the store's version (the one ``Foreground`` pins for the request), the path and query, the
``Accept`` header and the API key presented (an answer may show more to a key holder). A write
moves the version on, so nothing stale is served; entries of older versions age out of the LRU,
which holds at most ``max_bytes`` of bodies and no body over ``max_entry_bytes``. Each answer says
``X-Cache: hit`` or ``miss``.

It sits inside ``RequestLimits``: a request is checked before a kept answer is given.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any, Awaitable, Callable

from starlette.concurrency import run_in_threadpool

from graph.stores.interface import StoreError, StoreUnavailable

__all__ = ["ResponseCache", "CACHED_ROUTES"]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The read routes whose answer is the graph's at a version and nothing else (not /health, nor the
# trends, which are kept per version by service.heavy, nor anything that reads the clock).
CACHED_ROUTES = ("/actors", "/meetings", "/paths/shortest", "/centrality", "/subgraph", "/events")
_NOT_CACHED = ("/centrality/trend", "/centrality/risers")


def cacheable(path: str) -> bool:
    if path.startswith(_NOT_CACHED):
        return False
    return any(path == r or path.startswith(r + "/") for r in CACHED_ROUTES)


class _Entries:
    """An LRU of (status, headers, body) by key, bounded by the bytes of the bodies; thread-safe."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size = max_bytes, 0
        self._items: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[int, list, bytes] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple, value: tuple[int, list, bytes]) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= len(old[2])
            self._items[key] = value
            self.size += len(value[2])
            while self.size > self.max_bytes and self._items:
                _, dropped = self._items.popitem(last=False)
                self.size -= len(dropped[2])

    def __len__(self) -> int:
        return len(self._items)


class ResponseCache:
    """Pure ASGI: a kept answer is sent without calling the app; a new ``200`` of a cached route is
    kept once its whole body has gone out (a streamed or oversized one is not)."""

    def __init__(self, app: ASGIApp, *, version: Callable[[Scope], str | None],
                 max_bytes: Callable[[], int], max_entry_bytes: int = 2 << 20) -> None:
        self.app, self.version, self.max_entry_bytes = app, version, max_entry_bytes
        self._max_bytes = max_bytes
        self._entries: _Entries | None = None

    @property
    def entries(self) -> _Entries:
        if self._entries is None:
            self._entries = _Entries(self._max_bytes())
        return self._entries

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or not cacheable(scope["path"]) \
                or self.entries.max_bytes <= 0:
            await self.app(scope, receive, send)
            return
        try:
            version = await run_in_threadpool(self.version, scope)
        except (StoreUnavailable, StoreError):
            version = None  # the route answers the store's trouble itself
        if version is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        key = (version, scope["path"], scope.get("query_string", b""), headers.get(b"accept", b""),
               hashlib.sha256(headers.get(b"x-api-key", b"")).digest())
        found = self.entries.get(key)
        if found is not None:
            status, head, body = found
            await send({"type": "http.response.start", "status": status, "headers": [*head, (b"x-cache", b"hit")]})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict | None = None
        chunks: list[bytes] = []
        size = 0
        keep = True

        async def remember(message: dict) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                keep = message["status"] == 200
                message = {**message, "headers": [*message.get("headers", []), (b"x-cache", b"miss")]}
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                if size > self.max_entry_bytes:
                    keep, chunks[:] = False, []
                else:
                    chunks.append(body)
                if not message.get("more_body", False) and keep and start is not None:
                    self.entries.put(key, (start["status"], list(start.get("headers", [])), b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, remember)
