"""Actor mentions in a parsed sentence: people with their ranks, offices and affiliations,
organisations by the shape of their names, states (and their capitals), places.

A person mention spans its whole title chain, so "Pakistan's Chief of Army Staff (COAS) General
Jane Doe" is one mention whose name is "Jane Doe", rank "General", title "Chief of Army Staff" and
state "Pakistan". Relation patterns then see one actor where the parser sees a tangle of
appositions. Mentions nest: the state inside that chain is a mention of its own.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from spacy.tokens import Doc, Span

from graph.model import NodeType
from loaders.vocab import StateInfo, Vocab, fold, is_initial, norm

__all__ = ["Mention", "Sentence", "iter_sentences"]

PERSON, FORCE, STATE, ORG, FACILITY, PLACE = (NodeType.PERSON, NodeType.ARMED_FORCE, NodeType.STATE,
                                              NodeType.ORGANIZATION, NodeType.FACILITY, NodeType.PLACE)
_TYPES = {"ArmedForce": FORCE, "Facility": FACILITY, "Organization": ORG}
CONNECTORS = {"of", "and", "for", "the", "&", "on", "de", "in"}
POSSESSIVE = {"'s", "’s", "'", "’"}
STOP_STARTS = {"the", "a", "an", "this", "that", "these", "those", "both", "according", "during", "earlier",
               "later", "meanwhile", "however", "in", "on", "at", "as", "while", "when", "after", "before",
               "since", "his", "her", "their", "its", "our", "said", "if", "and", "but", "with", "from",
               "by", "to", "for", "of", "we", "it", "he", "she", "they", "i", "some", "all", "many",
               "several", "other", "such", "every", "each", "no", "whether", "although", "though", "for"}
_ACRONYM = re.compile(r"^[A-Z][A-Za-z&]{1,9}s?$")
_DOTTED = re.compile(r"^(?:[A-Z]\.){2,3}$")  # 'U.S.', 'U.K.' in a name: 'U.S. Marine Corps'
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}[A-Z]?\.?$|^[A-Z]{1,3}$")


@dataclass
class Mention:
    start: int                      # token span in the doc, the whole chain (title, rank, apposition)
    end: int
    type: NodeType
    name: str                       # the actor's name as written, without rank or title
    name_start: int
    name_end: int
    rank: str | None = None
    title: str | None = None
    acronym: str | None = None      # defined here as "Full Name (ACR)"
    state: StateInfo | None = None  # the state it belongs to, from a possessive, prefix or apposition
    org: "Mention | None" = None    # the body a person serves, from "Office of the <Body>"
    service: "Mention | None" = None  # the service named before a rank ('U.S. Marine Corps Gen. X')
    strong: bool = True             # weak: a bare NER span kept only if a relation needs it
    metonym: StateInfo | None = None  # a capital standing for its state
    generic: bool = False           # a name like "Foreign Ministry" that needs its state to be unique
    key: str | None = None          # the article-level actor it resolves to
    ref: str | None = None          # a reference to an actor named before: pronoun, role, surname, delegation, group
    ref_words: tuple[str, ...] = ()  # a role phrase's words ('prime', 'minister'), for matching titles
    group: int = 0                  # 'the two nations': how many actors a group reference stands for
    members: list["Mention"] = field(default_factory=list)  # a group's resolved members (from article.py)

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


def _claim(m: "Mention", out: list["Mention"], taken: list[bool]) -> None:
    """Keep a mention and mark its tokens, so later finders do not read them again."""
    out.append(m)
    for k in range(m.start, m.end):
        taken[k] = True


@dataclass
class Sentence:
    span: Span
    mentions: list[Mention] = field(default_factory=list)
    outer: dict[int, Mention] = field(default_factory=dict)  # token index -> outermost mention


class _Tokens:
    """Per-doc arrays the matchers read, computed once."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = [t.text for t in doc]
        self.keys = [norm(t) for t in self.text]
        self.cap = [t[:1].isupper() for t in self.text]
        self.alpha = [t.isalpha() for t in self.text]
        self.tag = [t.tag_ for t in doc]
        self.ws = [t.whitespace_ for t in doc]

    def surface(self, i: int, j: int) -> str:
        return "".join(self.text[k] + (self.ws[k] if k < j - 1 else "") for k in range(i, j)).strip()


def _is_name_token(tk: _Tokens, i: int, v: Vocab) -> bool:
    t = tk.text[i]
    if not t or not t[0].isupper() or tk.keys[i] in v.not_name_words:
        return False
    return t[0].isalpha() and (t.replace(".", "").replace("'", "").isalpha())


def is_honour(tk: _Tokens, i: int, v: Vocab) -> bool:
    """A post-nominal after a name: 'OBE', 'HI (M)', 'PVSM', 'psc'. Names are not written in
    capitals, so any capitalised word of two or more letters there is one (initials come first)."""
    t = tk.text[i].rstrip(".")
    return t in v.honours or len(t) >= 2 and t.isalpha() and t.isupper()


def skip_honours(tk: _Tokens, j: int, end: int, v: Vocab) -> int:
    """Past the honours written right after a name, each maybe with a bracketed grade ('HI (M)')."""
    while j < end and is_honour(tk, j, v):
        j += 1
        if j + 2 < end and tk.text[j] == "(" and tk.text[j + 2] == ")" and len(tk.text[j + 1]) <= 4:
            j += 3
    return j


def _scan_name(tk: _Tokens, i: int, end: int, v: Vocab, max_words: int = 5) -> int:
    """The end of a personal name starting at i: capitalised words, initials, hyphenated parts
    ('Abd-ul-Karim') and particles ('bin', 'al', 'del', 'al-Nuaimi'). Stops before post-nominal
    honours. Returns i when there is no name."""
    j, words = i, 0
    if j + 2 < end and tk.keys[j] in v.name_particles and tk.text[j + 1] in ("-", "‐") and \
            _is_name_token(tk, j + 2, v) and not tk.ws[j]:
        j += 2  # 'al-Nuaimi' standing alone
    while j < end and words < max_words:
        if words and is_honour(tk, j, v) and tk.text[j] not in v.honours | {"II", "III", "IV"} and \
                not (words == 1 and is_initial(tk.text[j - 1])) and (words >= 2 or j + 1 >= end or tk.text[j + 1] == "("):
            break
        if words and tk.text[j] in v.honours:
            break
        if _is_name_token(tk, j, v) and not _starts_vocab(tk, j, v):
            j += 1
            words += 1
            # hyphenated continuation: Kamr - ul - Hassan
            while j + 1 < end and tk.text[j] in ("-", "‐") and tk.text[j + 1][:1].isalpha() and \
                    not tk.ws[j - 1]:
                j += 2
            continue
        if words and tk.keys[j] in v.name_particles:
            # 'bin', 'al', 'de la', 'van der': particles between the parts of a name
            k = j
            while k < end and k - j < 3 and tk.keys[k] in v.name_particles:
                k += 1
            if k + 1 < end and tk.text[k] in ("-", "‐") and not tk.ws[k - 1]:
                k += 1  # 'al-Nuaimi', 'bin-Zayed'
            if k < end and _is_name_token(tk, k, v) and not _starts_vocab(tk, k, v):
                j = k
                continue
        break
    # a name has a word in mixed case: "PM IST" is no name
    if not any(any(c.islower() for c in tk.text[k]) for k in range(i, j)):
        return i
    return j


def _starts_vocab(tk: _Tokens, i: int, v: Vocab) -> bool:
    """A word that begins a rank, office or state and so cannot continue a name."""
    return bool(v.ranks.match(tk.keys, i) or v.states.match(tk.keys, i) and tk.cap[i])


def _match_state(tk: _Tokens, i: int, v: Vocab, limit: int) -> tuple[int, StateInfo] | None:
    if not tk.cap[i]:
        return None
    m = v.states.match(tk.keys, i, limit)
    if not m:
        return None
    end, info = m
    surface = tk.surface(i, end)
    if surface.replace(".", "").isupper() and len(surface.replace(".", "")) <= 3 and \
            surface.replace(".", "") not in {a.replace(".", "") for a in info.aliases if a.isupper()}:
        return None
    if len(surface) <= 3 and not surface.replace(".", "").isupper():  # "Us", "Car": ordinary words
        return None
    return m


