"""Finding actors by what an analyst types: forgiving of spelling, ranks, titles, dots and hyphens.

"karim" finds "S.M. Karim-ul-Haque", "Gen Zaidi" finds General Omar Farooq Zaidi: names are
folded (case, accents, dots, apostrophes), rank and honorific words are set aside (a rank in the
query still prefers actors of that rank), and query words match a name's words exactly, as a
prefix, or fuzzily (rapidfuzz's Indel ratio in C++, difflib's ratio but for rare ties of blocks: over the word list of a
100k-relation graph difflib took 50 ms a query). An ``ActorIndex`` is built once per graph version.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import fuzz, process

from graph.model import Actor, NodeType

__all__ = ["ActorIndex", "SearchHit", "NoSuchActor", "fold", "name_tokens", "resolve_actor"]

# Rank and honorific words (abbreviations mapped to the word they stand for). Generic to the domain.
RANK_WORDS = {
    "general": "general", "gen": "general", "genl": "general", "lieutenant": "lieutenant", "lt": "lieutenant",
    "lieut": "lieutenant", "ltgen": "lieutenant", "major": "major", "maj": "major", "majgen": "major",
    "brigadier": "brigadier", "brig": "brigadier", "colonel": "colonel", "col": "colonel", "captain": "captain",
    "capt": "captain", "admiral": "admiral", "adm": "admiral", "adml": "admiral", "vice": "vice", "rear": "rear",
    "commodore": "commodore", "cdre": "commodore", "commander": "commander", "cdr": "commander",
    "marshal": "marshal", "field": "field", "air": "air", "chief": "chief", "sergeant": "sergeant", "sgt": "sergeant",
    "mr": "mr", "mrs": "mrs", "ms": "ms", "dr": "dr", "sir": "sir", "hon": "hon", "honourable": "hon",
    "president": "president", "prime": "prime", "minister": "minister", "pm": "minister", "deputy": "deputy",
    "retd": "retd", "rtd": "retd", "ambassador": "ambassador", "secretary": "secretary", "sheikh": "sheikh",
}
PREFIX_MIN = 3          # a query word this long may match the start of a name word ("kar" -> "karim")
FUZZY_CUTOFF = 0.75     # similarity ratio for a misspelt word ("kareem" -> "karim")
MIN_SCORE = 0.5
RESOLVE_SCORE = 0.9     # resolve_actor takes a name without asking only from this score up


def fold(text: str) -> str:
    """Lower-case ASCII with dots and apostrophes dropped and other punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[.'’`]", "", text)
    return re.sub(r"[^a-z0-9:]+", " ", text).strip()


def name_tokens(text: str) -> tuple[list[str], set[str]]:
    """(name words, rank words) of a folded name: 'Lt. Gen. S.M. Karim-ul-Haque' ->
    (['sm', 'karim', 'ul', 'haque'], {'lieutenant', 'general'})."""
    words = fold(text).split()
    ranks = {RANK_WORDS[w] for w in words if w in RANK_WORDS}
    rest = [w for w in words if w not in RANK_WORDS]
    return (rest or words), ranks


@dataclass(frozen=True)
class SearchHit:
    actor: Actor
    score: float
    matched: str  # the name or alias that matched best


@dataclass(frozen=True)
class _Entry:
    actor: int          # index into ActorIndex.actors
    text: str           # the name, alias or title as written
    tokens: tuple[str, ...]
    compact: str        # tokens joined: 'karimulhaque' matches 'karim-ul-haque'
    weight: float       # titles count a little less than names


class ActorIndex:
    """Every actor's names, aliases and title, tokenised, with a word index for quick candidates."""

    def __init__(self, actors: Iterable[Actor]):
        self.actors = list(actors)
        self.by_id = {a.id: i for i, a in enumerate(self.actors)}
        self.entries: list[_Entry] = []
        self._postings: dict[str, list[int]] = {}
        for i, a in enumerate(self.actors):
            names = [(a.name, 1.0), *((x, 1.0) for x in a.aliases)]
            if a.title:
                names.append((a.title, 0.9))
            for text, weight in names:
                tokens, _ = name_tokens(text)
                if not tokens:
                    continue
                e = len(self.entries)
                self.entries.append(_Entry(i, text, tuple(tokens), "".join(tokens), weight))
                for t in {*tokens, "".join(tokens)}:
                    self._postings.setdefault(t, []).append(e)
        self._vocab = sorted(self._postings)

    def search(self, query: str, *, types: Iterable[NodeType | str] | None = None,
               limit: int | None = None) -> list[SearchHit]:
        """Actors matching ``query`` best first (ties by name); an empty query lists all by name."""
        wanted = None if types is None else {NodeType(t) for t in types}
        if not fold(query):
            hits = [SearchHit(a, 1.0, a.name) for a in self.actors if wanted is None or a.type in wanted]
            return sorted(hits, key=lambda h: (h.actor.name.casefold(), h.actor.id))[:limit]
        exact = self.by_id.get(query.strip())
        if exact is not None:  # an id pasted as the query
            return [SearchHit(self.actors[exact], 1.0, self.actors[exact].id)]
        q_tokens, q_ranks = name_tokens(query)
        best: dict[int, SearchHit] = {}
        for e in self._candidates(q_tokens):
            entry = self.entries[e]
            actor = self.actors[entry.actor]
            if wanted is not None and actor.type not in wanted:
                continue
            score = _score(q_tokens, entry) * entry.weight
            if q_ranks and actor.rank and q_ranks <= name_tokens(actor.rank)[1] | name_tokens(entry.text)[1]:
                score += 0.05  # "Gen Zaidi": the general before a namesake of another rank
            if score >= MIN_SCORE and (entry.actor not in best or score > best[entry.actor].score):
                best[entry.actor] = SearchHit(actor, round(min(score, 1.0), 4), entry.text)
        hits = sorted(best.values(), key=lambda h: (-h.score, h.actor.name.casefold(), h.actor.id))
        return hits[:limit]

    def _candidates(self, q_tokens: list[str]) -> set[int]:
        words: set[str] = set()
        for q in [*q_tokens, "".join(q_tokens)]:
            if q in self._postings:
                words.add(q)
            if len(q) >= PREFIX_MIN:
                i = bisect.bisect_left(self._vocab, q)
                while i < len(self._vocab) and self._vocab[i].startswith(q):
                    words.add(self._vocab[i])
                    i += 1
            words.update(w for w, _, _ in process.extract(q, self._vocab, scorer=fuzz.ratio, limit=10,
                                                          score_cutoff=FUZZY_CUTOFF * 100))
        return {e for w in words for e in self._postings[w]}


def _word_score(q: str, tokens: tuple[str, ...]) -> float:
    best = 0.0
    for t in tokens:
        if q == t:
            return 1.0
        if len(q) >= PREFIX_MIN and t.startswith(q):
            best = max(best, 0.9)
        elif len(t) >= 2 and len(q) <= 2 and q == t[: len(q)]:
            best = max(best, 0.6)  # initials: 'sm' for 's m'
        else:
            r = fuzz.ratio(q, t) / 100
            if r >= FUZZY_CUTOFF:
                best = max(best, r * 0.9)
    return best


def _score(q_tokens: list[str], entry: _Entry) -> float:
    """Mean of each query word's best match, scaled down a little for name words left unmatched;
    or the compact forms' similarity when that is higher ('karimulhaque' vs 'karim-ul-haque')."""
    words = [_word_score(q, entry.tokens) for q in q_tokens]
    by_word = 0.0 if min(words) == 0 else sum(words) / len(words)
    unmatched = max(0, len(entry.tokens) - len(q_tokens))
    by_word *= 1.0 - 0.05 * min(unmatched, 4)
    compact = fuzz.ratio("".join(q_tokens), entry.compact) / 100
    return max(by_word, compact if compact >= FUZZY_CUTOFF else 0.0)


_ID = re.compile(r"^[a-z]+:[a-z0-9-]+$")


class NoSuchActor(LookupError):
    """``text`` names no actor, or several equally well; ``suggestions`` are the closest ones."""

    def __init__(self, text: str, suggestions: list[SearchHit], ambiguous: bool = False):
        self.text, self.suggestions, self.ambiguous = text, suggestions, ambiguous
        close = ", ".join(f"{h.actor.name} ({h.actor.id})" for h in suggestions)
        if ambiguous:
            message = f"{text!r} could be any of: {close}; give a fuller name or the id"
        elif suggestions:
            message = f"no actor is {text!r}; close names: {close}"
        else:
            message = f"no actor is {text!r}, nor any name close to it"
        super().__init__(message)


def resolve_actor(index: ActorIndex, text: str, *, types: Iterable[NodeType | str] | None = None,
                  suggestions: int = 5) -> Actor:
    """The actor ``text`` means: an id, or the name or alias that matches one actor better than
    any other ("Gen Reyvik" is the general, not the colonel of the same surname). Raises
    NoSuchActor with the closest names when nothing matches well or two match equally."""
    text = text.strip()
    if text in index.by_id:
        return index.actors[index.by_id[text]]
    # An id that is not there: search its slug's words, as the API's 404 suggestions do.
    query = text.split(":", 1)[1].replace("-", " ") if _ID.match(text) else text
    hits = index.search(query, types=types, limit=suggestions)
    if not _ID.match(text) and hits and hits[0].score >= RESOLVE_SCORE and (
            len(hits) == 1 or hits[0].score > hits[1].score):
        return hits[0].actor
    tied = [h for h in hits if h.score == hits[0].score] if hits else []
    ambiguous = not _ID.match(text) and len(tied) > 1 and tied[0].score >= RESOLVE_SCORE
    raise NoSuchActor(text, tied if ambiguous else hits, ambiguous=ambiguous)

