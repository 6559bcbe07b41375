"""How well a relation or an event is corroborated: how many articles and independent outlets
report it, and when it was first and last reported (FollowTheMoney's first/last seen).

One function, used for relations and events alike, so the counts mean the same everywhere. An
outlet is the article's ``source`` (folded), else its URL's host; an article with neither counts
as an outlet of its own, since nothing says two such articles came from one newsroom.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from graph.model.records import Article, Provenance

__all__ = ["Corroboration", "corroborate", "outlet_of"]


@dataclass(frozen=True)
class Corroboration:
    """``sources``: distinct outlets (what ``min_sources=`` counts); ``articles``: distinct articles."""
    articles: int
    sources: int
    first_reported: str | None = None
    last_reported: str | None = None

    def to_dict(self) -> dict:
        d = {"articles": self.articles, "sources": self.sources}
        if self.first_reported:
            d["first_reported"] = self.first_reported
        if self.last_reported:
            d["last_reported"] = self.last_reported
        return d


def outlet_of(article_id: str, article: Article | None) -> str:
    """The outlet an article came from, as a comparable key."""
    if article is not None:
        if article.source and article.source.strip():
            return "source:" + " ".join(article.source.split()).casefold()
        if article.url:
            host = (urlsplit(article.url).hostname or "").removeprefix("www.")
            if host:
                return "host:" + host
    return "article:" + article_id


def corroborate(citations: Iterable[Provenance], articles: Mapping[str, Article]) -> Corroboration:
    """The corroboration of whatever ``citations`` cite, with article metadata from ``articles``
    (by id; a cited article missing from it still counts, as an outlet of its own)."""
    cited = {p.article for p in citations}
    outlets = {outlet_of(a, articles.get(a)) for a in cited}
    dates = sorted(d for d in (getattr(articles.get(a), "published", None) for a in cited) if d)
    return Corroboration(articles=len(cited), sources=len(outlets),
                         first_reported=dates[0] if dates else None,
                         last_reported=dates[-1] if dates else None)