def _acronym_of(words: list[str], acr: str) -> bool:
    """Whether acr abbreviates the words: initials of capitalised words, hyphen parts counted
    ('Inter-Services Public Relations' -> ISPR), small words optional."""
    acr = acr.rstrip("s") if len(acr) > 2 and acr.endswith("s") and acr[:-1].isupper() else acr
    letters = acr.upper().replace("&", "")
    parts: list[tuple[str, bool]] = []
    for w in words:
        for p in re.split(r"[-‐]", w):
            if p:
                parts.append((p[0].upper(), p.lower() in CONNECTORS))

    def walk(li: int, pi: int) -> bool:
        if li == len(letters):
            return all(opt for _, opt in parts[pi:])
        if pi == len(parts):
            return False
        ch, optional = parts[pi]
        if ch == letters[li] and walk(li + 1, pi + 1):
            return True
        return optional and walk(li, pi + 1)

    # the acronym may cover only the tail of the capitalised run ("the Pakistan Army's ...")
    return any(walk(0, k) for k in range(len(parts)) if not parts[k][1])


class _Finder:
    def __init__(self, doc: Doc, v: Vocab):
        self.doc, self.v = doc, v
        self.tk = _Tokens(doc)
        self._taken: list[bool] = []
        t = v.triggers["MET"]
        # verbs whose object is a person met: 'met X', 'received X', 'hosted X'
        self._meet_objects = set(t["verbs"]) | set(t["host_verbs"]) | set(t["passive_verbs"]) | {"accompany", "join",
                                                                                                 "thank", "invite"}

    # -- vocabulary spans --------------------------------------------------------------------
    def _state_prefix(self, j: int, end: int) -> tuple[StateInfo | None, int]:
        """A state before a title: "Marenzia's ..." or a demonym ("Marenzian ..."). Returns the
        state (or None) and where the title starts."""
        tk, v = self.tk, self.v
        st = _match_state(tk, j, v, end)
        if st and st[0] < end and tk.text[st[0]] in POSSESSIVE:
            return st[1], st[0] + 1
        dm = v.demonyms.match(tk.keys, j, end) if j < end and tk.cap[j] else None
        return (dm[1], dm[0]) if dm else (None, j)

    def _office_at(self, i: int, end: int) -> tuple[int, str, bool, StateInfo | None] | None:
        """An office starting at i; 'of the X' in an office also reads 'of <State>'s X'.
        Returns (end, title, military, state named inside)."""
        tk, v = self.tk, self.v
        short = v.office_short.get(tk.text[i])
        if short and tk.text[i].isupper() and len(tk.text[i]) > 1 and not (i > 0 and tk.text[i - 1] == "("):
            return i + 1, short, True, None  # "CJCSC Gen Doe", "Pakistan's COAS, Gen Doe"
        m = v.offices.match(tk.keys, i, end)
        state = None
        # "Chairman of Pakistan's Joint Chiefs ...": try again with "<State>'s" read as "the"
        for k in range(i + 1, min(end, i + 4)):
            if tk.keys[k] == "of" and k + 1 < end:
                st = _match_state(tk, k + 1, v, end)
                if st and st[0] < end and tk.text[st[0]] in POSSESSIVE:
                    keys = tk.keys[:k + 1] + ["the"] + tk.keys[st[0] + 1:]
                    shift = st[0] - k - 1
                    m2 = v.offices.match(keys, i, end - shift)
                    if m2 and m2[0] > k + 1 and (not m or m2[0] + shift > m[0]):  # it must read past 'of the
                        m, state = (m2[0] + shift, m2[1]), st[1]
                break
        if not m:
            return None
        j, (title, military) = m
        surface = tk.text[i]
        if not surface[:1].isupper():
            # lower-case offices count only when an acronym in brackets vouches for them
            if not (j + 2 < end and tk.text[j] == "(" and v.office_short.get(tk.text[j + 1]) == title):
                return None
        return j, title, military, state

    def _skip_acronym(self, j: int, end: int, honours: bool = False) -> tuple[int, str | None]:
        tk = self.tk
        if j + 2 < end and tk.text[j] == "(" and tk.text[j + 2] == ")" and (
                _ACRONYM.match(tk.text[j + 1]) or honours and tk.text[j + 1].isupper()):
            return j + 3, tk.text[j + 1]
        return j, None

    # -- people --------------------------------------------------------------------------------
    def people(self, s: Span, taken: list[bool]) -> list[Mention]:
        out: list[Mention] = []
        i, end = s.start, s.end
        while i < end:
            if taken[i]:
                i += 1
                continue
            m = self._person_at(i, end, s)
            if m:
                _claim(m, out, taken)
                i = m.end
            else:
                i += 1
        return out

    def _title_chain(self, i: int, end: int) -> tuple[int, list[str], bool, StateInfo | None, Mention | None] | None:
        """'[<State>'s|<Demonym>] Office [(ACR)] [and Office [(ACR)]] [of [the] <Body>]' from i."""
        tk, v = self.tk, self.v
        j, state = i, None
        if tk.keys[j] == "the" and j + 1 < end:
            j += 1  # ", the Marenzian Principal Staff Officer,"
        while j < end and tk.keys[j] in v.office_modifiers:
            j += 1
        state, j = self._state_prefix(j, end)
        if state is None:
            st = _match_state(tk, j, v, end)
            if st and st[0] < end and self._office_at(st[0], end):
                state, j = st[1], st[0]  # "US Secretary of Defense X", "U.S. Ambassador to ..."
        titles, military, body = [], False, None
        if state is not None and j < end and tk.keys[j] in {"counterpart", "counterparts"}:
            return j + 1, [], False, state, None  # "his Philippine counterpart Ana Reyes"
        while j < end:
            o = self._office_at(j, end)
            deputy = False
            if not o:
                k = j
                while k < end and tk.keys[k] in v.office_modifiers:
                    deputy = deputy or tk.keys[k] == "deputy"
                    k += 1
                o = self._office_at(k, end) if k > j else None
            if not o:
                break
            j, title, mil, inner_state = o
            if j + 1 < end and tk.keys[j] == "to":
                accredited = _match_state(tk, j + 1, v, end)
                if accredited:
                    j = accredited[0]  # 'Ambassador to Marenzia X': accredited there, not of it
            titles.append(("Deputy " if deputy else "") + title)
            military = military or mil
            state = state or inner_state
            j, _ = self._skip_acronym(j, end)
            if j + 1 < end and tk.keys[j] == "and" and self._office_at(j + 1, end):
                j += 1
                continue
            low = v.roles.match(tk.keys, j + 1, end) if j + 1 < end and tk.keys[j] == "and" and \
                tk.text[j + 1].islower() else None
            if low:
                # 'Defense Minister and president-elect X'
                k = low[0]
                while k + 1 < end and tk.text[k] in {"-", "‐"} and tk.keys[k + 1] in {"elect", "designate"}:
                    k += 2
                if k < end and _is_name_token(tk, k, v):
                    titles.append(tk.surface(j + 1, k).capitalize())
                    j = k
            break
        if not titles:
            return None
        # "Chief of the Army Staff, Indian Army", "General Officer Commanding (GOC) Eastern Command"
        k = j + 1 if j < end and tk.text[j] == "," else j
        if k < end and tk.keys[k] != "of":
            after = self._org_at(k, end)
            if after is not None and after.type is not PERSON and (after.end >= end or tk.text[after.end] in
                                                                   {",", ".", ";", "—", "–"}) or \
                    after is not None and k == j and v.ranks.match(tk.keys, after.end, end):
                return after.end, titles, military, state or after.state, after
        # "... of the Velorian Army", "... of Bangladesh's armed forces division", "... of Pakistan"
        if j + 1 < end and tk.keys[j] == "of":
            k = j + 1
            if tk.keys[k] == "the":
                k += 1
            st = _match_state(tk, k, v, end) if k < end else None
            if st and (st[0] >= end or tk.text[st[0]] not in POSSESSIVE):
                body_org = self._org_at(k, end)
                if body_org:
                    body, j = body_org, body_org.end
                else:
                    state, j = st[1], st[0]
            else:
                if st:
                    state, k = st[1], st[0] + 1
                body = self._org_at(k, end) or self._lower_body(k, end)
                if body:
                    j = body.end
                    if state and not body.state:
                        body.state = state
                        state = None if body.type is not STATE else state
        return j, titles, military, state, body

    def _lower_body(self, k: int, end: int, state: StateInfo | None = None) -> Mention | None:
        """A body named in lower case after an office ('of Bangladesh's armed forces division'),
        or after a possessive state or demonym ('Russia's ground forces', 'the Iranian armed forces')."""
        tk, v = self.tk, self.v
        if state is None and k < end and tk.cap[k]:
            dm = v.demonyms.match(tk.keys, k, end)
            if dm and dm[0] < end and tk.text[dm[0]].islower():
                state, k = dm[1], dm[0]
        j = k
        while j < end and tk.alpha[j] and tk.text[j].islower() and j - k < 4:
            j += 1
        for e in range(j, k, -1):
            head = v.org_heads.match(list(reversed(tk.keys[k:e])), 0)
            if head and head[0] >= 1 and (e - k >= 2 or state is not None):
                break
        else:
            return None
        words = tk.text[k:e]
        name = " ".join(w.capitalize() if w not in CONNECTORS else w for w in words)
        if state is not None and (fold(name) not in v.generic_orgs or fold(name) in _NOT_LOWER_BODIES):
            return None  # only the bodies every state has are named in lower case: 'its army'
        type_ = self._org_type(tk.keys[k:e], head[1])
        return Mention(k, e, type_, name, k, e, generic=True, state=state)

    def named_sites(self, s: Span, taken: list[bool]) -> list[Mention]:
        """'the Kestrel air base', 'the Halvik naval base', 'Port Sabre shipyard': a name, then a
        facility's head word in lower case, as many outlets write them."""
        tk, v = self.tk, self.v
        out = []
        for e in range(s.start + 1, s.end):
            if taken[e] or not tk.text[e].islower():
                continue
            head = max((n for n in (1, 2) if e + n <= s.end and all(tk.text[x].islower() for x in range(e, e + n))
                        and v.org_heads.match(list(reversed(tk.keys[e:e + n])), 0) == (n, "Facility")), default=0)
            if not head:
                continue
            i = e
            while i > s.start and tk.cap[i - 1] and tk.alpha[i - 1] and not taken[i - 1] and e - i < 3 and \
                    tk.keys[i - 1] not in STOP_STARTS:
                i -= 1
            if i == e or i == s.start and e - i == 1 or _match_state(tk, i, v, e) or v.demonyms.match(tk.keys, i, e) \
                    or any(tk.keys[x] in v.not_name_words for x in range(i, e)):
                continue  # 'the Russian air base', 'Pakistan's naval base' name no site
            m = Mention(i, e + head, FACILITY, tk.surface(i, e + head), i, e + head)
            _claim(m, out, taken)
        return out

    def lower_bodies(self, s: Span, taken: list[bool]) -> list[Mention]:
        """'Russia's defence ministry', 'the Iranian armed forces', 'the defence ministry of Maldives':
        a body every state has, named in lower case with its state."""
        tk, v = self.tk, self.v
        out = []
        i = s.start
        while i < s.end:
            m = None
            if not taken[i]:
                st = _match_state(tk, i, v, s.end)
                if st and st[0] + 1 < s.end and tk.text[st[0]] in POSSESSIVE:
                    m = self._lower_body(st[0] + 1, s.end, st[1])
                    if m is not None:
                        m.start = i
                elif tk.keys[i] == "the" and i + 1 < s.end:
                    m = self._lower_body(i + 1, s.end)
                    if m is not None and m.state is None:
                        # 'the defence ministry of Maldives'
                        if m.end + 1 < s.end and tk.keys[m.end] == "of":
                            st2 = _match_state(tk, m.end + 1, v, s.end)
                            if st2 and fold(m.name) in v.generic_orgs:
                                m.state, m.end = st2[1], st2[0]
                            else:
                                m = None
                        else:
                            m = None
            if m is not None and not any(taken[x] for x in range(m.start, m.end)):
                _claim(m, out, taken)
                i = m.end
            else:
                i += 1
        return out

    def _lower_title_person(self, i: int, end: int) -> Mention | None:
        """'Ostrlandic procurement chief Jane Doe', "Veloria's defence minister Jan Novak": a title
        in lower case (as many outlets write them) between a state and a full name."""
        tk, v = self.tk, self.v
        state, j = self._state_prefix(i, end)
        if state is None:
            return None
        k = j
        while k < end and k - j < 3 and tk.alpha[k] and tk.text[k].islower() and not v.roles.match(tk.keys, k, end) \
                and self.doc[k].pos_ in {"NOUN", "ADJ", "PROPN"}:
            k += 1
        r = v.roles.match(tk.keys, k, end) if k < end and tk.text[k].islower() else None
        if not r or r[1] in v.refs["generic_roles"] and k == j:
            return None
        ns = r[0]
        # 'Ukrainian deputy army chief Major General X': a rank may stand between the role and the name
        rank = v.ranks.match(tk.keys, ns, end) if ns < end and tk.cap[ns] else None
        if rank:
            ns = rank[0]
        ne = _scan_name(tk, ns, end, v)
        if ne - ns < (1 if rank else 2):
            return None
        return Mention(i, ne, PERSON, tk.surface(ns, ne), ns, ne, rank=rank[1] if rank else None,
                       title=tk.surface(j, r[0]).capitalize(), state=state)

    def _person_at(self, i: int, end: int, s: Span) -> Mention | None:
        tk, v = self.tk, self.v
        lower = self._lower_title_person(i, end)
        if lower is not None:
            self._apposition(lower, end)
            return lower
        chain = self._title_chain(i, end)
        lead_rank = v.ranks.match(tk.keys, i, end) if tk.cap[i] else None
        if chain and lead_rank and lead_rank[0] >= chain[0] and not chain[4]:
            chain = None  # 'Air Chief Marshal X': a rank that starts like an office ('Air Chief')
        if chain is None and tk.keys[i] == "the":
            low = self._lower_role(i, end)
            if low is not None and low[0] + 1 < end and tk.text[low[0]] == ",":
                # "the chief of the Marenzian Army, General Marco Bellini": the role, then the name
                k = low[0] + 1
                r = v.ranks.match(tk.keys, k, end) if tk.cap[k] else None
                ns = r[0] if r else k
                ne = _scan_name(tk, ns, end, v)
                if ne - ns >= 2 or r and ne > ns:
                    m = Mention(i, ne, PERSON, tk.surface(ns, ne), ns, ne, rank=r[1] if r else None,
                                title=low[1], state=low[2], org=low[3])
                    return m
        j = chain[0] if chain else i
        titles = chain[1] if chain else []
        state = chain[3] if chain else None
        body = chain[4] if chain else None
        if chain and body is None:
            named = self._org_at(i, end)  # 'Indian Army chief Gen X': the Indian Army is whom X serves
            if named is not None and named.type in {FORCE, ORG} and named.end < j and named.state is not None and \
                    not any(tk.keys[k] in v.refs["roles"] for k in range(named.start, named.end)):
                body = named
        rank = None
        r = v.ranks.match(tk.keys, j, end) if j < end and tk.cap[j] else None
        if r:
            j, rank = r
        if chain and not r and j < end and tk.text[j] == ",":
            # "Pakistan's COAS, Gen Doe," : office, then the name in apposition
            r2 = v.ranks.match(tk.keys, j + 1, end) if j + 1 < end and tk.cap[j + 1] else None
            if r2:
                j, rank = r2
            else:
                # "Ostrlandic Deputy Minister of Defence, Jan Kowal, ...": a full name alone
                k = _scan_name(tk, j + 1, end, v)
                if k - (j + 1) >= 2 and (k >= end or tk.text[k] in {",", ".", ";", "—", "–"} or
                                         tk.tag[k].startswith("VB") or tk.keys[k] in {"and", "who"}):
                    j += 1
        if not (chain or rank) and tk.cap[i] and tk.keys[i] in v.refs["roles"] and \
                tk.keys[i] not in v.refs["generic_roles"] and i > 0 and tk.cap[i - 1] and tk.alpha[i - 1]:
            # 'Defence Ministry Secretary X': the role word after its body, then the name
            titles, name_start = [tk.text[i]], i + 1
            name_end = _scan_name(tk, name_start, end, v)
            if name_end == name_start:
                return None
            m = Mention(i, name_end, PERSON, tk.surface(name_start, name_end), name_start, name_end, title=tk.text[i])
            self._apposition(m, end)
            return m
        name_start = j
        name_end = _scan_name(tk, j, end, v)
        if name_end == name_start:
            return None
        if not (chain or rank):
            return None  # a bare name is spaCy's call, handled in ner_people
        m = Mention(i, name_end, PERSON, tk.surface(name_start, name_end), name_start, name_end,
                    rank=rank, title=" and ".join(titles) or None, state=state, org=body)
        self._apposition(m, end)
        return m

    def _apposition(self, m: Mention, end: int) -> None:
        """', NI, NI (M), Chairman ... of Pakistan Army,' after a name: honours, then an office."""
        tk, v = self.tk, self.v
        j = skip_honours(tk, m.name_end, end, v)  # 'X HI (M)', 'X OBE'
        # post-nominal honours: short capitalised tokens between commas
        while j + 1 < end and tk.text[j] == "," and (tk.text[j + 1].isupper() and len(tk.text[j + 1]) <= 5
                                                      or tk.text[j + 1] in v.honours) \
                and not v.states.match(tk.keys, j + 1) and not v.office_short.get(tk.text[j + 1]):
            j, _ = self._skip_acronym(j + 2, end, honours=True)
            j = skip_honours(tk, j, end, v)
        if j + 1 < end and tk.keys[j] == "of" and not m.state:
            st = _match_state(tk, j + 1, v, end)
            if st and (st[0] >= end or tk.text[st[0]] not in POSSESSIVE):
                m.state, m.end = st[1], st[0]  # "Defence Minister Ali Demir of Pakistan"
                return
        if j + 1 < end and tk.text[j] == ",":
            low = self._lower_role(j + 1, end)
            if low is not None:
                k, title, state, body = low
                m.title = m.title or title
                m.state = m.state or state
                m.org = m.org or body
                m.end = k + 1 if k < end and tk.text[k] == "," else k
                return
        if j + 1 < end and tk.text[j] == ",":
            chain = self._title_chain(j + 1, end)
            if chain and (chain[0] >= end or tk.text[chain[0]] in {",", ".", "—", "–", ";"} or
                          tk.tag[chain[0]].startswith("VB")):
                k, titles, _, state, body = chain
                m.title = m.title or " and ".join(titles)
                m.state = m.state or state
                m.org = m.org or body
                m.end = k + 1 if k < end and tk.text[k] == "," else k
                return
        if j + 2 < end and tk.text[j] == ",":
            # ', Political Commissar of the PLA Army': capitalised words of a body are a title
            k = j + 1
            while k < end and tk.cap[k] and tk.alpha[k] and k - j <= 4 and tk.keys[k] not in {"the"}:
                k += 1
            if k > j + 1 and k + 1 < end and tk.keys[k] == "of":
                b = k + 1 + (tk.keys[k + 1] == "the")
                body = self._org_at(b, end)
                if body is not None and not self.doc[j + 1].ent_type_ == "PERSON" and (
                        body.end >= end or tk.text[body.end] in {",", ".", ";", "—", "–"} or tk.keys[body.end] == "and"):
                    m.title = m.title or tk.surface(j + 1, k)
                    m.org = m.org or body
                    m.end = body.end + 1 if body.end < end and tk.text[body.end] == "," else body.end
                    return
        if j > m.name_end:
            m.end = j

    def _lower_role(self, i: int, end: int) -> tuple[int, str, StateInfo | None, Mention | None] | None:
        """', head of Russia's ground forces', ', chief of staff of the Iranian armed forces',
        ', Qatar's media attache to the US', ', who heads South Africa's army': a role in lower case
        after a name, with the state and body it names."""
        tk, v = self.tk, self.v
        j, state = i, None
        if tk.keys[j] in {"who", "which"} and j + 1 < end and tk.keys[j + 1] in {"heads", "leads", "commands",
                                                                                "head", "lead", "command"}:
            k = j + 2
            st = _match_state(tk, k, v, end)
            if st and st[0] < end and tk.text[st[0]] in POSSESSIVE:
                state, k = st[1], st[0] + 1
            body = self._org_at(k, end) or self._lower_body(k, end, state)
            if body is not None:
                return body.end, "Head", state or body.state, body
            return None
        if tk.keys[j] == "the":
            j += 1
        st = _match_state(tk, j, v, end)
        if st and st[0] < end and tk.text[st[0]] in POSSESSIVE:
            state, j = st[1], st[0] + 1
        elif j < end and tk.cap[j] and v.demonyms.match(tk.keys, j, end):
            dm = v.demonyms.match(tk.keys, j, end)
            state, j = dm[1], dm[0]  # ', the Indonesian air chief,'
        start = j
        while j < end and j - start < 4 and tk.alpha[j] and tk.text[j].islower() and not v.roles.match(tk.keys, j, end) \
                and self.doc[j].pos_ in {"NOUN", "ADJ", "PROPN"}:
            j += 1  # 'media', 'security', 'deputy': words of the title, not a verb phrase ('also met the')
        r = v.roles.match(tk.keys, j, end) if j < end and tk.text[j].islower() else None
        if not r:
            return None
        j = r[0]
        while j < end and tk.keys[j] in {"of", "staff", "general", "state"} and tk.text[j].islower():
            j += 1
        title = " ".join(tk.text[start:j]).strip()
        if tk.keys[j - 1] == "of":
            j -= 1
            title = " ".join(tk.text[start:j])
        body = None
        if j + 1 < end and tk.keys[j] in {"of", "to"}:
            k = j + 1
            if tk.keys[k] == "the":
                k += 1
            st2 = _match_state(tk, k, v, end)
            if st2 and st2[0] < end and tk.text[st2[0]] in POSSESSIVE:
                k2 = st2[0] + 1
                body = self._org_at(k2, end) or self._lower_body(k2, end, st2[1])
                state = state or (st2[1] if body is None else None)
            elif st2 and tk.keys[j] == "of":
                body = self._org_at(k, end)
                if body is None:
                    state, j = state or st2[1], st2[0]
            elif st2:
                j = st2[0]  # 'attache to the US': accredited there, a member of the possessor's state
            else:
                body = self._org_at(k, end) or self._lower_body(k, end, None)
            if body is not None:
                j = body.end
        if j < end and tk.text[j] not in {",", ".", ";", "—", "–"} and not tk.tag[j].startswith("VB"):
            return None
        return j, title[:1].upper() + title[1:], state, body

    def ner_people(self, s: Span, taken: list[bool]) -> list[Mention]:
        """spaCy's PERSON spans that no rank or office introduced: full names only (two words or
        more), trimmed of titles and trailing places; a lone surname is left to resolution."""
        tk, v = self.tk, self.v
        out = []
        for ent in s.ents:
            if ent.label_ != "PERSON" or any(taken[k] for k in range(ent.start, ent.end)):
                continue
            i, j = ent.start, ent.end
            while i < j and (tk.keys[i] in STOP_STARTS or tk.text[i] in POSSESSIVE):
                i += 1
            if i == ent.start and j - i >= 2:
                # the model left a first name out: 'Sebastián [Vasconcelos Pereira]'
                while i - 1 >= s.start and ent.start - i < 3:
                    k = i - 1
                    if tk.keys[k] in v.name_particles and k - 1 >= s.start and _is_name_token(tk, k - 1, v):
                        k -= 1  # 'Rashed ibn [Tariq al-Kaabi]'
                    if taken[k] or not _is_name_token(tk, k, v) or _starts_vocab(tk, k, v) or \
                            tk.keys[k] in STOP_STARTS or self.doc[k].ent_type_ not in {"", "PERSON"} or \
                            v.demonyms.match(tk.keys, k) or v.offices.match(tk.keys, k) or \
                            k > s.start and tk.cap[k - 1] and tk.alpha[k - 1] and tk.keys[k - 1] not in STOP_STARTS:
                        break
                    i = k
            while j > i and (tk.text[j - 1] in POSSESSIVE or tk.text[j - 1] in {"-", ","}):
                j -= 1
            r = v.ranks.match(tk.keys, i, j)
            rank = None
            if r:
                i, rank = r
            name_end = _scan_name(tk, i, j, v)
            if name_end != j or name_end == i:
                continue  # spaCy's span holds words that are no part of a name
            more = _scan_name(tk, i, s.end, v)
            if more > j and all(self.doc[k].ent_type_ in {"PERSON", ""} and not taken[k] for k in range(j, more)):
                name_end = j = more  # the model cut the name in two: '[Duong Huu] [Thang]'

            # a byline "Jane Doe Delhi": drop trailing place names
            while name_end - i > 2 and (v.capitals.match(tk.keys, name_end - 1) or
                                        v.states.match(tk.keys, name_end - 1)):
                name_end -= 1
            words = [w for w in tk.text[i:name_end] if w not in {"-", "‐"}]
            if len(words) < 2 and not rank:
                continue
            if not rank and i <= s.start + 1 and name_end >= s.end - 1 and "\n" in s.text.strip(" ") + "\n":
                continue  # a name alone on its line is a byline, not an actor in the story
            if v.states.match(tk.keys, i) or v.capitals.match(tk.keys, i) and name_end - i == 1:
                continue
            dm = v.demonyms.match(tk.keys, i, name_end)
            if dm and dm[0] >= name_end:
                continue  # 'Sri Lankan' alone is a demonym, not a person
            m = Mention(ent.start if rank else i, name_end, PERSON, tk.surface(i, name_end), i, name_end, rank=rank)
            self._apposition(m, s.end)
            _claim(m, out, taken)
        return out

    def bare_people(self, s: Span, taken: list[bool]) -> list[Mention]:
        """Full names with no rank or title that the model did not tag (as for many naming
        traditions): a run of name words that stands where an actor stands, as the subject of a
        verb, the object of a meeting verb, after 'with' or 'by', or joined to an actor by 'and'.
        A single word counts when its state follows ('Kartikasari of Indonesia')."""
        tk, v, doc = self.tk, self.v, self.doc
        out = []
        i = s.start
        while i < s.end:
            if taken[i] or not tk.cap[i] or i > s.start and tk.cap[i - 1] and tk.alpha[i - 1] and \
                    tk.keys[i - 1] not in STOP_STARTS and not taken[i - 1]:
                i += 1
                continue
            j = _scan_name(tk, i, s.end, v)
            m = self._bare_person(i, j, s) if j > i else None
            if m is None:
                i = max(j, i + 1)
                continue
            self._apposition(m, s.end)
            _claim(m, out, taken)
            i = m.end
        return out

    def _bare_person(self, i: int, j: int, s: Span) -> Mention | None:
        tk, v, doc = self.tk, self.v, self.doc
        words = [k for k in range(i, j) if tk.alpha[k] and tk.keys[k] not in v.name_particles]
        if any(self.taken_any(i, j)) or not words:
            return None
        keys = tk.keys[i:j]
        if any(v.states.match(tk.keys, k) or v.capitals.match(tk.keys, k) or v.demonyms.match(tk.keys, k)
               or v.regions.match(tk.keys, k) for k in range(i, j)) or \
                v.org_heads.match(list(reversed(keys)), 0) or v.org_leads.match(keys, 0) or \
                any(tk.keys[k] in v.not_name_words or v.ranks.match(tk.keys, k) or v.offices.match(tk.keys, k)
                    for k in range(i, j)):
            return None
        ents = {doc[k].ent_type_ for k in range(i, j)} - {""}
        if ents - {"PERSON", "ORG", "GPE", "NORP"}:
            return None  # a date, a number, a law, an event
        hj = skip_honours(tk, j, s.end, v)  # 'X MNZM, ...': the parse may hang the name on the honour
        head = next((doc[k] for k in range(i, hj) if not i <= doc[k].head.i < hj or doc[k].head.i == k), doc[hj - 1])
        role = head.dep_ in {"nsubj", "nsubjpass"} or head.dep_ in {"dobj", "dative"} and \
            head.head.lemma_.lower() in self._meet_objects or \
            head.dep_ == "pobj" and head.head.lower_ in {"with", "by", "on", "upon"} or \
            head.dep_ in {"conj", "appos"} and self._actor_near(head.head.i) or \
            head.dep_ == "appos" and (head.head.lemma_.lower() in {"counterpart", *v.refs["roles"]} or
                                      any(a.lemma_.lower() == "counterpart" for a in head.ancestors))
        state_after = j + 1 < s.end and tk.keys[j] == "of" and _match_state(tk, j + 1, self.v, s.end)
        m = Mention(i, j, PERSON, tk.surface(i, j), i, j)
        if len(words) >= 2 and not role and not state_after and hj + 1 < s.end and tk.text[hj] == ",":
            self._apposition(m, s.end)  # 'X, Spain's Defence Minister, ...': the apposition vouches
            return m if m.title or m.org else None
        if len(words) < 2:
            # one name ('Sriwahyuni'): with its state after it, or as a subject the model calls a person;
            # never a plural or a role word ('Ministers of A, B and C meet')
            if tk.tag[i] != "NNP" or v.roles.match(tk.keys, i) or tk.keys[i].rstrip("s") in v.refs["roles"] or \
                    not (state_after or role and head.dep_ == "nsubj" and ents == {"PERSON"}):
                return None
        elif not role and not state_after:
            return None
        return m

    def taken_any(self, i: int, j: int) -> list[bool]:
        return [self._taken[k] for k in range(i, j)]

    def _actor_near(self, k: int) -> bool:
        """Whether token k is part of a person found already (for 'A and B', 'A, B and C')."""
        return self._taken[k] and self.doc[k].ent_type_ not in {"GPE", "DATE"}

    # -- organisations -----------------------------------------------------------------------
    def _org_type(self, keys: list[str], head_type: str) -> NodeType:
        if head_type != "?":
            return _TYPES[head_type]
        if any(k in self.v.civil_words for k in keys):
            return ORG
        return FORCE if any(k in self.v.military_words for k in keys[:-1]) else ORG

    def _cap_run(self, i: int, end: int) -> int:
        """End of a run of capitalised words from i, with connectors inside ('School of Infantry
        and Tactics') and hyphenated parts ('Inter-Services')."""
        tk, j, last = self.tk, i, i
        while j < end:
            t = tk.text[j]
            if tk.cap[j] and (tk.alpha[j] or t.replace("-", "").replace("&", "").isalnum() or _DOTTED.match(t)) \
                    and not tk.tag[j].startswith("VB") or (t in {"-", "‐"} and j > i and not tk.ws[j - 1]):
                j += 1
                last = j
            elif tk.keys[j] == "and" and j > i and (self.v.org_heads.match([tk.keys[j - 1]], 0) or
                                                     tk.keys[j - 1] in {"ltd", "co", "inc", "plc", "llc"}):
                break  # 'X Co. Ltd and Y Factory': two bodies, not one
            elif tk.keys[j] in CONNECTORS and j > i and j + 1 < end and tk.cap[j + 1] and tk.keys[j] != "in" and \
                    not (tk.keys[j] in {"and", "&"} and (self.v.demonyms.match(tk.keys, j + 1) or
                                                        _match_state(tk, j + 1, self.v, end))):
                j += 1
            elif t in {"'s", "’s"} and j > i and tk.keys[j - 1] in {"people", "peoples"} and j + 1 < end and tk.cap[j + 1]:
                j += 1  # "People's Liberation Army", "People's Armed Police"
            elif tk.text[j].islower() and tk.text[j].isalpha() and len(t) <= 3 and j > i and j + 2 < end and \
                    tk.text[j - 1] in {"-", "‐"} and tk.text[j + 1] in {"-", "‐"} and tk.cap[j + 2] and \
                    not tk.ws[j - 1] and not tk.ws[j]:
                j += 1  # 'Yadgar-e-Shuhada', 'Dar-ul-Aman': a name's lower-case link
            elif tk.keys[j] == "of" and j > i and j + 2 < end and tk.keys[j + 1] == "the" and tk.cap[j + 2] and \
                    (self.v.org_leads.match(tk.keys, j - 1, j) or self.v.org_heads.match([tk.keys[j - 1]], 0)):
                j += 2  # 'Tomb of the Unknown Soldier', 'Ministry of the Interior'
            else:
                break
        return last

    def _org_at(self, i: int, end: int) -> Mention | None:
        """An organisation, force or facility named from i by its shape, or None."""
        tk, v = self.tk, self.v
        if i >= end or not tk.cap[i]:
            return None
        j = self._cap_run(i, end)
        if j <= i:
            return None
        keys = tk.keys[i:j]
        # the longest prefix that ends in a head word: "Pakistan Army Aviation Corps", "Joint Staff Headquarters"
        best = None
        for e in range(j, i, -1):
            while e > i and tk.keys[e - 1] in CONNECTORS:
                e -= 1
            head = v.org_heads.match(list(reversed(tk.keys[i:e])), 0)
            if head:
                best = (e, head[1])
                break
        lead = v.org_leads.match(keys, 0)
        if not lead:
            # "Marenzian Ministry of Defence": a lead word after the state's name or demonym
            pre = (_match_state(tk, i, v, j) or v.demonyms.match(tk.keys, i, j) or (None,))[0]
            if pre is not None and pre < j:
                lead2 = v.org_leads.match(keys, pre - i)
                if lead2:
                    lead = (lead2[0], lead2[1])
        if lead and (not best or best[0] - i <= lead[0]):
            # "School of Signals and Tactics", "Ministry of Defence": lead word, then "of ..."
            if lead[0] < len(keys) and keys[lead[0]] == "of":
                best = (j, lead[1])
        if not best:
            return None
        e, head_type = best
        if e < j:
            # a place after the head word ("Heavy Industries Northfield"), or a tail an acronym vouches for
            _, acr = self._skip_acronym(j, end)
            if (acr and _acronym_of(tk.text[i:j], acr)) or (j - e == 1 and tk.keys[e] not in v.not_name_words
                                                             and not v.ranks.match(tk.keys, e)):
                e = j
        if v.not_actor_heads.match(list(reversed(tk.keys[i:e])), 0):
            return None
        start = i
        # "Pakistan Army": the state prefix stays in the name and gives the state
        st = _match_state(tk, start, v, e)
        state = st[1] if st and st[0] < e else None
        if st and st[0] >= e:
            return None  # the whole run is a state
        if state is None and tk.cap[start]:
            dm = v.demonyms.match(tk.keys, start, e)
            if dm and dm[0] < e:
                state = dm[1]  # "Velorian Army": the demonym names the state
        for k in range(start + 1, e - 1):
            if state is None and tk.keys[k] == "of":
                b = k + 1 + (tk.keys[k + 1] == "the")
                st_tail = _match_state(tk, b, v, e) if b < e else None
                if st_tail and st_tail[0] == e:
                    state = st_tail[1]  # 'Armed Forces of the Philippines': the state its name ends in
        office = v.offices.match(tk.keys, start, end)
        if office and office[0] >= e:
            return None  # an office, not a body ('Chief of Army Staff' is no 'Chief of Army')
        if e - start == 1 and not tk.text[start].isupper():
            return None  # a lone head word ("Army", "Forces") is no name
        if tk.keys[start] in v.office_modifiers or tk.keys[start] in {"chief", "chiefs"} or \
                tk.keys[start] in v.refs["roles"] and not v.org_leads.match(tk.keys, start, e) or \
                tk.keys[e - 1] in {"armies", "navies"} and state is None:
            return None  # 'Former Chiefs of Army Staff', 'the National Armies of A and B': no body's name
        name = tk.surface(start, e)
        type_ = self._org_type(tk.keys[start:e], head_type)
        m = Mention(start, e, type_, name, start, e, state=state)
        e2, acr = self._skip_acronym(e, end)
        if acr and _acronym_of(tk.text[start:e], acr):
            m.acronym, m.end = acr, e2
        m.generic = not state and fold(name) in v.generic_orgs
        return m

    def orgs(self, s: Span, taken: list[bool]) -> list[Mention]:
        tk, v = self.tk, self.v
        out = []
        i = s.start
        while i < s.end:
            if taken[i] or not tk.cap[i] or (i > s.start and tk.cap[i - 1] and tk.alpha[i - 1] and not taken[i - 1]
                                              and tk.keys[i - 1] not in STOP_STARTS):
                i += 1
                continue
            k = i
            while k < s.end and tk.keys[k] in STOP_STARTS and tk.cap[k]:
                k += 1
            m = self._org_at(k, s.end)
            if m and not any(taken[x] for x in range(m.start, m.end)):
                # "Pakistan's Foreign Ministry": a possessive state before the name
                if i - 2 >= s.start and tk.text[i - 1] in POSSESSIVE:
                    st = None
                    for b in range(max(s.start, i - 4), i - 1):
                        st2 = _match_state(tk, b, v, i - 1)
                        if st2 and st2[0] == i - 1:
                            st = st2
                    if st and not m.state:
                        m.state = st[1]
                _claim(m, out, taken)
                i = m.end
            else:
                i += 1
        # "Full Name (ACR)" whose shape says nothing: the acronym vouches for the name
        for t in range(s.start + 2, s.end - 1):
            if tk.text[t - 1] == "(" and tk.text[t + 1] == ")" and _ACRONYM.match(tk.text[t]) and \
                    tk.text[t].upper() == tk.text[t] and not taken[t - 2] and tk.cap[t - 2]:
                j = t - 1
                b = j - 1
                while b > s.start and (tk.cap[b - 1] or tk.keys[b - 1] in CONNECTORS - {"the"} or
                                       tk.text[b - 1] in {"-"}) and not taken[b - 1]:
                    b -= 1
                while b < j and (tk.keys[b] in CONNECTORS or tk.keys[b] in STOP_STARTS):
                    b += 1
                words = tk.text[b:j]
                if b < j and _acronym_of(words, tk.text[t]) and not v.office_short.get(tk.text[t]) \
                        and not v.offices.match(tk.keys, b, j) and not v.not_actor_heads.match(
                            list(reversed(tk.keys[b:j])), 0):
                    st = _match_state(tk, b, v, j)
                    m = Mention(b, t + 2, ORG, tk.surface(b, j), b, j, acronym=tk.text[t],
                                state=st[1] if st and st[0] < j else None)
                    out.append(m)
                    for x in range(b, t + 2):
                        taken[x] = True
        return out

    # -- states, capitals, places, weak candidates ---------------------------------------------
    def states(self, s: Span, taken: list[bool], inner: bool) -> list[Mention]:
        """States by name, and capitals; with inner=True also those nested in other mentions."""
        tk, v = self.tk, self.v
        out, i = [], s.start
        while i < s.end:
            if taken[i] and not inner:
                i += 1
                continue
            st = _match_state(tk, i, v, s.end)
            if st and (i == s.start or not (tk.cap[i - 1] and tk.alpha[i - 1] and tk.keys[i - 1] not in STOP_STARTS)
                       or inner):
                e, info = st
                out.append(Mention(i, e, STATE, info.name, i, e, state=info, strong=True))
                i = e
                continue
            i += 1
        return out

    def places(self, s: Span, taken: list[bool]) -> list[Mention]:
        tk, v = self.tk, self.v
        out = []
        for i in range(s.start, s.end - 2):
            # "the Ostrlandic capital": the capital of that state
            if tk.keys[i] == "the" and not taken[i + 1] and tk.cap[i + 1]:
                dm = v.demonyms.match(tk.keys, i + 1, s.end)
                if dm and dm[0] < s.end and tk.keys[dm[0]] == "capital" and not taken[dm[0]]:
                    info = dm[1]
                    out.append(Mention(i, dm[0] + 1, PLACE, info.capital, i + 1, dm[0] + 1, state=info,
                                       metonym=info))
                    for x in range(i, dm[0] + 1):
                        taken[x] = True
        for i in range(s.start, s.end):
            if taken[i] or not tk.cap[i] or (i > s.start and tk.cap[i - 1] and tk.alpha[i - 1]
                                            and tk.keys[i - 1] not in STOP_STARTS):
                continue
            cap = v.capitals.match(tk.keys, i, s.end)
            st = _match_state(tk, i, v, s.end)
            if cap and st and st[0] >= cap[0]:
                continue  # a city state ('Singapore'): the state acts, the city does not
            if cap and not (cap[0] < s.end and tk.cap[cap[0]] and tk.alpha[cap[0]]):
                e, info = cap
                if not any(taken[x] for x in range(i, e)):
                    out.append(Mention(i, e, PLACE, tk.surface(i, e), i, e, state=info, metonym=info))
                    for x in range(i, e):
                        taken[x] = True
        for ent in s.ents:
            if any(taken[x] for x in range(ent.start, ent.end)):
                continue
            i, j = ent.start, ent.end
            while i < j and tk.keys[i] in STOP_STARTS:
                i += 1
            while j > i and (tk.text[j - 1] in POSSESSIVE or not tk.text[j - 1].strip()):
                j -= 1
            if i >= j or not tk.cap[i]:
                continue
            while j + 2 < s.end and tk.text[j] in {"-", "‐"} and tk.text[j + 1].islower() and len(tk.text[j + 1]) <= 3 \
                    and tk.text[j + 2] in {"-", "‐"} and j + 3 < s.end and tk.cap[j + 3] and not tk.ws[j - 1]:
                j += 4  # 'Yadgar-e-Shuhada': the model stopped at the first hyphen
            surface = tk.surface(i, j)
            if v.regions.match(tk.keys, i, j) and v.regions.match(tk.keys, i, j)[0] == j:
                continue
            letters = surface.replace(".", "")
            if letters.isupper() and len(letters) <= 3:
                continue  # "NI": an honour, not a place
            st = _match_state(tk, i, v, j)
            if st and (st[0] == j or any(tk.keys[x] in {"and", ","} for x in range(st[0], j))):
                continue  # a state (or 'Veloria and Marenzia'), found by the gazetteer
            if ent.label_ in ("GPE", "LOC"):
                out.append(Mention(i, j, PLACE, surface, i, j))
            elif ent.label_ in ("ORG", "FAC", "PERSON"):
                if v.not_actor_heads.match(list(reversed(tk.keys[i:j])), 0) or v.offices.match(tk.keys, i, j):
                    continue
                if any(tk.text[x].islower() and tk.alpha[x] and tk.keys[x] not in CONNECTORS for x in range(i, j)) or \
                        tk.text[i:j].count("(") != tk.text[i:j].count(")") or "," in tk.text[i:j]:
                    continue  # the model ran a name into the words after it: 'Ostrland a credit line (LoC'

                out.append(Mention(i, j, FACILITY if ent.label_ == "FAC" else ORG, surface, i, j, strong=False))
            else:
                continue
            for x in range(i, j):
                taken[x] = True
        return out


    def introduced_bodies(self, s: Span, taken: list[bool]) -> list[Mention]:
        """'Swedish company Saab', 'the Brazilian aerospace manufacturer Embraer': a demonym and a
        common noun of the organisation kind introduce a name whose shape says nothing."""
        tk, v = self.tk, self.v
        out = []
        i = s.start
        while i < s.end:
            dm = v.demonyms.match(tk.keys, i, s.end) if tk.cap[i] and not taken[i] else None
            if not dm:
                i += 1
                continue
            j = dm[0]
            k = j
            while k < s.end and k - j < 3 and tk.text[k].islower() and tk.keys[k] not in v.org_nouns:
                k += 1
            if k >= s.end or tk.keys[k] not in v.org_nouns:
                i += 1
                continue
            e = self._cap_run(k + 1, s.end)
            if e == k + 1 or e - (k + 1) > 4 or any(taken[x] for x in range(k + 1, e)) or \
                    v.states.match(tk.keys, k + 1) or v.ranks.match(tk.keys, k + 1) or \
                    _is_name_token(tk, k + 1, v) and any(ent.label_ == "PERSON" and ent.start == k + 1 for ent in s.ents):
                i += 1
                continue
            out.append(Mention(i, e, ORG, tk.surface(k + 1, e), k + 1, e, state=dm[1]))
            for x in range(i, e):
                taken[x] = True
            i = e
        return out

    def bracketed_people(self, s: Span, taken: list[bool]) -> list[Mention]:
        """'his counterparts from France (Jane Doe), ...': a full name in brackets after a state."""
        tk, v = self.tk, self.v
        out = []
        for i in range(s.start + 1, s.end - 2):
            if tk.text[i] != "(" or taken[i + 1]:
                continue
            if not v.states.match(tk.keys, max(s.start, i - 3), i) and not any(
                    (v.states.match(tk.keys, b, i) or (0,))[0] == i for b in range(max(s.start, i - 4), i)):
                continue
            j = _scan_name(tk, i + 1, s.end, v)
            if j - (i + 1) >= 2 and j < s.end and tk.text[j] == ")" and not any(taken[x] for x in range(i + 1, j)):
                out.append(Mention(i + 1, j, PERSON, tk.surface(i + 1, j), i + 1, j))
                for x in range(i + 1, j):
                    taken[x] = True
        return out

    # -- references to actors named before ----------------------------------------------------
    def surnames(self, s: Span, taken: list[bool], known: set[str]) -> list[Mention]:
        """A capitalised word (or 'Mr X') that is part of the name of a person named before."""
        tk, v = self.tk, self.v
        out = []
        for i in range(s.start, s.end):
            if taken[i] or not tk.cap[i] or not tk.alpha[i] or fold(tk.text[i]) not in known:
                continue
            if v.states.match(tk.keys, i) or v.capitals.match(tk.keys, i) or tk.keys[i] in v.not_name_words or \
                    any((v.states.match(tk.keys, b) or (0,))[0] > i for b in range(max(s.start, i - 3), i)):
                continue  # a state's name, or a word inside one ('Burkina Faso')
            b = i
            r = None
            for k in range(max(s.start, i - 3), i):
                rr = v.ranks.match(tk.keys, k, i)
                if rr and rr[0] == i and not any(taken[x] for x in range(k, i)):
                    b, r = k, rr[1]
                    break
            j = _scan_name(tk, i, s.end, v, max_words=3)
            j = j if j > i and all(fold(tk.text[x]) in known for x in range(i, j) if tk.alpha[x]) else i + 1
            m = Mention(b, j, PERSON, tk.surface(i, j), i, j, rank=r, ref="surname")
            out.append(m)
            for x in range(b, j):
                taken[x] = True
        return out

    def references(self, s: Span, taken: list[bool]) -> list[Mention]:
        """Pronouns, role phrases ('the prime minister', 'Chief of Army Staff, Indian Army' without a
        name), delegations and counted groups ('the two nations'): resolved in loaders.article."""
        tk, v, doc = self.tk, self.v, self.doc
        refs = v.refs
        out: list[Mention] = []
        i = s.start
        while i < s.end:
            if taken[i]:
                i += 1
                continue
            key = tk.keys[i]
            if key in refs["pronouns"] and doc[i].pos_ == "PRON" or key in {"his", "her"} and doc[i].tag_ == "PRP$":
                out.append(Mention(i, i + 1, PERSON, tk.text[i], i, i + 1, ref="pronoun"))
                i += 1
                continue
            m = self._role_at(i, s, taken)
            if m is not None:
                _claim(m, out, taken)
                i = m.end
                continue
            i += 1
        return out

    def _role_at(self, i: int, s: Span, taken: list[bool]) -> Mention | None:
        tk, v, refs = self.tk, self.v, self.v.refs
        end = s.end
        j = i
        det = tk.keys[j] in {"the", "both"} or tk.keys[j] in refs["numbers"]
        if tk.keys[j] == "the":
            j += 1
        number = refs["numbers"].get(tk.keys[j]) if j < end else None
        if number:
            j += 1
        state = None
        mods: list[str] = []
        while j < end and not taken[j]:
            st = _match_state(tk, j, v, end)
            if st and st[0] < end and tk.text[st[0]] in POSSESSIVE:
                state, j = st[1], st[0] + 1
                continue
            dm = v.demonyms.match(tk.keys, j, end) if tk.cap[j] else None
            if dm:
                state, j = dm[1], dm[0]
                continue
            if tk.keys[j] in refs["role_modifiers"] and not v.roles.match(tk.keys, j, end):
                mods.append(tk.keys[j])
                j += 1
                continue
            break
        if j >= end or taken[j]:
            return None
        # a counted group: 'the two nations', 'the three ministers', 'both countries'
        if number and (det or j > i):
            for type_name, nouns in refs["groups"].items():
                if tk.keys[j] in nouns:
                    return Mention(i, j + 1, _GROUP_TYPES[type_name], tk.text[j], j, j + 1, ref="group",
                                   group=number, state=state)
        if tk.keys[i] == "the" and j == i + 1 + len(mods) and not number and state is None and \
                not _match_state(tk, j, v, end):  # 'the Kingdom of Saudi Arabia' is the state by name
            sn = next((n for n in sorted(refs["state_nouns"], key=len, reverse=True)
                       if tk.keys[j:j + len(n.split())] == n.split()), None)
            if sn and (j + len(sn.split()) >= end or tk.text[j + len(sn.split())] not in POSSESSIVE):
                e = j + len(sn.split())  # "The country has also committed ...": the state named last
                return Mention(i, e, STATE, tk.surface(i, e), j, e, ref="state")
        if tk.keys[j] in refs["delegations"] and (det or state):
            return Mention(i, j + 1, PERSON, tk.surface(i, j + 1), j, j + 1, ref="delegation", state=state)
        if not (det or state or tk.cap[j]):
            return None
        r = v.roles.match(tk.keys, j, end)
        o = v.offices.match(tk.keys, j, end)
        if not r and not o:
            return None
        e = max(r[0] if r else j, o[0] if o else j)
        # 'Commander Turkish Land Forces, laid ...': a role with the body it heads, as press releases write it
        led = self._org_at(e, end) if e < end and tk.cap[e] and not det and tk.cap[j] else None
        if led is not None and (led.type not in {FORCE, ORG} or led.end < end and not (
                tk.text[led.end] in {",", ";"} or tk.tag[led.end].startswith("VB"))):
            led = None
        if led is None and (e < end and (_is_name_token(tk, e, v) and not v.states.match(tk.keys, e)) or
                            e < end and tk.text[e] in POSSESSIVE):
            return None  # a title before a name, or 'the minister's': the name is what counts
        if not det and not state and not o and led is None:
            return None
        words = tuple(mods + tk.keys[j:e])
        org = None
        if led is not None:
            org, e = led, led.end
        # '..., Indian Army' / 'of Nepal' after the role says whose it is
        if e + 1 < end and tk.keys[e] == "of":
            st = _match_state(tk, e + 1, v, end)
            if st and (st[0] >= end or tk.text[st[0]] not in POSSESSIVE):
                state, e = st[1], st[0]
        elif e + 1 < end and tk.text[e] == "," and o:
            body = self._org_at(e + 1, end)
            if body is not None and body.end < end and (tk.tag[body.end].startswith("VB") or tk.text[body.end] == ","):
                org, e = body, body.end
        m = Mention(i, e, PERSON, tk.surface(i, e), j, e, ref="role", ref_words=words, state=state,
                    title=o[1][0] if o else None, org=org)
        return m


