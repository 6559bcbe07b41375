"""How well a relation or an event is corroborated: how many articles and independent sources
report it, and when it was first and last reported (FollowTheMoney's first/last seen).

One function, used for relations and events alike, so the counts mean the same everywhere.
Articles are one source when they come from one outlet (the article's ``source``, folded, else its
URL's host) or carry one story (the same near-duplicate ``cluster``, set at ingest by
``loaders.syndication``: a wire story on three sites, or 200 near-copies, is one source), and
transitively so. An article with no known outlet is "unknown": it is one source with an outlet
only through its cluster, and the unknown ones together count as one source only when no known
outlet reports the thing at all (nothing says they came from different newsrooms).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping
from urllib.parse import urlsplit

from graph.model.records import Article, Provenance

__all__ = ["Corroboration", "corroborate", "outlet_of", "independent_sources", "UNKNOWN"]

UNKNOWN = "unknown"


@dataclass(frozen=True)
class Corroboration:
    """``sources``: independent sources (what ``min_sources=`` counts); ``articles``: distinct
    articles; ``unknown``: those of them with no known outlet."""
    articles: int
    sources: int
    first_reported: str | None = None
    last_reported: str | None = None
    unknown: int = 0

    def to_dict(self) -> dict:
        d = {"articles": self.articles, "sources": self.sources}
        if self.unknown:
            d["unknown_outlet"] = self.unknown
        if self.first_reported:
            d["first_reported"] = self.first_reported
        if self.last_reported:
            d["last_reported"] = self.last_reported
        return d

    def describe(self) -> str:
        """'2 independent sources (3 articles)'."""
        return (f"{self.sources} independent source{'s' * (self.sources != 1)} "
                f"({self.articles} article{'s' * (self.articles != 1)})")


def outlet_of(article_id: str, article: Article | None) -> str:
    """The outlet an article came from, as a comparable key; ``UNKNOWN`` when nothing names it."""
    if article is not None:
        if article.source and article.source.strip():
            return "source:" + " ".join(article.source.split()).casefold()
        if article.url:
            host = (urlsplit(article.url).hostname or "").removeprefix("www.")
            if host:
                return "host:" + host
    return UNKNOWN


def independent_sources(article_ids: Iterable[str], articles: Mapping[str, Article]) -> tuple[int, int]:
    """(independent sources, articles with no known outlet) among ``article_ids``: the connected
    groups of articles linked by a shared known outlet or a shared cluster."""
    cited = set(article_ids)
    # Most relations cite one article: no groups to join (a hub's ego network holds thousands).
    if len(cited) <= 1:
        unknown = sum(1 for a in cited if outlet_of(a, articles.get(a)) == UNKNOWN)
        return len(cited), unknown
    from networkx.utils import UnionFind  # here: importing the model must not load networkx

    groups = UnionFind()
    unknown = 0
    members = []
    for a in cited:
        art = articles.get(a)
        outlet = outlet_of(a, art)
        members.append(("article", a))
        groups.union(("article", a), ("cluster", art.cluster if art is not None and art.cluster else a))
        if outlet == UNKNOWN:
            unknown += 1
        else:
            groups.union(("article", a), ("outlet", outlet))
    outlets = [x for x in groups.parents if x[0] == "outlet"]
    known = len({groups[m] for m in members} & {groups[x] for x in outlets})
    return (known or (1 if members else 0)), unknown


def corroborate(citations: Iterable[Provenance], articles: Mapping[str, Article]) -> Corroboration:
    """The corroboration of whatever ``citations`` cite, with article metadata from ``articles``
    (by id; a cited article missing from it still counts, as one of unknown outlet)."""
    cited = {p.article for p in citations}
    sources, unknown = independent_sources(cited, articles)
    dates = sorted(d for d in (getattr(articles.get(a), "published", None) for a in cited) if d)
    return Corroboration(articles=len(cited), sources=sources, unknown=unknown,
                         first_reported=dates[0] if dates else None,
                         last_reported=dates[-1] if dates else None)
