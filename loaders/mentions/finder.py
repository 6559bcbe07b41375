"""The finder: one pass per sentence, each kind of mention found in turn, tokens claimed as they
are so later finders do not read them again; then the outermost mention per token."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc, Span

from loaders.mentions.base import FORCE, HEAD_WORDS, ORG, STATE, Mention, Sentence, _Tokens
from loaders.mentions.bodies import BodyFinder
from loaders.mentions.names import NameFinder
from loaders.mentions.people import PeopleFinder
from loaders.mentions.places import PlaceFinder
from loaders.mentions.referring import ReferringFinder
from loaders.vocab import Vocab


class _Finder(PeopleFinder, NameFinder, BodyFinder, PlaceFinder, ReferringFinder):
    def __init__(self, doc: Doc, v: Vocab):
        self.doc, self.v = doc, v
        self.tk = _Tokens(doc)
        self._taken: list[bool] = []
        t = v.triggers["MET"]
        # verbs whose object is a person met: 'met X', 'received X', 'hosted X'
        self._meet_objects = set(t["verbs"]) | set(t["host_verbs"]) | set(t["passive_verbs"]) | {"accompany", "join",
                                                                                                 "thank", "invite"}


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
        if k == p.start and p.title and not p.rank and k in ends and ends[k].type in {ORG, FORCE} and \
                ends[k].name.isupper():
            # 'NATO Secretary General X': the body an acronym names before the title is X's
            p.org = ends[k]
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
    _body_before_person(f, people, orgs + states + [p for p in places if p.type in {ORG, FORCE}])
    sent = Sentence(s, mentions)
    # outermost mention per token: people and bodies before the states nested in them
    order = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    for m in order:
        for k in range(m.start, m.end):
            sent.outer.setdefault(k, m)
    return sent
