"""ASGI middleware at the service's edge: bounded request bodies, the write key checked before a
body is read, and the security headers every response carries.

Pure ASGI (not ``BaseHTTPMiddleware``), so a refused body is never read into memory and responses
stream through untouched.
"""
from __future__ import annotations

from contextlib import nullcontext
from typing import Any, Awaitable, Callable

from fastapi import HTTPException
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse

from graph.analytics import priority
from graph.queries.views import one_version

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
    """Refuse a request head (target and headers) over ``max_header_bytes`` with 431; a body over
    ``max_body_bytes`` with 413 (by Content-Length, or while it streams); and on ``write_paths`` a
    missing or wrong key (``check_key(key)`` raising HTTPException) before reading the body at all.

    The server bounds what it buffers of a head still arriving (uvicorn's h11 option, see
    ``actorgraph serve``); a complete head that arrived at once is checked here."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: Callable[[], int], max_header_bytes: Callable[[], int],
                 check_key: Callable[[str | None], None], write_paths: tuple[str, ...] = ("/articles",)):
        self.app, self.max_body_bytes, self.max_header_bytes = app, max_body_bytes, max_header_bytes
        self.check_key, self.write_paths = check_key, write_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + \
            sum(len(k) + len(v) + 4 for k, v in scope["headers"])
        if head > self.max_header_bytes():
            await JSONResponse({"detail": "the request headers are too large"}, 431,
                               headers={"Connection": "close"})(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["path"].rstrip("/") in self.write_paths:
            try:
                self.check_key(headers.get("x-api-key"))
            except HTTPException as exc:
                await JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)(scope, receive, send)
                return
        limit = self.max_body_bytes()
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(limit)(scope, receive, send)
            return
        chunks, size = [], 0
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
        body, replayed = b"".join(chunks), False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


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
    round trip to Neo4j for it instead of one per view the route asks for."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        reading = scope.get("method") in ("GET", "HEAD")  # a read sees one version of the graph
        with priority.foreground(), one_version() if reading else nullcontext():
            await self.app(scope, receive, send)
