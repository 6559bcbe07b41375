"""A sentence's events put together: each token read as a verb or noun trigger, then the readings
of the sentence as a whole, less the duplicates."""
from __future__ import annotations

from spacy.tokens import Doc, Token

from loaders.mentions import Mention, Sentence
from loaders.relations.context import EventCandidate, _Ctx
from loaders.relations.meetings import _attendance, _co_leaders, _met_verb
from loaders.relations.modality import _unreal
from loaders.relations.nouns import _noun_events
from loaders.relations.offers import _offer_verb
from loaders.relations.signing import _cosigners, _sign_verb
from loaders.relations.visits import _stay_verb, _visit_verb, _while_in
from loaders.vocab import Vocab


def sentence_events(doc: Doc, sent: Sentence, v: Vocab, last_person: Mention | None = None,
                    last_agent: Mention | None = None, modality: bool = True) -> list[EventCandidate]:
    """The sentence's events; with ``modality`` False also the denied, planned and hypothetical
    ones the checks would drop (what ``actorgraph eval --explain`` reports as dropped)."""
    ctx = _Ctx(doc, sent, v, last_person, last_agent)
    ctx.modality = modality
    out: list[EventCandidate] = []
    for tok in sent.span:
        if tok.i in sent.outer and sent.outer[tok.i].ref is None:
            continue
        lemma, pos = tok.lemma_.lower(), tok.pos_
        if pos in {"VERB", "AUX"} or tok.tag_.startswith("VB"):
            out.extend(_verb_events(ctx, tok, lemma))
        elif pos in {"NOUN", "PROPN"}:
            out.extend(_noun_events(ctx, tok, lemma))
    out.extend(_while_in(ctx))
    out.extend(_attendance(ctx))
    out.extend(_cosigners(ctx, out))
    out.extend(_co_leaders(ctx, out))
    return _dedupe(out)


def _verb_events(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    if _unreal(ctx, tok):
        return []
    out: list[EventCandidate] = []
    for fn in (_met_verb, _visit_verb, _sign_verb, _offer_verb, _stay_verb):
        out.extend(fn(ctx, tok, lemma))  # 'was received at P by X' is a meeting and a visit
    return out


def _dedupe(events: list[EventCandidate]) -> list[EventCandidate]:
    seen, out = set(), []
    for e in events:
        k = (e.type, id(e.source), tuple(id(t) for t in e.targets))
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out
