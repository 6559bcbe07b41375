"""One colour per node type, shared by the pictures, the Cytoscape style, the GEXF viz colours and
``cypher/style.grass``, so a State looks the same in every tool an analyst opens."""
from __future__ import annotations

from graph.model import NodeType

__all__ = ["TYPE_COLOURS", "colour", "rgb"]

# Tableau-10 hues: distinguishable for the common colour-vision deficiencies and in greyscale print.
TYPE_COLOURS: dict[NodeType, str] = {
    NodeType.PERSON: "#4E79A7",
    NodeType.ARMED_FORCE: "#59A14F",
    NodeType.STATE: "#E15759",
    NodeType.ORGANIZATION: "#F28E2B",
    NodeType.FACILITY: "#B07AA1",
    NodeType.PLACE: "#9C755F",
}


def colour(type_: NodeType | str) -> str:
    return TYPE_COLOURS[NodeType(type_)]


def rgb(type_: NodeType | str) -> tuple[int, int, int]:
    h = colour(type_).lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
