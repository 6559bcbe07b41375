"""Events headed by a noun: 'the meeting between A and B', 'X's visit to Y', 'X held talks with Y',
'upon arrival at F', 'the sale of Z to Y', 'X's offer of Z'."""
from __future__ import annotations

from spacy.tokens import Token

from graph.model import RelType
from loaders.mentions import Mention
from loaders.relations.context import (AGENTS, FACILITY, PERSON, PLACE, VISIT_TARGETS, _CLAUSE_BREAK, EventCandidate,
                                       _Ctx, _next_word)
from loaders.relations.modality import _unreal, _unreal_noun
from loaders.relations.offers import _givers_by, _recipient
from loaders.relations.parties import _between, _coordinated, _group_of, _listed, _read_on, _subjects
from loaders.relations.phrases import _place_after, _what
from loaders.relations.subjects import _governor_subject, _main_subject, _subject


def _noun_events(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    i = tok.i
    out: list[EventCandidate] = []
    low = tok.lower_
    trig = ctx.v.triggers
    # "the meeting between A and B", "an agreement between A and B"
    for rel, name in ((RelType.MET, "MET"), (RelType.SIGNED, "SIGNED")):
        if low in trig[name].get("between_nouns", ()):
            group = _between(ctx, i, of=rel is RelType.MET)
            if len(group) > 1 and not _unreal_noun(ctx, tok):
                ev = EventCandidate(rel, group[0], group[1:], i, confidence=0.75, symmetric_group=group)
                if rel is RelType.MET:
                    ev.place = _place_after(ctx, group[-1].end, {id(g) for g in group})
                out.append(ev)
                return out
    if low in trig["VISITED"]["place_nouns"]:
        # "upon arrival at X, ...", "a guard of honour at X", "paid tribute ... in X"
        place = _place_after(ctx, i + 1, set(), reach=8)
        if place is not None and place.type is FACILITY or place is not None and low == "arrival":
            subj = _governor_subject(ctx, tok) or _main_subject(ctx, tok)
            if subj is not None and subj.type in AGENTS:
                out.append(EventCandidate(RelType.VISITED, subj, [place], i, confidence=0.7))
        return out
    if low in trig["OFFERED"]["transfer_nouns"] and tok.dep_ in {"dobj", "nsubjpass", "pobj"}:
        # "X approved the sale of 12 jets to Y", "X announced the delivery of ... to Y"
        head = tok.head if tok.dep_ != "pobj" else tok.head.head
        giver = next((ctx.resolve_token(c) for c in tok.children if c.dep_ == "poss"), None) or \
            (_subject(ctx, head) if head.pos_ == "VERB" and not _unreal(ctx, head) else None)
        if giver is not None and giver.type in AGENTS:
            rec, stop = _recipient(ctx, i, giver)
            if rec is not None and stop > 0 and not any(ctx.doc[k].lemma_.lower() in ctx.v.not_offered
                                                        for k in range(i, stop)):
                what = _what(ctx.doc, i + 2, stop) if _next_word(ctx, i + 1) == "of" else None
                out.append(EventCandidate(RelType.OFFERED, giver, [rec], i, what=what, confidence=0.7))
        return out
    if low in trig["OFFERED"]["nouns"]:
        # "An offer made by X to supply Z to Y": the maker and the recipient on the participle
        maker = next((c for c in tok.children if c.dep_ == "acl" and c.lemma_.lower() in trig["OFFERED"]["offer_makers"]),
                     None)
        if maker is not None and not _unreal_noun(ctx, tok):
            givers = _givers_by(ctx, maker)
            rec, _ = _recipient(ctx, maker.i, givers[0]) if givers else (None, 0)
            if rec is not None:
                return [EventCandidate(RelType.OFFERED, g, [rec], i, confidence=0.7) for g in givers if g is not rec]
        # "Y confirmed X's offer of Z"
        offerer = next((ctx.resolve_token(c) for c in tok.children if c.dep_ == "poss"), None)
        head = tok.head
        if offerer is not None and head.pos_ == "VERB" and tok.dep_ == "dobj" and not _unreal(ctx, head):
            rec = _subject(ctx, head)
            if rec is not None and rec.type in AGENTS and rec.key != offerer.key:
                end = i + 1
                while end < ctx.end and ctx.doc[end].text not in {".", ";"} and ctx.doc[end].lower_ != "and":
                    end += 1
                what = _what(ctx.doc, i + 2, end) if _next_word(ctx, i + 1) == "of" else None
                out.append(EventCandidate(RelType.OFFERED, offerer, [rec], i, what=what, confidence=0.7))
        return out
    if low in trig["VISITED"]["nouns"] or low in trig["MET"]["nouns"]:
        if _unreal_noun(ctx, tok):
            return out
    if low in trig["VISITED"]["nouns"]:
        subj = _governor_subject(ctx, tok)
        if subj is None and ctx.doc[i - 1].lower_ in {"a", "the", "his", "her"} and i - 2 >= ctx.start and \
                ctx.doc[i - 2].lower_ in {"during", "on", "after", "following", "upon"}:
            subj = _main_subject(ctx, tok)  # "pledged ... during a visit to X"
        if subj is None or subj.type not in AGENTS:
            return out
        dest = None
        for j in range(i + 1, min(ctx.end, i + 4)):
            if ctx.doc[j].lower_ in {"to", "of"}:
                dest, _ = _read_on(ctx, j + 1, RelType.VISITED, VISIT_TARGETS)
                break
        dests = [d for d in _coordinated(ctx, dest) if d.type in VISIT_TARGETS] if dest else []
        out.append(EventCandidate(RelType.VISITED, subj, dests, i, confidence=0.8 if dest else 0.5))
    elif low in trig["MET"]["nouns"]:
        subj = _governor_subject(ctx, tok)
        if subj is None and tok.dep_ == "pobj" and tok.head.lower_ in {"during", "after", "following", "at", "in"}:
            subj = _main_subject(ctx, tok)  # "During talks in X, A and B agreed ...": those who talked
        if subj is None or subj.type not in AGENTS:
            return out
        partners: list[Mention] = []
        place = None
        j = i + 1
        while j < ctx.end and j - i < 8:
            t = ctx.doc[j]
            if t.lower_ in {"with", "between", "on"}:
                p, _ = _read_on(ctx, j + 1, RelType.MET, AGENTS)
                if p is not None:
                    partners = [q for q in _listed(ctx, p) if q.type in AGENTS]
                    j = partners[-1].end
                    continue
            elif t.lower_ in {"in", "at"} and place is None:
                m = ctx.mention_at(j + 1) or (ctx.mention_at(j + 2) if ctx.doc[j + 1].pos_ == "DET" else None)
                if m is not None and m.type in {PLACE, FACILITY} and m.strong:
                    place = m
                    j = m.end
                    continue
            elif t.text in _CLAUSE_BREAK or t.pos_ in {"VERB", "AUX"}:
                break
            j += 1
        group = _subjects(ctx, subj)
        if partners:
            for s in _group_of(ctx, subj):
                ev = EventCandidate(RelType.MET, s, partners, i, confidence=0.85)
                ev.place = place
                out.append(ev)
        elif (len(group) > 1 or subj.ref == "group") and (low != "call" or tok.dep_ == "dobj"):
            # "Ostrland and Marenzia held talks": a meeting among those named
            ev = EventCandidate(RelType.MET, group[0], group[1:], i, confidence=0.75, symmetric_group=group)
            ev.place = place
            out.append(ev)
        if place is not None and place.type is PLACE and subj.type is PERSON and len(group) == 1:
            # 'A held talks in P': A came to P; of 'A and B met in P' one was at home, and which is not said
            out.append(EventCandidate(RelType.VISITED, subj, [place], i, confidence=0.7))
    return out
