"""Resolving references to actors named before: pronouns, role phrases, delegations, groups.

News names a person once in full and then refers back: "he", "the prime minister", "the visiting
minister", "the Russian delegation, led by ...", "the two nations". ``loaders.mentions`` finds these
phrases; here each is tied to an actor of the article by salience (the person last the subject of a
sentence), by the title the phrase repeats, and by the state it names.
"""
from __future__ import annotations

from typing import Protocol

from graph.model import NodeType
from loaders.local import ArticleGraph
from loaders.mentions import Mention, Sentence
from loaders.vocab import Vocab, fold

__all__ = ["resolve_reference", "is_subject", "AwaitingRoles"]


class ArticleState(Protocol):
    """What resolving a reference reads of the article read so far (``loaders.article.ArticleReader``)."""
    g: ArticleGraph
    v: Vocab
    recent: list[str]          # person keys, most recently mentioned last
    before: list[str]          # the same, as it was before the current sentence
    salient: str | None        # the person last the subject of a sentence
    salient_at: int            # the number of the sentence that made them so
    sentence_no: int           # the number of the sentence being read
    recent_states: list[str]
    states_before: list[str]
    leaders: list[str]         # people said to lead a delegation

PERSON, STATE = NodeType.PERSON, NodeType.STATE
_SUBJ = {"nsubj", "nsubjpass"}


def is_subject(m: Mention, sent: Sentence, main: bool = False) -> bool:
    """Whether a mention is the subject of a verb of its sentence (with ``main``, of the main verb
    or one joined to it), not of a relative clause."""
    root = sent.span.root
    for k in range(m.start, m.end):
        tok = sent.span.doc[k]
        if tok.dep_ not in _SUBJ:
            continue
        if tok.head.i == root.i or tok.head.head.i == root.i and tok.head.dep_ == "conj":
            return True
        if not main and tok.head.dep_ not in {"relcl", "acl"}:
            return True
    return False


def _subject_of_clause(m: Mention, sent: Sentence, skip_local: bool = False) -> Mention | None:
    """The person subject of the nearest verb above a pronoun ('Novak said he ...'), if named
    before it, or after it when the pronoun opens the clause ('During his visit, X toured ...').
    With ``skip_local`` (an object pronoun: 'X received him' is never X) the pronoun's own verb
    is passed over."""
    doc = sent.span.doc
    tok = doc[m.start]
    via_prep = False
    for _ in range(5):
        head = tok.head
        if head.i == tok.i:
            return None
        if head.pos_ in {"VERB", "AUX"} and skip_local:
            skip_local = False
        elif head.pos_ in {"VERB", "AUX"}:
            for c in head.children:
                if c.dep_ in _SUBJ and (c.i < m.start or via_prep and c.i > m.start):
                    other = sent.outer.get(c.i)
                    if other is not None and other.type is PERSON and other.key and other is not m:
                        return other
            via_prep = False
        elif tok.dep_ == "pobj" and head.dep_ == "prep" and head.i < m.start:
            via_prep = True
        tok = head
    return None


def _title_words(reader: ArticleState, key: str) -> set[str]:
    a = reader.g.actors[key]
    words = set()
    for part in (a.title, a.rank):
        if part:
            words |= {fold(w) for w in part.replace(" and ", " ").split()}
    return words


