"""The questions the service and the CLI ask of any store: subgraphs, cited paths, meetings.

Each works through the ``GraphStore`` interface only: the structure comes from the (cached)
projection, the citations from ``store.relations`` for just the relations an answer shows, so both
stores give the same answers.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from graph.analytics import algorithms, engine
from graph.analytics.path_costs import DEFAULT_COSTS, PathCosts
from graph.model import GraphBatch, Relation, RelType
from graph.stores.interface import GraphStore, RelationFilter
from graph.queries.views import GraphViews, View

__all__ = [
    "UnknownActor", "TooLarge", "Hop", "CitedPaths", "make_filter", "cited_relations", "select_subgraph", "with_place_names", "find_paths", "find_cited_paths",
    "Meetings", "meetings_between", "meetings_filter", "relation_sort_key",
]

# Above this many distinct actors to look citations up around, one filtered read of all relations
# is cheaper than one read per actor.
PER_ACTOR_LOOKUPS_MAX = 64
# Relations cited in one answer that are read by key (when the store can), not around their ends.
BY_KEY_MAX = 5_000


class UnknownActor(LookupError):
    """No actor has this id (the service answers 404 with close names)."""

    def __init__(self, actor_id: str, parameter: str | None = None, message: str | None = None):
        super().__init__(message or f"no actor with id {actor_id!r}")
        self.actor_id, self.parameter = actor_id, parameter


class TooLarge(ValueError):
    """An answer over the size the caller allowed; names the parameter to lower."""

    def __init__(self, message: str, parameter: str):
        super().__init__(message)
        self.parameter = parameter


@dataclass
class Hop:
    """One step of a path and the relations (with citations) that tie its two actors."""
    source: str
    target: str
    relations: list[Relation]


def make_filter(types: Iterable[RelType | str] | None = None, since: str | None = None,
                until: str | None = None, min_sources: int | None = None) -> RelationFilter:
    return RelationFilter(types=None if types is None else frozenset(RelType(t) for t in types),
                          since=since, until=until, min_sources=min_sources or None)


def meetings_filter(since: str | None = None, until: str | None = None,
                    min_sources: int | None = None) -> RelationFilter:
    """The filter of the meetings' view: /meetings and /actors/{id}/meetings read MET alone."""
    return make_filter([RelType.MET], since, until, min_sources)


def relation_sort_key(r: Relation) -> tuple:
    """Dated events first in date order, then the rest by type and key."""
    return (r.date is None, r.date or "", r.type.value, r.key)


def cited_relations(store: GraphStore, view: View, wanted: Iterable[tuple[str, str, str]]) -> dict[str, Relation]:
    """The relations (with provenance) of the ``(end, end, key)`` triples of ``view``, by key.

    Each is read around its less connected end (through the view's cache), or all in one filtered
    read when so many actors would be asked that one read is cheaper.
    """
    wanted = list(wanted)
    keys = {k for _, _, k in wanted}
    if not keys:
        return {}
    if len(keys) <= BY_KEY_MAX:
        # A store that reads by key (the embedded one) reads just these, however connected
        # their ends: around a state the read would be thousands of relations.
        by_key = store.relations_by_key(keys)
        if by_key is not None:
            return {r.key: r for r in by_key}
    around: dict[str, set[str]] = defaultdict(set)
    for u, v, k in wanted:
        around[u if view.ties(u) <= view.ties(v) else v].add(k)
    if len(around) > PER_ACTOR_LOOKUPS_MAX:
        types = frozenset(RelType(view.graph.edges[_oriented(view.graph, t)]["type"]) for t in wanted)
        if view.filter.types is not None:
            types &= view.filter.types
        narrowed = RelationFilter(types=types, since=view.filter.since, until=view.filter.until)
        return {r.key: r for r in store.relations(narrowed) if r.key in keys}
    found: dict[str, Relation] = {}
    for actor, actor_keys in around.items():
        near = view.relations_around(store, actor)
        found.update((k, near[k]) for k in actor_keys if k in near)
    return found


