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
import re
from urllib.parse import urlsplit
from typing import NamedTuple

from graph.model.corroboration import corroborate
from graph.exports.errors import ExportUnavailable
from graph.exports.network import actor_name
from graph.exports.palette import TYPE_COLOURS
from graph.exports.picture import Drawing, draw, drawn_actors, raster, single_sourced, to_svg
from graph.model import EVENT_TYPES, Article, GraphBatch, NodeType, Relation

__all__ = ["to_html", "to_pdf", "DEFAULT_TITLE", "MIN_FONT_PT", "OVERVIEW_BELOW_PT", "PictureLayout", "layout_picture",
           "PDF_MAX_ROWS", "PDF_MAX_QUOTES", "OVERVIEW_DPI"]

DEFAULT_TITLE = "Actor graph report"
MIN_FONT_PT = 7.0
# Under this printed size the picture's labels are no longer read, only the shape of the network:
# the page then holds a PNG of the drawing (lighter to print) rather than its SVG.
OVERVIEW_BELOW_PT = 2.0
_PT_PER_MM = 72 / 25.4
# A4 less the @page margins (12 mm sides and top, 15 mm bottom) and room for the page's heading.
_HEADING_MM = 22
_LEGEND_MM = 20  # the legend's lines under the picture (two or three)
_BOX_MM = {"portrait": (210 - 24, 297 - 27 - _HEADING_MM), "landscape": (297 - 24, 210 - 27 - _HEADING_MM)}
_MAX_UPSCALE = 1.6
# A landscape page holds some 13 relations with their citing sentences: 100 rows, eight pages or so.
PDF_MAX_ROWS = 100
PDF_MAX_QUOTES = 3
OVERVIEW_DPI = 200

_CSS = """
:root { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #222; }
body { margin: 1.5em auto; max-width: 1200px; padding: 0 1em; }
h1 { font-size: 1.6em; margin: 0 0 .2em; } h2 { font-size: 1.2em; margin: 1.4em 0 .5em; }
.meta { color: #666; margin: 0 0 1em; }
figure { margin: 0; text-align: center; break-inside: avoid; }
ul.legend { list-style: none; margin: .4em 0 0; padding: 0; font-size: 9pt; display: flex; flex-wrap: wrap;
            gap: .2em 1.4em; justify-content: center; }
ul.legend li { white-space: nowrap; }
ul.legend .node { display: inline-block; width: 1.6em; height: .95em; border: 2px solid; border-radius: 4px;
                  vertical-align: -.2em; margin-right: .35em; }
ul.legend .node.centre { border: 4px double #333; }
ul.legend .line { display: inline-block; width: 2.4em; border-top: 2px solid #7f7f7f; vertical-align: .3em;
                  margin-right: .35em; }
ul.legend .line.dashed { border-top-style: dashed; }
figure svg { width: 100%; height: auto; max-height: 85vh; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .3em .45em; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; }
tr { break-inside: avoid; }
td.date, td.type { white-space: nowrap; }
td.sources { font-size: .9em; }
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
/* The PDF's picture page, laid out by layout_picture: the SVG carries its printed size. Tables are
   compact: 8.5 pt, quotes beside their relation, several relations to a page. */
@media print { body { margin: 0; max-width: none; padding: 0; }
               :root { font-size: 8.5pt; }
               section.tile { break-after: page; }
               section.tile.portrait { page: picture-portrait; }
               section.tile.landscape { page: picture-landscape; }
               section.tile figure svg { width: auto; height: auto; max-height: none; }
               h2 { margin: .8em 0 .4em; }
               th, td { padding: .2em .35em; }
               table.relations td.quotes { width: 48%; }
               blockquote { margin: 0 0 .2em; }
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
    """How the PDF prints a picture: page orientation and scale from the SVG's points, on one page."""
    orientation: str
    scale: float

    @property
    def pages(self) -> int:
        return 1


def _svg_size(svg: str) -> tuple[float, float]:
    m = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', svg)
    return (float(m[1]), float(m[2])) if m else (1.0, 1.0)


def _smallest_font(svg: str) -> float:
    sizes = [float(x) for x in re.findall(r'font-size="([\d.]+)"', svg)]
    return min(sizes) if sizes else 10.0


def layout_picture(width_pt: float, height_pt: float, legend_mm: float = _LEGEND_MM) -> PictureLayout:
    """The orientation of an A4 page that prints the picture largest, and its scale: the whole
    picture on that one page (beside the heading and ``legend_mm`` of legend), never tiled, up to
    _MAX_UPSCALE for a small one."""
    best: PictureLayout | None = None
    for orientation, (box_w, box_h) in _BOX_MM.items():
        box_w, box_h = box_w * _PT_PER_MM, (box_h - legend_mm) * _PT_PER_MM
        layout = PictureLayout(orientation, min(box_w / width_pt, box_h / height_pt, _MAX_UPSCALE))
        if best is None or layout.scale > best.scale:
            best = layout
    assert best is not None
    return best


