"""A report on a subgraph: one self-contained HTML page, and the same page as PDF.

The page holds the picture (inline SVG, so it needs no other file), the relations with their dates,
places and citing sentences, the actors, and the source articles with their metadata; citations
point at the numbered source list. The PDF is that HTML rendered by WeasyPrint, so the two never
drift apart. WeasyPrint was chosen over headless Chromium (a browser binary and a process per
report) and ReportLab (a second layout to keep in step, and no SVG without more packages): it is a
PyPI package that needs only Pango from Debian, renders inline SVG and paged-media CSS (page size,
page numbers, repeated table headers), and fetches nothing when told not to.
"""
from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import urlsplit

from graph.exports.errors import ExportUnavailable
from graph.exports.palette import TYPE_COLOURS
from graph.exports.picture import to_svg
from graph.model import EVENT_TYPES, Article, GraphBatch, NodeType, Relation

__all__ = ["to_html", "to_pdf", "DEFAULT_TITLE"]

DEFAULT_TITLE = "Actor graph report"

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
@page { size: A4 landscape; margin: 12mm 12mm 15mm;
        @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #888; } }
/* A fixed box on paper: the SVG keeps its ratio inside it (preserveAspectRatio), and the header
   plus picture fit the first landscape page instead of pushing the picture to the second. */
@media print { body { margin: 0; max-width: none; padding: 0; }
               figure svg { width: 100%; height: 150mm; max-height: none; } }
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
    if not actor_id:
        return ""
    actor = batch.actors.get(actor_id)
    return _e(actor.name) if actor else f"<code>{_e(actor_id)}</code>"


def _swatch(type_: NodeType) -> str:
    return f'<span class="swatch" style="background:{TYPE_COLOURS[type_]}"></span>'


def _sort_key(rel: Relation) -> tuple:
    # Events in date order first (undated events after dated ones), then the timeless structure.
    return (rel.type not in EVENT_TYPES, rel.date is None, rel.date or "", rel.type.value, rel.key)


def _sources(batch: GraphBatch) -> list[str]:
    """Article ids in citation order: every cited article, plus the batch's uncited ones at the end."""
    cited = dict.fromkeys(p.article for r in sorted(batch.relations.values(), key=_sort_key) for p in r.provenance)
    return list(cited) + sorted(set(batch.articles) - set(cited))


def _relations_table(batch: GraphBatch, number: dict[str, int]) -> str:
    rows = []
    for rel in sorted(batch.relations.values(), key=_sort_key):
        quotes = "".join(
            f'<blockquote>{_e(p.sentence)} <a class="ref" href="#source-{number[p.article]}">'
            f'[{number[p.article]}]</a></blockquote>'
            for p in rel.provenance
        )
        rows.append(
            f"<tr><td class=date>{_e(rel.date) or '<span class=muted>—</span>'}</td>"
            f"<td class=type>{_e(rel.type.value)}</td><td>{_name(batch, rel.source)}</td>"
            f"<td>{_name(batch, rel.target)}</td><td>{_name(batch, rel.place)}</td><td>{_e(rel.what)}</td>"
            f"<td>{quotes}</td></tr>"
        )
    return ("<table class=relations><thead><tr><th>Date</th><th>Relation</th><th>From</th><th>To</th>"
            "<th>Place</th><th>What</th><th>Citing sentences</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def _actors_table(batch: GraphBatch) -> str:
    rows = "".join(
        f"<tr><td>{_swatch(a.type)}{_e(a.name)}</td><td class=type>{_e(a.type.value)}</td><td>{_e(a.rank)}</td>"
        f"<td>{_e(a.title)}</td><td>{_e('; '.join(a.aliases))}</td><td><code>{_e(a.id)}</code></td></tr>"
        for a in sorted(batch.actors.values(), key=lambda a: (a.type.value, a.name.casefold(), a.id))
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


def to_html(batch: GraphBatch, *, title: str = DEFAULT_TITLE, generated: str | None = None) -> str:
    """The report page. ``generated`` is printed as the creation time (default: now, in UTC)."""
    generated = generated or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sources = _sources(batch)
    number = {article_id: n for n, article_id in enumerate(sources, start=1)}
    picture = _svg_inline(to_svg(batch)) if batch.actors else "<p class=muted>No actors.</p>"
    items = "".join(_source_item(n, a, batch.articles.get(a)) for a, n in number.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="generator" content="actorgraph">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_e(title)}</h1>
<p class="meta">{len(batch.actors)} actors · {len(batch.relations)} relations · {len(sources)} source articles
 · generated {_e(generated)}</p>
</header>
<section id="picture"><figure>{picture}</figure></section>
<section id="relations"><h2>Relations</h2>{_relations_table(batch, number)}</section>
<section id="actors"><h2>Actors</h2>{_actors_table(batch)}</section>
<section id="sources"><h2>Sources</h2><ol class="sources">{items}</ol></section>
</body>
</html>
"""


def _refuse_fetch(url: str, *args: object, **kwargs: object) -> dict:
    # The page is self-contained; refusing fetches keeps rendering offline whatever a URL says.
    raise ValueError(f"report rendering fetches nothing (asked for {url!r})")


def to_pdf(batch: GraphBatch, *, title: str = DEFAULT_TITLE, generated: str | None = None) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: the package is there but Pango is not
        raise ExportUnavailable(
            "PDF reports need WeasyPrint and Pango: pip install 'actorgraph[report]' and "
            f"apt-get install libpango-1.0-0 libpangoft2-1.0-0 ({exc})") from exc
    page = to_html(batch, title=title, generated=generated)
    return weasyprint.HTML(string=page, url_fetcher=_refuse_fetch).write_pdf()
