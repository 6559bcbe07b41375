"""Heavy analytics with a bound: a time budget per computation, run where it can be stopped, and a
limit on how many run at once.

A trend or risers on a large graph is minutes of pure-Python networkx work; run in a request
thread it cannot be stopped (a thread cannot be killed) and holds a core long after its client
has gone. Here it runs in a worker process of a ``pebble.ProcessPool``: pebble kills the worker
when the budget ends (``schedule(timeout=...)``) or when the future is cancelled, which this module
does when every request waiting for it has left. Requests asking the same question at once share
one computation; the caller caches the result per graph version (``View.derived``), so a repeat
costs nothing. Small graphs are scored in the request's thread: their cost is bounded by their size
and a process round trip would cost more than the work.

Admission: at most ``per_client`` computations per client address and ``overall`` in all are under
way; one more is ``Busy`` (429 with Retry-After). Behind a reverse proxy every client has the
proxy's address: set ``overall`` for the proxy and let the proxy limit per client.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from concurrent.futures import CancelledError, Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any, Awaitable, Callable, Hashable, Iterator

__all__ = ["HeavyWork", "Busy", "OverBudget", "ClientGone", "compute"]

log = logging.getLogger("actorgraph.service")

# How often a waiting request checks whether its client is still there.
DISCONNECT_POLL_S = 0.25


class Busy(Exception):
    """Too many heavy computations under way (for this client, or in all)."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class ClientGone(Exception):
    """Every request waiting for the computation went away: it was stopped."""


class OverBudget(Exception):
    """The computation ran out of its time budget and was stopped."""

    def __init__(self, budget_s: float):
        super().__init__(f"the computation did not finish within its budget of {budget_s:g} s "
                         f"(ACTORGRAPH_HEAVY_BUDGET_S) and was stopped; ask a narrower question "
                         f"(types, min_sources, a coarser bucket) or try later")
        self.budget_s = budget_s


class HeavyWork:
    """The worker pool (started on first use) and the admission counts of one app."""

    def __init__(self, *, workers: int, budget_s: float, per_client: int, overall: int):
        self.workers, self.budget_s, self.per_client, self.overall = workers, budget_s, per_client, overall
        self._pool: Any = None
        self._lock = threading.Lock()
        self._clients: dict[str, int] = {}
        self._total = 0
        # In flight: one future per question, with how many requests wait for it.
        self._shared: dict[Hashable, tuple[Future, list[int]]] = {}

    def _get_pool(self) -> Any:
        with self._lock:
            if self._pool is None:
                import pebble  # only once a large graph needs it

                # spawn: a fork of this threaded process could inherit a lock some other thread holds.
                self._pool = pebble.ProcessPool(max_workers=self.workers,
                                                context=multiprocessing.get_context("spawn"))
            return self._pool

    @contextmanager
    def admitted(self, client: str) -> Iterator[None]:
        """Count one computation for ``client`` while the block runs; Busy when over a limit."""
        with self._lock:
            if self._total >= self.overall:
                raise Busy(f"{self._total} heavy computations are under way (ACTORGRAPH_HEAVY_OVERALL); "
                           f"try again shortly", retry_after=max(1, int(self.budget_s // 4)))
            if self._clients.get(client, 0) >= self.per_client:
                raise Busy(f"this client has {self.per_client} heavy computations under way "
                           f"(ACTORGRAPH_HEAVY_PER_CLIENT); wait for them", retry_after=max(1, int(self.budget_s // 4)))
            self._total += 1
            self._clients[client] = self._clients.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._total -= 1
                self._clients[client] -= 1
                if not self._clients[client]:
                    del self._clients[client]

    def in_flight(self) -> int:
        return self._total

    async def run(self, key: Hashable, fn: Callable[..., Any], args: tuple, *, client: str,
                  inline: bool, disconnected: Callable[[], Awaitable[bool]]) -> Any:
        """``fn(*args)``: in this process's thread pool when ``inline``, else in a worker process,
        stopped when the budget ends (OverBudget) or when every request waiting for it has gone."""
        with self.admitted(client):
            if inline:
                from fastapi.concurrency import run_in_threadpool
                return await run_in_threadpool(fn, *args)
            future, waiters = self._join(key, fn, args)
            watch = asyncio.ensure_future(_until_disconnected(disconnected))
            wrapped = asyncio.wrap_future(future)
            # Never cancelled (that would cancel the shared future); its outcome read, not logged.
            wrapped.add_done_callback(lambda f: f.cancelled() or f.exception())
            try:
                done, _ = await asyncio.wait({wrapped, watch},
                                             return_when=asyncio.FIRST_COMPLETED)
                if watch in done:
                    raise ClientGone("the client went away before the computation finished")
                try:
                    return future.result()
                except FutureTimeout:
                    raise OverBudget(self.budget_s) from None
                except CancelledError:  # the last other waiter left just as this one came
                    raise OverBudget(self.budget_s) from None
            finally:
                watch.cancel()
                self._leave(key, future, waiters)

    def _join(self, key: Hashable, fn: Callable[..., Any], args: tuple) -> tuple[Future, list[int]]:
        pool = self._get_pool()
        with self._lock:
            shared = self._shared.get(key)
            if shared is not None and not shared[0].done():
                shared[1][0] += 1
                return shared
            shared = (pool.schedule(fn, args=args, timeout=self.budget_s), [1])
            self._shared[key] = shared
            return shared

    def _leave(self, key: Hashable, future: Future, waiters: list[int]) -> None:
        with self._lock:
            waiters[0] -= 1
            last = waiters[0] <= 0
            if last and self._shared.get(key, (None,))[0] is future:
                del self._shared[key]
        if last and not future.done():
            future.cancel()  # pebble ends the worker running it: its core is free at once
            log.info("heavy computation %r stopped: no request waits for it", key)

    def close(self) -> None:
        """Stop the workers (what they were computing is lost) without waiting for their tasks."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join(timeout=2)


async def _until_disconnected(disconnected: Callable[[], Awaitable[bool]]) -> None:
    while not await disconnected():
        await asyncio.sleep(DISCONNECT_POLL_S)


async def compute(request: Any, view: Any, key: Hashable, fn: Callable[..., Any], args: tuple, *,
                  cache: bool = True) -> Any:
    """``fn(slim(view.graph), *args)`` (a ``graph.analytics.trends`` function) for a request, bounded
    by the app's HeavyWork; kept on the view under ``key`` when ``cache`` (once per graph version)."""
    if cache and (found := view.peek(key)) is not None:
        return found
    from fastapi.concurrency import run_in_threadpool

    from graph.analytics import trends

    work: HeavyWork = request.app.state.heavy
    settings = request.app.state.settings
    # Made per computation, not kept: a cache miss is rare, and a million edges' tuples are ~200 MB.
    edges = await run_in_threadpool(trends.slim, view.graph)
    client = request.client.host if request.client else "unknown"
    result = await work.run((view.version, view.filter, key), fn, (edges, *args), client=client,
                            inline=len(edges) < settings.heavy_inline_relations, disconnected=request.is_disconnected)
    return view.remember(key, result) if cache else result
