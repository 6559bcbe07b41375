"""The reading of one sentence: the event candidate it yields, the context the readers share (the
sentence and its mentions, the vocabulary, the last person and agent named before it), the actor
types the readers ask for, and the tests on a trigger token (the next word, whether a verb fires for
a relation, whether it is passive)."""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from graph.model import NodeType, RelType
from loaders.mentions import Mention, Sentence
from loaders.vocab import Vocab

PERSON, FORCE, STATE, ORG, FACILITY, PLACE = (NodeType.PERSON, NodeType.ARMED_FORCE, NodeType.STATE,
                                              NodeType.ORGANIZATION, NodeType.FACILITY, NodeType.PLACE)
AGENTS = {PERSON, FORCE, STATE, ORG}
VISIT_TARGETS = {STATE, PLACE, FACILITY, FORCE, ORG}
_CLAUSE_BREAK = {";", ":", "—", "–", "(", ")"}


@dataclass
class EventCandidate:
    type: RelType
    source: Mention
    targets: list[Mention]
    trigger: int                      # token index of the trigger
    what: str | None = None
    place: Mention | None = None
    confidence: float = 0.8
    symmetric_group: list[Mention] = field(default_factory=list)  # "X and Y met": all pairs
    roles: tuple[str, str] | None = None  # (source's, targets') role in the event, if not the type's default


class _Ctx:
    def __init__(self, doc: Doc, sent: Sentence, v: Vocab, last_person: Mention | None, last_agent: Mention | None):
        self.doc, self.sent, self.v = doc, sent, v
        self.last_person, self.last_agent = last_person, last_agent
        self.start, self.end = sent.span.start, sent.span.end
        self.modality = True  # False: keep the events the modality checks would drop (see dropped_events)

    def mention_at(self, i: int) -> Mention | None:
        return self.sent.outer.get(i)

    def resolve_token(self, tok: Token) -> Mention | None:
        """The actor a subject or possessor token stands for: the mention it sits in, or for a
        pronoun the last person or body named before it."""
        m = self.mention_at(tok.i)
        if m is not None:
            return m
        low = tok.lower_
        if low in {"who", "which", "that"} and tok.head.dep_ == "relcl" and tok.head.head.i != tok.head.i:
            return self.resolve_token(tok.head.head)  # 'X, who is on a visit to Y': X
        if low in {"he", "she", "his", "her", "him", "it", "its"}:
            # "Pakistan said it has signed": the subject of the verb the clause hangs on
            person = low not in {"it", "its"}
            head = tok.head
            for _ in range(4):
                if head.head.i == head.i:
                    break
                head = head.head
                if head.pos_ in {"VERB", "AUX"}:
                    subj = next((c for c in head.children if c.dep_ == "nsubj" and c.i != tok.i), None)
                    if subj is not None:
                        m = self.mention_at(subj.i)
                        if m is not None and (m.type is PERSON) == person:
                            return m
            return self.last_person if person else self.last_agent
        # "the two ministers" / "delegations from X": no single actor
        for child in tok.children:
            if child.dep_ == "appos":
                m = self.mention_at(child.i)
                if m is not None:
                    return m
        return None


def _next_word(ctx: _Ctx, i: int) -> str:
    return ctx.doc[i].lower_ if i < ctx.end else ""


def _fires(ctx: _Ctx, tok: Token, lemma: str, rel: str) -> bool:
    """Whether a verb triggers rel: alone, with one of its particles, or with its object word."""
    t = ctx.v.triggers[rel]
    if lemma in t.get("verbs", ()):
        return True
    particles = t.get("particle_verbs", {}).get(lemma)
    if particles and {_next_word(ctx, tok.i + 1), _next_word(ctx, tok.i + 2)} & set(particles):
        return True
    objects = t.get("object_verbs", {}).get(lemma)
    # 'struck a deal', and through a preposition: 'entered into an agreement'
    return bool(objects) and any(c.lower_ in objects or c.dep_ == "prep" and any(g.lower_ in objects for g in c.children)
                                 for c in tok.children)


def _passive(tok: Token) -> bool:
    return any(c.dep_ in {"nsubjpass", "auxpass"} for c in tok.children) or \
        tok.tag_ == "VBN" and tok.dep_ in {"acl", "relcl"}
