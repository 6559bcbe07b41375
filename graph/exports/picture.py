"""Pictures of a subgraph in SVG and PNG, drawn by Graphviz.

Graphviz removes node overlaps, routes edges around nodes, keeps each label beside its edge and
writes SVG text as text (searchable, selectable, and what the report's PDF renders): that keeps a
50-node picture with a type and date on every edge readable. Parallel relations between two actors
are drawn as one edge listing them, so ten dated meetings do not pile ten labels on each other. It is called as the ``dot`` program from the
Debian package ``graphviz``, so there is no binding to build. Nodes are coloured by type, with a
legend; symmetric relations (MET, SIGNED) are drawn without arrowheads. An edge whose relations
are each reported by a single outlet (``graph.model.corroboration``) is dashed, and the legend says so.

The centre of an ego network (``center=``) is drawn with a double, heavier border and named in the
legend. Each edge label is tied to its edge by Graphviz's ``decorate``: the label is underlined and
the underline runs to the nearest point of its own edge, so where edges cross a reader still sees
which edge a label belongs to. Actors without any relation in the batch are left out (a whole-graph
picture would otherwise scatter them around the drawing) unless ``isolated=True``; the centre is
always drawn.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

from graph.model.corroboration import corroborate
from graph.exports.errors import ExportUnavailable
from graph.exports.palette import TYPE_COLOURS
from graph.model import SYMMETRIC_TYPES, GraphBatch, NodeType, Relation

__all__ = ["to_dot", "to_svg", "to_png", "render", "engine_for", "drawn_actors", "single_sourced",
           "EDGE_LABEL_LIMIT", "MAX_PNG_PIXELS", "CENTER_CLASS", "Drawing", "draw", "raster"]

# Up to this many nodes the picture is detailed: every edge labelled and routed as a curve around
# the nodes. Past it labels would only cover each other, and spline routing grows so fast (minutes
# at 1,000 nodes) that edges are drawn straight; sfdp then lays out 5,000 nodes in seconds.
EDGE_LABEL_LIMIT = 200
MAX_LABEL_LINES = 4
MAX_PNG_PIXELS = 8000
_TIMEOUT_S = 600
_FONT = "DejaVu Sans"
# The SVG class of the centre's node group (Graphviz writes class="node center").
CENTER_CLASS = "center"


def _q(text: str) -> str:
    """A DOT double-quoted string; a backslash would otherwise start an escape such as \\N or \\l."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _wrap(text: str, width: int = 22) -> str:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines) or text


def engine_for(nodes: int) -> str:
    # neato (stress majorisation) draws small graphs best but grows quadratically; sfdp scales.
    return "neato" if nodes <= EDGE_LABEL_LIMIT else "sfdp"


def _edge_line(rel: Relation) -> str:
    line = f"{rel.type.value} {rel.date}" if rel.date else rel.type.value
    if rel.what:
        what = rel.what if len(rel.what) <= 28 else rel.what[:27] + "…"
        line += f" · {what}"
    return line


def _bundles(batch: GraphBatch) -> dict[tuple[str, str, bool], list[Relation]]:
    """Relations drawn as one edge: same ends, same arrow style. Ten dated meetings between two
    states would otherwise be ten curves with ten labels piled on each other."""
    out: dict[tuple[str, str, bool], list[Relation]] = {}
    for key in sorted(batch.relations):
        r = batch.relations[key]
        out.setdefault((r.source, r.target, r.type in SYMMETRIC_TYPES), []).append(r)
    return out


def _bundle_label(rels: list[Relation]) -> str:
    lines = sorted(_edge_line(r) for r in rels)
    if len(lines) > MAX_LABEL_LINES:
        lines = lines[: MAX_LABEL_LINES - 1] + [f"+{len(lines) - MAX_LABEL_LINES + 1} more"]
    return "\n".join(lines)


def single_sourced(batch: GraphBatch, rels: list[Relation]) -> bool:
    """Whether no relation of a drawn edge is reported by two outlets or more (drawn dashed)."""
    return all(corroborate(r.provenance, batch.articles).sources < 2 for r in rels)


