"""What every kind of mention shares: the Mention and Sentence records, per-doc token arrays, and
the token tests the finders use (name words, honours, states)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from graph.model import NodeType
from loaders.vocab import StateInfo, Vocab, is_initial, norm

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
    if i >= limit or not tk.cap[i]:  # nothing starts at the end: a title or name may close the doc
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


_GROUP_TYPES = {"State": STATE, "Person": PERSON}
# in lower case these name the state itself ('the Swedish government'), not a body of it
_NOT_LOWER_BODIES = {"government", "cabinet", "parliament", "military"}
HEAD_WORDS = {"chief", "commander", "head", "spokesman", "spokesperson", "spokeswoman", "chairman", "director",
              "boss", "'s", "’s"}
