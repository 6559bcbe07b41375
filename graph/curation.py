"""Analysts' judgements, kept with the graph and applied to every batch before a store writes it.

A store keeps, beside the graph, each ingested article's text and its *raw* contribution (what the
extractor found in it, before any judgement), and the judgements in the order they were made. The
curated graph is always ``apply(judgements, union of the raw contributions)``: an ingest writes
``apply(judgements, new article)``, and a new judgement, an undo, a deleted article or a
re-extraction rebuilds the graph from the raw contributions. So a correction cannot be undone by a
later article, and undoing one restores exactly what the extractor had said.

May import: ``graph.model`` only; the stores import it.

Judgements (``kind``, ``target``, ``other``):

- ``same A B``: one actor; A's id is kept, B's becomes an alias id (still resolves, see ``canonical``);
- ``different A B``: never merged; a ``same`` that would join them is refused;
- ``reject-actor A`` / ``reject-relation KEY``: kept out, whatever later articles say;
- ``rename A NAME`` (the old name becomes an alias), ``retype A TYPE`` (the id stays).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from graph.model.events import Event, Participant
from graph.model import Actor, Article, GraphBatch, NodeType, Relation

__all__ = ["KINDS", "Judgement", "ArticleSource", "JudgementError", "Curation", "rebuild_graph",
           "rebuild_after", "graph_diff", "now_utc", "new_judgement"]

KINDS = ("same", "different", "reject-actor", "reject-relation", "rename", "retype")
_TWO_ACTORS = ("same", "different")
_PREFIX_TYPE = {t.prefix: t for t in NodeType}


class JudgementError(ValueError):
    """A judgement refused: unknown actor or relation, a contradiction, a bad type."""


def now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class Judgement:
    id: str
    kind: str
    target: str               # actor id A, or a relation key
    other: str | None = None  # B (same, different), the new name or type
    who: str = ""
    at: str = ""
    undone_by: str | None = None
    undone_at: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Judgement":
        return cls(**json.loads(text))


def new_judgement(kind: str, target: str, other: str | None, who: str) -> Judgement:
    """A judgement checked for shape (not yet against a graph), with a fresh short id."""
    if kind not in KINDS:
        raise JudgementError(f"unknown judgement {kind!r}: expected one of {', '.join(KINDS)}")
    target = (target or "").strip()
    other = other.strip() if isinstance(other, str) else None
    if not target:
        raise JudgementError(f"{kind} needs a target")
    if kind in _TWO_ACTORS + ("rename", "retype") and not other:
        raise JudgementError(f"{kind} needs a second argument")
    if kind in _TWO_ACTORS and other == target:
        raise JudgementError(f"{kind} needs two different actors")
    if kind == "retype":
        try:
            other = NodeType(other).value
        except ValueError:
            raise JudgementError(f"unknown type {other!r}: expected one of "
                                 f"{', '.join(t.value for t in NodeType)}") from None
    if kind not in _TWO_ACTORS + ("rename", "retype"):
        other = None
    return Judgement(id=uuid.uuid4().hex[:8], kind=kind, target=target, other=other, who=who or "unknown",
                     at=now_utc())


@dataclass
class ArticleSource:
    """An ingested article as the store keeps it for curation: its text and metadata (to extract
    it again) and its raw contribution (what the extractor found, before judgements)."""
    id: str
    text: str
    meta: dict[str, Any]
    raw: GraphBatch
    ingested: str = field(default_factory=now_utc)

    def to_json(self) -> str:
        return json.dumps({"text": self.text, "meta": self.meta, "raw": self.raw.to_dict()}, ensure_ascii=False)

    @classmethod
    def from_json(cls, article_id: str, ingested: str, text: str) -> "ArticleSource":
        d = json.loads(text)
        return cls(id=article_id, text=d["text"], meta=d["meta"], raw=GraphBatch.from_dict(d["raw"]),
                   ingested=ingested)


class Curation:
    """The active judgements, compiled for applying to batches."""

    def __init__(self, judgements: Iterable[Judgement] = ()):
        self.judgements = [j for j in judgements if j.active]
        self._parent: dict[str, str] = {}
        self.different: set[frozenset[str]] = set()
        self.rejected_actors: set[str] = set()
        self.rejected_relations: set[str] = set()
        self.names: dict[str, str] = {}
        self.types: dict[str, NodeType] = {}
        for j in self.judgements:
            if j.kind == "different":
                self.different.add(frozenset((j.target, j.other)))
        for j in self.judgements:
            if j.kind == "same" and self.can_join(j.target, j.other):
                self._parent[self.canonical(j.other)] = self.canonical(j.target)
        for j in self.judgements:
            if j.kind == "reject-actor":
                self.rejected_actors.add(self.canonical(j.target))
            elif j.kind == "reject-relation":
                self.rejected_relations.add(j.target)
            elif j.kind == "rename":
                self.names[self.canonical(j.target)] = j.other
            elif j.kind == "retype":
                self.types[self.canonical(j.target)] = NodeType(j.other)

    def canonical(self, actor_id: str) -> str:
        """The id an actor id stands for now: itself, or the id kept by ``same`` judgements."""
        seen = set()
        while actor_id in self._parent and actor_id not in seen:
            seen.add(actor_id)
            actor_id = self._parent[actor_id]
        return actor_id

    def group(self, actor_id: str) -> set[str]:
        root = self.canonical(actor_id)
        return {root} | {k for k in self._parent if self.canonical(k) == root}

    def can_join(self, a: str, b: str) -> bool:
        """False when joining a's and b's groups would merge a pair judged different."""
        ga, gb = self.group(a), self.group(b)
        if ga & gb:
            return False
        return not any(frozenset((x, y)) in self.different for x in ga for y in gb)

    def for_resolver(self, actors: Iterable[Actor]) -> list[Actor]:
        """Actors as an extractor's resolver should see them to join new sightings: a retyped
        actor under the type its id was made with, since sightings still come with that type."""
        out = []
        for a in actors:
            if a.id in self.types:
                original = _PREFIX_TYPE.get(a.id.split(":", 1)[0])
                if original is not None and original is not a.type:
                    a = Actor(id=a.id, type=original, name=a.name, aliases=list(a.aliases), rank=a.rank,
                              title=a.title)
            out.append(a)
        return out

    def apply(self, batch: GraphBatch) -> GraphBatch:
        """The batch as the judgements say it should be: a new batch, ``batch`` is left as it was."""
        if not self.judgements:
            return batch
        out = GraphBatch()
        for art in batch.articles.values():
            out.add_article(art)
        for a in sorted(batch.actors.values(), key=lambda a: a.id):
            cid = self.canonical(a.id)
            if cid in self.rejected_actors:
                continue
            out.add_actor(Actor(id=cid, type=a.type, name=a.name, aliases=list(a.aliases), rank=a.rank,
                                title=a.title))
        for a in out.actors.values():
            if a.id in self.types:
                a.type = self.types[a.id]
            if a.id in self.names and a.name != self.names[a.id]:
                new = self.names[a.id]
                a.aliases = [n for n in [a.name, *a.aliases] if n.casefold() != new.casefold()]
                a.name = new
        for key, r in batch.relations.items():
            src, tgt = self.canonical(r.source), self.canonical(r.target)
            if src == tgt or src not in out.actors or tgt not in out.actors or key in self.rejected_relations:
                continue
            place = self.canonical(r.place) if r.place else None
            rel = Relation(source=src, target=tgt, type=r.type, date=r.date,
                           place=place if place in out.actors else None, what=r.what,
                           provenance=list(r.provenance))
            if rel.key not in self.rejected_relations:
                out.add_relation(rel)
        for ev in batch.events.values():
            kept = self.apply_event(ev, out)
            if kept is not None:
                out.add_event(kept)
        return out

    def apply_event(self, ev: Event, out: GraphBatch) -> Event | None:
        """The event under the judgements, against the judged batch ``out``: participants by their
        kept ids, rejected ones dropped; None when none of its derived edges survived."""
        parts = [Participant(self.canonical(p.actor), p.role, p.side) for p in ev.participants]
        parts = [p for p in parts if p.actor in out.actors]
        place = self.canonical(ev.place) if ev.place else None
        kept = Event(type=ev.type, date=ev.date, participants=parts, place=place if place in out.actors else None,
                     what=ev.what, citations=list(ev.citations))
        if not any(k in out.relations for k in (r.key for r in kept.relations())):
            return None
        return kept


def rebuild_graph(sources: Iterable[ArticleSource], judgements: Iterable[Judgement]) -> GraphBatch:
    """The curated graph of these articles: their raw contributions merged, judgements applied."""
    raw = GraphBatch()
    for s in sources:
        raw.update(_fresh(s.raw))
    return Curation(judgements).apply(raw)


def rebuild_after(sources: Iterable[ArticleSource], judgements: Iterable[Judgement],
                  judgement: Judgement | None = None, new_sources: Iterable[ArticleSource] = (),
                  drop_sources: Iterable[str] = ()) -> GraphBatch:
    """The curated graph once ``judgement`` is saved (new, or replacing the one of its id: an undo),
    ``new_sources`` written (replacing those of their ids, in place) and ``drop_sources`` dropped."""
    by_id = {s.id: s for s in sources}
    by_id.update((s.id, s) for s in new_sources)
    for article_id in drop_sources:
        by_id.pop(article_id, None)
    js = list(judgements)
    if judgement is not None:
        at = next((i for i, j in enumerate(js) if j.id == judgement.id), None)
        js = js + [judgement] if at is None else js[:at] + [judgement] + js[at + 1:]
    return rebuild_graph(by_id.values(), js)


def _fresh(batch: GraphBatch) -> GraphBatch:
    """A copy (merging folds actors and relations in place)."""
    return GraphBatch.from_dict(batch.to_dict())


def graph_diff(old: GraphBatch, new: GraphBatch) -> dict[str, list[str]]:
    """Relations added, removed and changed (other place, what or citations) between two graphs,
    and actors added and removed; each a sorted list of keys or ids."""
    def sig(r: Relation) -> tuple:
        return (r.place, r.what, sorted(p.id for p in r.provenance))
    return {
        "relations_added": sorted(set(new.relations) - set(old.relations)),
        "relations_removed": sorted(set(old.relations) - set(new.relations)),
        "relations_changed": sorted(k for k in set(old.relations) & set(new.relations)
                                    if sig(old.relations[k]) != sig(new.relations[k])),
        "actors_added": sorted(set(new.actors) - set(old.actors)),
        "actors_removed": sorted(set(old.actors) - set(new.actors)),
    }


def article_meta(article: Article | None) -> dict[str, Any]:
    return article.to_dict() if article is not None else {}
