"""The actor graph's data model: actors, cited relations, articles, and the batches stores upsert.

Identity is deterministic and readable (``person:jane-doe``, ``state:freedonia``) so that ingesting
the same article twice, or into another store, yields the same ids. A relation's identity is its
``key``: type, endpoints (sorted for symmetric types) and, for events, the date, so the same event
reported by two articles is one relation carrying two provenance entries.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any, Iterable

__all__ = [
    "NodeType", "RelType", "EVENT_TYPES", "SYMMETRIC_TYPES", "STRUCTURE_TYPES",
    "Actor", "Provenance", "Relation", "Article", "GraphBatch",
    "slugify", "actor_id", "relation_key", "content_hash",
]


class NodeType(str, Enum):
    PERSON = "Person"
    ARMED_FORCE = "ArmedForce"
    STATE = "State"
    ORGANIZATION = "Organization"
    FACILITY = "Facility"
    PLACE = "Place"

    @property
    def prefix(self) -> str:
        return _ID_PREFIX[self]


_ID_PREFIX = {
    NodeType.PERSON: "person", NodeType.ARMED_FORCE: "force", NodeType.STATE: "state",
    NodeType.ORGANIZATION: "org", NodeType.FACILITY: "facility", NodeType.PLACE: "place",
}


class RelType(str, Enum):
    MET = "MET"
    VISITED = "VISITED"
    SIGNED = "SIGNED"
    OFFERED = "OFFERED"
    MEMBER_OF = "MEMBER_OF"
    PART_OF = "PART_OF"
    LOCATED_IN = "LOCATED_IN"


EVENT_TYPES = frozenset({RelType.MET, RelType.VISITED, RelType.SIGNED, RelType.OFFERED})
SYMMETRIC_TYPES = frozenset({RelType.MET, RelType.SIGNED})
STRUCTURE_TYPES = frozenset({RelType.MEMBER_OF, RelType.PART_OF, RelType.LOCATED_IN})


def slugify(text: str) -> str:
    """ASCII, lower-case, hyphen-separated: 'Türkiye' -> 'turkiye', "A.R. Abd-ul" -> 'ar-abd-ul'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`.]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def actor_id(type_: NodeType | str, name: str) -> str:
    return f"{NodeType(type_).prefix}:{slugify(name)}"


def relation_key(type_: RelType | str, source: str, target: str, date: str | None = None) -> str:
    """The identity of a relation. Structure relations are timeless; events are keyed by date."""
    type_ = RelType(type_)
    if type_ in SYMMETRIC_TYPES and target < source:
        source, target = target, source
    key = f"{type_.value}|{source}|{target}"
    if type_ in EVENT_TYPES:
        key += f"|{date or ''}"
    return key


@dataclass
class Actor:
    id: str
    type: NodeType
    name: str
    aliases: list[str] = field(default_factory=list)
    rank: str | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        self.type = NodeType(self.type)

    def merge(self, other: "Actor") -> None:
        """Fold another sighting of the same actor in: keep the longest name, union the aliases."""
        names = [self.name, *self.aliases, other.name, *other.aliases]
        if len(other.name) > len(self.name):
            self.name = other.name
        seen, aliases = {self.name.casefold()}, []
        for n in names:
            if n and n.casefold() not in seen:
                seen.add(n.casefold())
                aliases.append(n)
        self.aliases = aliases
        self.rank = self.rank or other.rank
        self.title = self.title or other.title

    def to_dict(self) -> dict[str, Any]:
        d = {"id": self.id, "type": self.type.value, "name": self.name, "aliases": list(self.aliases)}
        if self.rank:
            d["rank"] = self.rank
        if self.title:
            d["title"] = self.title
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Actor":
        return cls(id=d["id"], type=d["type"], name=d["name"], aliases=list(d.get("aliases") or []),
                   rank=d.get("rank"), title=d.get("title"))


@dataclass(frozen=True)
class Provenance:
    """Where a relation is stated: the article, the sentence, its character offsets in the article."""
    article: str
    sentence: str
    start: int
    end: int
    confidence: float = 1.0

    @property
    def id(self) -> str:
        return f"{self.article}:{self.start}:{self.end}"

    def to_dict(self) -> dict[str, Any]:
        # Spelled out: asdict deep-copies, and graphs carry hundreds of thousands of these.
        return {"article": self.article, "sentence": self.sentence, "start": self.start, "end": self.end,
                "confidence": self.confidence}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Provenance":
        return cls(article=d["article"], sentence=d["sentence"], start=int(d["start"]), end=int(d["end"]),
                   confidence=float(d.get("confidence", 1.0)))


@dataclass
class Relation:
    source: str
    target: str
    type: RelType
    date: str | None = None
    place: str | None = None
    what: str | None = None
    provenance: list[Provenance] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.type = RelType(self.type)
        if self.type in SYMMETRIC_TYPES and self.target < self.source:
            self.source, self.target = self.target, self.source

    @property
    def key(self) -> str:
        return relation_key(self.type, self.source, self.target, self.date)

    @property
    def articles(self) -> list[str]:
        return sorted({p.article for p in self.provenance})

    def merge(self, other: "Relation") -> None:
        """Fold another report of the same relation in: union the citations, fill gaps."""
        have = {p.id for p in self.provenance}
        self.provenance.extend(p for p in other.provenance if p.id not in have)
        self.place = self.place or other.place
        self.what = self.what or other.what

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"source": self.source, "target": self.target, "type": self.type.value}
        for k in ("date", "place", "what"):
            if getattr(self, k):
                d[k] = getattr(self, k)
        d["provenance"] = [p.to_dict() for p in self.provenance]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Relation":
        return cls(source=d["source"], target=d["target"], type=d["type"], date=d.get("date"),
                   place=d.get("place"), what=d.get("what"),
                   provenance=[Provenance.from_dict(p) for p in d.get("provenance") or []])


def content_hash(text: str) -> str:
    """An article's identity by content: SHA-256 of its text in Unicode NFC with every run of
    whitespace one space, so the same story re-wrapped, re-saved or renamed hashes the same."""
    folded = " ".join(unicodedata.normalize("NFC", text).split())
    return "sha256:" + hashlib.sha256(folded.encode("utf-8")).hexdigest()


@dataclass
class Article:
    """An article's metadata; its id is what provenance entries cite (the file name by default).

    ``content_hash`` (``content_hash(text)``) identifies it by content as well: an article whose
    text is already stored under another id is a duplicate, and ingest drops it."""
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    content_hash: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        return cls(id=d["id"], title=d.get("title"), published=d.get("published"), source=d.get("source"),
                   url=d.get("url"), content_hash=d.get("content_hash"))


@dataclass
class GraphBatch:
    """A self-contained piece of graph: what loaders produce, stores upsert and exports write.

    Every relation's endpoints are among ``actors``; ``add_*`` merge duplicates on their ids and keys.
    ``places`` names the places relations refer to that ``actors`` does not hold (an ego network's
    meeting place need not be one of its actors), so exports print a name, not an id; it is no part
    of the graph: not serialised, not compared.
    """
    actors: dict[str, Actor] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    articles: dict[str, Article] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    # graph.events.Event by id: the events the event relations are derived from (see graph.events)
    events: dict[str, Any] = field(default_factory=dict)

    def add_actor(self, actor: Actor) -> Actor:
        have = self.actors.get(actor.id)
        if have is None:
            self.actors[actor.id] = actor
            return actor
        have.merge(actor)
        return have

    def add_relation(self, rel: Relation) -> Relation:
        have = self.relations.get(rel.key)
        if have is None:
            self.relations[rel.key] = rel
            return rel
        have.merge(rel)
        return have

    def add_article(self, article: Article) -> None:
        self.articles.setdefault(article.id, article)

    def add_event(self, event: Any) -> Any:
        """Fold a ``graph.events.Event`` in by its id (its derived relations are added apart:
        ``add_relation`` of each of ``event.relations()``)."""
        key = event.id
        have = self.events.get(key)
        if have is None:
            self.events[key] = event
            return event
        have.merge(event)
        return have

    def update(self, other: "GraphBatch") -> None:
        for a in other.actors.values():
            self.add_actor(a)
        for r in other.relations.values():
            self.add_relation(r)
        for art in other.articles.values():
            self.add_article(art)
        for ev in other.events.values():
            self.add_event(ev)
        self.places.update(other.places)

    def mentions(self) -> list[tuple[str, str]]:
        """(article id, actor id) for every actor a relation cited by that article ties or places,
        both held by the batch: what Neo4j writes as ``(:Article)-[:MENTIONS]->(:Actor)``."""
        return sorted((article, actor) for article, actors in self.mentioned().items() for actor in actors)

    def mentioned(self) -> dict[str, set[str]]:
        """``mentions`` by article, unsorted: article id -> the actor ids it mentions."""
        out: dict[str, set[str]] = {}
        actors, articles = self.actors, self.articles
        for r in self.relations.values():
            ends = [a for a in (r.source, r.target, r.place) if a in actors]
            if not ends:
                continue
            for p in r.provenance:
                if p.article in articles:
                    out.setdefault(p.article, set()).update(ends)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The graph JSON of DESIGN.md, sorted so equal graphs serialise identically."""
        return {
            "nodes": [self.actors[k].to_dict() for k in sorted(self.actors)],
            "edges": [self._edge_dict(self.relations[k]) for k in sorted(self.relations)],
            "articles": [self.articles[k].to_dict() for k in sorted(self.articles)],
            "events": self._events_dicts(),
        }

    def _edge_dict(self, rel: Relation) -> dict[str, Any]:
        """A relation's edge with its ``corroboration`` (articles, outlets, first and last reported)
        counted over the batch's articles; a nested object, so readers of ``articles`` lists and
        ``provenance`` (the gold-set scorer) see the edge as before."""
        from graph.corroboration import corroborate  # it imports this module
        d = rel.to_dict()
        provenance = d.pop("provenance")
        d["corroboration"] = corroborate(rel.provenance, self.articles).to_dict()
        d["provenance"] = provenance
        return d

    def _events_dicts(self) -> list[dict[str, Any]]:
        """Each event with its codes (graph.event_codes), the states read off this batch."""
        if not self.events:
            return []
        from graph.event_codes import codes_for, state_lookup
        state_of = state_lookup({a.id: a.type.value for a in self.actors.values()},
                                [(r.source, r.target) for r in self.relations.values()
                                 if r.type in STRUCTURE_TYPES])
        out = []
        for k in sorted(self.events):
            ev = self.events[k]
            d = ev.to_dict()
            d["codes"] = codes_for(ev.type, what=ev.what, place=ev.place, participants=ev.actors,
                                   state_of=state_of).to_dict()
            out.append(d)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "GraphBatch":
        b = cls()
        for n in d.get("nodes", []):
            b.add_actor(Actor.from_dict(n))
        for e in d.get("edges", []):
            b.add_relation(Relation.from_dict(e))
        for a in d.get("articles", []):
            b.add_article(Article.from_dict(a))
        from graph.events import Event, events_from_relations  # graph.events builds on this module
        if "events" in d:
            for e in d["events"]:
                b.add_event(Event.from_dict(e))
        else:  # a graph JSON from before events: read them back off the edges
            for ev in events_from_relations(b.relations.values()):
                b.add_event(ev)
        return b

    @classmethod
    def merged(cls, batches: Iterable["GraphBatch"]) -> "GraphBatch":
        out = cls()
        for b in batches:
            out.update(b)
        return out
