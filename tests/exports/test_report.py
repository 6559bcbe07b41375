"""The subgraph report: a self-contained HTML page, and the same page as PDF rendered to a picture."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from graph.exports.report import MIN_FONT_PT, layout_picture, to_html, to_pdf
from graph.model import Actor, GraphBatch, NodeType, Provenance, Relation, RelType, actor_id
from tests.sample_graph import IDS, TRICKY_SENTENCE, sample_batch


class _Page(HTMLParser):
    """Collects what the assertions need: tags, ids, links, external references and the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.external: list[str] = []
        self.rows: dict[str, int] = {}
        self._table: str | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])
        if tag in ("img", "script", "iframe", "object", "embed") and a.get("src"):
            self.external.append(a["src"])
        if tag == "link" and a.get("href"):
            self.external.append(a["href"])
        if tag == "table":
            self._table = a.get("class")
        if tag == "tr" and self._table:
            self.rows[self._table] = self.rows.get(self._table, 0) + 1

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def batch() -> GraphBatch:
    return sample_batch()


@pytest.fixture(scope="module")
def page(batch) -> tuple[str, _Page]:
    html = to_html(batch, title="Freedonia & Sylvania", generated="2025-04-01 12:00 UTC")
    parsed = _Page()
    parsed.feed(html)
    return html, parsed


def test_html_is_self_contained_with_the_picture_inline(page, batch):
    html, parsed = page
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html and "<?xml" not in html and "<!DOCTYPE svg" not in html
    assert parsed.external == []  # nothing to fetch: no images, scripts or stylesheets elsewhere
    assert "svg" in parsed.tags and "style" in parsed.tags
    assert "<title>Freedonia &amp; Sylvania</title>" in html


def test_html_tables_list_relations_with_dates_places_and_citations(page, batch):
    html, parsed = page
    assert parsed.rows["relations"] == len(batch.relations) + 1  # + the header row
    assert parsed.rows["actors"] == len(batch.actors) + 1
    text = "".join(parsed.text)
    for shown in ("2025-03-04", "2025-03-06", "Vellmar", "defence cooperation memorandum",
                  "She later toured Port Carrow Naval Base.", "Chief of Defence Staff"):
        assert shown in text
    assert TRICKY_SENTENCE in text  # the sentence survives whole, as text...
    assert "<b>more</b>" not in html and "&lt;b&gt;more&lt;/b&gt;" in html  # ...and never as markup


def test_citations_point_at_the_numbered_sources(page, batch):
    html, parsed = page
    refs = {h for h in parsed.hrefs if h.startswith("#")}
    assert refs and all(r[1:] in parsed.ids for r in refs)
    sources = re.findall(r'<li id="source-(\d+)"', html)
    assert len(sources) == len(batch.articles)
    text = "".join(parsed.text)
    for article in batch.articles.values():
        assert article.id in text
        for value in (article.title, article.source, article.published):
            if value:
                assert value in text
    assert "https://example.org/a1?x=1&y=2" in parsed.hrefs


def test_empty_report_still_renders():
    html = to_html(GraphBatch(), generated="now")
    assert "No actors." in html and "0 relations" in html


def test_pdf_first_page_renders_and_is_not_blank(batch):
    import pypdfium2 as pdfium  # the test extra; a missing renderer must fail, not skip
    from PIL import Image

    data = to_pdf(batch, title="Freedonia & Sylvania", generated="2025-04-01 12:00 UTC")
    assert data.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 2  # the picture page, then the tables
    first = pdf[0]
    image: Image.Image = first.render(scale=1).to_pil().convert("L")
    assert image.width > 500 and image.height > 300
    histogram = image.histogram()
    ink = sum(histogram[:128]) / (image.width * image.height)
    assert 0.002 < ink < 0.5, ink  # some dark pixels (text, lines), yet mostly paper
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    for shown in ("Freedonia & Sylvania", "Anna Brežka", "2025-03-06", "Sylvanian Times"):
        assert shown in text
    png = io.BytesIO()
    image.save(png, "PNG")
    assert png.getvalue()[:4] == b"\x89PNG"


# -- on paper: legible labels, pages turned to the picture, names in the tables ----------------------

def _font_sizes(page) -> list[float]:
    """The printed size in points of every visible character on a PDF page, from pdfium's text
    objects: the font size in text space times the scale of the character's matrix."""
    import math

    import pypdfium2.raw as pdfium_c

    text = page.get_textpage()
    sizes = []
    for i in range(text.count_chars()):
        if chr(pdfium_c.FPDFText_GetUnicode(text, i)).isspace():
            continue
        m = pdfium_c.FS_MATRIX()
        assert pdfium_c.FPDFText_GetMatrix(text, i, m)
        sizes.append(pdfium_c.FPDFText_GetFontSize(text, i) * math.sqrt(abs(m.a * m.d - m.b * m.c)))
    return sizes


def _pdf(batch: GraphBatch, **kwargs):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(to_pdf(batch, title="Freedonia & Sylvania", generated="2025-04-01 12:00 UTC", **kwargs))


