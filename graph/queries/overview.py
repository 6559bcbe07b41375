"""What the explorer opens on and what it downloads: an overview of the graph (the whole of it when
small, else its most central actors and the relations among them), and the batch of exactly the
actors and relations a view shows.

Both are graph JSON's batches with every relation cited, built like ``subgraphs.select_subgraph``:
the structure from the (cached) projection, the citations from the store for just these relations.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from graph.analytics import algorithms
from graph.model import GraphBatch, Relation
from graph.queries.subgraphs import cited_relations, with_place_names
from graph.queries.views import GraphViews
from graph.stores.interface import GraphStore

__all__ = ["Overview", "overview", "view_batch"]


@dataclass
class Overview:
    batch: GraphBatch
    actors_total: int   # actors with at least one relation in the graph
    whole: bool         # every one of them is in the batch


def _batch(store: GraphStore, views: GraphViews, nodes: Iterable[str], keys: set[str] | None = None) -> GraphBatch:
    view = views.get()
    G = view.graph
    nodes = [n for n in nodes if n in G]
    batch = GraphBatch()
    for n in nodes:
        batch.add_actor(algorithms.actor_from_node(n, G.nodes[n]))
    wanted = [(u, v, k) for u, v, k in G.subgraph(nodes).edges(keys=True) if keys is None or k in keys]
    cited = cited_relations(store, view, wanted)
    for u, v, k in sorted(wanted, key=lambda t: t[2]):
        attrs = G.edges[u, v, k]
        batch.relations[k] = cited.get(k) or Relation(source=u, target=v, type=attrs["type"], date=attrs.get("date"),
                                                      place=attrs.get("place"), what=attrs.get("what"))
    articles = view.articles(store)
    ids = sorted({p.article for r in batch.relations.values() for p in r.provenance})
    batch.articles = {a: articles[a] for a in ids if a in articles}
    return with_place_names(store, batch, G)


def overview(store: GraphStore, views: GraphViews, *, limit: int) -> Overview:
    """Every actor with a relation when there are at most ``limit``, else the ``limit`` of highest
    degree (ties by id, so every open shows the same), with the relations among them."""
    view = views.get()
    H = view.undirected
    tied = sorted(n for n in H.nodes if H.degree(n) > 0)
    if len(tied) <= limit:
        return Overview(_batch(store, views, tied), len(tied), True)
    scores = view.centrality("degree", store)
    top = sorted(tied, key=lambda n: (-scores.get(n, 0.0), n))[:limit]
    return Overview(_batch(store, views, sorted(top)), len(tied), False)


def view_batch(store: GraphStore, views: GraphViews, actors: Iterable[str], relations: Iterable[str]) -> GraphBatch:
    """The actors ``actors`` and, among them, the relations keyed ``relations``, cited: what a view
    of the explorer shows, however it was opened, expanded, walked or hidden."""
    return _batch(store, views, sorted(set(actors)), set(relations))