def _view(store: GraphStore, views: GraphViews | None, flt: RelationFilter):
    return (views or GraphViews(store)).get(flt)


def with_place_names(store: GraphStore, batch: GraphBatch, graph: nx.MultiDiGraph | None = None) -> GraphBatch:
    """Name in ``batch.places`` each place the relations refer to that the batch does not hold
    (from ``graph``'s node attributes when it has the place, a projection at hand, else the store)."""
    for place in sorted({r.place for r in batch.relations.values() if r.place} - set(batch.actors)):
        if graph is not None and place in graph and "name" in graph.nodes[place]:
            batch.places[place] = graph.nodes[place]["name"]
            continue
        actor = store.get_actor(place)
        if actor is not None:
            batch.places[place] = actor.name
    return batch


def select_subgraph(store: GraphStore, center: str, *, depth: int = 1, types: Iterable[RelType | str] | None = None,
                    since: str | None = None, until: str | None = None, views: GraphViews | None = None,
                    max_nodes: int | None = None, min_sources: int | None = None,
                    max_relations: int | None = None) -> GraphBatch:
    """The ego network of ``center`` within ``depth`` ties over the relations passing the filter,
    with the citations of every relation and the articles they cite.

    Raises UnknownActor, or TooLarge when the network has more than ``max_nodes`` actors or more
    than ``max_relations`` relations (checked on the projection, before any citation is read).
    """
    flt = make_filter(types, since, until, min_sources)
    view = _view(store, views, flt)
    if center not in view.graph:
        raise UnknownActor(center, "center")
    nodes = algorithms.ego_nodes(view.undirected, center, radius=depth)
    if max_nodes is not None and len(nodes) > max_nodes:
        raise TooLarge(f"the network within depth {depth} of {center} has {len(nodes)} actors, over the "
                       f"{max_nodes} allowed: lower depth or narrow types/since/until", "depth")
    batch = algorithms.ego_network(view.graph, center, radius=depth, H=view.undirected, nodes=nodes)
    if max_relations is not None and len(batch.relations) > max_relations:
        # A few hundred actors may share thousands of cited relations (every meeting of a year):
        # seconds of reading and megabytes of answer. The filters name what to narrow.
        raise TooLarge(f"the network within depth {depth} of {center} has {len(batch.relations)} relations, over "
                       f"the {max_relations} allowed: narrow since/until, types or min_sources, or lower depth",
                       "since")
    wanted = [(r.source, r.target, r.key) for r in batch.relations.values()]
    batch.relations = {k: r for k, r in sorted(cited_relations(store, view, wanted).items())}
    cited = {p.article for r in batch.relations.values() for p in r.provenance}
    articles = view.articles(store)
    batch.articles = {a: articles[a] for a in sorted(cited) if a in articles}
    return with_place_names(store, batch, view.graph)


@dataclass
class CitedPaths:
    """Shortest paths as lists of cited hops, the view they were found in (for names), and the
    cost of each path (``path_costs``)."""
    paths: list[list[Hop]]
    view: View
    costs: list[float] = field(default_factory=list)


def find_paths(store: GraphStore, source: str, target: str, *, max_hops: int = 6,
               types: Iterable[RelType | str] | None = None, since: str | None = None, until: str | None = None,
               all_paths: bool = False, limit: int = 20, views: GraphViews | None = None,
               min_sources: int | None = None, costs: PathCosts | None = None) -> list[list[Hop]]:
    """Cheapest path(s) between two actors over the filtered relations, each hop cited; a hop
    costs ``costs`` by relation type (``path_costs.DEFAULT_COSTS`` when None).

    Raises UnknownActor naming the parameter (``source`` or ``target``) of an unknown end.
    """
    return find_cited_paths(store, source, target, max_hops=max_hops, types=types, since=since, until=until,
                            all_paths=all_paths, limit=limit, views=views, min_sources=min_sources,
                            costs=costs).paths


