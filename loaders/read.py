"""Reading articles: plain text, HTML (main text and metadata, by trafilatura) and JSON Lines, each with a clear error per file.

A reader yields ``RawArticle``s and raises ``LoadError`` naming the file; callers carry on with the
next file. Nothing here parses language: that is ``loaders.extract``'s job.
"""
from __future__ import annotations

import codecs
import os
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["RawArticle", "LoadError", "read_path", "iter_files", "MAX_ARTICLE_BYTES", "SUFFIXES"]

# An article larger than this is refused before it is read: news stories are tens of kilobytes,
# and a 10 MB "article" is a dump or a mistake whose parsing would tie up the machine for minutes.
# JSON Lines files may be any size; the limit holds for each line. Settable per call.
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
SUFFIXES = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
            ".jsonl": "jsonl", ".ndjson": "jsonl"}


class LoadError(Exception):
    """An input that cannot be read as an article; the message names the file."""

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = str(path), reason
        super().__init__(f"{path}: {reason}")


@dataclass
class RawArticle:
    id: str                      # what provenance cites: the file name, or file#line for JSON Lines
    text: str
    published: str | None = None  # ISO date given by the caller or the container (HTML meta, JSON)
    source: str | None = None
    url: str | None = None
    title: str | None = None
    path: str | None = None


def _link_problem(link: Path) -> str | None:
    """Why a symbolic link inside a folder is not read: it points nowhere, back up its own tree
    (a loop), or at a folder (links to folders are not followed); None for a link to a file."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return f"a link to nothing ({os.readlink(link)})"
    except (RuntimeError, OSError):  # RuntimeError: a loop of links resolving to each other
        return "a link loop, not followed"
    if target.is_dir():
        if link.parent.resolve() == target or target in link.parent.resolve().parents:
            return "a link loop (to a folder above it), not followed"
        return "a link to a folder, not followed (link its files, or name the folder itself)"
    return None


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | LoadError]:
    """Expand folders (recursively, readable suffixes only, sorted); yield a LoadError for a missing
    path and for a link inside a folder that is not read (dangling, a loop, a folder)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if f.is_symlink() and not f.name.startswith(".") and (problem := _link_problem(f)):
                    yield LoadError(f, problem)  # said, not skipped in silence
                elif f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith("."):
                    yield f
        elif path.is_file():
            yield path
        else:
            yield LoadError(path, "no such file or folder")


# Byte order marks, longest first (UTF-32 LE's begins with UTF-16 LE's): text saved by Windows tools.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# A JSON Lines file with bad lines names this many of them; the count says how many in all.
_MAX_LINES_NAMED = 10


def _bom_encoding(head: bytes) -> str | None:
    return next((enc for bom, enc in _BOMS if head.startswith(bom)), None)


def _decode(path: Path, data: bytes, sniff: bool = True) -> str:
    """The text of a file (``sniff``: honour a UTF-16/32 byte order mark), else UTF-8."""
    encoding = _bom_encoding(data[:4]) if sniff else None
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise LoadError(path, f"not {encoding.split('-sig')[0].upper()} text despite its byte order mark "
                                  f"(bad byte at offset {exc.start})") from None
    if b"\x00" in data[:8192]:
        raise LoadError(path, "binary file (contains NUL bytes), not an article")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(path, f"not UTF-8 text (bad byte at offset {exc.start}); convert it to UTF-8") from None
    return text


