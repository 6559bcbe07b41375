"""ASGI middleware at the service's edge: bodies read only on routes that take one, after the key
check and within bounds, and the security headers every response carries.

Pure ASGI (not ``BaseHTTPMiddleware``), so a refused body is never read into memory and responses
stream through untouched.
"""
from __future__ import annotations

import asyncio
import re
from contextlib import nullcontext
from typing import Any, Awaitable, Callable

from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse

from graph.analytics import priority
from graph.queries.views import admitting, one_version

__all__ = ["RequestLimits", "SecurityHeaders", "CSP"]

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Downloads (reports, pictures) are documents built from article text: nothing in them may run,
# load from elsewhere, or be framed. Inline styles and data: images are what the report uses.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'; sandbox")
# The interactive docs load Swagger UI / ReDoc from their CDN: they keep FastAPI's own pages.
_DOC_PATHS = ("/docs", "/redoc")


class RequestLimits:
    """Nothing of a request body is read before the request is known to be allowed one:

    - a head (target and headers) over ``max_header_bytes`` is refused with 431;
    - a request that matches no operation of the app's OpenAPI schema, or one that takes no body
      there, goes to the app without its body being read (the app answers 404/405, or ignores it);
    - on an operation that declares the key (its "security"; every write does) a missing or wrong key is refused
      (``check_key(key)`` raising HTTPException: 401/403) before the body is read;
    - then a body over ``max_body_bytes`` is refused with 413 (by Content-Length, or while it
      streams), and one still arriving ``read_timeout_s`` after the request began with 408.

    The server bounds what it buffers of a head still arriving and how long it waits for it
    (``service.server``); a complete head that arrived at once is checked here."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: Callable[[], int], max_header_bytes: Callable[[], int],
                 check_key: Callable[[str | None], None], operations: Callable[[], dict],
                 read_timeout_s: Callable[[], float] = lambda: 30.0):
        self.app, self.max_body_bytes, self.max_header_bytes = app, max_body_bytes, max_header_bytes
        self.check_key, self.operations, self.read_timeout_s = check_key, operations, read_timeout_s
        self._table: list[tuple[re.Pattern, str, bool, bool]] | None = None

    def _operation(self, scope: Scope) -> tuple[bool, bool] | None:
        """(takes a body, needs the key) of the operation that answers ``scope``, from the app's
        OpenAPI schema (``operations()``: its "paths"), or None when no operation does."""
        if self._table is None:
            table = []
            for path, ops in self.operations().items():
                # A trailing parameter may hold slashes (DELETE /articles/{id}, ids are paths).
                pattern = re.sub(r"\\{[^}/]+\\}$", "(.+)", re.sub(r"\\{[^}/]+\\}(?=/)", "([^/]+)", re.escape(path)))
                for method, op in ops.items():
                    table.append((re.compile(f"^{pattern}$"), method.upper(), "requestBody" in op, bool(op.get("security"))))
            self._table = table
        path = scope["path"]
        for pattern, method, body, key in self._table:
            if method == scope["method"] and pattern.match(path):
                return body, key
        return None

    def _allowed(self, scope: Scope) -> list[str]:
        """Every method the schema has for the path of ``scope`` (for a 405's Allow)."""
        assert self._table is not None
        return sorted({m for pattern, m, _, _ in self._table if pattern.match(scope["path"])})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if len(path) > 1 and path.endswith("/"):
            # Served as without the slash, never redirected: a redirect would echo the Host header.
            raw = scope.get("raw_path")
            scope = {**scope, "path": path.rstrip("/") or "/",
                     **({"raw_path": raw.rstrip(b"/") or b"/"} if raw else {})}
        head = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + \
            sum(len(k) + len(v) + 4 for k, v in scope["headers"])
        if head > self.max_header_bytes():
            await JSONResponse({"detail": "the request headers are too large"}, 431,
                               headers={"Connection": "close"})(scope, receive, send)
            return
        if scope["method"] == "GET":
            await self.app(scope, receive, send)
            return
        operation = self._operation(scope)
        if operation is None:
            allowed = self._allowed(scope)
            if allowed:  # a path with other methods: 405 naming them all (the router names one route's)
                await JSONResponse({"detail": "Method Not Allowed"}, 405,
                                   headers={"Allow": ", ".join(allowed), "Connection": "close"})(scope, receive, send)
                return
            await self.app(scope, _no_body(receive), _closing(send))  # a 404, the body never read
            return
        takes_body, needs_key = operation
        headers = Headers(scope=scope)
        if needs_key:
            try:
                self.check_key(headers.get("x-api-key"))
            except HTTPException as exc:
                await JSONResponse({"detail": exc.detail}, exc.status_code,
                                   headers={**(exc.headers or {}), "Connection": "close"})(scope, receive, send)
                return
        if not takes_body:  # a route that takes no body never reads one
            await self.app(scope, _no_body(receive), _closing(send) if _has_body(headers) else send)
            return
        limit = self.max_body_bytes()
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        chunks, size = [], 0
        try:
            async with asyncio.timeout(self.read_timeout_s()):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    size += len(message.get("body", b""))
                    if size > limit:  # a chunked body that grew past the limit: stop reading it
                        await _too_large(limit)(scope, receive, send)
                        return
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        break
        except TimeoutError:
            await JSONResponse({"detail": "the request body did not arrive in time"}, 408,
                               headers={"Connection": "close"})(scope, receive, send)
            return
        body, replayed = b"".join(chunks), False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


def _has_body(headers: Headers) -> bool:
    return headers.get("content-length", "0") != "0" or "transfer-encoding" in headers


def _closing(send: Send) -> Send:
    """``send`` that closes the connection after the answer: a body sent but never read is not
    drained from the socket either (the server would read it all to reach the next request)."""

    async def closing(message: dict) -> None:
        if message["type"] == "http.response.start":
            MutableHeaders(scope=message)["Connection"] = "close"
        await send(message)

    return closing


def _no_body(receive: Receive) -> Receive:
    """``receive`` for an app that must not read the body: an empty one, then what the server says."""
    given = False

    async def empty() -> dict:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return await receive()

    return empty


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": f"the request body is over {limit} bytes (ACTORGRAPH_MAX_BODY_BYTES); "
                                   f"send fewer articles per request"}, status_code=413,
                        headers={"Connection": "close"})


