"""The extraction pipeline: files or raw articles in, one resolved GraphBatch out.

spaCy runs over all articles with ``nlp.pipe`` (batched), long articles in chunks so memory stays
bounded; each article's reader keeps its own coreference state across its chunks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from graph.model import Actor, Article, GraphBatch
from loaders.article import ArticleReader
from loaders.dates import find_published, find_source, parse_published
from loaders.nlp import DEFAULT_MODEL, load_nlp
from loaders.read import MAX_ARTICLE_BYTES, LoadError, RawArticle, iter_files, read_path
from loaders.resolve import Resolver
from loaders.vocab import load_vocab

__all__ = ["Extractor", "ExtractResult", "extract_paths", "read_articles", "CHUNK_CHARS"]

# spaCy's memory grows with the text it parses at once (nlp.pipe batches 16 pieces): a 2 MB article
# in 5,000-character pieces peaks under 500 MB; news paragraphs are far shorter than this
CHUNK_CHARS = 5_000
_FULL_DATE = re.compile(
    r"\b(?:\d{1,2}\s+)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?((?:19|20)\d\d)\b")

Progress = Callable[[int, int, str], None]


@dataclass
class ExtractResult:
    batch: GraphBatch
    errors: list[LoadError] = field(default_factory=list)
    articles: int = 0


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) at paragraph, else line, else sentence breaks, each at most ``size`` long."""
    start, n = 0, len(text)
    while start < n:
        end = min(n, start + size)
        if end < n:
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, start + size // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        yield start, text[start:end]
        start = end


def _ref_year(text: str) -> int | None:
    """For month-only dates in an undated article: the latest year a full date in it names."""
    years = [int(y) for y in _FULL_DATE.findall(text[:200_000])]
    return max(years) if years else None


class Extractor:
    """Holds the loaded pipeline and vocabularies; make one and reuse it."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 16, extra_vocab: tuple[str, ...] = ()):
        self.nlp = load_nlp(model)
        self.vocab = load_vocab(tuple(str(p) for p in extra_vocab))
        self.batch_size = batch_size

    def _metadata(self, raw: RawArticle) -> Article:
        published = parse_published(raw.published)
        iso = published.isoformat() if published else find_published(raw.text)
        return Article(id=raw.id, title=raw.title, published=iso, source=raw.source or find_source(raw.text),
                       url=raw.url)

    def _pieces(self, raws: Iterable[RawArticle]) -> Iterator[tuple[str, tuple[RawArticle, int, bool]]]:
        for raw in raws:
            text = raw.text.replace("\u00a0", " ").replace("\r\n", "\n")
            raw.text = text
            parts = list(chunks(text))
            for n, (off, piece) in enumerate(parts):
                yield piece, (raw, off, n == len(parts) - 1)

    def extract(self, raws: Iterable[RawArticle], existing: Iterable[Actor] = (),
                progress: Callable[[RawArticle], None] | None = None) -> GraphBatch:
        """Extract and resolve a stream of articles into one batch; ``existing`` actors (a store's)
        keep their ids and new sightings join them."""
        batch = GraphBatch()
        resolver = Resolver(self.vocab, existing)
        reader: ArticleReader | None = None
        for doc, (raw, off, last) in self.nlp.pipe(self._pieces(raws), as_tuples=True,
                                                    batch_size=self.batch_size):
            if reader is None:
                meta = self._metadata(raw)
                published = parse_published(meta.published)
                reader = ArticleReader(raw.id, self.vocab, published,
                                       None if published else _ref_year(raw.text))
            reader.read(doc, off)
            if last:
                resolver.add(reader.finish(), meta, batch)
                reader = None
                if progress:
                    progress(raw)
        return batch

    def extract_text(self, text: str, article_id: str = "text", published: str | None = None,
                     source: str | None = None) -> GraphBatch:
        return self.extract([RawArticle(id=article_id, text=text, published=published, source=source)])


def read_articles(paths: Iterable[str | Path], errors: list[LoadError],
                  max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[RawArticle]:
    """Every readable article under ``paths``, lazily; unreadable files are appended to ``errors``."""
    for item in iter_files(paths):
        if isinstance(item, LoadError):
            errors.append(item)
            continue
        try:
            yield from read_path(item, max_bytes)
        except LoadError as exc:
            errors.append(exc)


def extract_paths(paths: Iterable[str | Path], extractor: Extractor | None = None,
                  existing: Iterable[Actor] = (), progress: Callable[[RawArticle], None] | None = None,
                  max_bytes: int = MAX_ARTICLE_BYTES) -> ExtractResult:
    """Extract every readable article under ``paths``; unreadable ones are reported, not fatal."""
    extractor = extractor or Extractor()
    errors: list[LoadError] = []
    count = 0

    def counted(raw: RawArticle) -> None:
        nonlocal count
        count += 1
        if progress:
            progress(raw)

    batch = extractor.extract(read_articles(paths, errors, max_bytes), existing=existing, progress=counted)
    return ExtractResult(batch, errors, count)