def _role(reader: ArticleState, m: Mention) -> str | None:
    """The person a role phrase names: one whose title holds its words, of its state and body,
    the most recently named first; for a generic role ('the official') the person in focus."""
    refs = reader.v.refs
    words = [fold(w) for w in m.ref_words]
    phrase = " ".join(w for w in m.ref_words)
    head = words[-1] if words else ""
    wanted = set(words)
    for key_phrase, syn in refs["role_synonyms"].items():
        if phrase.endswith(key_phrase):
            wanted |= set(syn)
    generic = head in refs["generic_roles"] or phrase in refs["generic_roles"]
    state = m.state.name if m.state else None
    members = {r.source for r in reader.g.relations if m.org is not None and r.target == m.org.key}
    best, best_score = None, 0
    for rank, key in enumerate(reversed(reader.recent)):
        a = reader.g.actors[key]
        if state and a.state and a.state != state:
            continue
        title = _title_words(reader, key)
        overlap = len(wanted & title)
        if head not in title and not (wanted & title and (generic or head in refs["role_synonyms"] or
                                                          phrase in refs["role_synonyms"])):
            continue
        exact = a.title is not None and fold(a.title) == fold(" ".join(m.ref_words[-len(a.title.split()):]))
        score = overlap * 10 - rank + (5 if state and a.state == state else 0) + (8 if exact else 0) + \
            (20 if key in members else 0)  # 'Chief of Army Staff, Indian Army': the one of that army
        if best is None or score > best_score:
            best, best_score = key, score
    if best is not None:
        return best
    if m.state is not None and reader.salient and reader.salient_at == reader.sentence_no - 1:
        # 'X travelled to S. There the Chilean interior minister met ...': a role that describes the
        # person the sentence before was about, when nothing said of them contradicts it
        a = reader.g.actors[reader.salient]
        if a.title is None and a.state in {None, m.state.name}:
            return reader.salient
    if generic or m.title is None:
        # 'the official', 'the Russian defence chief': the person in focus, if of that state
        for key in ([reader.salient] if reader.salient else []) + list(reversed(reader.recent)):
            a = reader.g.actors[key]
            if state is None and key == reader.salient or state and a.state == state:
                return key
    return None


def _local_subject(m: Mention, sent: Sentence) -> Mention | None:
    """The subject of the verb an object pronoun depends on ('X received him': X)."""
    tok = sent.span.doc[m.start]
    head = tok.head.head if tok.dep_ == "pobj" else tok.head
    for c in head.children:
        if c.dep_ in _SUBJ:
            return sent.outer.get(c.i)
    return None


def _pronoun(reader: ArticleState, m: Mention, sent: Sentence) -> str | None:
    before = [p for p in sent.mentions if p.type is PERSON and p.key and p.end <= m.start and p.ref != "group"]
    tok = sent.span.doc[m.start]
    low = tok.lower_
    objective = low in {"him", "her", "them"} and tok.tag_ == "PRP" and tok.dep_ in {"dobj", "pobj", "dative"}
    clause = _subject_of_clause(m, sent, skip_local=objective)
    if clause is not None:
        return clause.key
    if low in {"his", "her"} and tok.tag_ == "PRP$" and before:
        return before[-1].key
    if objective:
        # 'On Sunday, X received him': the person in focus, never the one doing the receiving
        local = _local_subject(m, sent)
        banned = {local.key} if local is not None and local.key else set()
        for key in ([reader.salient] if reader.salient else []) + list(reversed(reader.before)):
            if key not in banned:
                return key
        return None
    return reader.salient or (reader.before[-1] if reader.before else None)


def _delegation(reader: ArticleState, m: Mention, sent: Sentence) -> str | None:
    doc = sent.span.doc
    leads = reader.v.refs["leads"]
    for k in range(m.end, min(sent.span.end - 1, m.end + 8)):
        if doc[k].lower_ in leads and doc[k + 1].lower_ == "by":
            j = k + 2
            while j < sent.span.end and (doc[j].pos_ in {"DET", "ADJ", "PUNCT"} and doc[j].text != "."):
                j += 1
            leader = sent.outer.get(j)
            if leader is not None and leader.type is PERSON and leader.key:
                reader.leaders.append(leader.key)
                return leader.key
    if reader.leaders:
        return reader.leaders[-1]
    return None


