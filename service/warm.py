"""Warming a served store at start, in the background: the first requests find the projection, its
undirected graph, the counts /health reports and the resolver's name index built.

Built lazily instead, the first path at a million relations waited for all of them; built before
the service listens, /health would wait too. In a thread, /health answers as soon as the store's
rows are read, and a request that needs a view meanwhile waits for this build (``GraphViews``
builds a view once however many ask) rather than starting its own.
"""
from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from typing import Iterator

from graph.analytics import engine, priority
from graph.analytics.algorithms import DEFAULT_METRIC
from graph.analytics.projection import bulk
from graph.queries.subgraphs import meetings_filter
from service.deps import StoreHolder

__all__ = ["warm"]

log = logging.getLogger("actorgraph.service")

WARM_SWITCH_INTERVAL_S = 0.001
# Once warm, a cyclic collection every 50,000 net allocations rather than Python's 700. Requests
# allocate thousands of short-lived objects each (a hub's ego network, hundreds of thousands): at
# 700 they were promoted, then found by a full collection every ninety requests or so, 50-76 ms
# of pause for every request in flight. Side by side under 100 clients at 100k relations (one
# worker, Neo4j): 96-105 req/s at the default thresholds, 112-123 at these, and no full
# collection in 20 s where there were 25.
SERVING_GC_THRESHOLDS = (50_000, 10, 10)


def _builds(holder: StoreHolder) -> Iterator[None]:
    """The warm-up's builds, one step per ``next``: ``warm`` may stop between two."""
    store = holder.get()
    views = holder.views
    views.stats()  # what /health and the path walk (GraphViews.for_paths) read first
    yield
    views.articles()  # article labels of this version, shared by the views built from here on
    yield
    view = views.get()
    view.undirected  # noqa: B018 - built here, once, for paths, ego networks and centrality
    view.articles(store)
    yield
    # The first cheapest path and the first /centrality (its default metric) find their
    # structures built. Built by a request under load, they share the GIL with every
    # other request thread: at 100k relations the cost graph's 0.4 s became 5 s of wait
    # for each path behind it.
    if engine.use_engine(view.graph.number_of_nodes()):
        view.cost_graph()
    view.centrality(DEFAULT_METRIC, store)
    yield
    # Who met whom, the service's first question: the meetings' own view (on Neo4j its
    # relations are read anew, 15 s of wait at 100k relations under load).
    views.get(meetings_filter())
    yield
    views.actor_index()  # /actors?q=: every actor, read from the store once per version
    yield
    from service.curation import write_lock
    from service.seed_index import store_names
    with write_lock:  # a POST reading the index meanwhile sees it unchanged
        store_names(store).current()


def warm(holder: StoreHolder, stop: threading.Event | None = None) -> threading.Thread:
    """Start warming ``holder``'s store (a daemon thread). ``stop``: set it, then join the thread,
    before closing the store: the build ends after its current step, and no step reads a store
    closed under it (closing an SQLite connection another thread reads from can crash the process)."""
    stop = stop or threading.Event()

    def run() -> None:
        start = time.perf_counter()
        # While this thread builds, a request thread waiting for the GIL gets it within 1 ms
        # instead of Python's default 5 ms: a request hands the GIL back and forth many times.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, WARM_SWITCH_INTERVAL_S))
        try:
            # No cyclic collections walking the graph while it is being made; the build gives
            # way to requests served meanwhile (graph.analytics.priority).
            with bulk(), priority.background():
                for _ in _builds(holder):
                    if stop.is_set():
                        log.info("warming the %s store stopped: the service is shutting down", holder.kind)
                        return
            # The graph lives as long as the process: later full collections need not walk it again.
            gc.freeze()
            gc.set_threshold(*SERVING_GC_THRESHOLDS)
            log.info("the %s store is warm (%.1f s)", holder.kind, time.perf_counter() - start)
        except Exception as exc:  # noqa: BLE001 - a request builds what failed here, and reports it
            log.warning("warming the %s store failed: %s", holder.kind, exc)
        finally:
            sys.setswitchinterval(interval)
            holder.warming = False

    holder.warming = True  # before the thread runs: /health never says warm too early
    thread = threading.Thread(target=run, name="actorgraph-warm", daemon=True)
    thread.start()
    return thread