_GROUP_TYPES = {"State": STATE, "Person": PERSON}
# in lower case these name the state itself ('the Swedish government'), not a body of it
_NOT_LOWER_BODIES = {"government", "cabinet", "parliament", "military"}
HEAD_WORDS = {"chief", "commander", "head", "spokesman", "spokesperson", "spokeswoman", "chairman", "director",
              "boss", "'s", "’s"}


def _body_before_person(f: _Finder, people: list[Mention], bodies: list[Mention]) -> None:
    """'Navy chief Admiral Jane Roe', 'Freedonia's army chief General X': the body or state just
    before a person, joined by a word like 'chief', is what the person serves."""
    ends = {b.end: b for b in bodies}
    tk = f.tk
    for p in people:
        if p.org is not None:
            continue
        k = p.start
        while k > 0 and tk.keys[k - 1] in HEAD_WORDS:
            k -= 1
        if k == p.start and p.rank and k in ends and ends[k].type is not STATE:
            # "U.S. Marine Corps Gen. X, Commander, U.S. Africa Command": the service before the rank
            p.service = ends[k]
            p.start = ends[k].start
            continue
        if k == p.start:
            continue
        # "the IRGC aerospace chief X": lower-case words between the body and the head word
        b0 = k
        while b0 not in ends and b0 > 0 and b0 > k - 3 and tk.text[b0 - 1].islower() and tk.alpha[b0 - 1]:
            b0 -= 1
        if b0 not in ends:
            continue
        b = ends[b0]
        if b.type is STATE:
            p.state = p.state or b.state
        else:
            p.org = b
            if b0 < k and p.title is None:
                p.title = " ".join(tk.text[b0:p.start]).capitalize()
            p.start = b.start  # one mention, so lists read 'A, the X chief B and C' as people