def read_path(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[RawArticle]:
    """The articles in one file, by its suffix (unknown suffixes are read as plain text)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(path, exc.strerror or str(exc)) from None
    if size == 0:
        raise LoadError(path, "empty file")
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    if kind == "jsonl":
        yield from _read_jsonl(path, max_bytes)
        return
    if size > max_bytes:
        raise LoadError(path, f"too large for one article ({_mib(size)}; the limit is {_mib(max_bytes)}, "
                              f"set by ACTORGRAPH_MAX_ARTICLE_BYTES); split it, or use JSON Lines")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, exc.strerror or str(exc)) from None
    text = _decode(path, data)
    if kind == "html":
        art = html_article(text, article_id=path.name)
        art.path = str(path)
    else:
        art = RawArticle(id=path.name, text=text, path=str(path), title=headline(text))
    if not art.text.strip():
        raise LoadError(path, "no text in it")
    yield art


# A headline: one line of at most this many words, not a sentence (no full stop at its end), with
# the article's body after it.
HEADLINE_MAX_WORDS = 20


def headline(text: str) -> str | None:
    """A plain-text article's first non-empty line when it reads as a headline ('Velorian army
    chief holds talks in Halvik'), else None: a file that opens with its first sentence has none."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return None
    first = lines[0].lstrip("#").strip()  # a Markdown heading too
    if not first or len(first.split()) > HEADLINE_MAX_WORDS or first.endswith((".", ",", ";", ":")):
        return None
    return first


def _mib(n: int) -> str:
    return f"{n / 2**20:.1f} MiB"


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[RawArticle]:
    """One article per line: {"text": ..., "id"?, "date"?, "source"?, "url"?, "title"?}.

    A bad line does not stop the file: every good line is yielded, then one LoadError names the
    bad lines by number (the callers report it as they report a bad file)."""
    bad: list[str] = []
    total = 0
    for lineno, line in _jsonl_lines(path, max_bytes, bad):
        total = lineno
        if line is None:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append(f"line {lineno}: not JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
            bad.append(f"line {lineno}: needs an object with a non-empty \"text\" string")
            continue
        yield RawArticle(id=str(obj.get("id") or f"{path.name}#{lineno}"), text=obj["text"],
                         published=obj.get("date") or obj.get("published"), source=obj.get("source"),
                         url=obj.get("url"), title=obj.get("title"), path=str(path))
    if bad:
        named = "; ".join(bad[:_MAX_LINES_NAMED]) + ("; ..." if len(bad) > _MAX_LINES_NAMED else "")
        raise LoadError(path, f"{len(bad)} of {total} lines skipped (the other lines were read): {named}")


def _jsonl_lines(path: Path, max_bytes: int, bad: list[str]) -> Iterator[tuple[int, str | None]]:
    """(line number, text) for each non-blank line; None as the text of a line that is too large or
    cannot be decoded (its reason appended to ``bad``). UTF-16/32 files (with a BOM) are decoded as
    a stream; others line by line as UTF-8, so one bad byte costs one line."""
    with open(path, "rb") as fh:
        encoding = _bom_encoding(fh.read(4))
        fh.seek(0)
        if encoding in ("utf-16", "utf-32"):
            lineno = 0
            try:
                for lineno, line in enumerate(codecs.getreader(encoding)(fh), 1):
                    if len(line.encode()) > max_bytes:
                        bad.append(f"line {lineno}: too large for one article")
                        yield lineno, None
                    elif line.strip():
                        yield lineno, line
            except UnicodeDecodeError as exc:  # a stream cannot resync after a bad byte
                bad.append(f"line {lineno + 1}: not {encoding.upper()} text (bad byte at offset {exc.start}); "
                           f"the lines after it were not read")
            return
        for lineno, raw in enumerate(fh, 1):
            if len(raw) > max_bytes:
                bad.append(f"line {lineno}: too large for one article ({_mib(len(raw))}; "
                           f"the limit is {_mib(max_bytes)})")
                yield lineno, None
            elif raw.strip():
                try:
                    yield lineno, _decode(path, raw, sniff=False)  # a BOM only starts a file
                except LoadError as exc:
                    bad.append(f"line {lineno}: {exc.reason}")
                    yield lineno, None


# trafilatura settings: precision over recall (a menu line read as prose would give the extractor a
# false sentence); the date only from the page's markup (meta tags, <time>), never guessed from its
# prose, where the dates are the events'.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def html_article(html: str, article_id: str, url: str | None = None) -> RawArticle:
    """A news page's main text and metadata (headline, date, site name) with trafilatura.

    A page where trafilatura finds no main text (a fragment, a bare list) gives all of its text."""
    import trafilatura  # lxml and its models load on the first HTML page, not with the CLI

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True,
                                      include_comments=False, include_tables=False,
                                      date_extraction_params=_DATE_PARAMS)
    text = _tidy(doc.text) if doc is not None and doc.text else ""
    if not text:
        text = _tidy(trafilatura.html2txt(html) or "")
    if doc is None:
        return RawArticle(id=article_id, text=text, url=url)
    site = doc.sitename or None
    if site and url and site.lower().removeprefix("www.") in _host_names(url):
        site = None  # trafilatura's fallback to the host: the caller knows better (the feed's name)
    return RawArticle(id=article_id, text=text, published=doc.date or None, title=doc.title or None,
                      source=site, url=url)


def _host_names(url: str) -> set[str]:
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    return {n.lower().removeprefix("www.") for n in (parts.netloc, parts.hostname or "") if n}


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
