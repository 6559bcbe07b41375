"""The store interface both stores implement (embedded networkx and Neo4j), and its errors.

It is small on purpose: write a batch, read actors and relations with filters, and hand the
algorithms a networkx projection. Everything richer (paths, centrality, exports) is built on these
in ``graph.algorithms`` and ``graph.exports`` so both stores answer identically.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from graph.model import Actor, Article, GraphBatch, NodeType, Relation, RelType

__all__ = ["GraphStore", "RelationFilter", "UpsertResult", "StoreError", "StoreUnavailable"]


class StoreError(Exception):
    """Root of the store errors."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (server down, wrong credentials); names where it looked."""


@dataclass(frozen=True)
class RelationFilter:
    """Which relations a read returns. Dates compare as ISO strings, so '2025-01' falls inside
    since='2025-01-01'..until='2025-12-31' by its prefix; undated events pass only when no date
    bound is given. Structure relations (MEMBER_OF...) are timeless and ignore the date bounds."""
    types: frozenset[RelType] | None = None
    since: str | None = None
    until: str | None = None

    def accepts(self, rel: Relation) -> bool:
        if self.types is not None and rel.type not in self.types:
            return False
        from graph.model import STRUCTURE_TYPES  # local: keeps the dataclass importable alone
        if rel.type in STRUCTURE_TYPES or (self.since is None and self.until is None):
            return True
        if not rel.date:
            return False
        if self.since and rel.date[: len(self.since)] < self.since[: len(rel.date)]:
            return False
        if self.until and rel.date[: len(self.until)] > self.until[: len(rel.date)]:
            return False
        return True


@dataclass
class UpsertResult:
    actors: int = 0
    relations: int = 0
    provenance: int = 0
    articles: int = 0
    extra: dict = field(default_factory=dict)


class GraphStore(ABC):
    """What the service and the CLI need of a store."""

    name: str = "store"

    @abstractmethod
    def upsert(self, batch: GraphBatch) -> UpsertResult:
        """Merge a batch in: actors by id, relations by key (citations unioned), articles by id.
        Idempotent: upserting the same batch twice leaves the store as after once."""

    @abstractmethod
    def get_actor(self, actor_id: str) -> Actor | None: ...

    @abstractmethod
    def actors(self, types: Iterable[NodeType] | None = None) -> list[Actor]: ...

    @abstractmethod
    def relations(self, flt: RelationFilter | None = None, actor_id: str | None = None) -> list[Relation]:
        """Relations passing the filter; with ``actor_id``, only those touching that actor."""

    @abstractmethod
    def articles(self) -> list[Article]: ...

    @abstractmethod
    def projection(self, flt: RelationFilter | None = None) -> nx.MultiDiGraph:
        """A networkx view of the graph for the algorithms: nodes carry Actor attributes, edges
        carry ``type``, ``key``, ``date``; the caller must not mutate it."""

    @abstractmethod
    def stats(self) -> dict:
        """{'nodes': {type: n}, 'relations': {type: n}, 'articles': n}."""

    @abstractmethod
    def version(self) -> str:
        """Changes whenever the graph changes; caches of derived results key on it."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable if the store cannot answer."""

    def close(self) -> None:
        """Release connections and flush; the default has nothing to release."""

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
