"""The domain vocabularies (``loaders/vocab/*.json``) compiled into token tries, loaded once.

The vocabularies are generic to defence and diplomacy news: ranks, offices, organisation shapes,
states with their capitals and demonyms, relation triggers. They name no actor from any article:
actors are found, not listed.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Sequence

__all__ = ["Vocab", "VocabError", "Trie", "norm", "norm_words", "fold", "is_initial", "load_vocab", "StateInfo"]


def norm(text: str) -> str:
    """How a token is compared with the vocabularies: case-folded, without dots or accents."""
    text = text.replace("’", "'")
    if text.isascii():
        return text.lower().replace(".", "")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace(".", "")


def norm_words(phrase: str) -> list[str]:
    """A vocabulary phrase as the token sequence spaCy would give, normalised ('Lt-Gen' -> ['lt', 'gen'])."""
    phrase = phrase.replace("’", "'")
    words = re.findall(r"[^\s\-.,]+|'s", phrase)
    return [norm(w) for w in words if norm(w)]


def fold(text: str) -> str:
    """A name's matching key: accents, case, dots, hyphens, apostrophes and spaces removed."""
    return re.sub(r"[\s\-.'’`]", "", norm(text))


def is_initial(word: str) -> bool:
    """An initial or initials in a name: 'S.', 'A.R.', 'AR' (not a surname: matching skips them)."""
    w = word.replace(".", "")
    return (len(w) <= 3 and w.isupper() and w.isalpha()) or bool(re.fullmatch(r"(?:[A-Z]\.)+", word))


# Tokens a trie walks over without consuming a vocabulary word: the dots of "Lt. Gen." and the
# hyphens of "Lt-Gen" are separate spaCy tokens.
TRANSPARENT = {"", "-", "–"}


# The key of a phrase's value in its last node: an object no token can equal (a "$" key met the
# token "$" of "U.S. $910 million" and took the value for a child node).
_END = object()


class Trie:
    """Longest-match lookup of multi-word phrases over a token sequence."""

    def __init__(self) -> None:
        self.root: dict[Any, Any] = {}

    def add(self, words: Sequence[str], value: Any) -> None:
        if not words:
            return
        node = self.root
        for w in words:
            node = node.setdefault(w, {})
        node.setdefault(_END, value)  # first writer wins: vocab files list preferred forms first

    def match(self, keys: Sequence[str], start: int, limit: int | None = None) -> tuple[int, Any] | None:
        """The longest phrase starting at ``keys[start]``: (end index exclusive, value) or None."""
        node, best, i = self.root, None, start
        end = len(keys) if limit is None else min(limit, len(keys))
        while i < end:
            k = keys[i]
            if k in TRANSPARENT and i > start:
                i += 1
                continue
            node = node.get(k)
            if node is None:
                break
            i += 1
            if _END in node:
                best = (i, node[_END])
        if best is not None and best[0] < end - 1 and keys[best[0]] == "" and keys[best[0] + 1][:1].isalnum() and \
                len(keys[best[0] - 1]) <= 4:
            # a full stop split off an abbreviation ('Sgt . Maj . Jane Doe') belongs to the phrase;
            # the one ending a sentence ('... of Nepal .') does not
            best = (best[0] + 1, best[1])
        return best


@dataclass(frozen=True)
class StateInfo:
    name: str
    capital: str
    demonyms: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass
class Vocab:
    ranks: Trie = field(default_factory=Trie)            # -> canonical rank
    offices: Trie = field(default_factory=Trie)          # -> (title, military)
    office_short: dict[str, str] = field(default_factory=dict)   # acronym (as written) -> title
    states: Trie = field(default_factory=Trie)           # state names and aliases -> StateInfo
    capitals: Trie = field(default_factory=Trie)         # capital names -> StateInfo
    demonyms: Trie = field(default_factory=Trie)         # -> StateInfo
    regions: Trie = field(default_factory=Trie)          # -> True
    org_heads: Trie = field(default_factory=Trie)        # reversed words of a head -> type
    org_leads: Trie = field(default_factory=Trie)        # -> type
    ambiguous_heads: frozenset[str] = frozenset()
    military_words: frozenset[str] = frozenset()
    civil_words: frozenset[str] = frozenset()
    generic_orgs: frozenset[str] = frozenset()           # fold()ed
    not_actor_heads: Trie = field(default_factory=Trie)  # reversed
    not_name_words: frozenset[str] = frozenset()         # norm()ed
    name_particles: frozenset[str] = frozenset()
    honours: frozenset[str] = frozenset()                # post-nominals as written ('OBE', 'psc')
    office_modifiers: frozenset[str] = frozenset()
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)  # relation type -> trigger lists
    light_verbs: frozenset[str] = frozenset()
    unreal: frozenset[str] = frozenset()
    state_by_name: dict[str, StateInfo] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)   # references.json: pronouns, role words, groups
    roles: Trie = field(default_factory=Trie)            # role head phrases -> the phrase
    org_nouns: frozenset[str] = frozenset()
    caption_markers: tuple[str, ...] = ()
    denials: frozenset[str] = frozenset()
    unreal_nouns: frozenset[str] = frozenset()
    unreal_phrasal: frozenset[str] = frozenset()         # 'call off': verb lemma and particle
    not_offered: frozenset[str] = frozenset()              # 'company' in 'Swedish company Saab'


