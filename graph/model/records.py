"""The records of the graph: actors, cited relations and their provenance, articles, and their ids.

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
from typing import Any

__all__ = [
    "NodeType", "RelType", "EVENT_TYPES", "SYMMETRIC_TYPES", "STRUCTURE_TYPES",
    "Actor", "Provenance", "Relation", "Article",
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
    text is already stored under another id is a duplicate, and ingest drops it. ``cluster`` names
    its near-duplicate cluster (``loaders.syndication``: the id of the first stored article whose text
    it nearly repeats, else its own id), set at ingest: a cluster counts as one source."""
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    content_hash: str | None = None
    cluster: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # Not asdict: it deep-copies, and an ego network holds hundreds of articles (every field is a str).
        return {k: v for k, v in vars(self).items() if v is not None}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        return cls(id=d["id"], title=d.get("title"), published=d.get("published"), source=d.get("source"),
                   url=d.get("url"), content_hash=d.get("content_hash"), cluster=d.get("cluster"))
