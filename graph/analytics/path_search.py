"""Shortest paths found by walking a store's own indexes, before any projection is built.

A projection of a million relations takes seconds to build; a path between two actors touches a
few thousand of them. ``nodes_on_shortest_paths`` runs a bidirectional breadth-first search that
asks the store for the neighbours of one frontier at a time (one indexed read per layer, expanding
the smaller side), so the first path of a freshly started service is answered from the store while
the projection is still being built. The nodes it returns, with the relations among them, hold
every shortest path, so ``graph.analytics.algorithms.shortest_paths`` on that small graph gives the same
lengths (and, all=true, the same paths) as on the whole projection.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Collection, Mapping

__all__ = ["Neighbours", "ShortestPathNodes", "nodes_on_shortest_paths"]

# ids -> {id: its neighbours}, for the ids given (an id with none may be left out); None when
# the store cannot walk (no such index, or not for this filter).
Neighbours = Callable[[Collection[str]], Mapping[str, Collection[str]] | None]


@dataclass
class ShortestPathNodes:
    """The nodes on the shortest paths (``source`` and ``target`` always among them; only those two
    when no path of at most ``max_hops`` exists), the distance (None without a path), and how many
    neighbours each expanded node has (every hop of a shortest path has an expanded end)."""
    nodes: set[str]
    distance: int | None
    ties: dict[str, int]


def nodes_on_shortest_paths(neighbours: Neighbours, source: str, target: str, *, max_hops: int,
                            budget: int | None = None) -> ShortestPathNodes | None:
    """Every node on a shortest ``source``-``target`` path of at most ``max_hops`` hops, by
    bidirectional BFS over ``neighbours``; None when more than ``budget`` neighbour entries would
    have to be read (a walk through many hubs) or ``neighbours`` answers None (no walk): the
    caller builds the projection instead."""
    if source == target:
        return ShortestPathNodes({source}, 0, {})
    # Per side: depth of each node seen, the nodes one layer nearer that reach it, the frontier.
    dist = ({source: 0}, {target: 0})
    parents: tuple[dict[str, list[str]], dict[str, list[str]]] = ({source: []}, {target: []})
    front = ([source], [target])
    depth = [0, 0]
    ties: dict[str, int] = {}
    read = 0
    meet: list[str] = []
    while front[0] and front[1] and depth[0] + depth[1] < max_hops:
        side = 0 if len(front[0]) <= len(front[1]) else 1
        seen, up, other = dist[side], parents[side], dist[1 - side]
        found = neighbours(front[side])
        if found is None:
            return None
        layer: dict[str, None] = {}  # insertion-ordered: the walk is deterministic
        level = depth[side] + 1
        for u in front[side]:
            near = found.get(u, ())
            ties[u] = len(near)
            read += len(near)
            if budget is not None and read > budget:
                return None
            for v in near:
                d = seen.get(v)
                if d is None:
                    seen[v] = level
                    up[v] = [u]
                    layer[v] = None
                elif d == level:
                    up[v].append(u)
        depth[side] = level
        front = (list(layer), front[1]) if side == 0 else (front[0], list(layer))
        meet = [v for v in layer if v in other]
        if meet:
            break
    if not meet:
        return ShortestPathNodes({source, target}, None, ties)
    # The layer-by-layer walk meets first at the shortest distance: the smallest sum of depths.
    distance = min(dist[0][v] + dist[1][v] for v in meet)
    on_path = {v for v in meet if dist[0][v] + dist[1][v] == distance}
    nodes = set(on_path)
    for side in (0, 1):  # back from the meeting nodes to each end through every nearer parent
        stack = list(on_path)
        reached = set(on_path)
        while stack:
            for p in parents[side].get(stack.pop(), ()):
                if p not in reached:
                    reached.add(p)
                    stack.append(p)
        nodes |= reached
    return ShortestPathNodes(nodes, distance, ties)