def _legend(types: list[NodeType], title: str | None, center: str | None = None, dashed: bool = False) -> str:
    """An HTML-like graph label: the title, then one row of colour swatches, one per node type
    present, and the centre's double border with its name. One row, not a column: a legend as tall
    as the drawing would make the picture need a larger scale-down on paper."""
    cells = "".join(
        f'<TD BGCOLOR="{TYPE_COLOURS[t]}" WIDTH="14" HEIGHT="14" FIXEDSIZE="TRUE"></TD>'
        f'<TD ALIGN="LEFT">{_html(t.value)}</TD>'
        for t in types
    )
    if center:
        cells += ('<TD BORDER="3" COLOR="#333333" WIDTH="14" HEIGHT="14" FIXEDSIZE="TRUE"></TD>'
                  f'<TD ALIGN="LEFT">centre: {_html(center)}</TD>')
    if dashed:
        cells += '<TD ALIGN="LEFT">- - - a single source</TD>'
    rows = f'<TR><TD COLSPAN="{max(2, cells.count("<TD"))}" ALIGN="LEFT"><B>{_html(title)}</B></TD></TR>' if title else ""
    rows += f"<TR>{cells}</TR>" if cells else ""
    # An HTML table must have a row; an empty graph gets no legend at all.
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3">{rows}</TABLE>>' if rows else '""'


def drawn_actors(batch: GraphBatch, *, center: str | None = None, isolated: bool = False) -> list[str]:
    """Ids of the actors a picture draws, sorted: those with a relation in the batch and the centre,
    or with ``isolated`` every actor."""
    if isolated:
        return sorted(batch.actors)
    tied = {end for r in batch.relations.values() for end in (r.source, r.target)}
    return sorted(a for a in batch.actors if a in tied or a == center)


