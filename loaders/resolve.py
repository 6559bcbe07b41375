"""Across articles: one node per actor.

People match on their full names folded ('Lt. Gen. A.R. Abd-ul-Karim' and 'Lt Gen AR Abdul
Karim' are both 'arabdulkarim'), or on two or more name words without initials when the states
they serve do not clash. A bare surname never joins across articles: two generals called Khan stay
two. Bodies match on their folded names and, when unique, their acronyms. Seeded with the actors a
store already holds, new articles join them and their ids never change.
"""
from __future__ import annotations

from typing import Iterable

from graph.model.events import Event, Participant
from graph.model import (EVENT_TYPES, Actor, Article, GraphBatch, NodeType, Provenance, Relation, actor_id,
                         relation_key)
from loaders.local import ArticleGraph, LocalActor, LocalRelation
from loaders.vocab import Vocab, fold, is_initial, norm_words

__all__ = ["Resolver"]

PERSON, STATE, PLACE, ORG, FACILITY = (NodeType.PERSON, NodeType.STATE, NodeType.PLACE, NodeType.ORGANIZATION,
                                       NodeType.FACILITY)




class Resolver:
    def __init__(self, vocab: Vocab, existing: Iterable[Actor] = ()):
        self.v = vocab
        self.index: dict[str, str] = {}        # matching key -> actor id
        self.state_of: dict[str, str] = {}     # person id -> the state it serves, when known
        self.taken: dict[str, None] = {}      # ids given out (a dict: the newest can be undone)
        for a in existing:
            self.taken[a.id] = None
            for n in [a.name, *a.aliases]:
                for k in self._keys(a.type, self._strip_rank(n) if a.type is PERSON else n):
                    self.index.setdefault(k, a.id)

    def _strip_rank(self, name: str) -> str:
        """'Lieutenant General John Doe' -> 'John Doe': ranks are attributes, not names."""
        keys = norm_words(name)
        m = self.v.ranks.match(keys, 0)
        if m and m[0] < len(keys):
            words = name.split()
            return " ".join(words[_rank_words(words, m[0]):])
        return name

    def _keys(self, type_: NodeType, name: str) -> list[str]:
        if type_ is STATE:
            return [f"state:{fold(name)}"]
        if type_ is PLACE:
            return [f"place:{fold(name)}"]
        if type_ is PERSON:
            words = name.split()
            keys = [f"person:{fold(name)}"]
            core = [w for w in words if not is_initial(w)]
            if len(core) >= 2:
                keys.append(f"person-core:{fold(' '.join(core))}")
            return keys
        keys = [f"body:{fold(name)}"]
        if name.isupper() and 2 <= len(name) <= 8:
            keys = [f"acronym:{name}"]
        return keys

    def _find(self, la: LocalActor) -> str | None:
        names = [la.name] + sorted(la.aliases)
        for n in names:
            if la.type is PERSON and len([w for w in n.split() if not is_initial(w)]) < 2 and \
                    fold(n) != fold(la.name):
                continue  # 'Gen Doe' alone never joins across articles
            for k in self._keys(la.type, self._strip_rank(n) if la.type is PERSON else n):
                found = self.index.get(k)
                if found is None:
                    continue
                if la.type is PERSON and la.state and self.state_of.get(found) not in (None, la.state):
                    continue  # same name, different states: two people
                return found
        return None

    def add(self, ag: ArticleGraph, article: Article, batch: GraphBatch) -> None:
        """Put one article's actors and relations into ``batch`` under resolved ids: all of them,
        or, should this raise, none, and the resolver as it was (one failed article leaves nothing
        half-added for the next to resolve against)."""
        sizes = [(d, len(d)) for d in (self.index, self.state_of, self.taken)]
        scratch = GraphBatch()
        try:
            self._add(ag, article, scratch, batch)
        except BaseException:
            for d, n in sizes:  # they only grow, by setdefault: undo the newest entries
                while len(d) > n:
                    d.popitem()
            raise
        batch.update(scratch)

    def _add(self, ag: ArticleGraph, article: Article, batch: GraphBatch, before: GraphBatch) -> None:
        """``add`` into an empty ``batch``, ``before`` holding the earlier articles' actors."""
        ids: dict[str, str] = {}
        needed = {k for r in ag.relations for k in (r.source, r.target, r.place) if k}
        for la in ag.actors.values():
            if not la.strong and la.key not in needed:
                continue
            type_ = la.type
            if not la.strong and type_ is ORG and any(
                    r.target == la.key and r.type.value == "VISITED" for r in ag.relations):
                type_ = FACILITY  # "laid a wreath at X", "toured X": a place one can stand in
            found = self._find(la)
            if found is None:
                found = actor_id(type_, la.name)
                n = 2
                while found in self.taken:  # same name, but not the same actor (see _find)
                    found = f"{actor_id(type_, la.name)}-{n}"
                    n += 1
            self.taken[found] = None
            aliases = sorted(la.aliases - {la.name})
            actor = Actor(id=found, type=type_, name=la.name, aliases=aliases, rank=la.rank, title=la.title)
            # the longest name seen so far, the earliest of equals (what merging them will keep)
            names = [a.name for a in (before.actors.get(found), batch.actors.get(found)) if a is not None]
            if names and type_ is PERSON:
                longest = max(names, key=len)
                actor.name = longest if len(longest) >= len(la.name) else la.name
            batch.add_actor(actor)
            for n in [la.name, *la.aliases]:
                for k in self._keys(type_, self._strip_rank(n) if type_ is PERSON else n):
                    if type_ is PERSON and k.startswith("person:") and len(
                            [w for w in n.split() if not is_initial(w)]) < 2 and fold(n) != fold(la.name):
                        continue
                    self.index.setdefault(k, found)
            if la.state and type_ is PERSON:
                self.state_of.setdefault(found, la.state)
            ids[la.key] = found
        batch.add_article(article)
        # Event edges come from their events: the edges one sentence-level event produced (same
        # number, and still the same date, place and what after the article's dating) are one Event.
        groups: dict[tuple, list[tuple[LocalRelation, str, str]]] = {}
        for r in ag.relations:
            src, tgt = ids.get(r.source), ids.get(r.target)
            if not src or not tgt or src == tgt:
                continue
            if r.event is None or r.type not in EVENT_TYPES:
                prov = Provenance(article=ag.article_id, sentence=r.sentence, start=r.start, end=r.end,
                                  confidence=round(r.confidence, 2))
                batch.add_relation(Relation(source=src, target=tgt, type=r.type, date=r.date,
                                            place=ids.get(r.place) if r.place else None, what=r.what,
                                            provenance=[prov]))
                continue
            key = (r.event, r.date, r.place, r.what, round(r.confidence, 2), r.start, r.end)
            groups.setdefault(key, []).append((r, src, tgt))
        # in the order of their first edges: a relation cited twice keeps its citations' order
        for items in groups.values():
            for ev in _events_of(ag.article_id, items, ids):
                batch.add_event(ev)
                for rel in ev.relations():
                    batch.add_relation(rel)


