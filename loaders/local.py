"""An article's own graph before resolution: its actors under local keys and the relations it
states, each citing its sentence. ``loaders.article`` builds it, ``loaders.references`` reads it to
tie references to actors, ``loaders.resolve`` maps its keys to graph ids across articles."""
from __future__ import annotations

from dataclasses import dataclass, field

from graph.model import NodeType, RelType
from loaders.vocab import fold

__all__ = ["LocalActor", "LocalRelation", "ArticleGraph"]


@dataclass
class LocalActor:
    key: str
    type: NodeType
    name: str
    aliases: set[str] = field(default_factory=set)
    rank: str | None = None
    title: str | None = None
    state: str | None = None          # the state it belongs to (name), when the text says so
    acronym: str | None = None
    strong: bool = True               # weak: a bare NER span, a node only if a relation needs it

    def name_words(self) -> list[str]:
        return [fold(w) for w in self.name.split() if fold(w)]


@dataclass
class LocalRelation:
    type: RelType
    source: str
    target: str
    start: int                        # character offsets of the citing sentence in the article
    end: int
    sentence: str
    date: str | None = None
    date_inherited: bool = False
    place: str | None = None
    what: str | None = None
    confidence: float = 0.8
    order: int = 0
    # the sentence-level event it is one edge of (graph.events): its number in the article, the
    # roles of source and target in it and their sides (0, 0 in a group; 0, 1 across two sides)
    event: int | None = None
    roles: tuple[str, str] = ("participant", "participant")
    sides: tuple[int, int] = (0, 1)


@dataclass
class ArticleGraph:
    article_id: str
    actors: dict[str, LocalActor] = field(default_factory=dict)
    relations: list[LocalRelation] = field(default_factory=list)
    dropped: list = field(default_factory=list)  # loaders.dropped.DroppedEvent, when the reader records them