def to_dot(batch: GraphBatch, *, title: str | None = None, center: str | None = None, isolated: bool = False,
           legend: bool = True) -> str:
    """The DOT source of the picture (useful on its own for tweaking in any Graphviz tool). Without
    ``legend`` the drawing has none of its own (the report prints its legend beside it, as text)."""
    drawn = drawn_actors(batch, center=center, isolated=isolated)
    n = len(drawn)
    labels = n <= EDGE_LABEL_LIMIT
    splines = "true" if labels else "false"
    present = [t for t in NodeType if any(batch.actors[a].type is t for a in drawn)]
    centre = batch.actors.get(center or "")
    bundles = _bundles(batch)
    dashed = {b for b, rels in bundles.items() if single_sourced(batch, rels)}
    out = [
        "digraph actorgraph {",
        f'  graph [overlap=prism, overlap_scaling=-4, splines={splines}, sep="+12", esep="+6", outputorder=edgesfirst,'
        f' pad=0.3, fontname={_q(_FONT)}, fontsize=11, labelloc=b, labeljust=l,'
        f' label={_legend(present, title, centre.name if centre else None, bool(dashed)) if legend else _q("")}];',
        f'  node [shape=box, style="rounded,filled", penwidth=2, fontname={_q(_FONT)}, fontsize=10, margin="0.08,0.04"];',
        f'  edge [color="#7f7f7f", fontname={_q(_FONT)}, fontsize=8, fontcolor="#333333", arrowsize=0.7];',
    ]
    for actor_id in drawn:
        a = batch.actors[actor_id]
        colour = TYPE_COLOURS[a.type]
        mark = f", peripheries=2, penwidth=3, class={_q(CENTER_CLASS)}" if a is centre else ""
        out.append(f"  {_q(a.id)} [label={_q(_wrap(a.name))}, color={_q(colour)}, fillcolor={_q(colour + '33')},"
                   f" tooltip={_q(f'{a.type.value}: {a.id}')}{mark}];")
    for (source, target, symmetric), rels in bundles.items():
        attrs = [f"tooltip={_q(chr(10).join(r.key for r in rels))}"]
        if (source, target, symmetric) in dashed:
            attrs.append('style="dashed"')
        if labels:
            # A longer spring for labelled edges leaves the label room beside its neighbours.
            attrs += [f"label={_q(_bundle_label(rels))}", "len=1.6", "decorate=true"]
        if symmetric:
            attrs.append("dir=none")
        out.append(f"  {_q(source)} -> {_q(target)} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _graphviz(args: list[str], dot: str | None, what: str) -> bytes:
    exe = shutil.which("dot")
    if exe is None:
        raise ExportUnavailable("Graphviz is not installed: apt-get install graphviz (it provides `dot`)")
    proc = subprocess.run([exe, *args], input=None if dot is None else dot.encode("utf-8"),
                          capture_output=True, timeout=_TIMEOUT_S, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"graphviz {what} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def render(dot: str, fmt: str, *, engine: str) -> bytes:
    """Run Graphviz on DOT source; ``fmt`` is a Graphviz output format such as svg or png."""
    return _graphviz([f"-K{engine}", f"-T{fmt}"], dot, f"{engine} -T{fmt}")


class Drawing(NamedTuple):
    """One Graphviz layout: the SVG, and the DOT source with the layout's positions written in,
    from which ``raster`` renders the same picture again without laying it out again."""
    svg: str
    positioned: str


def draw(batch: GraphBatch, *, title: str | None = None, center: str | None = None,
         isolated: bool = False, legend: bool = True) -> Drawing:
    """The picture laid out once and written twice (SVG, positioned DOT) by one Graphviz run; the
    layout is what takes the time (seconds at 5,000 actors), writing it out is quick."""
    dot = to_dot(batch, title=title, center=center, isolated=isolated, legend=legend)
    engine = engine_for(len(drawn_actors(batch, center=center, isolated=isolated)))
    with tempfile.TemporaryDirectory(prefix="actorgraph-picture-") as tmp:
        svg, positioned = Path(tmp) / "picture.svg", Path(tmp) / "picture.gv"
        _graphviz([f"-K{engine}", "-Tsvg", "-o", str(svg), "-Tdot", "-o", str(positioned)], dot, f"{engine} -Tsvg")
        return Drawing(svg.read_text(encoding="utf-8"), positioned.read_text(encoding="utf-8"))


def raster(drawing: Drawing, *, dpi: int, width_in: float, height_in: float) -> bytes:
    """The drawing as PNG at ``dpi``, shrunk to fit ``width_in`` x ``height_in`` inches, from its
    positions (neato -n2 draws nodes and edges where the layout put them)."""
    return _graphviz(["-Kneato", "-n2", "-Tpng:cairo", f"-Gdpi={dpi}", f"-Gsize={width_in:.2f},{height_in:.2f}"],
                     drawing.positioned, "neato -n2 -Tpng")


def to_svg(batch: GraphBatch, *, title: str | None = None, center: str | None = None, isolated: bool = False,
           legend: bool = True) -> str:
    dot = to_dot(batch, title=title, center=center, isolated=isolated, legend=legend)
    engine = engine_for(len(drawn_actors(batch, center=center, isolated=isolated)))
    return render(dot, "svg", engine=engine).decode("utf-8")


def to_png(batch: GraphBatch, *, title: str | None = None, center: str | None = None, isolated: bool = False,
           dpi: int = 96, max_pixels: int = MAX_PNG_PIXELS) -> bytes:
    """The picture as PNG, scaled down (never up) to at most ``max_pixels`` on its longer side."""
    inches = max_pixels / dpi
    # size= only shrinks a drawing: a 5,000-node graph would otherwise be a 60 MB, 30,000-pixel image.
    dot = to_dot(batch, title=title, center=center, isolated=isolated).replace(
        "digraph actorgraph {", f'digraph actorgraph {{\n  dpi={dpi}; size="{inches:.2f},{inches:.2f}";', 1)
    # cairo gives anti-aliased text; plain -Tpng falls back to gd where cairo is missing.
    return render(dot, "png:cairo", engine=engine_for(len(drawn_actors(batch, center=center, isolated=isolated))))
