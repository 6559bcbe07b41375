"""Event relations in a sentence: who met, visited, signed with or offered what to whom.

Triggers come from ``vocab/relations.json`` (verbs by lemma, event nouns by word). The actor doing it is found through the parse (the
trigger's subject, the head a participle hangs on, the possessor of a noun like "visit"); the other
party by reading on from the trigger across determiners and modifiers to the next mention, then
along "and"/"," to the mentions coordinated with it. Because a mention already spans its titles
and appositions, that reading stays short and robust where the parse of a long apposition is not.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from graph.model import NodeType, RelType
from loaders.mentions import Mention, Sentence
from loaders.vocab import Vocab

__all__ = ["EventCandidate", "sentence_events"]

PERSON, FORCE, STATE, ORG, FACILITY, PLACE = (NodeType.PERSON, NodeType.ARMED_FORCE, NodeType.STATE,
                                              NodeType.ORGANIZATION, NodeType.FACILITY, NodeType.PLACE)
AGENTS = {PERSON, FORCE, STATE, ORG}
VISIT_TARGETS = {STATE, PLACE, FACILITY, FORCE, ORG}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
# how far the reading may skip from a trigger to its object, and over which parts of speech
_GAP_POS = {
    RelType.MET: ({"DET", "ADJ", "PRON", "ADP", "ADV", "PART"}, 4),
    RelType.VISITED: ({"DET", "ADJ", "NOUN", "ADP", "NUM", "PART", "ADV", "PRON"}, 8),
    RelType.SIGNED: ({"DET", "ADJ", "NOUN", "ADP", "NUM", "PART", "PROPN", "CCONJ", "PRON"}, 12),
    RelType.OFFERED: ({"DET", "ADJ", "NOUN", "ADP", "NUM", "PART", "CCONJ", "PRON", "ADV"}, 14),
}
_COUNTERPART = {"counterpart", "counterparts", "host", "hosts", "delegation"}
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


def _coordinated(ctx: _Ctx, m: Mention) -> list[Mention]:
    """m and the mentions joined to it by 'and' or commas: 'met A, B and C'."""
    out = [m]
    j = m.end
    doc = ctx.doc
    while j < ctx.end:
        k = j
        saw_joint = doc[j - 1].text == "," and j - 1 > out[-1].name_end  # 'A, Chief of X, B and C'

        while k < ctx.end and (doc[k].lower_ in {",", "and", "as", "well", "also"} or doc[k].tag_ == "PRP$" or
                               doc[k].pos_ in {"DET"} or doc[k].lower_ in _COUNTERPART):
            saw_joint = saw_joint or doc[k].lower_ in {",", "and"}
            k += 1
        if saw_joint and k < ctx.end and doc[k - 1].lower_ in {"counterpart", "counterparts"} and \
                doc[k].lower_ in {"in", "from", "of", "at"}:
            # 'A and his counterpart in the Government of S, B, met': B after the phrase
            c = k
            while c < ctx.end and c - k < 10 and doc[c].text not in {",", "("}:
                c += 1
            after = ctx.mention_at(c + 1) if c + 1 < ctx.end and doc[c].text == "," else None
            k = c + 1 if after is not None and after.type is PERSON and after.start == c + 1 else k
        nxt = ctx.mention_at(k) if k < ctx.end else None
        if not saw_joint or nxt is None or nxt is out[-1] or nxt.start != k:
            break
        if k == j and nxt.type is not out[-1].type:
            break  # 'X, Chief of the Army Staff, Nepali Army': the end of X's apposition, not a second party
        out.append(nxt)
        j = nxt.end
    return out


def _read_on(ctx: _Ctx, i: int, rel: RelType, allowed: set[NodeType], preps: set[str] | None = None,
             skip_first: set[str] | None = None) -> tuple[Mention | None, int]:
    """The first mention from token i on within the reach of rel, and where the reading stopped."""
    pos_ok, reach = _GAP_POS[rel]
    doc, j, gap = ctx.doc, i, 0
    while j < ctx.end and gap <= reach:
        m = ctx.mention_at(j)
        if m is not None and m.ref == "pronoun" and doc[j].tag_ == "PRP$":
            m = None  # 'met his counterpart X': a determiner here, not a party
        if m is not None:
            if m.type in allowed and (m.strong or rel is RelType.VISITED):
                return m, j
            held = ctx.mention_at(m.end) if m.type in {ORG, FORCE} and m.end < ctx.end else None
            if held is not None and held.start == m.end and held.type is PERSON and PERSON in allowed:
                return held, m.end  # 'hosted NATO Secretary General X': the body names whose the title is
            if m.type is STATE and m.end < ctx.end and doc[m.end].text in {"'s", "’s"}:
                # "toured Pakistan's defence establishments": the possessor, if nothing better follows
                later, _ = _read_on(ctx, m.end + 1, rel, allowed - {STATE}, preps) if rel is RelType.VISITED \
                    else (None, j)
                return (later or (m if STATE in allowed else None)), j
            return None, j
        t = doc[j]
        if t.text in _CLAUSE_BREAK or (t.text == "," and gap > 0) or t.pos_ in {"AUX", "SCONJ"} or \
                (t.pos_ == "VERB" and not (t.tag_ == "VBG" and t.dep_ == "amod")):
            return None, j  # a new clause; 'the visiting Navy chief' is still the same phrase
        if t.pos_ == "ADP" and preps is not None and t.lower_ not in preps and t.lower_ != "of":
            return None, j
        pos = "ADJ" if t.tag_ == "VBG" and t.dep_ == "amod" else t.pos_
        if pos not in pos_ok and t.lower_ not in _COUNTERPART and t.text != "-":
            return None, j
        j += 1
        gap += 1
    return None, j


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


def _place_after(ctx: _Ctx, i: int, exclude: set[int], stop_at_by: bool = False,
                 reach: int | None = None) -> Mention | None:
    """The facility or place an event happened at: 'at the Joint Staff Headquarters', 'in Dhaka',
    'at the iconic Republic Square'."""
    doc = ctx.doc
    last = ctx.end - 1 if reach is None else min(ctx.end - 1, i + reach)
    for j in range(i, last):
        if stop_at_by and doc[j].lower_ == "by":
            break
        if doc[j].lower_ in {"at", "in"}:
            k = j + 1
            while k < ctx.end and (doc[k].pos_ == "DET" or doc[k].pos_ == "ADJ" and not doc[k].text[:1].isupper()):
                k += 1
            m = ctx.mention_at(k)
            if m is not None and id(m) not in exclude and m.type in {FACILITY, PLACE} and m.strong:
                return m
    return None


def _fronted_place(ctx: _Ctx, i: int) -> Mention | None:
    """'In Halvik, he met ...': a place phrase that opens the clause before the trigger at i."""
    doc = ctx.doc
    for j in range(ctx.start, min(i, ctx.start + 3)):
        if doc[j].lower_ in {"in", "at"}:
            m = ctx.mention_at(j + 1)
            if m is not None and m.type in {PLACE, FACILITY} and m.end < i and doc[m.end].text == ",":
                return m
    return None


def _what(doc: Doc, start: int, stop: int) -> str | None:
    """The thing signed or offered: the words between, without leading articles or the trailing
    preposition that introduces a place or date ('a pact ... in Athens')."""
    for k in range(start, stop):
        # the thing ends where a date or 'on behalf of' begins: 'a pact last week', 'the agreement on behalf of S'
        if doc[k].ent_type_ in {"DATE", "TIME"} or doc[k].lower_ == "on" and k + 1 < len(doc) and \
                (doc[k + 1].lower_ == "behalf" or doc[k + 1].ent_type_ == "DATE"):
            stop = k
            break
    while start < stop and doc[start].pos_ == "ADP" and doc[start].dep_ in {"prep", "prt"}:
        start += 1  # 'entered into a pact': the pact
    while stop > start and (doc[stop - 1].pos_ in {"ADP", "DET", "PUNCT", "CCONJ", "SPACE"}):
        stop -= 1
    words = doc[start:stop].text.strip().strip(",.;:").split()
    while words and words[0].lower() in {"a", "an", "the", "formally", "also"}:
        words = words[1:]
    return " ".join(words) or None


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


def _cosigners(ctx: _Ctx, found: list[EventCandidate]) -> list[EventCandidate]:
    """'A signed the agreement on behalf of S, and B signed on behalf of T': two signing clauses
    with no partner each make one signing of their subjects."""
    alone = [e for e in found if e.type is RelType.SIGNED and not e.targets and not e.symmetric_group]
    signers = list({id(e.source): e.source for e in alone}.values())
    if len(signers) < 2:
        return []
    return [EventCandidate(RelType.SIGNED, signers[0], signers[1:], alone[0].trigger, what=alone[0].what,
                           confidence=0.75, symmetric_group=signers)]


def _co_leaders(ctx: _Ctx, found: list[EventCandidate]) -> list[EventCandidate]:
    """'The S delegation was led by A, while B headed the T side': the leaders met."""
    leads = [e for e in found if e.type is RelType.MET and e.roles == ("leader", "leader") and not e.targets]
    leaders = list({id(e.source): e.source for e in leads}.values())
    if len(leaders) < 2:
        return []
    return [EventCandidate(RelType.MET, leaders[0], leaders[1:], leads[0].trigger, confidence=0.75,
                           symmetric_group=leaders)]


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


def _passive_subject(ctx: _Ctx, tok: Token) -> Mention | None:
    """Who a passive verb happened to: its subject, the subject of the verb it is joined to
    ('X arrived and was received by Y'), or the noun a participle modifies ('X, received by Y')."""
    subj = next((ctx.resolve_token(c) for c in tok.children if c.dep_ == "nsubjpass"), None)
    if subj is None and tok.dep_ == "conj":
        subj = next((ctx.resolve_token(c) for c in tok.head.children if c.dep_ in SUBJECT_DEPS), None)
    if subj is None and tok.dep_ in {"acl", "relcl"}:
        subj = ctx.resolve_token(tok.head)
    return subj


def _agents_by(ctx: _Ctx, i: int) -> tuple[list[Mention], int]:
    """The parties after 'by' that follows a passive verb: 'received in audience at P by X',
    'signed by A on behalf of S and B'."""
    doc = ctx.doc
    for j in range(i + 1, min(ctx.end, i + 12)):
        t = doc[j]
        if t.lower_ == "by":
            first, _ = _read_on(ctx, j + 1, RelType.MET, AGENTS)
            if first is None:
                return [], j
            after = ctx.mention_at(first.end) if first.end < ctx.end else None
            if first.type in {ORG, FORCE} and after is not None and after.type is PERSON and after.start == first.end:
                first = after  # 'by Defence Ministry Secretary X': the body names whose secretary X is
            found = [first]
            k = first.end
            # 'A on behalf of S and B on behalf of T': skip the behalf phrases between the parties
            while k < ctx.end:
                if doc[k].lower_ == "on" and _next_word(ctx, k + 1) == "behalf":
                    k += 3
                    while k < ctx.end and doc[k].pos_ == "DET":
                        k += 1
                    m = ctx.mention_at(k)
                    k = m.end if m is not None else k
                    continue
                if doc[k].lower_ in {",", "and"}:
                    k += 1
                    continue
                m = ctx.mention_at(k)
                if m is not None and m.type in AGENTS and m.start == k:
                    found.append(m)
                    k = m.end
                    continue
                break
            return found, j
        if t.text in _CLAUSE_BREAK or t.text == ";" or t.pos_ == "VERB":
            break
    return [], i


def _group_of(ctx: _Ctx, m: Mention) -> list[Mention]:
    """A subject and the mentions coordinated with it ('A and B visited', 'A, ..., and B, ...')."""
    return [g for g in _subjects(ctx, m) if g.type in AGENTS]


def _subjects(ctx: _Ctx, m: Mention) -> list[Mention]:
    """A subject with the mentions coordinated with it on both sides: the parse of a long subject
    ('Rear Admiral A and Singaporean Deputy Prime Minister B signed') may hang only B on the verb.
    Earlier mentions count when of the same type and not the object of anything."""
    doc, out = ctx.doc, _coordinated(ctx, m)
    k = m.start - 1
    while k > ctx.start and doc[k].lower_ in {"and", ","}:
        j = k
        while j > ctx.start and doc[j - 1].lower_ in {"and", ","}:
            j -= 1
        prev = ctx.mention_at(j - 1) if j > ctx.start else None
        if prev is None or prev.end != j or prev.type is not m.type or prev in out or \
                any(doc[x].dep_ in {"pobj", "dobj", "dative"} for x in range(prev.name_start, prev.name_end)):
            break
        out.insert(0, prev)
        k = prev.start - 1
    return out


def _verb_events(ctx: _Ctx, tok: Token, lemma: str) -> list[EventCandidate]:
    if _unreal(ctx, tok):
        return []
    out: list[EventCandidate] = []
    for fn in (_met_verb, _visit_verb, _sign_verb, _offer_verb, _stay_verb):
        out.extend(fn(ctx, tok, lemma))  # 'was received at P by X' is a meeting and a visit
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


def _listed(ctx: _Ctx, m: Mention) -> list[Mention]:
    """Coordinated mentions, also across a person's apposition ('A, Vice Chairman of X, B, ...') and
    'counterparts from S (B), T (C)': the people in the brackets."""
    out = _coordinated(ctx, m)
    doc = ctx.doc
    j = out[-1].end
    while j < ctx.end:
        k = j
        while k < ctx.end and (doc[k].text in {",", "(", ")"} or doc[k].lower_ in {"and", "his", "her", "their",
                                                                                   "counterparts", "from", "the"}):
            k += 1
        nxt = ctx.mention_at(k)
        if nxt is None or nxt in out or k == j:
            break
        if nxt.type is STATE and k + 1 < ctx.end and doc[nxt.end].text == "(":
            inner = ctx.mention_at(nxt.end + 1)
            if inner is not None and inner.type is PERSON:
                out.append(inner)
                j = inner.end
                continue
        if nxt.type is not out[-1].type and nxt.type is not PERSON:
            break
        out.append(nxt)
        j = nxt.end
    return out


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


def _between(ctx: _Ctx, i: int, of: bool = False) -> list[Mention]:
    """The parties after 'between' within a few words of an event noun: 'between A and B', 'an
    agreement on defence industry cooperation between A and B'; with ``of`` also right after
    'of' when two or more are named ('a meeting of A and B')."""
    doc = ctx.doc
    for j in range(i + 1, min(ctx.end, i + 10)):
        if doc[j].lower_ == "between" or of and j == i + 1 and doc[j].lower_ == "of":
            first, _ = _read_on(ctx, j + 1, RelType.MET, AGENTS)
            if first is None:
                return []
            group = [m for m in _coordinated(ctx, first) if m.type in AGENTS]
            return group if doc[j].lower_ == "between" or len(group) > 1 else []
        if doc[j].text in _CLAUSE_BREAK or doc[j].pos_ in {"VERB", "AUX"}:
            break
    return []


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


def _dedupe(events: list[EventCandidate]) -> list[EventCandidate]:
    seen, out = set(), []
    for e in events:
        k = (e.type, id(e.source), tuple(id(t) for t in e.targets))
        if k not in seen:
            seen.add(k)
            out.append(e)
    return out
