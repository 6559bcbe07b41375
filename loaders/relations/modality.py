"""Whether an event happened: the checks that drop a negated, hypothetical, planned or denied
verb or event noun (all off when the context's ``modality`` is False, for loaders/dropped.py)."""
from __future__ import annotations

from spacy.tokens import Token

from loaders.relations.context import _Ctx


def _unreal(ctx: _Ctx, verb: Token) -> bool:
    """Negated, hypothetical or only planned: 'did not meet', 'will visit', 'is expected to sign'."""
    if not ctx.modality:
        return False
    v = ctx.v
    tok = verb
    for _ in range(3):
        for c in tok.children:
            if c.dep_ in {"neg", "aux", "auxpass"} and c.lower_ in v.unreal:
                return True
        if tok.dep_ == "xcomp" and any(c.dep_ == "prt" and f"{tok.head.lemma_.lower()} {c.lower_}" in v.unreal_phrasal
                                       for c in tok.head.children):
            return True  # 'put off signing', 'ruled out visiting'
        if tok.dep_ == "xcomp" and (tok.head.lemma_ in v.unreal or tok.head.lower_ in v.unreal):
            return True
        if tok.dep_ not in {"conj", "xcomp"}:
            break
        tok = tok.head
    for c in verb.subtree:
        if c.dep_ == "mark" and c.lower_ == "if":
            return True
    return _denied(ctx, verb)


def _denied(ctx: _Ctx, tok: Token) -> bool:
    """Under a verb of denial: 'denied (reports) that he had met X'."""
    for _ in range(4):
        if tok.head.i == tok.i:
            return False
        if tok.dep_ in {"ccomp", "xcomp", "acl", "relcl", "dobj", "pobj", "prep", "conj", "advcl"}:
            tok = tok.head
            if tok.lemma_.lower() in ctx.v.denials:
                return True
            continue
        return False
    return False


def _unreal_noun(ctx: _Ctx, noun: Token) -> bool:
    """An event noun that is planned, possible or denied: 'the upcoming visit', 'ahead of his
    visit', 'plans for a meeting between ...', under a planning or negated verb."""
    if not ctx.modality:
        return False
    words = ctx.v.unreal_nouns
    if any(c.lower_ in words for c in noun.children) or noun.i > ctx.start and ctx.doc[noun.i - 1].lower_ in words:
        return True
    if any(c.dep_ == "prt" and f"{noun.head.lemma_.lower()} {c.lower_}" in ctx.v.unreal_phrasal for c in noun.head.children):
        return True  # 'the meeting ... was called off'

    if noun.head.dep_ == "prep" and noun.head.head.lower_ in words or noun.head.lower_ == "before" and \
            noun.dep_ == "pobj":
        return True  # 'ahead of the visit', 'preparations for the meeting', 'before the visit'
    if _denied(ctx, noun):
        return True
    head = noun.head
    for _ in range(3):
        if head.pos_ in {"VERB", "AUX"}:
            return _unreal(ctx, head) or head.lemma_ in ctx.v.unreal
        if head.head.i == head.i:
            break
        head = head.head
    return False
