"""One colour (and one Cytoscape.js shape) per node type, shared by the pictures, the Cytoscape
style, the GEXF viz colours, ``cypher/style.grass`` and the web page, so a State looks the same in
every tool an analyst opens."""
from __future__ import annotations

from graph.model import NodeType

__all__ = ["TYPE_COLOURS", "TYPE_SHAPES", "colour", "rgb"]

# Tableau-10 hues: distinguishable for the common colour-vision deficiencies and in greyscale print.
TYPE_COLOURS: dict[NodeType, str] = {
    NodeType.PERSON: "#4E79A7",
    NodeType.ARMED_FORCE: "#59A14F",
    NodeType.STATE: "#E15759",
    NodeType.ORGANIZATION: "#F28E2B",
    NodeType.FACILITY: "#B07AA1",
    NodeType.PLACE: "#9C755F",
}

# Cytoscape.js node shapes: a second cue beside the colour, for print and colour-vision deficiencies.
TYPE_SHAPES: dict[NodeType, str] = {
    NodeType.PERSON: "ellipse",
    NodeType.ARMED_FORCE: "diamond",
    NodeType.STATE: "hexagon",
    NodeType.ORGANIZATION: "round-rectangle",
    NodeType.FACILITY: "pentagon",
    NodeType.PLACE: "triangle",
}


def colour(type_: NodeType | str) -> str:
    return TYPE_COLOURS[NodeType(type_)]


def rgb(type_: NodeType | str) -> tuple[int, int, int]:
    h = colour(type_).lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)
