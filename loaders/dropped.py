"""The events an article's modality checks dropped: what ``actorgraph eval --explain`` shows when
a gold relation was read but judged denied, planned, hypothetical or cancelled.

Read by running a sentence's event rules again with the modality checks off
(``sentence_events(..., modality=False)``): what that finds and the real reading does not is what the
checks dropped. Only an ``ArticleReader(record_dropped=True)`` does this, so extraction pays nothing
for it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from spacy.tokens import Token

from graph.model import RelType
from loaders.mentions import Mention, Sentence
from loaders.relations import EventCandidate, sentence_events
from loaders.vocab import Vocab

__all__ = ["DroppedEvent", "dropped_events"]

_NEGATIONS = {"not", "never", "n't", "no"}
_HYPOTHETICAL = {"if", "would", "could", "might", "may", "should"}
_CANCELLED = {"cancel", "cancelled", "canceled", "called-off", "postpone", "postponed"}


@dataclass
class DroppedEvent:
    """One edge of a dropped event, between local actor keys (``ArticleGraph.actors``)."""
    type: RelType
    source: str
    target: str
    reason: str       # denied, negated, hypothetical, cancelled or planned
    sentence: str


def _pairs(ev: EventCandidate) -> list[tuple[Mention, Mention]]:
    """The edges an event makes, as ``ArticleReader._events`` makes them."""
    def expand(ms: list[Mention]) -> list[Mention]:
        return [x for m in ms for x in (m.members if m.ref == "group" else [m])]

    group = expand(ev.symmetric_group) if ev.symmetric_group else []
    if group:
        return [(a, b) for n, a in enumerate(group) for b in group[n + 1:]]
    return [(s, t) for s in expand([ev.source]) for t in expand(ev.targets)]


def _reason(tok: Token, v: Vocab) -> str:
    """Why a trigger reads as not real, from the words governing it (most telling first)."""
    chain = [tok, *list(tok.ancestors)[:4]]
    near = [c for t in chain for c in t.children] + chain
    if any(t.lemma_.lower() in v.denials for t in chain):
        return "denied"
    if any(c.dep_ == "neg" or c.lower_ in _NEGATIONS and c.dep_ in {"neg", "det", "advmod"} for c in near):
        return "negated"
    if any(t.lower_ in _CANCELLED or t.lemma_.lower() in _CANCELLED and t.pos_ == "VERB" for t in near):
        return "cancelled"
    if any(c.lower_ in _HYPOTHETICAL and c.dep_ in {"mark", "aux"} for c in near):
        return "hypothetical"
    return "planned"


def dropped_events(sent: Sentence, v: Vocab, kept: list[EventCandidate], last_person: Mention | None,
                   last_agent: Mention | None, agent: Callable[[Mention], str | None]) -> list[DroppedEvent]:
    """The edges of the sentence's events that only a reading without modality checks finds;
    ``kept`` are the real reading's events, ``agent`` maps a mention to the actor key it acts as."""
    def keyed(ev: EventCandidate) -> list[tuple[RelType, str, str]]:
        out = []
        for a, b in _pairs(ev):
            s, t = agent(a), agent(b)
            if s and t and s != t:
                out.append((ev.type, s, t))
        return out

    have = {k for ev in kept for k in keyed(ev)}
    doc = sent.span.doc
    text = sent.span.text.strip()
    out: list[DroppedEvent] = []
    for ev in sentence_events(doc, sent, v, last_person, last_agent, modality=False):
        for type_, s, t in keyed(ev):
            if (type_, s, t) not in have:
                have.add((type_, s, t))
                out.append(DroppedEvent(type_, s, t, _reason(doc[ev.trigger], v), text))
    return out
