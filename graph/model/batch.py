"""The batch: a self-contained piece of graph (actors, relations, articles, events), what loaders
produce, stores upsert and exports write, and its graph JSON (DESIGN.md).

It sits above the records, events, codes and corroboration it serialises, so none of those needs it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, Iterable

from graph.model.corroboration import corroborate
from graph.model.event_codes import codes_for, state_lookup
from graph.model.events import Event, events_from_relations
from graph.model.records import STRUCTURE_TYPES, Actor, Article, Relation

__all__ = ["GraphBatch", "complete_events", "complete_event_items"]


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
    # the events the event relations are derived from, by id (see graph.model.events)
    events: dict[str, Event] = field(default_factory=dict)

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

    def add_event(self, event: Event) -> Event:
        """Fold an event in by its id (its derived relations are added apart:
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
        d = rel.to_dict()
        provenance = d.pop("provenance")
        d["corroboration"] = corroborate(rel.provenance, self.articles).to_dict()
        d["provenance"] = provenance
        return d

    def _events_dicts(self) -> list[dict[str, Any]]:
        """Each event with its codes (graph.model.event_codes), the states read off this batch."""
        if not self.events:
            return []
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


def complete_events(batch: GraphBatch) -> list[Event]:
    """The batch's events whose participants it all holds (so no IN_EVENT edge dangles), by id."""
    return [e for _, e in complete_event_items(batch)]


def complete_event_items(batch: GraphBatch) -> list[tuple[str, Event]]:
    """``complete_events`` with their ids, the batch's keys: an id is a hash of the parties, so a
    caller writing it for every event (the import files) need not compute it again."""
    return [(k, e) for k, e in sorted(batch.events.items(), key=itemgetter(0))
            if all(p.actor in batch.actors for p in e.participants)]
