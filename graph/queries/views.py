"""Derived graphs and results cached per graph version, so requests do not rebuild them.

A store's projection costs a pass over the whole graph (a network round trip for Neo4j), and a
centrality a pass of an algorithm: both are computed once per ``(store.version(), filter)`` and
shared by the requests that follow until the graph changes. When it changes, a view is brought
up to the new version from the store's ``changes()`` (``graph.analytics.projection.patched``: copy-on-write,
so the older view stays intact for requests still reading it) instead of being rebuilt; only a
store that cannot say what changed (Neo4j, or a deletion) costs a rebuild. Results that depend on
the whole graph (centrality) are computed again on the patched view when asked.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, Callable, Hashable, Iterator, TypeVar

import networkx as nx

from graph.analytics import algorithms, engine, path_costs, path_search, priority
from graph.curation import Curation
from graph.model import Article, Relation
from graph.analytics.projection import patched
from graph.analytics.projection import undirected as fast_undirected
from graph.analytics.search import ActorIndex
from graph.stores.interface import Changes, GraphStore, RelationFilter, StoreUnavailable

__all__ = ["GraphViews", "View", "WalkedView", "one_version", "WALK_MIN_RELATIONS", "WALK_BUDGET"]

T = TypeVar("T")

# Below this many relations the projection builds in well under a second: paths wait for it.
WALK_MIN_RELATIONS = 100_000
# Neighbour entries one walk may read (a few hubs' worth) before the projection is cheaper.
WALK_BUDGET = 400_000
# More nodes than this on the shortest paths (all=true between hubs): the projection answers.
WALK_MAX_NODES = 5_000


class View:
    """The projection of one filter at one version, and what has been derived from it.

    It also keeps the cited relations read around recently asked actors (bounded by
    ``max_cached_relations``): answers keep citing the same well-connected people, and re-reading
    a hub's thousands of relations for each answer would cost more than the answer.
    """

    def __init__(self, version: str, flt: RelationFilter, graph: nx.MultiDiGraph, *,
                 max_cached_relations: int = 200_000):
        self.version, self.filter, self.graph = version, flt, graph
        self._derived: dict[Hashable, Any] = {}
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()
        self._around: OrderedDict[str, dict[str, Relation]] = OrderedDict()
        self._around_size = 0
        self._reading: dict[str, threading.Lock] = {}
        self.max_cached_relations = max_cached_relations

    def relations_around(self, store: GraphStore, actor: str) -> dict[str, Relation]:
        """The relations (with provenance) touching ``actor`` that pass this view's filter, by key."""
        with self._guard:
            found = self._around.get(actor)
            if found is not None:
                self._around.move_to_end(actor)
                return found
            # Concurrent requests citing the same hub wait for one read instead of each reading it.
            reading = self._reading.setdefault(actor, threading.Lock())
        with reading:
            with self._guard:
                found = self._around.get(actor)
            if found is None:
                found = {r.key: r for r in store.relations(self.filter, actor_id=actor)}
                with self._guard:
                    self._around[actor] = found
                    self._around_size += len(found)
                    while self._around_size > self.max_cached_relations and len(self._around) > 1:
                        _, dropped = self._around.popitem(last=False)
                        self._around_size -= len(dropped)
            with self._guard:
                self._reading.pop(actor, None)
        return found

    def ties(self, actor: str) -> int:
        """How many actors ``actor`` is tied to (cheap: no walk over its relations)."""
        return len(self.graph.succ[actor]) + len(self.graph.pred[actor])

    @property
    def size(self) -> dict[str, int]:
        """Nodes and ties of the undirected graph (counting ties walks every node: done once)."""
        if engine.use_engine(self.graph.number_of_nodes()):
            C = self.compact  # a large graph: counted on the arrays, no networkx copy built
            return self.derived("size", lambda: {"nodes": C.number_of_nodes(), "edges": C.number_of_edges()})
        H = self.undirected
        return self.derived("size", lambda: {"nodes": H.number_of_nodes(), "edges": H.number_of_edges()})

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` once for this view; concurrent callers wait for the first one's result."""
        try:
            return self._derived[key]
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with _acquired(lock):
            if key not in self._derived:
                self._derived[key] = build()
            return self._derived[key]

    def peek(self, key: Hashable) -> Any:
        """What was derived under ``key`` for this view, or None (nothing is built)."""
        return self._derived.get(key)

    def remember(self, key: Hashable, value: T) -> T:
        """Keep ``value`` as derived under ``key`` (computed elsewhere, e.g. a worker process)."""
        return self._derived.setdefault(key, value)

    @property
    def undirected(self) -> nx.Graph:
        # graph.analytics.projection's builder fills networkx's dicts directly: same graph, several times faster.
        return self.derived("undirected", lambda: fast_undirected(self.graph) if type(self.graph) is nx.MultiDiGraph
                            else algorithms.undirected(self.graph))

    def hop_weight(self, costs: path_costs.PathCosts) -> Callable[[str, str, dict], float]:
        """``path_costs.hop_cost(costs)``; the default costs' kept for this view, so a tie's cost,
        once read off its relation keys, serves every later path (a hub's tie holds thousands).
        Other costs get a fresh one: a caller choosing them cannot grow what is kept."""
        if dict(costs) != path_costs.DEFAULT_COSTS:
            return path_costs.hop_cost(costs)
        return self.derived("hop_weight", lambda: path_costs.hop_cost(path_costs.DEFAULT_COSTS))

    def cost_graph(self) -> engine.CostGraph:
        """The undirected graph as a sparse matrix of each tie's default cost (``hop_weight``), for
        the cheapest paths of a large graph."""
        return self.derived("cost_graph", lambda: engine.CostGraph(self.undirected,
                                                                   self.hop_weight(path_costs.DEFAULT_COSTS)))

    def articles(self, store: GraphStore) -> dict[str, Article]:
        """Article metadata by id (to label citations), read once for this view."""
        return self.derived("articles", lambda: {a.id: a for a in store.articles()})

    @property
    def compact(self) -> engine.CompactGraph:
        """The array-backed copy of the undirected graph the compiled engine scores."""
        return self.derived("compact", lambda: engine.CompactGraph.from_projection(self.graph))

    def centrality(self, metric: str, store: GraphStore | None = None) -> algorithms.CentralityResult:
        """Scores by ``metric``, once per view: by the ``store``'s own server when it has one
        (``GraphStore.centrality``, Neo4j's GDS), else networkx on a small graph and the compiled
        engine (``graph.analytics.engine``) on a large one."""
        def build() -> algorithms.CentralityResult:
            with _admitted(self.graph.number_of_edges()):
                return self._centrality(metric, store)
        return self.derived(("centrality", metric), build)

    def _centrality(self, metric: str, store: GraphStore | None) -> algorithms.CentralityResult:
        if metric not in algorithms.CENTRALITY_METRICS:
            return algorithms.centrality(self.undirected, metric)  # raises its ValueError
        if store is not None:
            found = store.centrality(self.filter, metric, version=self.version)
            if found is not None:
                return found
        if engine.use_engine(self.graph.number_of_nodes()):
            return self.compact.centrality(metric)
        return algorithms.centrality(self.undirected, metric)

    def successor(self, changes: Changes) -> "View":
        """This view at ``changes.version``: the projection patched, the undirected graph, size and
        article labels carried over and updated, the cited relations around untouched actors kept."""
        H = self._derived.get("undirected")
        p = patched(self.graph, H, changes, self.filter)
        new = View(changes.version, self.filter, p.graph, max_cached_relations=self.max_cached_relations)
        if p.undirected is not None:
            new._derived["undirected"] = p.undirected
            size = self._derived.get("size")
            if size is not None:
                new._derived["size"] = {"nodes": size["nodes"] + p.new_nodes, "edges": size["edges"] + p.new_ties}
        articles = self._derived.get("articles")
        if articles is not None:
            new._derived["articles"] = {**articles, **{a.id: a for a in changes.articles}}
        with self._guard:
            for actor, found in self._around.items():
                if actor not in p.touched:  # no relation of theirs changed: their citations stand
                    new._around[actor] = found
                    new._around_size += len(found)
        return new


# Per read request: the store versions read so far (one_version).
_pinned: ContextVar[dict[int, str] | None] = ContextVar("actorgraph_pinned_versions", default=None)


# How a request is admitted to build something of a given size (service.middleware.Foreground sets
# HeavyWork.admitted for it, which raises Busy past its limits); None outside requests (warming,
# the CLI). Only the thread that builds is counted: the requests waiting for its build are not.
_admission: ContextVar[Callable[[int], AbstractContextManager[None]] | None] = ContextVar("admission", default=None)


@contextmanager
def admitting(admit: Callable[[int], AbstractContextManager[None]]) -> Iterator[None]:
    """Within this block a projection or centrality built from scratch is first admitted (``admit``) by
    its size (relations): a caller asking filter after filter on a large graph is held to the
    limits of heavy work, not given a core each time."""
    token = _admission.set(admit)
    try:
        yield
    finally:
        _admission.reset(token)


def _admitted(size: int) -> AbstractContextManager[None]:
    admit = _admission.get()
    return admit(size) if admit is not None else nullcontext()


@contextmanager
def one_version() -> Iterator[None]:
    """Within this block (a read request, across the threads it runs in) each store's version is
    read once: every view and cache it uses are of that one version, and a Neo4j store is asked
    once instead of once per view. Not for a block that writes: it would not see its own write."""
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


@contextmanager
def _acquired(lock: threading.Lock) -> Iterator[None]:
    """``with lock``, the wait marked as waiting for what another thread (perhaps the warming
    one) builds under it, so a background build does not give way to its own waiters (graph.analytics.priority)."""
    with priority.waiting():
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


class ArticleLookup:
    """Article metadata by id, read from the store as ids are asked for (``get`` only): a walked
    path cites a handful of articles, and reading all of them (100k at a million relations) would
    cost more than the walk."""

    def __init__(self, store: GraphStore):
        self._store = store
        self._found: dict[str, Article | None] = {}

    def get(self, article_id: str, default: Any = None) -> Any:
        if article_id not in self._found:
            self._found[article_id] = self._store.articles_by_id([article_id]).get(article_id)
        found = self._found[article_id]
        return default if found is None else found


class WalkedView(View):
    """The projection of the nodes on the shortest paths between two actors and the relations
    among them (``graph.analytics.path_search``), for one path answer while the whole projection is built.
    Not cached: its graph is a small piece of one version. ``ties`` counts each walked node's ties
    in the whole graph, so citations are read around the less connected end as in a full view."""

    def __init__(self, version: str, flt: RelationFilter, graph: nx.MultiDiGraph, ties: dict[str, int],
                 articles: dict[str, Article] | ArticleLookup):
        super().__init__(version, flt, graph)
        self._ties, self._articles = ties, articles

    def ties(self, actor: str) -> int:
        # Every hop of a shortest path has a walked end; an end not walked counts as a hub.
        return self._ties.get(actor, 1 << 62)

    def articles(self, store: GraphStore) -> dict[str, Article] | ArticleLookup:
        return self._articles


class GraphViews:
    """Views of one store, at most ``max_views`` filters of the current version kept (LRU)."""

    def __init__(self, store: GraphStore, *, max_views: int = 4):
        self.store = store
        self.max_views = max_views
        self._views: OrderedDict[tuple[str, RelationFilter], View] = OrderedDict()
        # One build of each view (version, filter) or per-version extra (version, name) at a time.
        self._building: dict[tuple[str, RelationFilter | str], threading.Lock] = {}
        self._lock = threading.Lock()
        self._extras: dict[tuple[str, str], Any] = {}
        # Paths are walked on the store's indexes (graph.analytics.path_search) until a view of their
        # filter is built, on graphs of at least this many relations (None: never); a walk
        # reading more than walk_budget neighbour entries gives up and waits for the view.
        self.walk_min_relations: int | None = WALK_MIN_RELATIONS
        self.walk_budget = WALK_BUDGET
        self.rebuilds = 0  # projections built from the whole store (the rest were patched)
        self.patches = 0

    def get(self, flt: RelationFilter | None = None, *, version: str | None = None) -> View:
        """The view of ``flt`` at the store's current version (built on first use); pass the
        ``version`` just read to get several views of one version for one read of it."""
        flt = flt or RelationFilter()
        version = version if version is not None else self.version()
        key = (version, flt)
        with self._lock:
            view = self._views.get(key)
            if view is not None:
                self._views.move_to_end(key)
                return view
            building = self._building.setdefault(key, threading.Lock())
        with _acquired(building):  # one projection per key even when many requests ask at once
            with self._lock:
                view = self._views.get(key)
                base = None if view is not None else next(
                    (v for (_, f), v in reversed(self._views.items()) if f == flt), None)
            if view is None:
                view = self._successor(base) if base is not None else None
                if view is None:
                    with _admitted(sum(self.stats(version)["relations"].values())):
                        view = View(version, flt, self.store.projection(flt))
                    self.rebuilds += 1
                    with self._lock:  # the article labels already read at this version
                        articles = self._extras.get((version, "articles"))
                    if articles is not None:
                        view._derived["articles"] = articles
                with self._lock:
                    self._forget_older(view.version, flt)
                    self._views[(view.version, flt)] = view
                    while len(self._views) > self.max_views:
                        self._views.popitem(last=False)
            with self._lock:
                self._building.pop(key, None)
            return view

    def for_paths(self, flt: RelationFilter, source: str, target: str, *, max_hops: int,
                  weighted: bool = False) -> View:
        """A view to find the shortest ``source``-``target`` paths in: the cached one of ``flt``,
        or, while none has been built for a large graph, a ``WalkedView`` of just the nodes on
        those paths, found by walking the store's indexes (seconds sooner at a million relations:
        the first path of a fresh service does not wait for the projection being built). The walk
        finds the fewest-hop paths only, so a ``weighted`` search (costs per relation type, whose
        cheapest path may be longer) always reads the whole view."""
        version = self.version()
        with self._lock:
            have = any(f == flt for _, f in self._views)
        if not have and not weighted and self.walk_min_relations is not None:
            stats = self.stats(version)
            if sum(stats["relations"].values()) >= self.walk_min_relations:
                found = path_search.nodes_on_shortest_paths(lambda ids: self.store.neighbours(ids, flt), source,
                                                            target, max_hops=max_hops, budget=self.walk_budget)
                if found is not None and len(found.nodes) <= WALK_MAX_NODES:
                    graph = self.store.projection_among(found.nodes, flt)
                    return WalkedView(version, flt, graph, found.ties, self._cached_articles(version))
        return self.get(flt, version=version)

    def _successor(self, base: View) -> View | None:
        """``base`` brought up to the store's version from its changes, or None (rebuild)."""
        if base.filter.min_sources:
            # A new citation can lift an old relation over the bar: which relations pass is not
            # read off the changed rows alone, so such a view is rebuilt.
            return None
        changes = self.store.changes(base.version)
        if changes is None:
            return None
        if changes.version == base.version:
            return base
        self.patches += 1
        return base.successor(changes)

    def _per_version(self, name: str, build: Callable[[], T], version: str | None = None) -> T:
        """``build()`` once per version: concurrent callers wait for the one build under way (the
        first searches under load each read every actor from the store at once, and on Neo4j
        timed out together). A failed build raises in its caller; the next caller builds again."""
        version = version if version is not None else self.version()
        key = (version, name)
        with self._lock:
            if key in self._extras:
                return self._extras[key]
            building = self._building.setdefault(key, threading.Lock())
        with _acquired(building):  # as for views: the warming thread may be the one building
            with self._lock:
                if key in self._extras:
                    return self._extras[key]
            value = build()
            with self._lock:
                for old in [k for k in self._extras if k[0] != version]:
                    del self._extras[old]
                self._extras[key] = value
                self._building.pop(key, None)
        return value

    def version(self) -> str:
        """The store's version; inside ``one_version()`` (a read request), read once and kept."""
        memo = _pinned.get()
        if memo is None:
            return self.store.version()
        found = memo.get(id(self.store))
        if found is None:
            try:
                found = memo[id(self.store)] = self.store.version()
            except StoreUnavailable as exc:
                # Kept too: with the server gone a request waits for one failed read, not one per view.
                memo[id(self.store)] = exc
                raise
        if isinstance(found, StoreUnavailable):
            raise found
        return found

    def curation(self) -> Curation:
        """The store's judgements at the current version (every judgement bumps the version)."""
        return self._per_version("curation", self.store.curation, self.version())

    def actor_index(self) -> ActorIndex:
        """The search index of every actor at the current version."""
        return self._per_version("actor_index", lambda: ActorIndex(self.store.actors()))

    def stats(self, version: str | None = None) -> dict:
        """``store.stats()`` at the current version (or at ``version``, just read)."""
        return self._per_version("stats", self.store.stats, version)

    def _cached_articles(self, version: str) -> dict[str, Article] | ArticleLookup:
        """The article labels read at ``version`` if they have been, else a lookup by id."""
        with self._lock:
            found = self._extras.get((version, "articles"))
        return found if found is not None else ArticleLookup(self.store)

    def articles(self) -> dict[str, Article]:
        """Article metadata by id at the current version, for routes that have no view at hand."""
        return self._per_version("articles", lambda: {a.id: a for a in self.store.articles()})

    def _forget_older(self, version: str, flt: RelationFilter | None = None) -> None:
        """Drop what older versions cached. Views: only those of ``flt`` (when given), as the
        other filters' older views are what their next versions are patched from."""
        for key in [k for k in self._views if k[0] != version and (flt is None or k[1] == flt)]:
            del self._views[key]
        for key in [k for k in self._extras if k[0] != version]:
            del self._extras[key]

    def clear(self) -> None:
        with self._lock:
            self._views.clear()
            self._extras.clear()
