"""Articles identified by content as well as by name: the same text again adds nothing.

``Dedupe`` sits between reading and extraction: it drops an article whose text (``content_hash``)
is already stored, or came earlier in the same run, under another id, and after extraction marks
each kept article's hash on its ``Article``, where the stores keep it for the next run. The same
text under the same id is not dropped: upserts are idempotent, so re-running an ingest stays safe.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from graph.model import Article, GraphBatch, content_hash
from loaders.read import RawArticle

__all__ = ["Dedupe", "Duplicate"]


@dataclass(frozen=True)
class Duplicate:
    id: str         # the article dropped
    same_as: str    # the article, stored or earlier in the run, that has its text


@dataclass
class Dedupe:
    known: dict[str, str] = field(default_factory=dict)        # content hash -> article id
    duplicates: list[Duplicate] = field(default_factory=list)
    _kept: dict[str, str] = field(default_factory=dict)        # article id -> content hash

    @classmethod
    def of(cls, articles: Iterable[Article]) -> "Dedupe":
        """Knowing the articles a store holds (those stored with a content hash)."""
        return cls(known={a.content_hash: a.id for a in articles if a.content_hash})

    def filter(self, raws: Iterable[RawArticle]) -> Iterator[RawArticle]:
        """The articles whose text is new, lazily; the others go to ``duplicates``."""
        for raw in raws:
            digest = content_hash(raw.text)
            first = self.known.setdefault(digest, raw.id)
            if first != raw.id:
                self.duplicates.append(Duplicate(raw.id, first))
                continue
            self._kept[raw.id] = digest
            yield raw

    def mark(self, batch: GraphBatch) -> GraphBatch:
        """Put each kept article's content hash on its ``Article`` in ``batch``."""
        for article_id, article in batch.articles.items():
            digest = self._kept.pop(article_id, None)
            if digest is not None:
                article.content_hash = digest
        return batch
