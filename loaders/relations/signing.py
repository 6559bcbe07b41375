"""Signings: the verbs of signing, active and passive ('A signed X with B', 'X was signed by A and
B'), and two signing clauses with no partner each made one signing."""
from __future__ import annotations

from spacy.tokens import Token

from graph.model import RelType
from loaders.relations.context import AGENTS, PLACE, _CLAUSE_BREAK, EventCandidate, _Ctx, _fires, _passive
from loaders.relations.parties import _agents_by, _between, _coordinated, _group_of, _read_on, _subjects
from loaders.relations.phrases import _what
from loaders.relations.subjects import _subject


def _sign_verb(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    i, t = tok.i, ctx.v.triggers["SIGNED"]
    out: list[EventCandidate] = []
    if lemma in t["passive_verbs"] and _passive(tok):
        # "It was signed by A on behalf of S and B on behalf of T"
        parties, _ = _agents_by(ctx, i)
        if len(parties) < 2:
            parties = _between(ctx, i)  # "a memorandum was signed between A and B"
        if len(parties) > 1:
            out.append(EventCandidate(RelType.SIGNED, parties[0], parties[1:], i, confidence=0.8,
                                      symmetric_group=parties))
        return out
    if not _fires(ctx, tok, lemma, "SIGNED"):
        return out
    subj = _subject(ctx, tok)
    if subj is None:
        return out
    # "signed a pact with Y"
    j = i + 1
    partner, between = None, False
    while j < ctx.end and j - i < 14:
        w = ctx.doc[j]
        if w.lower_ in {"with", "between"}:
            partner, _ = _read_on(ctx, j + 1, RelType.SIGNED, AGENTS | {PLACE})
            between = w.lower_ == "between"
            break
        if w.text in _CLAUSE_BREAK or w.pos_ in {"VERB", "AUX"} or ctx.mention_at(j):
            break
        j += 1
    what = _what(ctx.doc, i + 1, j) if j > i + 1 else None
    group = _subjects(ctx, subj)
    if partner is not None and between and len(group) > 1:
        # 'A and B signed the agreement between the two countries': A and B signed it together,
        # and the parties named after 'between' are bound by it
        out.append(EventCandidate(RelType.SIGNED, group[0], group[1:], i, what=what, confidence=0.8,
                                  symmetric_group=group))
        parties = [p for p in _coordinated(ctx, partner) if p.type in AGENTS or p.ref == "group"]
        if len(parties) > 1 or partner.ref == "group":
            out.append(EventCandidate(RelType.SIGNED, parties[0], parties[1:], i, what=what, confidence=0.7,
                                      symmetric_group=parties))
    elif partner is not None:
        for s in _group_of(ctx, subj):
            out.append(EventCandidate(RelType.SIGNED, s, _coordinated(ctx, partner), i, what=what, confidence=0.85))
    elif len(group) > 1 or subj.ref == "group":
        out.append(EventCandidate(RelType.SIGNED, group[0], group[1:], i, what=what, confidence=0.75,
                                  symmetric_group=group))
    elif subj.type in AGENTS:
        out.append(EventCandidate(RelType.SIGNED, subj, [], i, what=what, confidence=0.75))  # a partner may sign later
    return out


def _cosigners(ctx: _Ctx, found: list[EventCandidate]) -> list[EventCandidate]:
    """'A signed the agreement on behalf of S, and B signed on behalf of T': two signing clauses
    with no partner each make one signing of their subjects."""
    alone = [e for e in found if e.type is RelType.SIGNED and not e.targets and not e.symmetric_group]
    signers = list({id(e.source): e.source for e in alone}.values())
    if len(signers) < 2:
        return []
    return [EventCandidate(RelType.SIGNED, signers[0], signers[1:], alone[0].trigger, what=alone[0].what,
                           confidence=0.75, symmetric_group=signers)]
