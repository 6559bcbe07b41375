"""Reading articles in worker processes, in input order, for ``Extractor(workers=N)``.

Why a process pool over articles rather than spaCy's ``nlp.pipe(n_process=N)``: ingest resolves
each article against the actors known before it (``service.curation.Seed``, which grows article by
article), so articles cannot go through one pipe together; and the per-article reading
(``loaders.article.ArticleReader``) depends on the article alone, so it can run in the worker
beside spaCy. Each worker parses and reads a handful of articles at a time and sends back their
``ArticleGraph`` (plain dataclasses, cheap to pickle, unlike a parsed ``Doc``); the parent
resolves them one by one in input order, exactly as one process does, so the graph is the same
for any number of workers.

Workers are forked from this process when it runs no other thread (the CLI): they start at once,
sharing the loaded pipeline, and a script without a ``__main__`` guard works. A process with
threads (a server) forks none, since a child would inherit their locks half-held: its workers
come from ``forkserver`` (``spawn`` where that is missing), which imports spaCy once, and each
loads the pipeline (about a second). Either way a stream of fewer than ``MIN_ARTICLES`` articles
is read in this process, where starting workers would cost more than it saves.
"""
from __future__ import annotations

import multiprocessing as mp
import os
import threading
import time
from collections import deque
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from itertools import chain, islice
from typing import Any, Callable, Iterable, Iterator

from loaders.failure import ArticleFailed

__all__ = ["default_workers", "ReaderPool", "ARTICLES_PER_TASK", "MIN_ARTICLES"]

# Articles a worker reads per task: enough for spaCy to batch them, few enough that the last tasks
# of an ingest chunk are shared out evenly.
ARTICLES_PER_TASK = 4
_TASKS_AHEAD = 3  # tasks queued per worker, so none waits while the parent resolves
MIN_ARTICLES = 24
_WATCH_S = 1.0


def default_workers() -> int:
    """The CPUs this process may run on (its affinity mask, as containers and taskset set it)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count is not None:
        return max(1, count() or 1)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on Linux
        return max(1, os.cpu_count() or 1)


_worker: Any = None  # the worker's own extractor, made by the factory the pool was given


def _exit_with_parent(parent: int) -> None:
    """A worker blocks reading its task queue, whose write end its siblings hold too: were the
    parent killed (SIGKILL, OOM) the workers would wait for ever. So each leaves once its parent
    (this process, or the fork server, which ends with it) is gone."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_S)
        os._exit(1)

    threading.Thread(target=watch, name="actorgraph-parent-watch", daemon=True).start()


def _start(factory: Callable[..., Any], settings: dict[str, Any]) -> None:
    """A worker's start: its own extractor, built by ``factory`` (the parent's extractor class,
    pickled by reference) with the parent's settings."""
    global _worker
    _exit_with_parent(os.getppid())
    _worker = factory(**settings)


def _read(raws: list) -> list[tuple[Any, Any]]:
    """One task: (ArticleGraph, Article) per article, (None, None) for one without text,
    (ArticleFailed, None) for one whose reading failed."""
    assert _worker is not None
    return [(graph, meta) for _, graph, meta in _worker.read_serial(raws)]


def _context() -> mp.context.BaseContext:
    methods = mp.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return mp.get_context("fork")
    if "forkserver" not in methods:
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["loaders.pipeline"])
    return ctx


class ReaderPool:
    """Worker processes holding the extractor's pipeline and vocabulary; reused across calls
    (an ingest reads chunk after chunk), shut down by ``close``."""

    def __init__(self, extractor: Any, workers: int, min_articles: int = MIN_ARTICLES):
        self.extractor = extractor
        self.workers = workers
        self.min_articles = min_articles
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ex = self.extractor
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(), initializer=_start,
                                             initargs=(type(ex), ex.worker_settings()))
        return self._pool

    def read(self, raws: Iterable) -> Iterator[tuple[Any, Any, Any]]:
        """(raw, graph, meta) for every article, in input order; raws are read lazily, a few
        tasks ahead of the one being resolved, so memory stays bounded on a large corpus.

        Each worker isolates its articles as ``read_serial`` does (a failed one comes back as an
        ``ArticleFailed``). Should a task fail whole, its articles are read again here; should a
        worker die (killed, out of memory, a crash in compiled code), see ``_alone``."""
        it = iter(raws)
        first = list(islice(it, max(self.min_articles, 1)))
        if len(first) < self.min_articles and self._pool is None:  # cheaper than starting workers
            yield from self.extractor.read_serial(first)
            return
        it = chain(first, it)
        pending: deque[tuple[list, Future]] = deque()

        def submit(task: list | None = None) -> None:
            task = task if task is not None else list(islice(it, ARTICLES_PER_TASK))
            if task:
                pending.append((task, self._executor().submit(_read, task)))

        for _ in range(self.workers * _TASKS_AHEAD):
            submit()
        try:
            while pending:
                task, future = pending.popleft()
                try:
                    results = future.result()
                except BrokenExecutor:
                    yield from self._alone(task, pending, submit)
                    continue
                except Exception:  # the task failed as a whole (its answer could not be sent, say)
                    submit()
                    yield from self.extractor.read_serial(task)
                    continue
                submit()
                for raw, (graph, meta) in zip(task, results):
                    yield raw, graph, meta
        finally:
            for _, future in pending:  # the caller stopped early, or a task failed
                future.cancel()

    def _alone(self, task: list, pending: deque, submit) -> Iterator[tuple[Any, Any, Any]]:
        """After a worker died: the pool started anew, and the articles of ``task`` read one at a
        time with nothing else running, so the one that kills a worker is the one reported
        failed; then the tasks still pending are sent again."""
        tasks = [t for t, _ in pending]
        pending.clear()
        self._shutdown()
        for raw in task:
            try:
                ((graph, meta),) = self._executor().submit(_read, [raw]).result()
            except BrokenExecutor as exc:
                self._shutdown()
                yield raw, ArticleFailed.of(raw.id, exc, "parsing"), None
                continue
            except Exception:
                yield from self.extractor.read_serial([raw])
                continue
            yield raw, graph, meta
        for t in tasks:
            submit(t)

    def _shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        self._shutdown()
