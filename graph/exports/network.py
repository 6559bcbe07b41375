"""A GraphBatch as a networkx MultiDiGraph with flat, None-free attributes.

GraphML and GEXF can only carry scalar attributes, and Gephi and yEd reject empty or mixed-type
keys, so lists are joined into strings and missing values are left out rather than written as None.
The multigraph key of each edge is the relation key, which the writers turn into the edge id.
"""
from __future__ import annotations

import networkx as nx

from collections.abc import Mapping

from graph.model.corroboration import corroborate
from graph.model import Actor, Article, GraphBatch, Relation

__all__ = ["to_networkx", "node_attributes", "edge_attributes", "edge_label", "actor_name", "LIST_SEPARATOR"]

# Aliases and article ids never contain it in practice; sentences are joined by newlines instead.
LIST_SEPARATOR = "; "


def actor_name(batch: GraphBatch, actor_id: str | None) -> str:
    """The name to print for an actor id: its name when the batch holds the actor or names the
    place (``GraphBatch.places``), else one read off the id's slug ('place:castel-vor' ->
    'Castel Vor'): a relation's place need not be among the subgraph's actors, and a reader wants a
    name, not an id."""
    if not actor_id:
        return ""
    actor = batch.actors.get(actor_id)
    if actor is not None:
        return actor.name
    if actor_id in batch.places:
        return batch.places[actor_id]
    slug = actor_id.split(":", 1)[-1]
    return " ".join(w.capitalize() for w in slug.split("-") if w) or actor_id


def node_attributes(actor: Actor) -> dict[str, str]:
    attrs = {"label": actor.name, "name": actor.name, "type": actor.type.value}
    if actor.aliases:
        attrs["aliases"] = LIST_SEPARATOR.join(actor.aliases)
    if actor.rank:
        attrs["rank"] = actor.rank
    if actor.title:
        attrs["title"] = actor.title
    return attrs


def edge_label(rel: Relation) -> str:
    """What a viewer prints on the edge: the relation type and, for events, the date."""
    return f"{rel.type.value} {rel.date}" if rel.date else rel.type.value


def edge_attributes(rel: Relation, articles: Mapping[str, Article] | None = None) -> dict[str, str | int]:
    """The edge's flat attributes; with the batch's ``articles``, its corroboration too: ``sources``
    (distinct outlets), ``article_count``, ``first_reported`` and ``last_reported``."""
    attrs: dict[str, str | int] = {"label": edge_label(rel), "relation": rel.type.value, "key": rel.key}
    for name in ("date", "place", "what"):
        value = getattr(rel, name)
        if value:
            attrs[name] = value
    if rel.provenance:
        attrs["articles"] = LIST_SEPARATOR.join(rel.articles)
        attrs["sentences"] = "\n".join(dict.fromkeys(p.sentence for p in rel.provenance))
    attrs["citations"] = len(rel.provenance)
    if articles is not None:
        c = corroborate(rel.provenance, articles)
        attrs["sources"], attrs["article_count"] = c.sources, c.articles
        if c.first_reported:
            attrs["first_reported"], attrs["last_reported"] = c.first_reported, c.last_reported  # type: ignore[assignment]
    return attrs


def to_networkx(batch: GraphBatch) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for actor_id in sorted(batch.actors):
        g.add_node(actor_id, **node_attributes(batch.actors[actor_id]))
    for key in sorted(batch.relations):
        rel = batch.relations[key]
        # add_edges_from, since the attributes hold a 'key' that add_edge(key=...) would clash with.
        g.add_edges_from([(rel.source, rel.target, key, edge_attributes(rel, batch.articles))])
    return g
