"""Offers: the verbs of giving and receiving ('X offered Y Z', 'Z was donated by X to Y', 'Y received
Z from X'), with the recipient and the thing offered."""
from __future__ import annotations

from spacy.tokens import Token

from graph.model import RelType
from loaders.mentions import Mention
from loaders.relations.context import AGENTS, _CLAUSE_BREAK, EventCandidate, _Ctx, _fires, _passive
from loaders.relations.parties import _agents_by, _group_of
from loaders.relations.phrases import _what
from loaders.relations.subjects import _subject


def _recipient(ctx: _Ctx, i: int, offerer: Mention) -> tuple[Mention | None, int]:
    """Who is offered to: 'to Y' or 'for (use by) Y' after the thing offered, or 'Y X' right after
    the verb. Returns the recipient and where the thing offered ends."""
    doc = ctx.doc
    preps = ctx.v.triggers["OFFERED"]["recipient_preps"]
    k = i + 1
    while k < ctx.end and doc[k].pos_ == "DET" and ctx.mention_at(k) is None:
        k += 1  # 'offered the Philippines a line of credit'
    first = ctx.mention_at(k)
    if first is not None and first.type in AGENTS and first.strong and first is not offerer:
        return first, -first.end  # "offered Y X": the thing follows the recipient
    j = i + 1
    while j < ctx.end and j - i < 25:
        w = doc[j]
        if w.lower_ in preps and w.pos_ in {"ADP", "PART"} and not (w.lower_ == "to" and doc[j + 1].pos_ == "VERB"):
            k = j + 1
            while k < ctx.end and doc[k].lower_ in {"use", "by", "the"}:
                k += 1
            rec = ctx.mention_at(k)
            if rec is not None and (rec.type in AGENTS or rec.metonym) and rec is not offerer:
                return rec, j
            if w.lower_ == "to":
                return None, j
        elif w.text in _CLAUSE_BREAK or w.text == "," and j - i > 12 or \
                w.pos_ in {"VERB", "AUX"} and w.dep_ not in {"xcomp", "amod", "acl"} and \
                w.lemma_ not in ctx.v.triggers["OFFERED"]["verbs"] and not w.tag_ == "VBN":
            break
        j += 1
    return None, j


def _received_from(ctx: _Ctx, tok: Token) -> list[EventCandidate]:
    """'Y received 12 jets from X': an offer from X to Y (the thing is no person)."""
    obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
    if obj is None or ctx.mention_at(obj.i) is not None or obj.lemma_.lower() in ctx.v.not_offered:
        return []
    rec = _subject(ctx, tok)
    if rec is None or rec.type not in AGENTS:
        return []
    for j in range(obj.i + 1, min(ctx.end, obj.i + 12)):
        if ctx.doc[j].lower_ == "from":
            giver = ctx.mention_at(j + 1) or (ctx.mention_at(j + 2) if ctx.doc[j + 1].pos_ == "DET" else None)
            if giver is not None and giver.type in AGENTS and giver is not rec:
                return [EventCandidate(RelType.OFFERED, giver, [rec], tok.i, what=_what(ctx.doc, tok.i + 1, j),
                                       confidence=0.65)]
            break
        if ctx.doc[j].text in _CLAUSE_BREAK or ctx.doc[j].pos_ == "VERB":
            break
    return []


def _offer_verb(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    if lemma in ctx.v.triggers["OFFERED"]["receive_verbs"]:
        return _received_from(ctx, tok)
    if not _fires(ctx, tok, lemma, "OFFERED"):
        return []
    if _passive(tok):
        return _offered_by(ctx, tok)
    subj = _subject(ctx, tok)
    if subj is None or subj.type not in AGENTS:
        return []
    i = tok.i
    # the thing offered starts after the verb's particle and any verbs it governs ('handed over X',
    # 'pledged to begin sending X')
    start = i + 1
    while start < ctx.end and (ctx.doc[start].pos_ in {"ADP", "PART"} and ctx.doc[start].head.i in {i, start + 1}
                               or ctx.doc[start].pos_ == "VERB" and ctx.doc[start].dep_ == "xcomp"):
        start += 1
    rec, stop = _recipient(ctx, i, subj)
    if rec is None:
        return []
    if any(ctx.doc[k].lemma_.lower() in ctx.v.not_offered for k in range(start, min(abs(stop) if stop else ctx.end,
                                                                                ctx.end)) if ctx.doc[k].pos_ == "NOUN"):
        return []  # 'delivered a speech to', 'provided an update to': words, not an offer
    if stop < 0:
        what_end = -stop
        while what_end < ctx.end and ctx.doc[what_end].text not in {",", ".", ";"} and \
                ctx.doc[what_end].pos_ not in {"VERB", "SCONJ"}:
            what_end += 1
        what = _what(ctx.doc, -stop, what_end)
    else:
        what = _what(ctx.doc, start, stop)
    return [EventCandidate(RelType.OFFERED, s, [rec], i, what=what, confidence=0.8) for s in _group_of(ctx, subj)]


def _givers_by(ctx: _Ctx, tok: Token) -> list[Mention]:
    return [m for m in _agents_by(ctx, tok.i)[0] if m.type in AGENTS or m.metonym]


def _offered_by(ctx: _Ctx, tok: Token) -> list[EventCandidate]:
    """An offer in the passive: 'X was donated by A to B', 'vehicles donated by A were handed over
    to B' (the giver on the participle that names the thing, the recipient on the main verb)."""
    givers = _givers_by(ctx, tok)
    thing = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if not givers and thing is not None:
        for c in thing.children:
            if c.dep_ == "acl" and c.tag_ == "VBN" and _fires(ctx, c, c.lemma_.lower(), "OFFERED"):
                givers = _givers_by(ctx, c)
                break
    if not givers:
        return []
    rec, stop = _recipient(ctx, tok.i, givers[0])
    if rec is None and tok.dep_ == "acl" and tok.head.dep_ in {"nsubjpass", "nsubj"}:
        return []  # read from the main verb, which names the recipient
    if rec is None:
        return []
    what = _what(ctx.doc, thing.left_edge.i, thing.i + 1) if thing is not None else None
    return [EventCandidate(RelType.OFFERED, g, [rec], tok.i, what=what, confidence=0.7) for g in givers
            if g is not rec]
