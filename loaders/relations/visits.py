"""Visits: the verbs of visiting ('visited', 'arrived in', 'laid a wreath at', 'was received in'),
being at a place for talks ('X was in P for talks') and 'While in P, X ...'."""
from __future__ import annotations

from spacy.tokens import Token

from graph.model import RelType
from loaders.relations.context import (AGENTS, FACILITY, PLACE, STATE, VISIT_TARGETS, EventCandidate, _Ctx, _fires,
                                       _passive)
from loaders.relations.parties import _coordinated, _group_of, _read_on
from loaders.relations.phrases import _place_after
from loaders.relations.subjects import _passive_subject, _subject


def _visit_verb(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    i, t = tok.i, ctx.v.triggers["VISITED"]
    out: list[EventCandidate] = []
    if lemma in t["passive_verbs"] and _passive(tok):
        # "the delegation was received in Bamako", "received in audience at the Palace by ..."
        subj = _passive_subject(ctx, tok)
        place = _place_after(ctx, i + 1, {id(subj)} if subj else set(), stop_at_by=True)
        if subj is not None and subj.type in AGENTS and place is not None:
            out.append(EventCandidate(RelType.VISITED, subj, [place], i, confidence=0.75))
        return out
    if not _fires(ctx, tok, lemma, "VISITED"):
        return out
    subj = _subject(ctx, tok)
    start = i + 1
    if lemma in t.get("object_verbs", {}):
        # "laid a wreath at X", "paid tribute to the martyrs at X": the place follows the object
        place = _place_after(ctx, i + 1, {id(subj)} if subj else set())
        if subj is not None and subj.type in AGENTS and place is not None:
            out.append(EventCandidate(RelType.VISITED, subj, [place], i, confidence=0.8))
        return out
    obj, _ = _read_on(ctx, start, RelType.VISITED, VISIT_TARGETS)
    if subj is not None and obj is not None and subj.type in AGENTS and obj is not subj:
        targets = [o for o in _coordinated(ctx, obj) if o.type in VISIT_TARGETS]
        for s in _group_of(ctx, subj):
            out.append(EventCandidate(RelType.VISITED, s, targets, i, confidence=0.85))
    return out


def _stay_verb(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    """'X was in Moscow on Monday for talks', 'X is in Y on a visit': being at a place for an event."""
    if lemma != "be" or not any(c.dep_ == "nsubj" for c in tok.children):
        return []
    place = None
    purpose = False
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in {"in", "at"}:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            m = ctx.mention_at(obj.i) if obj is not None else None
            if m is not None and m.type in {PLACE, STATE, FACILITY}:
                place = m
        if c.dep_ == "prep" and c.lower_ in {"for", "on"}:
            obj = next((g for g in c.children if g.dep_ == "pobj"), None)
            purpose = purpose or obj is not None and (obj.lower_ in ctx.v.triggers["MET"]["nouns"] or
                                                      obj.lower_ in ctx.v.triggers["VISITED"]["nouns"])
    if place is None or not purpose:
        return []
    subj = _subject(ctx, tok)
    if subj is None or subj.type not in AGENTS or subj is place:
        return []
    return [EventCandidate(RelType.VISITED, subj, [place], tok.i, confidence=0.7)]


def _while_in(ctx: _Ctx) -> list[EventCandidate]:
    """'While in Brazil, X also visited ...': the clause's subject was in that place."""
    doc, k = ctx.doc, ctx.start
    if k + 2 < ctx.end and doc[k].lower_ in {"while", "whilst"} and doc[k + 1].lower_ in {"in", "at"}:
        m = ctx.mention_at(k + 2)
        if m is not None and m.type in {PLACE, STATE, FACILITY} and m.end < ctx.end and doc[m.end].text == ",":
            verb = next((t for t in doc[m.end + 1:ctx.end] if t.pos_ in {"VERB", "AUX"} and t.dep_ == "ROOT"), None)
            subj = _subject(ctx, verb) if verb is not None else None
            if subj is not None and subj.type in AGENTS:
                return [EventCandidate(RelType.VISITED, subj, [m], k, confidence=0.7)]
    return []
