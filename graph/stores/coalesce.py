"""One read shared by the callers that ask for it at once, none answered by a read older than its call.

A Neo4j store's version is read at the start of every request (graph.queries.views.one_version): under a
hundred concurrent clients that was one Bolt round trip per request, most of them answering the
same thing. ``Coalesced`` lets callers who arrive while a read is in flight wait for the *next*
read, which starts after they arrived and so sees every write committed before they called: no
staleness, unlike a time-to-live cache, and one read per round trip instead of one per caller.
"""
from __future__ import annotations

import threading
from typing import Callable, Generic, TypeVar

__all__ = ["Coalesced"]

T = TypeVar("T")


class _Round(Generic[T]):
    """The callers waiting for one read that has not started yet, and then its outcome."""

    __slots__ = ("done", "value", "error")

    def __init__(self) -> None:
        self.done = False
        self.value: T | None = None
        self.error: BaseException | None = None


class Coalesced(Generic[T]):
    """``read()`` for concurrent callers: a caller joins the round that has not started; the first
    of its callers to find no read in flight runs it for all. So at most one read runs at a time,
    and each caller's answer comes from a read that started after it called."""

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._cond = threading.Condition()
        self._pending: _Round[T] | None = None  # the round callers join now
        self._running = False

    def __call__(self) -> T:
        with self._cond:
            this = self._pending
            if this is None:
                this = self._pending = _Round()
            while self._running and not this.done:
                self._cond.wait()
            if this.done:  # another caller of this round read it
                if this.error is not None:
                    raise this.error
                return this.value  # type: ignore[return-value]
            self._running, self._pending = True, None  # lead this round; later callers start the next
        try:
            this.value = self._read()
            return this.value
        except BaseException as exc:
            this.error = exc
            raise
        finally:
            with self._cond:
                this.done, self._running = True, False
                self._cond.notify_all()
