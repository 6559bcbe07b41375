"""A report on a subgraph: one self-contained HTML page, and the same page as PDF.

The page holds the picture (inline SVG, so it needs no other file), the relations with their dates,
places and citing sentences, the actors, and the source articles with their metadata; citations
point at the numbered source list. The PDF is that HTML rendered by WeasyPrint, so the two never
drift apart. WeasyPrint was chosen over headless Chromium (a browser binary and a process per
report) and ReportLab (a second layout to keep in step, and no SVG without more packages): it is a
PyPI package that needs only Pango from Debian, renders inline SVG and paged-media CSS (page size,
page numbers, repeated table headers), and fetches nothing when told not to.

On paper every label stays legible: the picture is printed at a scale that keeps its smallest font
at ``MIN_FONT_PT`` or more, on A4 pages turned to fit it (portrait for a tall picture, landscape for
a wide one). One too big for one page at that scale is printed in overlapping tiles, a page each,
up to ``MAX_PICTURE_PAGES``; a picture that would need more is printed once, on one page, as an
overview: a PNG of the same Graphviz layout at ``OVERVIEW_DPI`` (the SVG export draws it zoomable).
Tables print at 8 pt or more.

The PDF never typesets hundreds of pages by default: its tables print at most ``PDF_MAX_ROWS``
relations (those reported by the most independent outlets, then by the most articles) and as
many actors (those with the most relations), with ``PDF_MAX_QUOTES`` citing sentences each, and
the sources they cite. Each list cut short says how much it left out, and the full list goes with
the PDF as a CSV file attached to it (relations.csv, actors.csv, sources.csv: PDF readers show
them in their attachments pane), so the CLI and the API still hand over one PDF. ``rows=None``
prints every row (an appendix asked for); the HTML report always holds every row.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import math
import re
from urllib.parse import urlsplit
from typing import NamedTuple

from graph.model.corroboration import corroborate
from graph.exports.errors import ExportUnavailable
from graph.exports.network import actor_name
from graph.exports.palette import TYPE_COLOURS
from graph.exports.picture import Drawing, draw, raster, to_svg
from graph.model import EVENT_TYPES, Article, GraphBatch, NodeType, Relation

__all__ = ["to_html", "to_pdf", "DEFAULT_TITLE", "MIN_FONT_PT", "MAX_PICTURE_PAGES", "PictureLayout", "layout_picture",
           "PDF_MAX_ROWS", "PDF_MAX_QUOTES", "OVERVIEW_DPI"]

DEFAULT_TITLE = "Actor graph report"
MIN_FONT_PT = 7.0
MAX_PICTURE_PAGES = 12
_PT_PER_MM = 72 / 25.4
# A4 less the @page margins (12 mm sides and top, 15 mm bottom) and room for the page's heading.
_HEADING_MM = 22
_BOX_MM = {"portrait": (210 - 24, 297 - 27 - _HEADING_MM), "landscape": (297 - 24, 210 - 27 - _HEADING_MM)}
_TILE_OVERLAP = 0.08  # of a tile: a label cut at one page's edge is whole on the next
_MAX_UPSCALE = 1.6
# A landscape page holds some 13 relations with their citing sentences: 100 rows, eight pages or so.
PDF_MAX_ROWS = 100
PDF_MAX_QUOTES = 3
OVERVIEW_DPI = 200
_NOTE_MM = 14  # room on the overview's page for its note

_CSS = """
:root { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #222; }
body { margin: 1.5em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; } h2 { font-size: 1.2em; margin: 1.4em 0 .5em; }
.meta { color: #666; margin: 0 0 1em; }
figure { margin: 0; text-align: center; break-inside: avoid; }
figure svg { width: 100%; height: auto; max-height: 85vh; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .3em .45em; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
tr { break-inside: avoid; }
td.date, td.type { white-space: nowrap; }
blockquote { margin: 0 0 .35em; padding-left: .5em; border-left: 3px solid #ccc; font-style: italic; }
.ref { font-style: normal; font-size: .85em; color: #555; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px; margin-right: .3em;
          vertical-align: -.05em; }
.muted { color: #888; }
ol.sources li { margin-bottom: .3em; } code { font-size: .9em; }
p.cut { color: #444; font-size: 9pt; margin: 0 0 .6em; }
figure img.overview { display: block; margin: 0 auto; }
@page { size: A4 landscape; margin: 12mm 12mm 15mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #888; } }
@page picture-portrait { size: A4 portrait; }
@page picture-landscape { size: A4 landscape; }
/* The PDF's picture pages, laid out by layout_picture: each SVG carries its printed size. */
@media print { body { margin: 0; max-width: none; padding: 0; }
               section.tile { break-after: page; }
               section.tile.portrait { page: picture-portrait; }
               section.tile.landscape { page: picture-landscape; }
               section.tile figure svg { width: auto; height: auto; max-height: none; }
               .tile-note { color: #666; font-size: 8pt; margin: 0 0 .3em; } }
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _svg_inline(svg: str) -> str:
    """Graphviz's SVG without its XML prolog and doctype, which are not allowed inside HTML; the
    fixed pt size goes too, so the picture scales to the page (its viewBox keeps the ratio)."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    return re.sub(r'<svg\s+width="[^"]*"\s+height="[^"]*"', "<svg", svg, count=1)


def _name(batch: GraphBatch, actor_id: str | None) -> str:
    """A name, never an id: a place outside the subgraph is named from its id (graph.exports.network)."""
    return _e(actor_name(batch, actor_id))


class PictureLayout(NamedTuple):
    """How the PDF prints a picture: page orientation, scale from the SVG's points, tile grid."""
    orientation: str
    scale: float
    columns: int
    rows: int

    @property
    def pages(self) -> int:
        return self.columns * self.rows


def _svg_size(svg: str) -> tuple[float, float]:
    m = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    return (float(m[1]), float(m[2])) if m else (1.0, 1.0)


def _smallest_font(svg: str) -> float:
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]
    return min(sizes) if sizes else 10.0


def layout_picture(width_pt: float, height_pt: float, smallest_font_pt: float) -> PictureLayout:
    """The orientation and scale that print the picture on the fewest A4 pages with its smallest
    font at MIN_FONT_PT or more (and as large as fits, up to _MAX_UPSCALE, on one page)."""
    least = MIN_FONT_PT / smallest_font_pt
    best: PictureLayout | None = None
    for orientation, (box_w, box_h) in _BOX_MM.items():
        box_w, box_h = box_w * _PT_PER_MM, box_h * _PT_PER_MM
        fit = min(box_w / width_pt, box_h / height_pt, _MAX_UPSCALE)
        if fit >= least:
            layout = PictureLayout(orientation, fit, 1, 1)
        else:
            step_w, step_h = box_w * (1 - _TILE_OVERLAP), box_h * (1 - _TILE_OVERLAP)
            cols = max(1, math.ceil((width_pt * least - box_w) / step_w) + 1)
            rows = max(1, math.ceil((height_pt * least - box_h) / step_h) + 1)
            layout = PictureLayout(orientation, least, cols, rows)
        if best is None or (layout.pages, -layout.scale) < (best.pages, -best.scale):
            best = layout
    assert best is not None
    return best


_SVG_NS = "http://www.w3.org/2000/svg"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


class _Drawing(NamedTuple):
    """Graphviz's SVG split for tiling: the drawing's own attributes and transform, and each
    top-level element serialised once with its bounding box in viewBox units (None: always kept)."""
    transform: str
    parts: list[tuple[str, tuple[float, float, float, float] | None]]


def _drawing(svg: str) -> _Drawing:
    import xml.etree.ElementTree as ET

    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg.encode("utf-8"))
    graph = root.find(f"{{{_SVG_NS}}}g")
    transform = graph.get("transform", "")
    m = re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", transform)
    dx, dy = (float(m[1]), float(m[2])) if m else (0.0, 0.0)
    parts = []
    for child in graph:
        box = None
        if "node" in (child.get("class") or "").split() or "edge" in (child.get("class") or "").split():
            xs, ys = [], []
            for e in child.iter():
                for attr in ("points", "d"):
                    nums = [float(v) for v in _NUMBER.findall(e.get(attr, ""))]
                    xs += nums[::2]
                    ys += nums[1::2]
                for ax, values in (("x", xs), ("y", ys)):
                    if e.get(ax) is not None:
                        values.append(float(e.get(ax)))
            if xs and ys:
                box = (min(xs) + dx, min(ys) + dy, max(xs) + dx, max(ys) + dy)
        parts.append((ET.tostring(child, encoding="unicode"), box))
    return _Drawing(transform, parts)


def _tile(drawing: _Drawing, x: float, y: float, w: float, h: float, scale: float) -> str:
    """One window on the drawing, holding only the nodes and edges that reach into it (a tile per
    page would otherwise carry, and WeasyPrint render, the whole drawing each time). A label
    sticks out of its element's shapes by at most a few words: hence the margin."""
    margin = 60.0
    kept = "".join(text for text, box in drawing.parts
                   if box is None or (box[0] <= x + w + margin and box[2] >= x - margin
                                      and box[1] <= y + h + margin and box[3] >= y - margin))
    return (f'<svg xmlns="{_SVG_NS}" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'viewBox="{x:.2f} {y:.2f} {w:.2f} {h:.2f}" width="{w * scale:.2f}pt" height="{h * scale:.2f}pt" '
            f'preserveAspectRatio="xMinYMin meet"><g id="graph0" class="graph" transform="{drawing.transform}">'
            f"{kept}</g></svg>")


def _paper_picture(drawing: Drawing, header: str) -> str:
    """The picture's pages for the PDF: one SVG per tile, each a window (viewBox) on the drawing;
    or, when legible tiles would take more than MAX_PICTURE_PAGES, one page of overview."""
    svg = drawing.svg
    width, height = _svg_size(svg)
    layout = layout_picture(width, height, _smallest_font(svg))
    if layout.pages > MAX_PICTURE_PAGES:
        return _overview(drawing, width, height, layout.pages, header)
    box_w, box_h = (v * _PT_PER_MM / layout.scale for v in _BOX_MM[layout.orientation])
    step_w, step_h = box_w * (1 - _TILE_OVERLAP), box_h * (1 - _TILE_OVERLAP)
    drawing = _drawing(svg)
    sections = []
    for row in range(layout.rows):
        for col in range(layout.columns):
            x, y = col * step_w, row * step_h
            w, h = min(box_w, width - x), min(box_h, height - y)
            tile = _tile(drawing, x, y, w, h, layout.scale)
            note = (f'<p class="tile-note">Picture, part {row * layout.columns + col + 1} of {layout.pages} '
                    f"(row {row + 1}, column {col + 1}); parts overlap a little.</p>" if layout.pages > 1 else "")
            sections.append(f'<section class="tile {layout.orientation}">{header if not sections else ""}'
                            f"{note}<figure>{tile}</figure></section>")
    return "".join(sections)


def _overview(drawing: Drawing, width: float, height: float, pages: int, header: str) -> str:
    """The whole picture on one A4 page as a PNG of the drawing's own layout (no second layout)."""
    orientation = "landscape" if width >= height else "portrait"
    box_w, box_h = _BOX_MM[orientation]
    box_h -= _NOTE_MM
    scale = min(box_w * _PT_PER_MM / width, box_h * _PT_PER_MM / height, _MAX_UPSCALE)
    w_mm, h_mm = width * scale / _PT_PER_MM, height * scale / _PT_PER_MM
    png = raster(drawing, dpi=OVERVIEW_DPI, width_in=w_mm / 25.4, height_in=h_mm / 25.4)
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (f'<section class="tile {orientation}">{header}<p class="tile-note">An overview of the picture at '
            f"{OVERVIEW_DPI} dpi: printed with labels of {MIN_FONT_PT:g} pt it would take {pages} pages. "
            "Export it as SVG to zoom in on it.</p>"
            f'<figure><img class=overview alt="the picture" src="{src}" '
            f'style="width:{w_mm:.1f}mm;height:{h_mm:.1f}mm"></figure></section>')


def _swatch(type_: NodeType) -> str:
    return f'<span class="swatch" style="background:{TYPE_COLOURS[type_]}"></span>'


def _sort_key(rel: Relation) -> tuple:
    # Events in date order first (undated events after dated ones), then the timeless structure.
    return (rel.type not in EVENT_TYPES, rel.date is None, rel.date or "", rel.type.value, rel.key)


def _sources(batch: GraphBatch, relations: list[Relation] | None = None, max_quotes: int | None = None,
             uncited: bool = True) -> list[str]:
    """Article ids in citation order: every article the relations' printed citations cite, plus
    (``uncited``) the batch's uncited ones at the end."""
    rels = sorted(batch.relations.values(), key=_sort_key) if relations is None else relations
    cited = dict.fromkeys(p.article for r in rels for p in (r.provenance if max_quotes is None
                                                            else r.provenance[:max_quotes]))
    return list(cited) + (sorted(set(batch.articles) - set(cited)) if uncited else [])


def _corroboration(batch: GraphBatch, rel: Relation) -> str:
    """'2 independent sources (3 articles)' and when first and last reported; a single source is marked."""
    c = corroborate(rel.provenance, batch.articles)
    text = c.describe()
    if c.first_reported:
        text += f"<br>{_e(c.first_reported)}" + (f" – {_e(c.last_reported)}" if c.last_reported != c.first_reported
                                                  else "")
    return text if c.sources > 1 else f'<span class=muted>{text}</span>'


class _Tables(NamedTuple):
    """What the PDF prints of each list, and the full lists it leaves rows of out."""
    relations: list[Relation]
    actors: list
    sources: list[str]
    max_quotes: int | None
    all_relations: list[Relation]
    all_actors: list
    all_sources: list[str]

    @property
    def cut(self) -> bool:
        return len(self.relations) < len(self.all_relations) or len(self.actors) < len(self.all_actors)


def _tables(batch: GraphBatch, rows: int | None) -> _Tables:
    """Every row (``rows`` None, or a small batch), else the top ``rows`` relations (most outlets,
    then most articles, then report order) and actors (most relations, then table order), in
    report and table order, with the sources their printed citations cite."""
    relations = sorted(batch.relations.values(), key=_sort_key)
    actors = sorted(batch.actors.values(), key=_actor_order)
    sources = _sources(batch, relations)
    if rows is None or (len(relations) <= rows and len(actors) <= rows):
        return _Tables(relations, actors, sources, None, relations, actors, sources)
    support = {r.key: corroborate(r.provenance, batch.articles) for r in relations}
    rank = {r.key: n for n, r in enumerate(relations)}
    top = sorted(relations, key=lambda r: (-support[r.key].sources, -support[r.key].articles, rank[r.key]))[:rows]
    top.sort(key=lambda r: rank[r.key])
    degree: dict[str, int] = {}
    for r in relations:
        for end in {r.source, r.target}:
            degree[end] = degree.get(end, 0) + 1
    order = {a.id: n for n, a in enumerate(actors)}
    top_actors = sorted(actors, key=lambda a: (-degree.get(a.id, 0), order[a.id]))[:rows]
    top_actors.sort(key=lambda a: order[a.id])
    printed = _sources(batch, top, PDF_MAX_QUOTES, uncited=False)
    return _Tables(top, top_actors, printed, PDF_MAX_QUOTES, relations, actors, sources)


def _cut_note(shown: int, total: int, what: str, order: str, attachment: str) -> str:
    if shown >= total:
        return ""
    return (f'<p class="cut">Printed: {shown:,} of {total:,} {what}, {order}; {total - shown:,} left out. '
            f"All {total:,} are listed in <b>{attachment}</b>, a file attached to this PDF (your PDF reader's "
            "attachments pane), and in the HTML report.</p>")


def _csv(header: list[str], rows) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def _attachments(batch: GraphBatch, t: _Tables) -> dict[str, bytes]:
    """The full lists the PDF cut short, as CSV (names as printed, ids beside them)."""
    if not t.cut:
        return {}
    rels = []
    for r in t.all_relations:
        c = corroborate(r.provenance, batch.articles)
        rels.append([r.key, r.type.value, actor_name(batch, r.source), r.source, actor_name(batch, r.target), r.target,
                     r.date or "", actor_name(batch, r.place) if r.place else "", r.place or "", r.what or "",
                     c.articles, c.sources, "\n".join(f"[{p.article}] {p.sentence}" for p in r.provenance)])
    actors = [[a.id, a.type.value, a.name, a.rank or "", a.title or "", "; ".join(a.aliases)] for a in t.all_actors]
    sources = []
    for n, article_id in enumerate(t.all_sources, start=1):
        a = batch.articles.get(article_id) or Article(id=article_id)
        sources.append([article_id, a.title or "", a.source or "", a.published or "", a.url or ""])
    return {
        "relations.csv": _csv(["relation", "type", "from", "from_id", "to", "to_id", "date", "place", "place_id",
                               "what", "articles", "outlets", "citations"], rels),
        "actors.csv": _csv(["id", "type", "name", "rank", "title", "aliases"], actors),
        "sources.csv": _csv(["article", "title", "source", "published", "url"], sources),
    }


def _relations_table(relations: list[Relation], batch: GraphBatch, number: dict[str, int],
                     max_quotes: int | None = None) -> str:
    rows = []
    for rel in relations:
        shown = rel.provenance if max_quotes is None else rel.provenance[:max_quotes]
        quotes = "".join(
            f'<blockquote>{_e(p.sentence)} <a class="ref" href="#source-{number[p.article]}">'
            f'[{number[p.article]}]</a></blockquote>'
            for p in shown
        )
        if len(rel.provenance) > len(shown):
            quotes += f"<span class=muted>and {len(rel.provenance) - len(shown)} more (relations.csv)</span>"
        rows.append(
            f"<tr><td class=date>{_e(rel.date) or '<span class=muted>—</span>'}</td>"
            f"<td class=type>{_e(rel.type.value)}</td><td>{_name(batch, rel.source)}</td>"
            f"<td>{_name(batch, rel.target)}</td><td>{_name(batch, rel.place)}</td><td>{_e(rel.what)}</td>"
            f"<td class=sources>{_corroboration(batch, rel)}</td><td>{quotes}</td></tr>"
        )
    return ("<table class=relations><thead><tr><th>Date</th><th>Relation</th><th>From</th><th>To</th>"
            "<th>Place</th><th>What</th><th>Sources</th><th>Citing sentences</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _events_table(batch: GraphBatch, limit: int | None = None) -> str:
    """One row per event (graph.model.events): its participants with their roles, and its codes; with
    ``limit``, only that many (those the most articles report), saying how many it left out."""
    from graph.exports.events import event_codes
    from graph.model.batch import complete_events
    events = complete_events(batch)
    if not events:
        return ""
    codes = event_codes(batch)
    shown = sorted(events, key=lambda e: (e.date or "", e.id))
    note = ""
    if limit is not None and len(shown) > limit:
        rank = {e.id: n for n, e in enumerate(shown)}
        top = sorted(shown, key=lambda e: (-len(e.articles), rank[e.id]))[:limit]
        note = (f'<p class="cut">Printed: {limit:,} of {len(shown):,} events, those the most articles report; '
                f"{len(shown) - limit:,} left out (every event is in the HTML report and the graph JSON).</p>")
        shown = sorted(top, key=lambda e: rank[e.id])
    rows = []
    for ev in shown:
        who = "; ".join(f"{_name(batch, p.actor)} ({_e(p.role)})" for p in ev.participants)
        c = codes[ev.id]
        rows.append(f"<tr><td class=date>{_e(ev.date) or '<span class=muted>—</span>'}</td>"
                    f"<td class=type>{_e(ev.type.value)}</td><td>{who}</td><td>{_name(batch, ev.place)}</td>"
                    f"<td>{_e(ev.what)}</td><td>{_e(c.plover)} {_e(c.mode)}</td><td>{_e(c.cameo)} {_e(c.cameo_text)}</td>"
                    f"<td>{len(ev.articles)}</td></tr>")
    return ('<section id="events"><h2>Events</h2>' + note + '<table class=events><thead><tr><th>Date</th><th>Event</th>'
            "<th>Participants (role)</th><th>Place</th><th>What</th><th>PLOVER</th><th>CAMEO</th><th>Articles</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>")


def _actor_order(a) -> tuple:
    return (a.type.value, a.name.casefold(), a.id)


def _actors_table(actors: list) -> str:
    rows = "".join(
        f"<tr><td>{_swatch(a.type)}{_e(a.name)}</td><td class=type>{_e(a.type.value)}</td><td>{_e(a.rank)}</td>"
        f"<td>{_e(a.title)}</td><td>{_e('; '.join(a.aliases))}</td><td><code>{_e(a.id)}</code></td></tr>"
        for a in actors
    )
    return ("<table class=actors><thead><tr><th>Name</th><th>Type</th><th>Rank</th><th>Title</th>"
            f"<th>Aliases</th><th>Id</th></tr></thead><tbody>{rows}</tbody></table>")


def _is_web_url(url: str) -> bool:
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _source_item(n: int, article_id: str, article: Article | None) -> str:
    a = article or Article(id=article_id)
    parts = [f"<cite>{_e(a.title)}</cite>" if a.title else "<span class=muted>untitled</span>"]
    parts += [_e(v) for v in (a.source, a.published) if v]
    if a.url and _is_web_url(a.url):
        parts.append(f'<a href="{_e(a.url)}">{_e(a.url)}</a>')
    elif a.url:  # javascript:, data:, file:... shown as text, never a link a reader could follow
        parts.append(f"<span class=url>{_e(a.url)}</span>")
    parts.append(f"<code>{_e(a.id)}</code>")
    return f'<li id="source-{n}" value="{n}">' + " · ".join(parts) + "</li>"


def to_html(batch: GraphBatch, *, title: str = DEFAULT_TITLE, generated: str | None = None,
            center: str | None = None, isolated: bool = False) -> str:
    """The report page, every row. ``generated`` is printed as the creation time (default: now, in
    UTC); ``center`` and ``isolated`` go to the picture (graph.exports.picture)."""
    return _document(batch, _tables(batch, None), title=title, generated=generated, center=center,
                     isolated=isolated, paper=False)


def _document(batch: GraphBatch, t: _Tables, *, title: str, generated: str | None, center: str | None,
              isolated: bool, paper: bool) -> str:
    generated = generated or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    number = {article_id: n for n, article_id in enumerate(t.sources, start=1)}
    items = "".join(_source_item(n, a, batch.articles.get(a)) for a, n in number.items())
    header = f"""<header>
<h1>{_e(title)}</h1>
<p class="meta">{len(batch.actors)} actors · {len(batch.relations)} relations · {len(t.all_sources)} source articles
 · generated {_e(generated)}</p>
</header>"""
    if not batch.actors:
        picture = f'{header}<section id="picture"><p class=muted>No actors.</p></section>'
    elif paper:
        picture = f'<div id="picture">{_paper_picture(draw(batch, center=center, isolated=isolated), header)}</div>'
    else:
        svg = to_svg(batch, center=center, isolated=isolated)
        picture = f'{header}<section id="picture"><figure>{_svg_inline(svg)}</figure></section>'
    notes = {
        "relations": _cut_note(len(t.relations), len(t.all_relations), "relations",
                               "those reported by the most independent outlets, then by the most articles, "
                               f"in report order (events by date, then the rest), with up to {PDF_MAX_QUOTES} citing sentences each",
                               "relations.csv"),
        "actors": _cut_note(len(t.actors), len(t.all_actors), "actors", "those with the most relations",
                            "actors.csv"),
        "sources": _cut_note(len(t.sources), len(t.all_sources), "source articles",
                             "those the printed citations cite", "sources.csv"),
    }
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="actorgraph">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
{picture}
<section id="relations"><h2>Relations</h2>{notes["relations"]}{_relations_table(t.relations, batch, number, t.max_quotes)}</section>
{_events_table(batch, len(t.relations) if t.cut else None)}
<section id="actors"><h2>Actors</h2>{notes["actors"]}{_actors_table(t.actors)}</section>
<section id="sources"><h2>Sources</h2>{notes["sources"]}<ol class="sources">{items}</ol></section>
</body>
</html>
"""


def _fetcher(weasyprint):
    """Fetch nothing but data: URLs (the overview picture the page embeds itself): the page is
    self-contained, and refusing the rest keeps rendering offline whatever a URL says."""
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 68 and later
        return weasyprint.URLFetcher(allowed_protocols={"data"})

    def fetch(url: str, *args: object, **kwargs: object) -> dict:
        if url.startswith("data:"):
            return weasyprint.default_url_fetcher(url)
        raise ValueError(f"report rendering fetches nothing (asked for {url!r})")
    return fetch


def to_pdf(batch: GraphBatch, *, title: str = DEFAULT_TITLE, generated: str | None = None,
           center: str | None = None, isolated: bool = False, rows: int | None = PDF_MAX_ROWS) -> bytes:
    """The report as PDF. ``rows``: the most relations and actors its tables print (None: all, an
    appendix of every row); the lists it cuts short are attached to the PDF as CSV files."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there but Pango is not
        raise ExportUnavailable(
            "PDF reports need WeasyPrint and Pango: pip install 'actorgraph[report]' and "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({exc})") from exc
    tables = _tables(batch, rows)
    page = _document(batch, tables, title=title, generated=generated, center=center, isolated=isolated, paper=True)
    attachments = [weasyprint.Attachment(file_obj=io.BytesIO(data), name=name, description=f"the full list: {name}")
                   for name, data in _attachments(batch, tables).items()]
    return weasyprint.HTML(string=page, url_fetcher=_fetcher(weasyprint)).write_pdf(attachments=attachments)