def find_cited_paths(store: GraphStore, source: str, target: str, *, max_hops: int = 6,
                     types: Iterable[RelType | str] | None = None, since: str | None = None,
                     until: str | None = None, all_paths: bool = False, limit: int = 20,
                     views: GraphViews | None = None, min_sources: int | None = None,
                     costs: PathCosts | None = None) -> CitedPaths:
    """``find_paths``, with the view the paths were found in and each path's cost."""
    flt = make_filter(types, since, until, min_sources)
    costs = DEFAULT_COSTS if costs is None else costs
    # Equal costs are the fewest hops: the unweighted search (and the store walk) answer that.
    weighted = len(set(costs.values())) > 1
    view = (views or GraphViews(store)).for_paths(flt, source, target, max_hops=max_hops, weighted=weighted)
    weight = view.hop_weight(costs) if weighted else None
    for name, actor in (("source", source), ("target", target)):
        if actor not in view.graph:
            raise UnknownActor(actor, name)
    paths = None
    if weight is not None and not all_paths and dict(costs) == DEFAULT_COSTS \
            and engine.use_engine(view.graph.number_of_nodes()):
        # A large graph's one cheapest path by the compiled Dijkstra; one longer than max_hops
        # (rare: the cheapest within max_hops is then ranked by networkx) falls through.
        first = view.cost_graph().cheapest_path(source, target)
        paths = [first] if first and len(first) - 1 <= max_hops else None if first else []
    if paths is None:
        paths = algorithms.shortest_paths(view.undirected, source, target, max_hops=max_hops,
                                          all_paths=all_paths, limit=limit, weight=weight)
    H = view.undirected
    steps = {(u, v) for p in paths for u, v in zip(p, p[1:])}
    wanted = [(u, v, k) for u, v in steps for k in H[u][v]["keys"]]
    relations = cited_relations(store, view, wanted)
    out = []
    for p in paths:
        hops = []
        for u, v in zip(p, p[1:]):
            rels = sorted((relations[k] for k in H[u][v]["keys"] if k in relations), key=relation_sort_key)
            hops.append(Hop(u, v, rels))
        out.append(hops)
    return CitedPaths(out, view, [algorithms.path_cost(H, p, weight) for p in paths])


@dataclass
class Meetings:
    """MET relations between two sides as ``(a_end, b_end, key)`` in date order, the sides, and
    the view of the meetings (to cite a page of them with ``cited_relations``)."""
    found: list[tuple[str, str, str]]
    side_a: set[str]
    side_b: set[str]
    view: View


def meetings_between(store: GraphStore, a: str, b: str, *, since: str | None = None, until: str | None = None,
                     views: GraphViews | None = None, min_sources: int | None = None) -> Meetings:
    """MET relations between ``a``'s side and ``b``'s side.

    A side is the actor and everything belonging to it (``algorithms.group_members``): two people,
    or every member of one state or force and every member of another (``min_sources`` counts the
    meetings' outlets, not the membership's). Citations are left to
    ``cited_relations`` so a caller can fetch them for one page only.
    """
    views = views or GraphViews(store)
    version = views.version()
    full = views.get(version=version)
    for name, actor in (("a", a), ("b", b)):
        if actor not in full.graph:
            raise UnknownActor(actor, name)
    members = full.derived("membership", lambda: algorithms.membership(full.graph))
    side_a, side_b = algorithms.group_members(members, a), algorithms.group_members(members, b)
    view = views.get(meetings_filter(since, until, min_sources), version=version)
    met = view.graph
    found = algorithms.edges_between(met, side_a, side_b, types=[RelType.MET])
    dates = {k: met.edges[_oriented(met, (u, v, k))].get("date") for u, v, k in found}
    found.sort(key=lambda t: (dates[t[2]] is None, dates[t[2]] or "", t[2]))
    return Meetings(found, side_a, side_b, view)


def _oriented(G: nx.MultiDiGraph, triple: tuple[str, str, str]) -> tuple[str, str, str]:
    u, v, k = triple
    return (u, v, k) if G.has_edge(u, v, k) else (v, u, k)
