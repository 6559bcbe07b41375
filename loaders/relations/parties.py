"""The parties of an event, read from its trigger: the next mention within reach of the relation
(_read_on), the mentions coordinated with or listed after it, a subject with its co-subjects, the
parties after a passive verb's 'by' and after 'between'."""
from __future__ import annotations

from graph.model import NodeType, RelType
from loaders.mentions import Mention
from loaders.relations.context import AGENTS, FORCE, ORG, PERSON, STATE, _CLAUSE_BREAK, _Ctx, _next_word

# how far the reading may skip from a trigger to its object, and over which parts of speech
_GAP_POS = {
    RelType.MET: ({"DET", "ADJ", "PRON", "ADP", "ADV", "PART"}, 4),
    RelType.VISITED: ({"DET", "ADJ", "NOUN", "ADP", "NUM", "PART", "ADV", "PRON"}, 8),
    RelType.SIGNED: ({"DET", "ADJ", "NOUN", "ADP", "NUM", "PART", "PROPN", "CCONJ", "PRON"}, 12),
    RelType.OFFERED: ({"DET", "ADJ", "NOUN", "ADP", "NUM", "PART", "CCONJ", "PRON", "ADV"}, 14),
}
_COUNTERPART = {"counterpart", "counterparts", "host", "hosts", "delegation"}


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
