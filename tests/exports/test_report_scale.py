"""The PDF report of a big graph stays a few dozen pages: tables cut to the top rows, each cut
named with the count left out and where the full list is (a CSV attached to the PDF), and the
picture printed once, as an overview. A small report still prints every row."""
from __future__ import annotations

import csv
import io

import pytest

from graph.exports.report import OVERVIEW_DPI, PDF_MAX_ROWS, to_pdf
from graph.model import GraphBatch
from tests.sample_graph import sample_batch

MAX_PAGES = 25  # the picture, and some 100 rows in each of three tables


def _text(pdf) -> str:
    return " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))


def _attachments(pdf) -> dict[str, bytes]:
    out = {}
    for i in range(pdf.count_attachments()):
        a = pdf.get_attachment(i)
        out[a.get_name()] = bytes(a.get_data())
    return out


@pytest.fixture(scope="module")
def big() -> tuple[GraphBatch, object]:
    import pypdfium2 as pdfium  # the test extra; a missing reader must fail, not skip

    from bench.export import synthetic_batch

    batch = synthetic_batch(1200)  # past one page of legible picture and PDF_MAX_ROWS rows alike
    assert len(batch.relations) > 3 * PDF_MAX_ROWS and len(batch.actors) > PDF_MAX_ROWS
    return batch, pdfium.PdfDocument(to_pdf(batch, title="Synthetic", generated="2025-04-01 12:00 UTC"))


def test_big_report_is_a_few_dozen_pages_with_the_picture_once_as_an_overview(big):
    import pypdfium2.raw as pdfium_c

    batch, pdf = big
    assert 3 <= len(pdf) <= MAX_PAGES, len(pdf)
    first = pdf[0].get_textpage().get_text_range()
    assert "An overview at" in " ".join(first.split())
    images = [(i, obj) for i in range(len(pdf)) for obj in pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
    assert [i for i, _ in images] == [0]  # embedded once, on the first page
    width, height = images[0][1].get_px_size()
    assert max(width, height) >= 6 * OVERVIEW_DPI  # a sensible resolution: 6 inches or more at 200 dpi


def test_big_report_says_what_it_left_out_and_where_the_full_lists_are(big):
    batch, pdf = big
    text = _text(pdf)
    n = len(batch.relations)
    left = n - PDF_MAX_ROWS
    assert f"Printed: {PDF_MAX_ROWS:,} of {n:,} relations" in text
    assert f"{left:,} left out" in text and "relations.csv" in text and "attached to this PDF" in text
    assert f"Printed: {PDF_MAX_ROWS:,} of {len(batch.actors):,} actors" in text and "actors.csv" in text
    assert f"{len(batch.actors)} actors · {n} relations" in text  # the header counts the whole graph


def test_big_report_carries_every_relation_actor_and_source_in_its_attached_csv(big):
    batch, pdf = big
    files = _attachments(pdf)
    assert set(files) == {"relations.csv", "actors.csv", "sources.csv"}
    relations = list(csv.DictReader(io.StringIO(files["relations.csv"].decode("utf-8"))))
    assert sorted(r["relation"] for r in relations) == sorted(batch.relations)
    by_key = {r["relation"]: r for r in relations}
    some = next(r for r in batch.relations.values() if r.provenance)
    row = by_key[some.key]
    assert row["to"] == batch.actors[some.target].name and row["date"] == (some.date or "")
    assert some.provenance[0].sentence in row["citations"]
    actors = list(csv.DictReader(io.StringIO(files["actors.csv"].decode("utf-8"))))
    assert sorted(a["id"] for a in actors) == sorted(batch.actors)
    sources = list(csv.DictReader(io.StringIO(files["sources.csv"].decode("utf-8"))))
    assert sorted(s["article"] for s in sources) == sorted(batch.articles)


def test_big_report_prints_the_best_corroborated_relations():
    """The cut keeps the relations reported by the most outlets: here the one relation with three."""
    import pypdfium2 as pdfium

    from bench.export import synthetic_batch
    from graph.model import Provenance

    batch = synthetic_batch(20, articles=3)  # a small picture: the tables are under test
    late = max((r for r in batch.relations.values() if r.provenance), key=lambda r: (r.date or "", r.key))
    outlets = {}
    for k, (article, outlet) in enumerate(zip(sorted(batch.articles.values(), key=lambda a: a.id),
                                              ["Herald", "Times", "Gazette"])):
        article.source = outlet
        outlets[article.id] = f"Confirmed by the {outlet} desk, sentence {k}."
    late.provenance = [Provenance(aid, sentence, 0, len(sentence)) for aid, sentence in outlets.items()]
    pdf = pdfium.PdfDocument(to_pdf(batch, generated="now", rows=5))
    text = _text(pdf)
    assert "Printed: 5 of" in text
    assert all(sentence in text for sentence in outlets.values())  # the latest event, yet printed


def test_small_report_prints_every_relation_and_attaches_nothing():
    import pypdfium2 as pdfium

    batch = sample_batch()
    pdf = pdfium.PdfDocument(to_pdf(batch, generated="now"))
    text = _text(pdf)
    assert pdf.count_attachments() == 0 and "left out" not in text and "Printed:" not in text
    for rel in batch.relations.values():
        for p in rel.provenance:
            assert " ".join(p.sentence.split()) in text, p.sentence


def test_rows_none_prints_every_row():
    """The appendix on request: ``rows=None`` cuts nothing and attaches nothing."""
    import pypdfium2 as pdfium

    from bench.export import synthetic_batch

    batch = synthetic_batch(15)
    pdf = pdfium.PdfDocument(to_pdf(batch, generated="now", rows=None))
    cut = pdfium.PdfDocument(to_pdf(batch, generated="now", rows=3))
    assert pdf.count_attachments() == 0 and "Printed:" not in _text(pdf)
    assert cut.count_attachments() == 3 and f"Printed: 3 of {len(batch.relations)} relations" in _text(cut)


def test_cli_report_rows_cuts_the_pdf_and_zero_prints_every_row(tmp_path):
    import os
    import subprocess
    import sys

    import pypdfium2 as pdfium

    from bench.export import synthetic_batch
    from graph.stores.embedded.store import EmbeddedStore
    from tests.extraction.support import REPO

    batch = synthetic_batch(15)
    data = tmp_path / "data"
    data.mkdir()
    with EmbeddedStore(data / "graph.sqlite") as store:
        store.upsert(batch)
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data)}
    out = {}
    for rows in ("4", "0"):
        path = tmp_path / f"r{rows}.pdf"
        p = subprocess.run([sys.executable, "-m", "service.cli", "export", "-o", str(path), "--report-rows", rows],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr
        out[rows] = pdfium.PdfDocument(path.read_bytes())
    assert f"Printed: 4 of {len(batch.relations)} relations" in _text(out["4"]) and out["4"].count_attachments() == 3
    assert "Printed:" not in _text(out["0"]) and out["0"].count_attachments() == 0
    bad = subprocess.run([sys.executable, "-m", "service.cli", "export", "-o", str(tmp_path / "x.pdf"),
                          "--report-rows", "-1"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--report-rows" in bad.stderr
