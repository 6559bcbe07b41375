"""Several write transactions in flight at once, for the Neo4j store's large upserts.

The server builds and commits one transaction on one core while the client waits for it, so one
writer leaves a core idle and the client's own work (rows to build, the next phase's input) waits
its turn. ``Writers`` runs chunks, each in its own session and managed transaction, on a few
threads; the caller starts a phase and goes on preparing the next one while it runs.
"""
from __future__ import annotations

import contextlib
import gc
import threading
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from neo4j import Driver

__all__ = ["Writers", "Running", "Rows", "tx_rows", "cycles_uncollected"]

T = TypeVar("T")


class Running(Generic[T]):
    """The chunks of one phase, started; ``results()`` waits for them."""

    def __init__(self, futures: list[Future]) -> None:
        self._futures = futures

    def results(self) -> list[T]:
        """Each chunk's result, in the chunks' order; the first failure is raised (the ``Writers``
        block then drops the chunks not started and waits for those running)."""
        wait(self._futures, return_when=FIRST_EXCEPTION)
        # A pool runs chunks in the order given, so a failed chunk comes before any dropped one.
        return [future.result() for future in self._futures]


class Writers:
    """``with Writers(driver, database, n) as writers: writers.start(task, chunks).results()``:
    ``task(session, *chunk)`` (a chunk not a tuple is one argument) on up to ``n`` threads, each
    call in a session of its own (sessions are not thread-safe; the driver is). Tasks run in the
    order started, phase after phase. On a failure, or any exception leaving the block, chunks not
    started are dropped and the block waits for those running: what committed stays committed,
    as with one writer, and the upsert's idempotence lets a rerun complete it. With ``n == 1``
    every chunk runs at ``start``, in the caller's thread."""

    def __init__(self, driver: Driver, database: str, n: int) -> None:
        if n < 1:
            raise ValueError("writers must be at least 1")
        self.driver, self.database, self.n = driver, database, n
        self._pool: ThreadPoolExecutor | None = None
        self._started: list[Future] = []

    def __enter__(self) -> "Writers":
        if self.n > 1:
            self._pool = ThreadPoolExecutor(self.n, thread_name_prefix="neo4j-writer")
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self._pool is None:
            return
        if exc_type is not None:
            for future in self._started:
                future.cancel()  # those not started
        self._pool.shutdown(wait=True)

    def start(self, task: Callable[..., T], chunks: Iterable[Any]) -> Running[T]:
        def one(chunk: Any) -> T:
            args = chunk if isinstance(chunk, tuple) else (chunk,)
            with self.driver.session(database=self.database) as session:
                return task(session, *args)

        futures: list[Future] = []
        for chunk in chunks:
            if self._pool is None:
                future: Future = Future()
                future.set_result(one(chunk))  # a failure raises here, at once
            else:
                future = self._pool.submit(one, chunk)
            futures.append(future)
        self._started += futures
        return Running(futures)


class Rows(list):
    """A query's list parameter whose repr is its length. The driver formats every RUN's parameters
    for its debug log before the logger asks whether debug is on: the repr of 1,000 relation rows
    took 4.4 ms, more than packing them (3.6 ms), and a fifth of the client's time writing
    relations. A log line of a thousand rows would be no use to anyone reading it either."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def tx_rows(tx: Any, query: str, **params: Any) -> list:
    """The ``rows`` of a read a transaction makes, answered as one record (``cypher.collected``):
    a write chunk's reads of what is already stored."""
    return tx.run(query, **params).single(strict=True)["rows"]


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = False


@contextlib.contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Work that allocates many acyclic containers (a row, a parameter list, a record per
    relation) without the cycle collector: every few thousand of them it would walk the whole heap,
    a batch's millions of objects (4.5x on building 100k rows). Reference counting frees them as
    usual; the few cycles made meanwhile (the driver's, per transaction) wait for the collector's
    next run. Counted, so of overlapping users (threads) the last to leave turns it back on, and
    only if it was on."""
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()
