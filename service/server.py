"""uvicorn as ``actorgraph serve`` runs it: h11 with bounded heads, a read deadline per request,
keep-alive, concurrent connections and shutdown all limited (values from ``Settings``).

uvicorn bounds how much of a head it buffers (``h11_max_incomplete_event_size``) but not how long
it waits for one: a client sending a byte every few seconds held a connection forever, since
each byte restarts the keep-alive timer. ``ReadDeadline`` closes a connection whose request (head
and body) has not fully arrived ``read_timeout_s`` after it started; a request the app is still
reading the body of gets ``http.disconnect``.
"""
from __future__ import annotations

import asyncio
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from service.settings import Settings

__all__ = ["ReadDeadline", "uvicorn_config", "uvicorn_options"]


class ReadDeadline(H11Protocol):
    """H11Protocol with a deadline on reading each request (``read_timeout_s``, a class attribute
    set by ``uvicorn_options``): armed when the connection opens and after each response."""

    read_timeout_s: float | None = None  # None: the environment's (get_settings), as in worker processes

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if self.read_timeout_s is None:
            from service.settings import get_settings
            self.read_timeout_s = get_settings().read_timeout_s
        self._read_deadline: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._read_deadline = self.loop.call_later(self.read_timeout_s, self._too_slow)

    def _disarm(self) -> None:
        if getattr(self, "_read_deadline", None) is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.DONE:  # the whole request is in: the app has it
            self._disarm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection has its own deadline

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        self._read_deadline = None
        if self.conn.their_state is not h11.DONE and not self.transport.is_closing():
            self.logger.info("closing a connection whose request did not arrive within %.0f s", self.read_timeout_s)
            self.transport.close()  # connection_lost tells a reading app: http.disconnect


def uvicorn_options(settings: Settings, *, picklable: bool = False) -> dict[str, Any]:
    """The keyword arguments of ``uvicorn.run``/``uvicorn.Config`` for the limits in ``settings``.
    ``picklable`` (worker processes): the read deadline comes from each worker's environment."""
    protocol = ReadDeadline if picklable else \
        type("ReadDeadline", (ReadDeadline,), {"read_timeout_s": settings.read_timeout_s})
    return dict(
        http=protocol,
        # h11 refuses a head over this many bytes with 400 before the app sees it.
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_keep_alive=settings.keep_alive_s,
        limit_concurrency=settings.max_connections,  # past it uvicorn answers 503 at once
        timeout_graceful_shutdown=settings.shutdown_grace_s,
    )


def uvicorn_config(app: Any, settings: Settings, host: str = "127.0.0.1", port: int = 8000, **more: Any) -> uvicorn.Config:
    return uvicorn.Config(app, host=host, port=port, **uvicorn_options(settings), **more)
