"""What a hop of a path costs, by relation type: people tied through meetings, signings and visits
before people tied through a state or a force they both belong to.

A fewest-hops search answers "A VISITED Pakistan; B MEMBER_OF Pakistan" for two officers: two hops
through a hub that thousands of actors share, which says nothing about how A reaches B. With a cost
per relation type, networkx's weighted shortest paths (Dijkstra) prefer the chain of meetings
"A MET C, C MET D, D MET B" (cost 3) over the hop through the state (cost 2 + 5 = 7).

A hop between two actors costs the cheapest of the relations that tie them. Costs are positive
whole numbers by default so that equal-cost paths tie exactly (``all=true`` lists every tie).
"""
from __future__ import annotations

from typing import Callable, Mapping

from graph.model import RelType

__all__ = ["DEFAULT_COSTS", "HOPS", "PathCosts", "parse_costs", "hop_cost"]

# The default cost of a hop per relation type. A meeting or a signing is a personal tie; an offer
# or a visit ties an actor to a state or place others also visit; membership, a part of a larger
# body or a location ties through a hub.
DEFAULT_COSTS: dict[str, float] = {
    RelType.MET.value: 1, RelType.SIGNED.value: 1,
    RelType.OFFERED.value: 2, RelType.VISITED.value: 2,
    RelType.MEMBER_OF.value: 5, RelType.PART_OF.value: 5, RelType.LOCATED_IN.value: 5,
}
# Every hop costs 1: the fewest hops, whatever ties them.
HOPS = "hops"

PathCosts = Mapping[str, float]


def parse_costs(text: str | None) -> dict[str, float]:
    """``DEFAULT_COSTS`` overridden by ``"MEMBER_OF:10,VISITED:1"`` (type:cost pairs, case-insensitive),
    or every type costing 1 for ``"hops"``. Raises ValueError naming what is wrong."""
    if text is None or not text.strip():
        return dict(DEFAULT_COSTS)
    if text.strip().lower() == HOPS:
        return {t: 1 for t in DEFAULT_COSTS}
    costs = dict(DEFAULT_COSTS)
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition(":")
        name = name.strip().upper()
        if not sep or name not in costs:
            raise ValueError(f"expected TYPE:cost pairs (types {', '.join(costs)}) or {HOPS!r}, got {part!r}")
        try:
            cost = float(value)
        except ValueError:
            raise ValueError(f"the cost of {name} is not a number: {value.strip()!r}") from None
        if not 0 < cost < float("inf"):
            raise ValueError(f"the cost of {name} must be a positive number, got {value.strip()!r}")
        costs[name] = cost
    return costs


def relation_type_of(key: str) -> str:
    """The type of a relation from its key (``graph.model.relation_key``: ``TYPE|source|target...``)."""
    return key.split("|", 1)[0]


def hop_cost(costs: PathCosts) -> Callable[[str, str, dict], float]:
    """A networkx ``weight`` function over ``algorithms.undirected``'s edges (which carry the
    relation ``keys`` of the pair): the cheapest relation between the two actors."""
    # Each tie's cost by its data dict's id: the dicts live as long as the graph the function is
    # used on (``View.hop_weight`` keeps one per view), and a search reads a tie many times.
    seen: dict[int, float] = {}

    def weight(u: str, v: str, data: dict) -> float:
        cost = seen.get(id(data))
        if cost is None:
            cost = seen[id(data)] = min(costs.get(relation_type_of(k), 1) for k in data["keys"])
        return cost
    return weight
