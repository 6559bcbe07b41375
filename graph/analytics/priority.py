"""Background work that gives way to requests.

The service builds its projections at start in a thread (``service.warm``). In one process that
thread and the request threads share the GIL, so a request served meanwhile would run at half
speed or worse: the first path at a million relations took seconds longer than its own work. The
build's loops go through ``paced``, which every few thousand items calls ``checkpoint``: in a
thread marked ``background()``, it waits while ``foreground()`` work (a request, marked by the
service's middleware) is in flight, at most ``MAX_PAUSE_S`` at a time so the build always goes on.
A request blocked on the build itself (a view being built) is marked ``waiting()`` meanwhile, so
it does not hold back what it waits for. Outside a background thread ``paced`` only counts.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterable, Iterator, TypeVar

__all__ = ["foreground", "background", "waiting", "checkpoint", "paced", "active", "MAX_PAUSE_S", "EVERY"]

T = TypeVar("T")

MAX_PAUSE_S = 0.1  # the longest one checkpoint waits: under constant load the build still moves
EVERY = 4096       # items between checkpoints (a few milliseconds of a build's work)

_cond = threading.Condition()
_active = 0
_local = threading.local()
# Set in a request's context (copied into the thread a sync endpoint runs in).
_foreground: ContextVar[bool] = ContextVar("actorgraph_foreground", default=False)


def active() -> int:
    """How much foreground work is in flight (and not waiting for the background)."""
    return _active


def _add(n: int) -> None:
    global _active
    with _cond:
        _active += n
        if _active == 0:
            _cond.notify_all()


@contextmanager
def foreground() -> Iterator[None]:
    """Work the background gives way to while it runs."""
    token = _foreground.set(True)
    _add(1)
    try:
        yield
    finally:
        _add(-1)
        _foreground.reset(token)


@contextmanager
def waiting() -> Iterator[None]:
    """Foreground work blocked on something the background may be building: not waited for meanwhile."""
    if not _foreground.get():
        yield
        return
    _add(-1)
    try:
        yield
    finally:
        _add(1)


@contextmanager
def background() -> Iterator[None]:
    """Mark this thread's work as the kind that gives way."""
    was = getattr(_local, "background", False)
    _local.background = True
    try:
        yield
    finally:
        _local.background = was


def checkpoint() -> None:
    """In a background thread, wait (at most MAX_PAUSE_S) until no foreground work is in flight."""
    if not _active or not getattr(_local, "background", False):
        return
    deadline = time.monotonic() + MAX_PAUSE_S
    with _cond:
        while _active > 0:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            _cond.wait(left)


def paced(items: Iterable[T], every: int = EVERY) -> Iterator[T]:
    """``items``, with a ``checkpoint`` every ``every`` of them."""
    n = 0
    for item in items:
        n += 1
        if n == every:
            n = 0
            checkpoint()
        yield item