def test_pdf_first_page_prints_every_label_at_7_pt_or_more_on_a4(batch):
    pdf = _pdf(batch, center=IDS["brezka"])
    first = pdf[0]
    width, height = sorted(first.get_size())
    assert (round(width), round(height)) == (595, 842)  # A4 in points, either way round
    sizes = _font_sizes(first)
    text = first.get_textpage().get_text_range()
    assert "Anna Brežka" in text and "MET 2025-03-04" in text  # the picture's labels are on this page...
    assert len(sizes) > 200 and min(sizes) >= MIN_FONT_PT - 0.01, min(sizes)  # ...and none is under 7 pt
    assert min(sizes) < 8.5  # the edge labels are the smallest text, scaled to fit: the check sees them
    for i in range(1, len(pdf)):
        assert min(_font_sizes(pdf[i])) >= MIN_FONT_PT - 0.01, i


def test_pdf_page_is_turned_to_the_picture(batch):
    import re

    from graph.exports.picture import to_svg

    svg = to_svg(batch, legend=False)
    w, h = (float(x) for x in re.search(r'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)"', svg).groups())
    first = _pdf(batch)[0]
    pw, ph = first.get_size()
    assert (pw > ph) == (layout_picture(w, h).orientation == "landscape")


@pytest.mark.parametrize("size, orientation", [((700, 300), "landscape"), ((300, 700), "portrait")])
def test_layout_turns_the_page_to_the_picture(size, orientation):
    layout = layout_picture(*size)
    assert (layout.orientation, layout.pages) == (orientation, 1)
    assert max(size) * layout.scale > 600  # filling most of the page's length (842 pt less margins)


def test_layout_scales_a_large_picture_down_onto_one_page():
    layout = layout_picture(3000, 2000)
    assert layout.pages == 1 and layout.orientation == "landscape"
    assert 3000 * layout.scale <= (297 - 24) * 72 / 25.4 + 0.01 and layout.scale < 0.3


def test_pdf_of_a_large_picture_prints_it_on_one_page_never_tiled():
    from bench.export import synthetic_batch
    from graph.exports.picture import drawn_actors

    big = synthetic_batch(40)
    pdf = _pdf(big)
    text = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    drawn = [big.actors[a].name for a in drawn_actors(big)]
    assert len(drawn) > 30
    # Every actor's label is on the first page (the picture), none on the next (the tables begin).
    squeezed = "".join(text[0].split())  # a long name is wrapped onto two lines in its box
    on_first = [n for n in drawn if "".join(n.split()) in squeezed]
    assert len(on_first) == len(drawn), set(drawn) - set(on_first)
    assert "Relations" in text[1] and "Picture, part" not in "".join(text)


def _ids_in(text: str, batch: GraphBatch) -> list[str]:
    ids = set(batch.actors) | {r.place for r in batch.relations.values() if r.place}
    return sorted(i for i in ids if i in text)


def test_tables_print_names_not_ids_even_for_places_outside_the_subgraph(batch):
    b = sample_batch()
    b.add_relation(Relation(IDS["marn"], IDS["brezka"], RelType.MET, date="2025-04-02", place="place:castel-vor",
                            provenance=[Provenance("a3.txt", "Marn met Brežka in Castel Vor.", 300, 330)]))
    html = to_html(b, generated="now")
    relations = html[html.index('<section id="relations">'):html.index('<section id="actors">')]
    assert "Castel Vor" in relations and _ids_in(relations, b) == []
    pdf = _pdf(b)
    pages = "".join(pdf[i].get_textpage().get_text_range() for i in range(1, len(pdf)))
    table = pages[pages.index("Relations"):pages.index("Actors")]
    assert "Castel Vor" in table and "Vellmar" in table and "Anna Brežka" in table
    assert _ids_in(table, b) == []


def test_a_selected_subgraph_names_its_places_as_the_store_does(tmp_path):
    """The ego network of Brežka holds no place actor, yet its meeting places print by their real
    names (accents and all), looked up in the store when the subgraph is selected."""
    from graph.stores.embedded.store import EmbeddedStore
    from graph.queries.subgraphs import select_subgraph

    b = sample_batch()
    vor = Actor(id=actor_id(NodeType.PLACE, "Castel Vör"), type=NodeType.PLACE, name="Castel Vör")
    b.add_actor(vor)
    b.add_relation(Relation(vor.id, IDS["sylvania"], RelType.LOCATED_IN))
    b.add_relation(Relation(IDS["marn"], IDS["brezka"], RelType.MET, date="2025-04-02", place=vor.id,
                            provenance=[Provenance("a3.txt", "Marn met Brežka in Castel Vör.", 300, 330)]))
    store = EmbeddedStore(tmp_path / "graph.json")
    store.upsert(b)
    ego = select_subgraph(store, IDS["brezka"], depth=1)
    assert vor.id not in ego.actors and IDS["vellmar"] not in ego.actors
    assert ego.places == {vor.id: "Castel Vör", IDS["vellmar"]: "Vellmar"}
    html = to_html(ego, generated="now")
    relations = html[html.index('<section id="relations">'):html.index('<section id="actors">')]
    assert "Castel Vör" in relations and vor.id not in relations
