"""The extraction pipeline: files or raw articles in, one resolved GraphBatch out.

spaCy runs over all articles with ``nlp.pipe`` (batched), long articles in chunks so memory stays
bounded; each article's reader keeps its own coreference state across its chunks. Reading an
article depends on that article alone; resolving its actors against those seen before is done in
input order, in this process, so several worker processes (``Extractor(workers=N)``) read in
parallel and still make the one graph. No article can break a run: one whose parsing, reading or
resolving raises adds nothing and becomes an ``ArticleFailed`` naming it and the sentence being
read (``loaders.failure``), and the others go on.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator

from graph.model import Actor, Article, GraphBatch
from loaders.article import ArticleGraph, ArticleReader
from loaders.dates import find_published, find_source, parse_published
from loaders.failure import ArticleFailed, resolve_or_record
from loaders.nlp import DEFAULT_MODEL, load_nlp
from loaders.parallel import MIN_ARTICLES, ReaderPool
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


# (raw, its graph and metadata); (raw, None, None) without text; (raw, ArticleFailed, None) failed
Reading = tuple[RawArticle, "ArticleGraph | ArticleFailed | None", "Article | None"]


def _normal(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\r\n", "\n")


class Extractor:
    """Holds the loaded pipeline and vocabularies; make one and reuse it.

    With ``workers`` > 1 articles are parsed and read in that many processes (``loaders.parallel``)
    and resolved here in input order, so the graph is the one a single process makes. Call
    ``close`` (or use it as a context manager) to stop the workers. A stream shorter than
    ``min_parallel`` articles is read here: starting workers would cost more than it saves.
    With ``record_dropped`` each ``ArticleGraph`` lists the events its modality checks dropped
    (``loaders.dropped``; what ``actorgraph eval --explain`` reports), at some cost in speed."""

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 16, extra_vocab: tuple[str, ...] = (),
                 workers: int = 1, min_parallel: int | None = None, record_dropped: bool = False):
        self.model = model
        self.record_dropped = record_dropped  # ArticleGraph.dropped: the events modality checks dropped
        self.extra_vocab = tuple(str(p) for p in extra_vocab)
        self.nlp = load_nlp(model)
        self.vocab = load_vocab(self.extra_vocab)
        self.batch_size = batch_size
        self.workers = max(1, int(workers))
        self.min_parallel = min_parallel  # fewer articles are read here (default loaders.parallel.MIN_ARTICLES)
        self._pool = None

    def __enter__(self) -> "Extractor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _metadata(self, raw: RawArticle, text: str) -> Article:
        published = parse_published(raw.published)
        iso = published.isoformat() if published else find_published(text)
        return Article(id=raw.id, title=raw.title, published=iso, source=raw.source or find_source(text),
                       url=raw.url)

    def read_serial(self, raws: Iterable[RawArticle]) -> Iterator[Reading]:
        """Each article parsed (all through one ``nlp.pipe``) and read on its own, in this process:
        (raw, ArticleGraph, Article) in input order; (raw, None, None) for one without text;
        (raw, ArticleFailed, None) for one whose reading raised, and the others go on. Should the
        language pipeline itself fail, the articles it held are parsed again one at a time, so
        only the one it fails on is lost, then a fresh pipe takes the rest."""
        it = iter(raws)
        while True:
            held: deque[RawArticle] = deque()
            if (yield from self._pipe_read(it, held)) is None:
                return
            for raw in held:
                alone: deque[RawArticle] = deque()
                broke = yield from self._pipe_read(iter([raw]), alone)
                if broke is not None and alone:
                    yield raw, ArticleFailed.of(raw.id, broke, "parsing"), None

    def _pipe_read(self, raws: Iterator[RawArticle], given: deque[RawArticle]
                   ) -> Generator[Reading, None, Exception | None]:
        """``read_serial`` through one pipe; returns the pipeline's exception, should it raise,
        with ``given`` holding the articles handed to it and not yet yielded."""
        def pieces() -> Iterator[tuple[str, tuple[RawArticle, str, int, bool]]]:
            for raw in raws:
                given.append(raw)
                text = _normal(raw.text)
                parts = list(chunks(text))
                for n, (off, piece) in enumerate(parts):
                    yield piece, (raw, text, off, n == len(parts) - 1)

        pipe = self.nlp.pipe(pieces(), as_tuples=True, batch_size=self.batch_size)
        reader: ArticleReader | None = None
        failed: ArticleFailed | None = None
        while True:
            try:
                doc, (raw, text, off, last) = next(pipe)
            except StopIteration:
                break
            except Exception as exc:  # in spaCy, or a text that is no text: which article is not known
                return exc
            while given[0] is not raw:  # articles without a piece of text, before this one
                yield given.popleft(), None, None
            if failed is None:  # the rest of a failed article's pieces are passed over
                try:
                    if reader is None:
                        meta = self._metadata(raw, text)
                        published = parse_published(meta.published)
                        reader = ArticleReader(raw.id, self.vocab, published, None if published else _ref_year(text),
                                               record_dropped=self.record_dropped)
                    reader.read(doc, off)
                    graph = reader.finish() if last else None
                except Exception as exc:
                    failed = ArticleFailed.of(raw.id, exc)
            if last:
                given.popleft()
                yield (raw, failed, None) if failed is not None else (raw, graph, meta)
                reader, failed = None, None
        while given:
            yield given.popleft(), None, None
        return None

    def worker_settings(self) -> dict:
        """What a worker process needs to build the same extractor (``loaders.parallel``)."""
        return {"model": self.model, "extra_vocab": self.extra_vocab, "batch_size": self.batch_size,
                "record_dropped": self.record_dropped}

    def readings(self, raws: Iterable[RawArticle]) -> Iterator[Reading]:
        """``read_serial``, in ``workers`` processes when there are more than one."""
        if self.workers == 1:
            return self.read_serial(raws)
        if self._pool is None:
            self._pool = ReaderPool(self, self.workers,
                                    MIN_ARTICLES if self.min_parallel is None else self.min_parallel)
        return self._pool.read(raws)

    def resolve(self, graph: ArticleGraph | None, meta: Article | None, existing: Iterable[Actor] = ()) -> GraphBatch:
        """One article's reading resolved alone against ``existing`` actors."""
        batch = GraphBatch()
        if graph is not None:
            Resolver(self.vocab, existing).add(graph, meta, batch)
        return batch

    def extract(self, raws: Iterable[RawArticle], existing: Iterable[Actor] = (),
                progress: Callable[[RawArticle], None] | None = None,
                failures: list[ArticleFailed] | None = None) -> GraphBatch:
        """Extract and resolve a stream of articles into one batch; ``existing`` actors (a store's)
        keep their ids and new sightings join them. An article whose reading or resolving raises
        adds nothing: it goes to ``failures`` and the others go on (without that list, it is
        raised, naming the article and sentence)."""
        batch = GraphBatch()
        resolver = Resolver(self.vocab, existing)
        for raw, graph, meta in self.readings(raws):
            if graph is None:
                continue
            # all of the article, or nothing
            if resolve_or_record(raw.id, graph, lambda: resolver.add(graph, meta, batch) or True, failures) is None:
                continue
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
    """Extract every readable article under ``paths``; unreadable ones, and those the extractor
    failed on (``ArticleFailed``), are reported in ``errors``, not fatal."""
    extractor = extractor or Extractor()
    errors: list[LoadError] = []
    count = 0

    def counted(raw: RawArticle) -> None:
        nonlocal count
        count += 1
        if progress:
            progress(raw)

    batch = extractor.extract(read_articles(paths, errors, max_bytes), existing=existing, progress=counted,
                              failures=errors)
    return ExtractResult(batch, errors, count)