class SecurityHeaders:
    """``X-Content-Type-Options: nosniff`` on every response; the restrictive CSP on HTML and SVG."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(_DOC_PATHS)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                media = headers.get("content-type", "").split(";")[0].strip().lower()
                if media in ("text/html", "image/svg+xml") and not docs and "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = CSP  # a page that sets its own policy keeps it
            await send(message)

        await self.app(scope, receive, send_with_headers)


class Foreground:
    """Marks each HTTP request as foreground work (graph.analytics.priority): a projection being built in
    the background at start (service.warm) pauses while requests are served. A read (GET, HEAD)
    also reads the store's version once (graph.queries.views.one_version): one version per answer, and one
    round trip to Neo4j for it instead of one per view the route asks for. A request that builds a
    large projection or centrality from scratch is admitted as heavy work (``_admission``)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reading = scope.get("method") in ("GET", "HEAD")  # a read sees one version of the graph
        with priority.foreground(), one_version() if reading else nullcontext(), admitting(_admission(scope)):
            await self.app(scope, receive, send)


def _admission(scope: Scope) -> Callable[[int], Any]:
    """How this request is admitted to build a projection or centrality of a given size
    (graph.queries.views.admitting): counted as heavy work of its client (service.heavy, 429 past the
    limits) from ACTORGRAPH_HEAVY_INLINE_RELATIONS relations up; smaller builds are milliseconds."""
    state = scope["app"].state
    client = (scope.get("client") or ("unknown",))[0]
    return lambda size: state.heavy.admitted(client) if size >= state.settings.heavy_inline_relations \
        else nullcontext()