def _group(reader: ArticleState, m: Mention) -> str | None:
    pool = reader.recent_states if m.type is STATE else reader.recent
    if m.type is PERSON:
        # 'the two generals' are the last two generals named, not the last two people
        noun = fold(m.name).rstrip("s")
        if m.state is not None:
            pool = [k for k in pool if reader.g.actors[k].state == m.state.name]
        if noun in {fold(r) for r in reader.v.refs["roles"]} and noun not in reader.v.refs["generic_roles"]:
            # people of that title first; people whose title the article never gave may fill up
            fitting = [k for k in pool if noun in _title_words(reader, k)]
            untitled = [k for k in pool if not _title_words(reader, k)]
            chosen = list(reversed(fitting))[:m.group]
            chosen += [k for k in reversed(untitled)][:m.group - len(chosen)]
            pool = [k for k in pool if k in chosen]
    members = list(reversed(pool))[:m.group]
    if len(members) < m.group:
        return None
    m.members = [Mention(m.start, m.end, m.type, reader.g.actors[k].name, m.start, m.end, key=k)
                 for k in reversed(members)]
    return members[-1]


def resolve_reference(reader: ArticleState, m: Mention, sent: Sentence) -> str | None:
    """The article actor a reference mention stands for, or None when the article gives no one."""
    if m.ref == "pronoun":
        return _pronoun(reader, m, sent)
    if m.ref == "role":
        return _role(reader, m)
    if m.ref == "delegation":
        return _delegation(reader, m, sent)
    if m.ref == "group":
        return _group(reader, m)
    if m.ref == "state":
        # the state named last before it: in this sentence, else before it
        here = [x.key for x in sent.mentions if x.type is STATE and x.ref is None and x.key and x.end <= m.start]
        return here[-1] if here else (reader.states_before[-1] if reader.states_before else None)
    return None


_PASSING = {"new", "newly", "appointed", "top", "senior", "then", "former", "current", "outgoing", "incoming",
            "acting", "interim", "visiting", "veteran", "countrys", "the"}


class AwaitingRoles:
    """Role phrases no one named before fits: a lede often gives the role first and the name
    later ('Ostrland's new defence minister pledged ... Defence Secretary Jan Novak said'). Each
    stands in the article's relations under a placeholder key until a person of that state whose
    title fits the role is named; at the end placeholders are replaced, or their relations dropped."""

    PREFIX = "?role:"

    def __init__(self) -> None:
        self.waiting: dict[str, Mention] = {}
        self.bound: dict[str, str] = {}

    def add(self, m: Mention) -> str | None:
        if not m.ref_words:
            return None
        key = f"{self.PREFIX}{len(self.waiting) + len(self.bound)}"
        self.waiting[key] = m
        return key

    def named(self, reader: ArticleState, person: str) -> None:
        """A person was named: the roles still waiting that fit them are theirs."""
        if not self.waiting:
            return
        a = reader.g.actors[person]
        title = _title_words(reader, person)
        synonyms = reader.v.refs["role_synonyms"]
        states = {a.state} if a.state else {r.target[len("state:"):] for r in reader.g.relations
                                            if r.source == person and r.target.startswith("state:")}
        for key, m in list(self.waiting.items()):
            if m.state is not None and states and m.state.name not in states:
                continue
            words = [fold(w) for w in m.ref_words]
            phrase = " ".join(m.ref_words)
            head = words[-1]
            wanted = {head} | {w for k, syn in synonyms.items() if phrase.endswith(k) or head == k for w in syn}
            wanted |= {w for k, syn in synonyms.items() if head in syn for w in k.split()}  # minister ~ secretary
            # every word of the role but its passing ones ('new', 'visiting') is in the title
            content = set(words) - _PASSING - {head}
            if (head in title or wanted & title) and content <= title:
                self.bound[key] = person
                del self.waiting[key]

    def settle(self, g) -> None:
        """Placeholders replaced by the people named later; relations of the others dropped."""
        if not self.bound and not self.waiting:
            return
        keep = []
        for r in g.relations:
            r.source = self.bound.get(r.source, r.source)
            r.target = self.bound.get(r.target, r.target)
            if not r.source.startswith(self.PREFIX) and not r.target.startswith(self.PREFIX) and r.source != r.target:
                keep.append(r)
        g.relations = keep
