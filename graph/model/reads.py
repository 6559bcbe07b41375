"""What a read of a store asks for (``RelationFilter``) and what a store says changed between two
versions (``Changes``): plain records, so the analytics that take them need no store."""
from __future__ import annotations

from dataclasses import dataclass, field

from graph.model.records import STRUCTURE_TYPES, Actor, Article, Relation, RelType

__all__ = ["RelationFilter", "Changes"]


@dataclass(frozen=True)
class RelationFilter:
    """Which relations a read returns. Dates compare as ISO strings, so '2025-01' falls inside
    since='2025-01-01'..until='2025-12-31' by its prefix; undated events pass only when no date
    bound is given. Structure relations (MEMBER_OF...) are timeless and ignore the date bounds.

    ``min_sources``: only relations reported by at least that many distinct outlets
    (``graph.model.corroboration``). ``accepts`` cannot judge it (it needs the articles' outlets): the
    stores apply it after, with ``graph.model.sourcing.well_sourced``."""
    types: frozenset[RelType] | None = None
    since: str | None = None
    until: str | None = None
    min_sources: int | None = None

    def accepts(self, rel: Relation) -> bool:
        return self.accepts_fields(rel.type, rel.date)

    def accepts_fields(self, rel_type: RelType, date: str | None) -> bool:
        """``accepts`` on a relation's type and date alone (for rows not made into Relations)."""
        if self.types is not None and rel_type not in self.types:
            return False
        if rel_type in STRUCTURE_TYPES or (self.since is None and self.until is None):
            return True
        if not date:
            return False
        if self.since and date[: len(self.since)] < self.since[: len(date)]:
            return False
        if self.until and date[: len(self.until)] > self.until[: len(date)]:
            return False
        return True


@dataclass
class Changes:
    """The rows an interval of versions added or changed (``GraphStore.changes``), as stored at
    ``version``: never a deletion (those come as None: rebuild). Relations carry no provenance."""

    version: str
    actors: list[Actor] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actors or self.relations or self.articles)
