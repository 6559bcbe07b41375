"""Meetings: the verbs that make one ('met', 'called on', 'was received by', 'the delegations were led
by', 'brought together', 'hosted'), and the sentence-wide readings of those attending and of the
leaders of two sides."""
from __future__ import annotations

from spacy.tokens import Token

from graph.model import RelType
from loaders.relations.context import (AGENTS, FACILITY, PERSON, PLACE, STATE, EventCandidate, _Ctx, _fires,
                                       _next_word, _passive)
from loaders.relations.modality import _unreal
from loaders.relations.parties import _agents_by, _group_of, _listed, _read_on, _subjects
from loaders.relations.phrases import _fronted_place, _place_after
from loaders.relations.subjects import _passive_subject, _subject


def _met_verb(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    i, t = tok.i, ctx.v.triggers["MET"]
    out: list[EventCandidate] = []
    if lemma in t["passive_verbs"] and _passive(tok):
        # "X was received by Y", "X, received by Y, ..."
        subj = _passive_subject(ctx, tok)
        hosts, _ = _agents_by(ctx, i)
        hosts = [h for h in hosts if h.type is PERSON]
        if subj is not None and subj.type in AGENTS and hosts:
            ev = EventCandidate(RelType.MET, subj, hosts, i, confidence=0.8, roles=("visitor", "host"))
            ev.place = _place_after(ctx, i, {id(subj), *map(id, hosts)})
            out.append(ev)
        return out
    if (lemma in t["lead_verbs"] or lemma in t["attended_verbs"]) and _passive(tok):
        # "the delegations were led by A of S and B of T": the leaders met
        led = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
        if led is not None and led.lower_ in t["led_nouns"]:
            leaders = [m for m in _agents_by(ctx, i)[0] if m.type is PERSON]
            if len(leaders) > 1:
                ev = EventCandidate(RelType.MET, leaders[0], leaders[1:], i, confidence=0.75, symmetric_group=leaders)
                ev.place = _place_after(ctx, ctx.start, {id(g) for g in leaders})
                out.append(ev)
            elif leaders and lemma in t["lead_verbs"]:  # one side's leader: met the other side's, if named
                out.append(EventCandidate(RelType.MET, leaders[0], [], i, confidence=0.75, roles=("leader", "leader")))
        return out
    if lemma in t["lead_verbs"]:
        # 'B headed the S side'
        obj = next((c for c in tok.children if c.dep_ == "dobj"), None)
        subj = _subject(ctx, tok)
        if obj is not None and obj.lower_ in t["led_nouns"] and subj is not None and subj.type is PERSON:
            out.append(EventCandidate(RelType.MET, subj, [], i, confidence=0.75, roles=("leader", "leader")))
        return out
    group_particles = t["group_verbs"].get(lemma)
    if group_particles and {_next_word(ctx, i + 1), _next_word(ctx, i + 2)} & set(group_particles):
        # "the event brought together A and his counterparts from S (B), T (C)"
        j = i + 1
        while j < ctx.end and ctx.doc[j].lower_ in group_particles:
            j += 1
        first, _ = _read_on(ctx, j, RelType.MET, {PERSON})
        if first is not None:
            group = _listed(ctx, first)
            if len(group) > 1:
                ev = EventCandidate(RelType.MET, group[0], group[1:], i, confidence=0.75, symmetric_group=group)
                ev.place = _place_after(ctx, ctx.start, {id(g) for g in group})
                out.append(ev)
        return out
    if _fires(ctx, tok, lemma, "MET"):
        subj = _subject(ctx, tok)
        start = i + 1
        while start < ctx.end and ctx.doc[start].lower_ in {"on", "upon", "with", "down", "talks", "up", "by", "phone",
                                                             "telephone", "video", "videolink", "link"}:
            start += 1
        # 'met X', 'met with X', 'called on X'; never 'met in <city>': a place is not a party
        obj, _ = _read_on(ctx, start, RelType.MET, AGENTS | {PLACE}, preps={"with", "on", "upon"})
        objs = _listed(ctx, obj) if obj else []
        objs = [o for o in objs if o.type in AGENTS or o.metonym]
        if subj is not None and objs:
            for s in _group_of(ctx, subj):
                ev = EventCandidate(RelType.MET, s, objs, i, confidence=0.9)
                ev.place = _place_after(ctx, objs[-1].end, {id(o) for o in objs}) or _fronted_place(ctx, i)
                out.append(ev)
        elif subj is not None and not objs:
            group = _subjects(ctx, subj)
            if (len(group) > 1 or subj.ref == "group") and _next_word(ctx, i + 1) not in {"on", "upon", "with"} and \
                    (lemma not in {"speak", "talk"} or _next_word(ctx, i + 1) == "by"):
                ev = EventCandidate(RelType.MET, group[0], group[1:], i, confidence=0.8, symmetric_group=group)
                ev.place = _place_after(ctx, i, {id(g) for g in group})
                out.append(ev)
        return out
    if lemma in t["host_verbs"]:
        subj = _subject(ctx, tok)
        start, fronted = i + 1, None
        if _next_word(ctx, start) in {"in", "at"}:
            # 'welcomed in Castel Vor the foreign minister X': the place before the guest
            k = start + 1
            while k < ctx.end and ctx.doc[k].pos_ == "DET":
                k += 1
            pm = ctx.mention_at(k)
            if pm is not None and pm.type in {PLACE, FACILITY}:
                fronted, start = pm, pm.end
        obj, _ = _read_on(ctx, start, RelType.MET, {PERSON})
        if fronted is not None and obj is not None and obj.type is PERSON and (subj is None or subj.type is not PERSON):
            # 'the Chief Executive welcomed in P A and B': whoever hosted, the guests came to P
            out.extend(EventCandidate(RelType.VISITED, o, [fronted], i, confidence=0.65)
                       for o in _listed(ctx, obj) if o.type is PERSON)
        if subj is not None and obj is not None and subj.type is PERSON and obj.type is PERSON:
            objs = [o for o in _listed(ctx, obj) if o.type is PERSON]
            place = fronted or _place_after(ctx, objs[-1].end, {id(o) for o in objs} | {id(subj)})
            if lemma in t["group_hosts"]:
                # "X joined A and B in ...", "X hosted A and B": all of them together
                group = [subj, *objs]
                ev = EventCandidate(RelType.MET, subj, objs, i, confidence=0.7, symmetric_group=group)
                ev.place = place
                out.append(ev)
            else:
                for s in _group_of(ctx, subj):
                    ev = EventCandidate(RelType.MET, s, objs, i, confidence=0.7)
                    ev.place = place
                    out.append(ev)
            # the guests came to the host's place: 'received X at the palace', 'welcomed X to Riyadh'
            dest = place
            if _next_word(ctx, objs[-1].end) == "to":
                to, _ = _read_on(ctx, objs[-1].end + 1, RelType.VISITED, {PLACE, STATE, FACILITY})
                dest = to or dest
            if dest is not None and lemma != "join":
                out.extend(EventCandidate(RelType.VISITED, o, [dest], i, confidence=0.65) for o in objs)
    return out


def _attendance(ctx: _Ctx) -> list[EventCandidate]:
    """'Attending the talks were A, B and C', 'Participants included A, B and C': those listed met."""
    t, doc = ctx.v.triggers["MET"], ctx.doc
    for k in range(ctx.start, ctx.end):
        if doc[k].lower_ not in t["attendance_cues"] or k in ctx.sent.outer:
            continue
        for j in range(k + 1, min(ctx.end, k + 6)):
            if doc[j].lower_ in t["attendance_links"]:
                first, _ = _read_on(ctx, j + 1, RelType.MET, {PERSON})
                group = [m for m in _listed(ctx, first) if m.type is PERSON] if first is not None else []
                if len(group) > 1 and not _unreal(ctx, doc[j]):
                    ev = EventCandidate(RelType.MET, group[0], group[1:], k, confidence=0.7, symmetric_group=group)
                    ev.place = _place_after(ctx, ctx.start, {id(g) for g in group})
                    return [ev]
                break
    return []


def _co_leaders(ctx: _Ctx, found: list[EventCandidate]) -> list[EventCandidate]:
    """'The S delegation was led by A, while B headed the T side': the leaders met."""
    leads = [e for e in found if e.type is RelType.MET and e.roles == ("leader", "leader") and not e.targets]
    leaders = list({id(e.source): e.source for e in leads}.values())
    if len(leaders) < 2:
        return []
    return [EventCandidate(RelType.MET, leaders[0], leaders[1:], leads[0].trigger, confidence=0.75,
                           symmetric_group=leaders)]