def _load(name: str, extra: tuple[str, ...] = ()) -> Any:
    """A built-in vocabulary file; for lists (states), entries from extra folders are appended."""
    data = json.loads(resources.files("loaders").joinpath("vocab", name).read_text(encoding="utf-8"))
    for folder in extra:
        path = Path(folder) / name
        if not path.is_file():
            continue
        try:
            more = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise VocabError(f"{path}: not a readable JSON vocabulary ({exc})") from None
        if isinstance(data, list) and isinstance(more, list):
            data = more + data  # first writer wins in the tries: the user's entries take precedence
        else:
            raise VocabError(f"{path}: only list vocabularies (states.json) can be extended")
    return data


class VocabError(ValueError):
    """An extra vocabulary file that cannot be used; the message names it."""


def _add_all(trie: Trie, phrases: Iterable[str], value: Any, reverse: bool = False) -> None:
    for p in phrases:
        words = norm_words(p)
        trie.add(list(reversed(words)) if reverse else words, value)


@lru_cache(maxsize=8)
def load_vocab(extra: tuple[str, ...] = ()) -> Vocab:
    """The vocabularies, with ``extra`` folders' states.json entries added (e.g. fictional states
    for examples, or aliases an analyst needs)."""
    v = Vocab()
    ranks = _load("ranks.json")
    for r in ranks["ranks"]:
        _add_all(v.ranks, r["forms"] + [r["rank"]], r["rank"])
    v.not_name_words = frozenset(norm(w) for w in ranks["not_name_words"])
    v.name_particles = frozenset(ranks["name_particles"])
    v.honours = frozenset(ranks["honours"])

    offices = _load("offices.json")
    for o in offices["offices"]:
        _add_all(v.offices, o["forms"] + [o["title"]], (o["title"], o["military"]))
        for s in o["short"]:
            v.office_short[s] = o["title"]
            v.office_short[s.replace("-", "")] = o["title"]
    v.office_modifiers = frozenset(offices["modifiers"])

    for s in _load("states.json", extra):
        missing = {"name", "capital", "demonyms", "aliases"} - set(s)
        if missing:
            raise VocabError(f"states.json entry {s.get('name', s)!r} lacks {sorted(missing)}")
        info = StateInfo(name=s["name"], capital=s["capital"], demonyms=tuple(s["demonyms"]),
                         aliases=tuple(s["aliases"]))
        v.state_by_name[s["name"]] = info
        _add_all(v.states, [s["name"], *s["aliases"]], info)
        _add_all(v.capitals, [s["capital"], *s.get("capital_aliases", [])], info)
        _add_all(v.demonyms, s["demonyms"], info)

    orgs = _load("organisations.json")
    for type_, heads in orgs["heads"].items():
        _add_all(v.org_heads, heads, type_, reverse=True)
    for type_, leads in orgs["lead"].items():
        _add_all(v.org_leads, leads, type_)
    _add_all(v.org_heads, orgs["ambiguous_heads"], "?", reverse=True)
    v.ambiguous_heads = frozenset(norm(w) for w in orgs["ambiguous_heads"])
    v.military_words = frozenset(norm(w) for w in orgs["military_words"])
    v.civil_words = frozenset(norm(w) for w in orgs["civil_words"])
    v.generic_orgs = frozenset(fold(g) for g in orgs["generic"])
    _add_all(v.not_actor_heads, orgs["not_actors"], True, reverse=True)
    _add_all(v.regions, orgs["regions"], True)
    v.org_nouns = frozenset(orgs["org_nouns"])

    rel = _load("relations.json")
    v.triggers = {k: rel[k] for k in ("MET", "VISITED", "SIGNED", "OFFERED")}
    v.light_verbs = frozenset(rel["light_verbs"])
    v.unreal = frozenset(rel["unreal"])
    v.caption_markers = tuple(rel["caption_markers"])
    v.denials = frozenset(rel["denials"])
    v.unreal_nouns = frozenset(rel["unreal_nouns"])
    v.unreal_phrasal = frozenset(rel["unreal_phrasal"])
    v.not_offered = frozenset(rel["not_offered"])

    v.refs = _load("references.json")
    for phrase in v.refs["roles"]:
        v.roles.add(norm_words(phrase), " ".join(norm_words(phrase)))
    return v