def iter_sentences(doc: Doc, v: Vocab, known: set[str] | None = None) -> Iterator[Sentence]:
    """The sentences with their mentions; ``known`` holds the folded name words of the people the
    article named so far (the caller adds to it between sentences), so a bare surname is found."""
    f = _Finder(doc, v)
    for sent in doc.sents:
        yield _find(f, sent, known or set())


def _find(f: _Finder, s: Span, known: set[str]) -> Sentence:
    taken = [False] * len(f.doc)
    people = f.people(s, taken)
    orgs = f.orgs(s, taken) + f.lower_bodies(s, taken) + f.introduced_bodies(s, taken) + f.named_sites(s, taken)
    people += f.bracketed_people(s, taken)
    people += f.ner_people(s, taken)
    f._taken = taken
    people += f.bare_people(s, taken)
    people += f.surnames(s, taken, known)
    people += f.references(s, taken)
    places = f.places(s, taken)
    states = f.states(s, [False] * len(f.doc), inner=True)
    mentions: list[Mention] = []
    for p in people:
        mentions.append(p)
        if p.org:
            mentions.append(p.org)
    mentions += orgs + places
    # states: every occurrence counts as an entity; nested ones are not relation roles
    mentions += states
    _body_before_person(f, people, orgs + states)
    sent = Sentence(s, mentions)
    # outermost mention per token: people and bodies before the states nested in them
    order = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    for m in order:
        for k in range(m.start, m.end):
            sent.outer.setdefault(k, m)
    return sent
