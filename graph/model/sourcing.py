"""The ``min_sources`` filter: keep the relations reported by at least N independent sources.

Both stores apply it the same way, after their own type and date filters: they hand over each
relation's cited article ids and the articles' metadata (outlet and near-duplicate cluster), and
``graph.model.corroboration`` counts the independent sources, so ``min_sources=2`` means what the answers' ``corroboration.sources`` says.
"""
from __future__ import annotations

from typing import Iterable, Mapping, TypeVar

from graph.model.corroboration import corroborate, independent_sources
from graph.model.records import Article, Relation

__all__ = ["sources_of", "well_sourced", "well_sourced_keys"]

T = TypeVar("T")


def sources_of(article_ids: Iterable[str], articles: Mapping[str, Article]) -> int:
    """How many independent sources the articles ``article_ids`` are."""
    return independent_sources(article_ids, articles)[0]


def well_sourced_keys(cited: Mapping[str, Iterable[str]], articles: Mapping[str, Article],
                      min_sources: int | None) -> set[str]:
    """The relation keys of ``cited`` (key -> cited article ids) with at least ``min_sources`` independent sources."""
    return {key for key, ids in cited.items() if sources_of(ids, articles) >= (min_sources or 0)}


def well_sourced(relations: list[Relation], articles: Mapping[str, Article], min_sources: int | None) -> list[Relation]:
    """The relations (with their provenance) reported by at least ``min_sources`` independent sources; all with None."""
    if not min_sources:
        return relations
    return [r for r in relations if corroborate(r.provenance, articles).sources >= min_sources]
