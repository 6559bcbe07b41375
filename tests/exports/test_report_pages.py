"""The report an analyst hands on, as the CLI writes it for an ego network of the example articles
(fictional states and people): its PDF pages rendered to PNG and read back.

The picture is on the first page, whole (every actor's label there, none cut off by a tile), with
its legend under it as text; the tables are compact (a handful of pages); the sources carry the
articles' headlines. The PNGs are kept in the test's folder (printed) to be looked at.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.extraction.support import REPO

EXAMPLES = REPO / "examples"
CENTER = "state:ostrland"
MAX_PAGES = 6


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    p = subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env=env, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return p


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("report-pages")
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(folder / "data")}
    cli(env, "ingest", str(EXAMPLES / "articles"), "--vocab", str(EXAMPLES / "vocab"))
    cli(env, "export", "--center", CENTER, "--depth", "2", "-o", str(folder / "ego.pdf"))
    cli(env, "export", "--center", CENTER, "--depth", "2", "-o", str(folder / "ego.json"))
    cli(env, "export", "--center", CENTER, "--depth", "2", "-o", str(folder / "ego.html"))
    print(f"\nreport pages: {folder}")
    return folder, json.loads((folder / "ego.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pages(exported) -> list[tuple[str, Path]]:
    """Each page's text and its PNG (rendered at 100 dpi)."""
    import pypdfium2 as pdfium  # the test extra: a missing renderer fails, never skips

    folder, _ = exported
    pdf = pdfium.PdfDocument((folder / "ego.pdf").read_bytes())
    out = []
    for i in range(len(pdf)):
        png = folder / f"page-{i + 1}.png"
        pdf[i].render(scale=100 / 72).to_pil().save(png)
        out.append((pdf[i].get_textpage().get_text_range(), png))
    return out


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_the_ego_network_is_drawn_whole_on_the_first_page(exported, pages):
    _, ego = exported
    names = [n["name"] for n in ego["nodes"]]
    assert len(names) >= 15  # the example articles' largest ego networks have 18 actors or so
    first = squeeze(pages[0][0])
    assert [n for n in names if squeeze(n) not in first] == []
    assert "Picture, part" not in first and all(squeeze(n) not in squeeze(pages[1][0]).split("Relations")[0]
                                                for n in names)


def test_the_picture_fills_its_page_and_the_legend_is_printed_beside_it(pages):
    from PIL import Image

    text, png = pages[0]
    flat = " ".join(text.split())
    for entry in ("Person", "State", "ArmedForce", "a single outlet", "arrow: from subject to object"):
        assert entry in flat, entry
    image = Image.open(png).convert("L")
    ink = image.point(lambda v: 255 if v < 200 else 0).getbbox()  # the box around everything printed
    assert ink is not None
    x0, y0, x1, y1 = ink
    assert (x1 - x0) > 0.7 * image.width and (y1 - y0) > 0.6 * image.height, (ink, image.size)


def test_the_tables_are_compact(pages):
    assert len(pages) <= MAX_PAGES, len(pages)
    relations = [t for t, _ in pages if "Citing sentences" in t]
    assert relations and len(relations) <= 3


def test_sources_are_titled_by_their_headlines(pages, exported):
    folder, _ = exported
    lines = [line for t, _ in pages for line in t.splitlines()]
    for name in ("01_velorian_army_chief_in_ostrland.txt", "04_marenzian_minister_in_halvik.txt"):
        headline = (EXAMPLES / "articles" / name).read_text(encoding="utf-8").splitlines()[0].strip()
        (source,) = [line for line in lines if line.rstrip().endswith(name)]
        assert source.startswith(headline), source
    # The JSON Lines briefs give no title and open with their first sentence: untitled, honestly.
    assert any(line.startswith("untitled") and "briefs-" in line for line in lines)
    html = (folder / "ego.html").read_text(encoding="utf-8")
    assert '<ul class="legend"' in html and "Velorian army chief holds talks in Halvik" in html
