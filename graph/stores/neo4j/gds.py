"""Cypher of the Neo4j store's analytics: Graph Data Science projections and streams, and the
endpoint-only relation read the compiled engine builds from when the server has no GDS.

Kept apart from ``graph.stores.neo4j.cypher`` (the store's reads and writes). Values travel as
parameters: the projection name, the filter, the algorithm settings.
"""
from __future__ import annotations

from graph.stores.neo4j.cypher import _FILTER

__all__ = ["gds_version", "projections", "drop_projection", "project", "project_native", "stream", "relation_ends",
           "STREAMS", "actor_node_ids", "tie_pairs"]

# The GDS procedure of each metric; its settings are the $config parameter.
STREAMS = {"degree": "gds.degree.stream", "pagerank": "gds.pageRank.stream",
           "betweenness": "gds.betweenness.stream",
           "closeness": "gds.closeness.stream"}


def gds_version() -> str:
    return "RETURN gds.version() AS version"


def projections() -> str:
    """The in-memory graphs of this database whose names start with $prefix."""
    return ("CALL gds.graph.list() YIELD graphName, database "
            "WHERE graphName STARTS WITH $prefix AND database = $database RETURN graphName AS name")


def drop_projection() -> str:
    return "CALL gds.graph.drop($name, false) YIELD graphName RETURN graphName AS name"


def project() -> str:
    """A Cypher projection named $name: every actor, and one undirected tie per pair of actors with
    a relation passing the filter ($types, $structure, $since, $until) between them, as
    ``graph.analytics.algorithms.undirected`` has it. Each relation is matched from its lower end only, and
    an actor with none (isolated, or all its ties matched from the other end) still comes as a node."""
    return f"""MATCH (s:Actor)
OPTIONAL MATCH (s)-[r]-(t:Actor)
WHERE elementId(s) <= elementId(t) AND {_FILTER}
WITH DISTINCT s, t
WITH gds.graph.project($name, s, t, {{}}, {{undirectedRelationshipTypes: ['*']}}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS ties"""


def project_native() -> str:
    """The projection of the unfiltered graph, from the store's own adjacency instead of a Cypher
    match (0.7 s against 4 s at a million relations): every actor, one undirected tie per pair
    (every relationship between two actors is one of the graph's; IN_EVENT and MENTIONS end at
    other labels, so the node projection leaves them out)."""
    return ("CALL gds.graph.project($name, 'Actor', "
            "{TIE: {type: '*', orientation: 'UNDIRECTED', aggregation: 'SINGLE'}}) "
            "YIELD nodeCount, relationshipCount RETURN nodeCount AS nodes, relationshipCount AS ties")


def stream(metric: str) -> str:
    """Scores of every node of projection $name by ``metric`` (a key of STREAMS), by actor id."""
    procedure = STREAMS[metric]  # a KeyError for anything else: no input reaches the query text
    # Two lists in one record: a record per node costs the client more than the algorithm.
    return (f"CALL {procedure}($name, $config) YIELD nodeId, score "
            "RETURN collect(gds.util.asNode(nodeId).id) AS ids, collect(score) AS scores")


def relation_ends(*, filtered: bool = True) -> str:
    """Every actor's id with the ids at the far end of its outgoing relations passing the filter: a
    record per actor (isolated ones too), grouped without a sort, no property map. Without
    ``filtered``, every relation (no filter parameters): the filter's test of each relation's type
    and date was a third of the stream's time at a million relations (2.9 s against 2.1 s)."""
    # A pattern comprehension per actor, not OPTIONAL MATCH + collect: no grouping of a million
    # rows by actor (at 100k relations 0.27 s against 0.37 s, side by side on a loaded machine).
    if not filtered:
        return "MATCH (s:Actor) RETURN s.id AS id, [(s)-->(t:Actor) | t.id] AS ends"
    return f"MATCH (s:Actor) RETURN s.id AS id, [(s)-[r]->(t:Actor) WHERE {_FILTER} | t.id] AS ends"


def actor_node_ids() -> str:
    """Every node of projection $name by its GDS node id, beside its actor id (from GDS's own ids:
    Cypher's ``id()`` is deprecated). Degree is the cheapest stream that names every node."""
    return ("CALL gds.degree.stream($name) YIELD nodeId "
            "RETURN collect(nodeId) AS ids, collect(gds.util.asNode(nodeId).id) AS names")


def tie_pairs() -> str:
    """The ties of projection $name as two lists of node ids (each undirected tie both ways)."""
    return ("CALL gds.graph.relationships.stream($name) YIELD sourceNodeId, targetNodeId "
            "RETURN collect(sourceNodeId) AS s, collect(targetNodeId) AS t")
