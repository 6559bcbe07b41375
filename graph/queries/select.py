"""Subgraphs that ``graph.queries.subgraphs`` does not select: the whole (filtered) graph, and the union of
the shortest paths between two actors, each as a GraphBatch with citations and cited articles.

The ego network is ``graph.queries.subgraphs.select_subgraph``; these complete the choices the export
command and the exports' callers offer, through the same store interface.
"""
from __future__ import annotations

from typing import Iterable

from graph.model import GraphBatch, RelType
from graph.queries.subgraphs import find_paths, make_filter, with_place_names
from graph.stores.interface import GraphStore

__all__ = ["NoPath", "whole_graph", "path_graph", "with_cited_articles"]


class NoPath(LookupError):
    """The two actors are not connected within the hops allowed over the relations asked for."""


def with_cited_articles(store: GraphStore, batch: GraphBatch) -> GraphBatch:
    """Attach the metadata of every article the batch's relations cite (and no other), and the names
    of the places they refer to outside the batch."""
    cited = {p.article for r in batch.relations.values() for p in r.provenance}
    if cited:
        batch.articles = {a.id: a for a in sorted(store.articles(), key=lambda a: a.id) if a.id in cited}
    return with_place_names(store, batch)


def whole_graph(store: GraphStore, *, types: Iterable[RelType | str] | None = None, since: str | None = None,
                until: str | None = None, min_sources: int | None = None) -> GraphBatch:
    """Everything, or with a filter the relations passing it and the actors they tie."""
    if types is None and since is None and until is None and not min_sources:
        return store.snapshot()
    batch = GraphBatch()
    for rel in store.relations(make_filter(types, since, until, min_sources)):
        batch.relations[rel.key] = rel
    ends = {end for r in batch.relations.values() for end in (r.source, r.target)}
    batch.actors = {a.id: a for a in store.actors() if a.id in ends}
    return with_cited_articles(store, batch)


def path_graph(store: GraphStore, source: str, target: str, *, max_hops: int = 6, all_paths: bool = False,
               types: Iterable[RelType | str] | None = None, since: str | None = None,
               until: str | None = None, min_sources: int | None = None) -> GraphBatch:
    """The shortest path (or with ``all_paths`` every shortest path) between two actors, cited.

    Raises graph.queries.subgraphs.UnknownActor for an unknown end, NoPath when none is within ``max_hops``.
    """
    paths = find_paths(store, source, target, max_hops=max_hops, all_paths=all_paths, types=types,
                       since=since, until=until, min_sources=min_sources)
    if not paths:
        raise NoPath(f"no path from {source} to {target} within {max_hops} hops over the relations asked for")
    batch = GraphBatch()
    for hops in paths:
        for hop in hops:
            for rel in hop.relations:
                batch.relations[rel.key] = rel
    ends = {end for r in batch.relations.values() for end in (r.source, r.target)} | {source, target}
    # A path has a handful of actors: one lookup each beats reading every actor.
    batch.actors = {a.id: a for a in (store.get_actor(e) for e in sorted(ends)) if a is not None}
    return with_cited_articles(store, batch)
