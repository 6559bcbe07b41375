"""The subgraph report: a self-contained HTML page, and the same page as PDF rendered to a picture."""
from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import pytest

from graph.exports.report import to_html, to_pdf
from graph.model import GraphBatch
from tests.sample_graph import TRICKY_SENTENCE, sample_batch


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
