"""Readers: plain text, HTML main text, JSON Lines, and a clear error per bad file."""
from __future__ import annotations

import json

import pytest

from loaders.read import LoadError, html_article, iter_files, read_path


def test_plain_text_keeps_text_and_names_article_by_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("General Jane Roe met Admiral John Poe.\n", encoding="utf-8")
    [art] = list(read_path(f))
    assert art.id == "a.txt"
    assert art.text.startswith("General Jane Roe met")


def test_html_keeps_article_text_and_drops_chrome():
    html = """<html><head><title>T</title><meta property="article:published_time" content="2026-01-02T10:00Z">
    <script>var x = "General Hidden";</script></head><body><nav>Home | World</nav>
    <article><h1>Headline</h1><p>First paragraph.</p><p>Second &amp; last.</p></article>
    <footer>Copyright</footer></body></html>"""
    art = html_article(html, "page.html")
    assert art.text.splitlines() == ["Headline", "First paragraph.", "Second & last."]
    # trafilatura takes the headline (the page's one <h1>) before <title>, which news sites suffix
    assert art.published == "2026-01-02" and art.title == "Headline"
    assert "Hidden" not in art.text and "Copyright" not in art.text and "Home" not in art.text


def test_jsonl_one_article_per_line_with_metadata(tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_text(json.dumps({"id": "x1", "text": "One.", "date": "2026-02-03", "source": "Wire"}) + "\n\n"
                 + json.dumps({"text": "Two."}) + "\n", encoding="utf-8")
    arts = list(read_path(f))
    assert [a.id for a in arts] == ["x1", "b.jsonl#3"]
    assert arts[0].published == "2026-02-03" and arts[0].source == "Wire"


@pytest.mark.parametrize("content,reason", [
    (b"", "empty file"),
    (b"\x00\x01\x02binary" * 10, "binary file"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"   \n\n  ", "no text"),
])
def test_bad_files_are_refused_with_a_reason_naming_the_file(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(LoadError) as err:
        list(read_path(f))
    assert reason in str(err.value) and str(f) in str(err.value)


def test_oversized_article_is_refused_before_reading(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        fh.truncate(10 * 1024 * 1024)  # a sparse 10 MiB file: refused on its size alone
    with pytest.raises(LoadError, match="too large for one article"):
        list(read_path(f))


def test_bad_jsonl_line_names_its_line(tmp_path):
    f = tmp_path / "c.jsonl"
    f.write_text('{"text": "ok"}\n{"text": 5}\nnot json\n', encoding="utf-8")
    with pytest.raises(LoadError, match=r"line 2: needs an object"):
        list(read_path(f))


def test_folders_are_walked_and_missing_paths_reported(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "ignored.bin").write_bytes(b"x")
    items = list(iter_files([tmp_path, tmp_path / "nope.txt"]))
    names = [i.name for i in items if not isinstance(i, LoadError)]
    assert names == ["b.html", "a.txt"]
    assert isinstance(items[-1], LoadError) and "no such file" in str(items[-1])


def test_a_bad_jsonl_line_is_named_and_the_other_lines_are_read(tmp_path):
    from loaders.pipeline import read_articles
    f = tmp_path / "mixed.jsonl"
    f.write_bytes(b'{"id": "a", "text": "One."}\n'
                  b'{"id": "b", "text": \n'            # line 2: cut short
                  b'{"id": "c", "text": "Three."}\n'
                  b'\xc3\x28 garbage\n'               # line 4: not UTF-8
                  b'{"id": "e", "text": "   "}\n'      # line 5: no text
                  b'{"id": "f", "text": "Six."}\n')
    errors: list = []
    arts = list(read_articles([f], errors))
    assert [a.id for a in arts] == ["a", "c", "f"]
    [err] = errors
    assert err.path == str(f)
    assert "3 of 6 lines skipped" in err.reason
    assert "line 2: not JSON" in err.reason and "line 4: not UTF-8" in err.reason and "line 5: needs" in err.reason


def test_a_too_large_jsonl_line_skips_only_that_line(tmp_path):
    f = tmp_path / "big.jsonl"
    f.write_text(json.dumps({"text": "x" * 500}) + "\n" + json.dumps({"text": "Small."}) + "\n")
    arts = []
    with pytest.raises(LoadError, match="line 1: too large"):
        for a in read_path(f, max_bytes=100):
            arts.append(a)
    assert [a.text for a in arts] == ["Small."]


@pytest.mark.parametrize("encoding, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                           ("utf-16-be", b"\xfe\xff")])
def test_text_with_a_byte_order_mark_is_decoded(tmp_path, encoding, bom):
    text = "General Jane Roe met Admiral John Poe in Ostrava — at last.\n"
    f = tmp_path / "bom.txt"
    f.write_bytes(bom + text.encode(encoding))
    [art] = list(read_path(f))
    assert art.text == text
    lines = tmp_path / "bom.jsonl"
    lines.write_bytes(bom + (json.dumps({"id": "u1", "text": "Ünïcode one."}, ensure_ascii=False) + "\n"
                             + json.dumps({"id": "u2", "text": "Two."}) + "\n").encode(encoding))
    assert [(a.id, a.text) for a in read_path(lines)] == [("u1", "Ünïcode one."), ("u2", "Two.")]


def test_utf16_without_a_bom_is_still_refused_as_binary(tmp_path):
    f = tmp_path / "nobom.txt"
    f.write_bytes("Plain words.".encode("utf-16-le"))
    with pytest.raises(LoadError, match="binary"):
        list(read_path(f))


@pytest.mark.parametrize("text, title", [
    ("Velorian army chief holds talks in Halvik\nBy a staff reporter\n\nGeneral Reyvik met officials.", 
     "Velorian army chief holds talks in Halvik"),
    ("\n\n# Marenzia signs a pact\n\nThe two states signed it.", "Marenzia signs a pact"),
    ("Who will lead the Ostrland Navy?\nThe choice falls this week.", "Who will lead the Ostrland Navy?"),
    ("General Reyvik met Admiral Brandt in Halvik on Monday.\nThey spoke of patrols.", None),  # a sentence
    ("Only one line, no body", None),
    (" ".join(["word"] * 25) + "\nbody", None),  # too long for a headline
])
def test_a_text_articles_title_is_its_headline_line(tmp_path, text, title):
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    (art,) = read_path(path)
    assert art.title == title and art.text == text  # the text is kept whole: the headline is read too

def test_links_inside_a_folder_that_are_not_read_are_named(tmp_path):
    from pathlib import Path

    from loaders.read import LoadError, iter_files

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("An article.")
    (tmp_path / "sub" / "loop").symlink_to("..")
    (tmp_path / "dangling.txt").symlink_to("nowhere.txt")
    (tmp_path / "good.txt").symlink_to(tmp_path / "sub" / "a.txt")
    found = list(iter_files([tmp_path]))
    files = [f for f in found if not isinstance(f, LoadError)]
    errors = {Path(e.path).name: str(e) for e in found if isinstance(e, LoadError)}
    assert files == [tmp_path / "good.txt", tmp_path / "sub" / "a.txt"]
    assert "a link to nothing (nowhere.txt)" in errors["dangling.txt"]
    assert "a link loop" in errors["loop"]
