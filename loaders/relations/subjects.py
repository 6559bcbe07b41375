"""Who does what a trigger says: a verb's subject (shared along coordination and xcomp, or the noun
a participle hangs on), a passive verb's subject, and the actor of an event noun (its possessor, the
subject of its light verb or of the verb its phrase hangs on)."""
from __future__ import annotations

from spacy.tokens import Token

from loaders.mentions import Mention
from loaders.relations.context import AGENTS, STATE, _Ctx
from loaders.relations.modality import _unreal
from loaders.relations.parties import _coordinated

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}


def _subject(ctx: _Ctx, verb: Token) -> Mention | None:
    """The actor doing what a verb says: its subject, shared by coordinated verbs and xcomp, or
    the noun a participle modifies ('X, ..., called on Y')."""
    tok = verb
    for _ in range(4):
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            if subjects[0].dep_ == "nsubjpass" and tok is verb:
                return None  # "X was met by Y": read by the passive patterns, never turned around here
            # a dateline ('LACHIN: X joined ...') can parse as a second subject: take the one that is an actor
            found = [m for m in map(ctx.resolve_token, subjects) if m is not None]
            if len(found) > 1 and found[-1] in _coordinated(ctx, found[0]):
                return found[0]  # 'A and his counterpart B met': the parse gave both as subjects
            return found[-1] if found else None
        if tok.dep_ == "pcomp" and tok.head.dep_ == "prep" and tok.head.head.i != tok.head.i:
            tok = tok.head.head  # "committed to supplying X to Y": the subject of 'committed'
            continue
        if tok.dep_ in {"conj", "xcomp", "advcl"} and tok.head.i != tok.i:
            tok = tok.head
            continue
        if tok.dep_ in {"acl", "relcl"}:
            return ctx.resolve_token(tok.head)
        break
    if verb.dep_ == "ROOT" and verb.tag_ in {"VBD", "VBZ", "VBP"} and verb.i - 2 >= ctx.start and \
            ctx.doc[verb.i - 1].text == ",":
        # 'On arrival at X, Commander Y, laid a wreath': the parse hung the actor on the fronted
        # phrase; the one set off by commas right before the verb is its subject
        m = ctx.mention_at(verb.i - 2)
        if m is not None and m.end == verb.i - 1 and m.type in AGENTS and m.type is not STATE and \
                m.start > ctx.start and ctx.doc[m.start - 1].text == ",":
            return m
    return None


def _governor_subject(ctx: _Ctx, noun: Token) -> Mention | None:
    """For an event noun: its possessor ('X's visit'), or the subject of the light verb it is the
    object of ('X held talks', 'X paid a visit', 'X held a series of meetings')."""
    for c in noun.children:
        if c.dep_ == "poss":
            return ctx.resolve_token(c)
    tok = noun
    for _ in range(3):
        head = tok.head
        if head.i == tok.i:
            break
        if head.pos_ in {"VERB", "AUX"}:
            if head.lemma_ in ctx.v.light_verbs and (tok.dep_ in {"dobj", "pobj", "attr", "nsubj"} or
                                                     tok.dep_ == "prep" and head.lemma_ == "be"):  # 'is on a visit' 
                if _unreal(ctx, head):
                    return None
                return _subject(ctx, head)
            return None
        if tok.dep_ == "pobj" or head.lower_ in {"of", "series", "round", "rounds", "number"}:
            tok = head
            continue
        break
    # "... was followed by X's visit": the noun is coordinated with or governed by a noun
    if noun.i > ctx.start:
        k = noun.i - 1
        while k > ctx.start and ctx.doc[k].pos_ in {"ADJ", "DET"}:
            k -= 1
        if ctx.doc[k].text in {"'s", "’s"}:
            return ctx.mention_at(k - 1)
    return None


def _passive_subject(ctx: _Ctx, tok: Token) -> Mention | None:
    """Who a passive verb happened to: its subject, the subject of the verb it is joined to
    ('X arrived and was received by Y'), or the noun a participle modifies ('X, received by Y')."""
    subj = next((ctx.resolve_token(c) for c in tok.children if c.dep_ == "nsubjpass"), None)
    if subj is None and tok.dep_ == "conj":
        subj = next((ctx.resolve_token(c) for c in tok.head.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None and tok.dep_ in {"acl", "relcl"}:
        subj = ctx.resolve_token(tok.head)
    return subj


def _main_subject(ctx: _Ctx, tok: Token) -> Mention | None:
    """For a nominal event with no possessor ('Upon arrival at X, the COAS ...'): the subject of
    the verb the phrase hangs on."""
    head = tok
    for _ in range(6):
        if head.head.i == head.i:
            break
        head = head.head
        if head.pos_ in {"VERB", "AUX"}:
            subj = _subject(ctx, head)
            if subj is None:
                subj = next((ctx.resolve_token(c) for c in head.children if c.dep_ == "nsubjpass"), None)
            if subj is not None:
                return subj
    return None