def _events_of(article_id: str, items: list[tuple[LocalRelation, str, str]], ids: dict[str, str]) -> list[Event]:
    """The event of one sentence-level event's edges; should its derived edges not be exactly
    those edges (a pair dated apart, an actor resolved away), one event per edge instead."""
    r0 = items[0][0]
    prov = Provenance(article=article_id, sentence=r0.sentence, start=r0.start, end=r0.end,
                      confidence=round(r0.confidence, 2))
    place = ids.get(r0.place) if r0.place else None

    def event(edges: list[tuple[LocalRelation, str, str]]) -> Event:
        parts = [p for r, src, tgt in edges for p in (Participant(src, r.roles[0], r.sides[0]),
                                                      Participant(tgt, r.roles[1], r.sides[1]))]
        return Event(type=r0.type, date=r0.date, participants=parts, place=place, what=r0.what,
                     citations=[prov])

    ev = event(items)
    wanted = {relation_key(r.type, src, tgt, r.date) for r, src, tgt in items}
    if {rel.key for rel in ev.relations()} == wanted:
        return [ev]
    return [event([item]) for item in items]


def _rank_words(words: list[str], n_keys: int) -> int:
    """How many surface words cover the first n_keys normalised rank words."""
    taken, i = 0, 0
    while i < len(words) and taken < n_keys:
        taken += len(norm_words(words[i]))
        i += 1
    return i