def _paper_picture(drawing: Drawing, header: str, legend: str) -> str:
    """The picture's page for the PDF: the SVG scaled to fill one A4 page, the legend under it; a
    picture whose labels would print under OVERVIEW_BELOW_PT there (hundreds of actors) is a PNG of
    the same layout instead, lighter to print and the same to look at."""
    svg = drawing.svg
    width, height = _svg_size(svg)
    layout = layout_picture(width, height)
    w_pt, h_pt = width * layout.scale, height * layout.scale
    if _smallest_font(svg) * layout.scale < OVERVIEW_BELOW_PT:
        w_mm, h_mm = w_pt / _PT_PER_MM, h_pt / _PT_PER_MM
        png = raster(drawing, dpi=OVERVIEW_DPI, width_in=w_mm / 25.4, height_in=h_mm / 25.4)
        src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        figure = (f'<img class=overview alt="the picture" src="{src}" style="width:{w_mm:.1f}mm;height:{h_mm:.1f}mm">'
                  f'<figcaption class="tile-note">An overview at {OVERVIEW_DPI} dpi; export the picture as SVG '
                  "to zoom in on it.</figcaption>")
    else:
        figure = re.sub(r"<svg\b", f'<svg width="{w_pt:.2f}pt" height="{h_pt:.2f}pt"', _svg_inline(svg), count=1)
    return f'<section class="tile {layout.orientation}">{header}<figure>{figure}</figure>{legend}</section>'


def _legend(batch: GraphBatch, *, center: str | None, isolated: bool) -> str:
    """The picture's legend as text beside it (not inside the drawing, where it would shrink with
    it): a swatch per actor type drawn, the centre's double border, and the two line styles."""
    drawn = drawn_actors(batch, center=center, isolated=isolated)
    types = [t for t in NodeType if any(batch.actors[a].type is t for a in drawn)]
    if not types:
        return ""
    items = [f'<li><span class="node" style="border-color:{TYPE_COLOURS[t]};background:{TYPE_COLOURS[t]}33">'
             f"</span>{_e(t.value)}</li>" for t in types]
    if center in batch.actors:
        items.append(f'<li><span class="node centre"></span>centre: {_e(batch.actors[center].name)}</li>')
    rels = list(batch.relations.values())
    if any(not single_sourced(batch, [r]) for r in rels):
        items.append('<li><span class="line"></span>reported by 2 outlets or more</li>')
    if any(single_sourced(batch, [r]) for r in rels):
        items.append('<li><span class="line dashed"></span>a single outlet</li>')
    items.append("<li>arrow: from subject to object (none for MET and SIGNED, which run both ways)</li>")
    return f'<ul class="legend" aria-label="legend">{"".join(items)}</ul>'


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
    """'2 outlets, 3 articles' and when first and last reported; a single source is marked."""
    c = corroborate(rel.provenance, batch.articles)
    text = f"{c.sources} outlet{'s' * (c.sources != 1)}, {c.articles} article{'s' * (c.articles != 1)}"
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


def _table(name: str, columns: list[tuple[str, str | None]], rows: list[list[str]]) -> str:
    """A table of ``columns`` (heading, cell class) leaving out every column empty in all ``rows``
    (no Place column when no relation has a place): on paper an empty column is width lost to the
    columns that hold text."""
    keep = [i for i in range(len(columns)) if any(r[i] for r in rows)] if rows else list(range(len(columns)))
    head = "".join(f"<th>{columns[i][0]}</th>" for i in keep)
    body = "".join("<tr>" + "".join(f"<td class={columns[i][1]}>{r[i]}</td>" if columns[i][1] else f"<td>{r[i]}</td>"
                                    for i in keep) + "</tr>" for r in rows)
    return f"<table class={name}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


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
        rows.append([_e(rel.date) or "<span class=muted>—</span>", _e(rel.type.value), _name(batch, rel.source),
                     _name(batch, rel.target), _name(batch, rel.place) if rel.place else "", _e(rel.what),
                     _corroboration(batch, rel), quotes])
    return _table("relations", [("Date", "date"), ("Relation", "type"), ("From", None), ("To", None), ("Place", None),
                                ("What", None), ("Sources", "sources"), ("Citing sentences", "quotes")], rows)


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
    rows = [[f"{_swatch(a.type)}{_e(a.name)}", _e(a.type.value), _e(a.rank), _e(a.title), _e("; ".join(a.aliases)),
             f"<code>{_e(a.id)}</code>"] for a in actors]
    return _table("actors", [("Name", None), ("Type", "type"), ("Rank", None), ("Title", None), ("Aliases", None),
                             ("Id", None)], rows)


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
        legend = _legend(batch, center=center, isolated=isolated)
        drawing = draw(batch, center=center, isolated=isolated, legend=False)
        picture = f'<div id="picture">{_paper_picture(drawing, header, legend)}</div>'
    else:
        svg = to_svg(batch, center=center, isolated=isolated, legend=False)
        picture = (f'{header}<section id="picture"><figure>{_svg_inline(svg)}</figure>'
                   f'{_legend(batch, center=center, isolated=isolated)}</section>')
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
