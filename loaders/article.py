"""One article: its mentions resolved to the article's actors, with the relations it states.

Within an article "Gen Doe" and "the COAS" are the "General John Doe" named before, an acronym is
the name it was defined for, and an undated event re-told later takes the date it was first given.
The result names actors by local keys; ``loaders.resolve`` maps them to graph ids across articles.
"""
from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Doc

from graph.model import NodeType, RelType
from loaders.dates import is_same_day, resolve as resolve_date
from loaders.dropped import dropped_events
from loaders.mentions import Mention, Sentence, iter_sentences
from loaders.references import AwaitingRoles, is_subject, resolve_reference
from loaders.relations import EventCandidate, sentence_events
from loaders.local import ArticleGraph, LocalActor, LocalRelation
from loaders.vocab import StateInfo, Vocab, fold, is_initial, norm

__all__ = ["LocalActor", "LocalRelation", "ArticleGraph", "ArticleReader"]

PERSON, FORCE, STATE, ORG, FACILITY, PLACE = (NodeType.PERSON, NodeType.ARMED_FORCE, NodeType.STATE,
                                              NodeType.ORGANIZATION, NodeType.FACILITY, NodeType.PLACE)


def _ranks_compatible(a: str, b: str) -> bool:
    """'General' may shorten 'Lieutenant General'; 'General' and 'Admiral' are two people."""
    return a == b or a.endswith(" " + b) or b.endswith(" " + a)




# an event's roles (source's, targets') by type when the sentence says no more (graph.events.ROLES)
_ROLES = {RelType.MET: ("participant", "participant"), RelType.SIGNED: ("signatory", "signatory"),
          RelType.OFFERED: ("offerer", "recipient"), RelType.VISITED: ("visitor", "host")}


def _expand(mentions: list[Mention]) -> list[Mention]:
    """Group references ('the two nations') stand for their members; others for themselves."""
    out = []
    for m in mentions:
        out.extend(m.members if m.ref == "group" else [m])
    return out


_ENDS = (".", "!", "?", '"', "”", "'", "’", ")")
_LIST_MARK = re.compile(r"^\s*(?:[-–—•*▪●◦]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


def _finite_verb(span) -> bool:
    """A verb in lower case that makes the words a clause ('met', 'signs', 'has visited'),
    which a headline in Title Case or a caption's bare noun phrase has not."""
    return any(t.tag_ in {"VBD", "VBZ", "VBP", "VBN"} and t.pos_ in {"VERB", "AUX"} and t.text.islower()
               for t in span)


def _statement(span) -> bool:
    """A sentence that states facts: ended by a full stop (or a quote or bracket after it), or a
    clause that introduces a list ('... covering the following areas:') or is an item of one,
    so a sentence reads the same whatever the document's shape around it."""
    text = span.text.rstrip()
    if text.endswith(_ENDS):
        return True
    return (text.endswith(":") or bool(_LIST_MARK.match(span.text))) and _finite_verb(span)


def _title_case_headline(span) -> bool:
    """A headline in Title Case: most words capitalised and no full stop at the end."""
    text = span.text.strip()
    if not text or text.endswith(_ENDS) or _finite_verb(span):
        return False
    words = [t for t in span if t.is_alpha and len(t.text) > 3]
    return len(words) >= 4 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)


def _verb_above(tok):
    """The nearest verb a token hangs on (itself if it is one), or None."""
    for t in [tok, *tok.ancestors]:
        if t.pos_ in {"VERB", "AUX"}:
            return t
    return None


def _clause_verb(tok) -> bool:
    """A verb that heads a clause of its own (its date is not the event's), not a participle
    modifying a noun ('amid the escalating scandal')."""
    if tok.pos_ != "VERB":
        return False
    if tok.tag_ in {"VBD", "VBZ", "VBP", "VB", "MD"}:
        return True
    # 'X, appointed minister on Friday by Y, was visiting ...': a participle with its own clause
    return tok.dep_ in {"ROOT", "conj", "ccomp", "relcl", "advcl", "acl"} and tok.tag_ == "VBN"


class ArticleReader:
    """Reads one article's docs (it may come in chunks) into an ArticleGraph."""

    def __init__(self, article_id: str, vocab: Vocab, published: date | None, ref_year: int | None,
                 record_dropped: bool = False):
        self.g = ArticleGraph(article_id)
        self.record_dropped = record_dropped
        self.v = vocab
        self.published = published
        self.ref_year = ref_year
        self.last_person: Mention | None = None
        self.last_agent: Mention | None = None
        self._order = 0
        self._events_seen = 0  # sentence-level events read so far (LocalRelation.event)
        self._by_acronym: dict[str, str] = {}
        self._by_fold: dict[str, str] = {}
        self._doc: Doc | None = None
        self._known: set[str] = set()          # folded name words of the people named so far
        self._awaiting = AwaitingRoles()       # roles the lede gives before the name
        self.recent: list[str] = []            # person keys, most recently mentioned last
        self.before: list[str] = []            # the same, as it was before the current sentence
        self.salient: str | None = None        # the person last the subject of a sentence
        self.sentence_no = 0                   # sentences read so far
        self.salient_at = -1                   # the sentence that made ``salient`` the focus
        self.leaders: list[str] = []           # people said to lead a delegation
        self.recent_states: list[str] = []     # state keys, most recently mentioned last
        self.states_before: list[str] = []     # the same, as it was before the current sentence
        self.story_day: str | None = None      # the day the lede dates the story
        self._body_sentences = 0

    def _seen_person(self, key: str) -> None:
        if key in self.recent:
            self.recent.remove(key)
        self.recent.append(key)
        a = self.g.actors[key]
        for w in a.name.split():
            if not is_initial(w) and len(w) > 2 and fold(w) not in self.v.name_particles:
                self._known.add(fold(w))

    # -- actors --------------------------------------------------------------------------------
    def _person_key(self, m: Mention) -> str:
        words = [w for w in m.name.split()]
        folded = [fold(w) for w in words if not is_initial(w)] or [fold(w) for w in words]
        full = fold(m.name)
        if full in self._by_fold and self.g.actors[self._by_fold[full]].type is PERSON:
            return self._by_fold[full]
        # the same person by surname: 'Gen Doe' after 'General John Doe'; also a full name after a short one
        last = folded[-1] if folded else full
        last_parts = {last, fold(re.split(r"[-‐]", words[-1])[-1]) if words else last}
        candidates = []
        for a in self.g.actors.values():
            if a.type is not PERSON:
                continue
            aw = [fold(w) for w in a.name.split() if not is_initial(w)] or a.name_words()
            a_last = {aw[-1], fold(re.split(r"[-‐]", a.name.split()[-1])[-1])}
            if len(aw) >= 2 and folded[:len(aw)] == aw:
                candidates.append(a)  # 'Jane Doe Smith' after 'Jane Doe': a fuller form of the name
                continue
            if not (last_parts & a_last):
                continue
            if set(folded[:-1]) <= set(aw) or set(aw[:-1]) <= set(folded):
                if m.rank and a.rank and len(folded) == 1 and not _ranks_compatible(m.rank, a.rank):
                    continue  # 'Gen Doe' may be 'Lt Gen John Doe', not 'Admiral Jane Doe'
                candidates.append(a)
        if not candidates and len(folded) == 1:
            # 'Dear Luis': a first name alone is the one person named so, if only one is
            firsts = [a for a in self.g.actors.values() if a.type is PERSON and len(a.name_words()) >= 2
                      and a.name_words()[0] == folded[0]]
            if len(firsts) == 1:
                return firsts[0].key
        if candidates:
            return candidates[-1].key
        key = f"person:{full}"
        self.g.actors[key] = LocalActor(key, PERSON, m.name)
        self._by_fold[full] = key
        return key

    def _org_name(self, m: Mention) -> tuple[str, set[str]]:
        """A generic body's name qualified by its state: 'Foreign Ministry' of Pakistan ->
        'Pakistan Foreign Ministry', so two states' ministries stay two actors."""
        if m.generic and m.state:
            forms = {f"{m.state.name}'s {m.name}"} | {f"{d} {m.name}" for d in m.state.demonyms[:1]}
            if m.name[:1].isupper() and self._surface_capitalised(m):
                forms.add(m.name)  # 'Joint Staff Headquarters' as written is a name to search by
            return f"{m.state.name} {m.name}", forms
        return m.name, set()

    def _surface_capitalised(self, m: Mention) -> bool:
        return self._doc is not None and self._doc[m.name_start].text[:1].isupper()

    def register(self, m: Mention) -> str | None:
        """The article-level actor a mention is, creating it if new."""
        g = self.g
        if m.type is STATE:
            key = f"state:{m.name}"
            g.actors.setdefault(key, LocalActor(key, STATE, m.name, state=m.name))
            return key
        if m.type is PERSON:
            key = self._person_key(m)
            a = g.actors[key]
            if len(m.name) > len(a.name):
                a.aliases.add(a.name)
                a.name = m.name
            else:
                a.aliases.add(m.name)
            surface_rank = f"{m.rank} {m.name}" if m.rank else None
            if surface_rank:
                a.aliases.add(surface_rank)
            a.rank = a.rank or m.rank
            a.title = a.title or m.title
            if m.state and not a.state:
                a.state = m.state.name
            return key
        # organisations, forces, facilities, places; an acronym alone is its defined name
        name, extra = self._org_name(m)
        text = m.name
        if text in self._by_acronym:
            return self._by_acronym[text]
        # a lone surname spaCy called a place or an organisation: 'Doe's ouster'
        if len(text.split()) == 1 and m.type in {PLACE, ORG}:
            for a in reversed(list(g.actors.values())):
                if a.type is PERSON and fold(text) in {fold(w) for w in a.name.split()}:
                    return a.key
        if text in self.v.office_short:
            # "the COAS said": the holder of that office named before
            title = self.v.office_short[text]
            for a in reversed(list(g.actors.values())):
                if a.type is PERSON and a.title and title in a.title:
                    return a.key
            return None
        f = fold(name)
        key = self._by_fold.get(f)
        if key is None or g.actors[key].type is PERSON:
            key = f"{m.type.value.lower()}:{f}"
            g.actors[key] = LocalActor(key, m.type, name, aliases=set(extra), strong=m.strong,
                                       state=m.state.name if m.state else None)
            self._by_fold[f] = key
        a = g.actors[key]
        if m.strong and not a.strong:
            a.strong, a.type = True, m.type
        if m.acronym:
            a.acronym = a.acronym or m.acronym
            a.aliases.add(m.acronym)
            self._by_acronym[m.acronym] = key
        if m.state and not a.state:
            a.state = m.state.name
        return key

    # -- relations -------------------------------------------------------------------------------
    def _add(self, type_: RelType, src: str | None, tgt: str | None, sent: Sentence, offset: int,
             confidence: float, **kw) -> LocalRelation | None:
        if not src or not tgt or src == tgt:
            return None
        span = sent.span
        raw = span.text
        text = raw.strip()
        # offsets of the stripped sentence, so text[start:end] is exactly the cited sentence
        start = offset + span.start_char + (len(raw) - len(raw.lstrip()))
        rel = LocalRelation(type_, src, tgt, start, start + len(text), text, confidence=confidence,
                            order=self._order, **kw)
        self._order += 1
        self.g.relations.append(rel)
        return rel

    def _state_key(self, name: str) -> str:
        """The state actor for an affiliation read from a possessive or a demonym ('Japanese')."""
        key = f"state:{name}"
        self.g.actors.setdefault(key, LocalActor(key, STATE, name, state=name))
        return key

    def _structure(self, sent: Sentence, offset: int) -> None:
        doc = sent.span.doc
        end = sent.span.end
        outer = sent.outer
        for m in sent.mentions:
            if m.key is None or m.ref == "group":
                continue
            if m.type is PERSON and m.ref is None and m.state is None and m.org is None:
                m.state = self._state_around(m, sent)
            if m.type is PERSON and m.end + 1 < end and doc[m.end].lower_ == "at" and m.org is None:
                body = outer.get(m.end + 1)  # "Major General X at U.S. AFRICOM"
                acronym = body is not None and body.name.split()[-1].isupper() and len(body.name.split()[-1]) >= 3
                if body is not None and body.type in {FORCE, ORG} and (body.strong or acronym) and body.key:
                    self._add(RelType.MEMBER_OF, m.key, body.key, sent, offset, 0.75)
            if m.type in {PLACE, FACILITY} and m.end + 1 < end and doc[m.end].text == "," and outer.get(m.start) is m:
                # "Port Sabre, Veloria", "the Army Pavilion, Halvik", "Castel Vor, the Marenzian capital"
                nxt = outer.get(m.end + 1)
                if nxt is not None and nxt.type in {STATE, PLACE} and nxt.key and nxt.key != m.key and \
                        (nxt.end >= end or doc[nxt.end].text in {",", ".", ";", ")"} or doc[nxt.end].pos_ in {"ADP", "VERB", "AUX"}) \
                        and not (m.type is PLACE and nxt.type is PLACE and nxt.metonym is None and self._in_list(m, nxt, sent)):
                    self._add(RelType.LOCATED_IN, m.key, nxt.key, sent, offset, 0.8)
                elif m.type is PLACE and m.end + 3 < end and doc[m.end + 1].lower_ == "the":
                    k = m.end + 2
                    dm = self.v.demonyms.match([norm(t.text) for t in doc[k:k + 3]], 0)
                    if dm and doc[k + dm[0]].lower_ == "capital":
                        self._add(RelType.LOCATED_IN, m.key, self._state_key(dm[1].name), sent, offset, 0.8)
            if m.type in {FACILITY, ORG, FORCE} and m.ref is None:
                parent = self._parent_body(m)  # "PLA Army Headquarters" is part of the "PLA Army"
                if parent is not None:
                    self._add(RelType.PART_OF, m.key, parent, sent, offset, 0.75)
            if m.type is PERSON and m.service is not None and m.service.key:
                self._add(RelType.MEMBER_OF, m.key, m.service.key, sent, offset, 0.85)
            if m.type is PERSON:
                if m.org is not None and m.org.key:
                    self._add(RelType.MEMBER_OF, m.key, m.org.key, sent, offset, 0.9)
                elif m.state is not None:
                    self._add(RelType.MEMBER_OF, m.key, self._state_key(m.state.name), sent, offset, 0.85)
            elif m.type in {FORCE, ORG, FACILITY} and m.strong and m.state is not None:
                self._add(RelType.PART_OF, m.key, self._state_key(m.state.name), sent, offset, 0.9)
            if m.type is PLACE and outer.get(m.start) is m:
                within = self._division_of(m, sent)  # 'the western US state of Idaho'
                if within is not None:
                    self._add(RelType.LOCATED_IN, m.key, within, sent, offset, 0.85)
            if m.type is FACILITY and outer.get(m.start) is m:
                place = self._located_at(m, sent)
                if place is not None:
                    self._add(RelType.LOCATED_IN, m.key, place.key, sent, offset, 0.85)

    _DIVISIONS = {"state", "province", "region", "district", "county", "prefecture", "governorate", "island",
                  "city", "town", "port", "village", "emirate", "oblast", "territory"}

    def _division_of(self, m: Mention, sent: Sentence) -> str | None:
        """'the western US state of Idaho', 'the Indian state of Kerala', 'the southern Ostrlandic
        port of Halvik': a place named as a division of a state."""
        doc, start = sent.span.doc, sent.span.start
        k = m.start - 1
        if k - 1 < start or doc[k].lower_ != "of" or doc[k - 1].lower_ not in self._DIVISIONS:
            return None
        for j in range(k - 2, max(start, k - 5) - 1, -1):
            owner = sent.outer.get(j)
            if owner is not None and owner.type is STATE and owner.key:
                return owner.key
            dm = self.v.demonyms.match([norm(doc[j].text)], 0) if doc[j].text[:1].isupper() else None
            if dm:
                return self._state_key(dm[1].name)
            if doc[j].pos_ not in {"ADJ", "PROPN", "NOUN"}:
                break
        return None

    @staticmethod
    def _in_list(m: Mention, nxt: Mention, sent: Sentence) -> bool:
        """'Halvik, Port Sabre and Castel Vor': places listed side by side, not one inside the other."""
        doc, start, end = sent.span.doc, sent.span.start, sent.span.end
        before = doc[m.start - 1].lower_ if m.start > start else ""
        after = doc[nxt.end].lower_ if nxt.end < end else ""
        after2 = doc[nxt.end + 1].lower_ if nxt.end + 1 < end else ""
        return before in {",", "and", "or"} or after in {"and", "or"} or after == "," and after2 in {"and", "or"}

    def _located_at(self, m: Mention, sent: Sentence) -> Mention | None:
        """Where a facility is: 'X in Y', 'X, in Y', 'X at Y' (a facility within a larger one, as
        'the Memorial of the Fallen at the Halvik Cemetery'), over articles and adjectives."""
        doc, end = sent.span.doc, sent.span.end
        k = m.end + (1 if m.end < end and doc[m.end].text == "," else 0)
        if k + 1 >= end or doc[k].lower_ not in {"in", "at"}:
            return None
        prep = doc[k].lower_
        k += 1
        while k < end and (doc[k].pos_ == "DET" or doc[k].tag_ == "PRP$" or
                           doc[k].pos_ == "ADJ" and doc[k].text.islower()):
            k += 1
        place = sent.outer.get(k)
        if place is None or not place.key or place.key == m.key or place.ref is not None or not place.strong:
            return None
        if prep == "in" and place.type in {PLACE, STATE} or prep == "at" and place.type in {PLACE, FACILITY}:
            return place
        return None

    def _on_behalf(self, sent: Sentence, offset: int) -> None:
        """'A signed on behalf of S', 'signed by A on behalf of S and B on behalf of T': each signer
        serves the state or body they acted for."""
        doc, start, end = sent.span.doc, sent.span.start, sent.span.end
        for k in range(start + 1, end - 3):
            if doc[k].lower_ != "on" or doc[k + 1].lower_ != "behalf" or doc[k + 2].lower_ != "of":
                continue
            b = k + 3
            while b < end and doc[b].pos_ == "DET":
                b += 1
            body = sent.outer.get(b)
            if body is None or body.type not in {STATE, ORG, FORCE} or not body.key:
                continue
            for p in range(k - 1, max(start, k - 12) - 1, -1):
                if doc[p].text in {";", ":"} or doc[p].lower_ == "behalf":
                    break
                person = sent.outer.get(p)
                if person is not None and person.type is PERSON and person.key in self.g.actors:
                    self._add(RelType.MEMBER_OF, person.key, body.key, sent, offset, 0.8)
                    break

    def _state_around(self, m: Mention, sent: Sentence) -> StateInfo | None:
        """A person's state from around the mention: 'counterparts from France (X)' or, in
        'Chinese Vice President A and Foreign Minister B', the state of the person B is joined to."""
        doc = sent.span.doc
        if m.start >= 2 and doc[m.start - 1].text == "(":
            st = sent.outer.get(m.start - 2)
            if st is not None and st.type is STATE and m.end < sent.span.end and doc[m.end].text == ")":
                return st.state
        if self.g.actors[m.key].title and m.start >= 2 and doc[m.start - 1].lower_ in {"and", ","}:
            prev = sent.outer.get(m.start - 2)
            if prev is not None and prev.type is PERSON and prev.state is not None and prev.ref is None and \
                    prev.title and doc[prev.start].text[:1].isupper() and \
                    self.v.demonyms.match([norm(doc[prev.start].text)], 0):
                return prev.state
        return None

    def _parent_body(self, m: Mention) -> str | None:
        """The force or body whose name begins this one's ('X Army Headquarters' of 'X Army')."""
        words = fold(self.g.actors[m.key].name)
        best = None
        for a in self.g.actors.values():
            if a.key == m.key or a.type not in {FORCE, ORG} or not a.strong:
                continue
            name = a.name.split()
            if len(name) >= 2 and words.startswith(fold(a.name)) and len(fold(a.name)) < len(words) and \
                    self.g.actors[m.key].name.split()[:len(name)] == name:
                if best is None or len(a.name) > len(self.g.actors[best].name):
                    best = a.key
        return best

    def _event_date(self, ev: EventCandidate, sent: Sentence) -> str | None:
        """The date of the event: the most precise date in its sentence that no other verb stands
        between ('visit, seen by ..., follows changes after X was ousted in August' is not August)."""
        doc = sent.span.doc
        trigger = doc[ev.trigger]
        # the trigger and the words above it up to its verb: 'The announcement on Friday came during
        # a meeting' dates the meeting through 'came'
        own, tok = {ev.trigger}, trigger
        for _ in range(4):
            if tok.head.i == tok.i:
                break
            tok = tok.head
            own.add(tok.i)
            if tok.pos_ in {"VERB", "AUX"}:
                break
        best = None
        for ent in sent.span.ents:
            if ent.label_ not in {"DATE", "TIME"} or ent.start in sent.outer:
                continue
            lo, hi = sorted((ev.trigger, ent.start))
            if any(_clause_verb(doc[k]) and k not in own and k not in sent.outer for k in range(lo + 1, hi)):
                continue
            governor = _verb_above(ent.root)
            if governor is not None and governor.i not in own and _clause_verb(governor) and \
                    governor.i not in {t.i for t in doc[ev.trigger].ancestors}:
                continue  # 'X, appointed minister on Friday, was visiting ...': Friday is the appointment's
            before = sent.span.doc[ent.start - 1].lower_ if ent.start > sent.span.start else ""
            if before in {"since", "until", "till", "by", "before"}:
                continue
            iso = resolve_date(ent.text, self.published, self.ref_year)
            if not iso:
                continue
            if self.story_day and is_same_day(ent.text):
                iso = self.story_day  # 'earlier this morning' in a story its lede dates to that day
            score = (len(iso), -abs(ent.start - ev.trigger))
            if best is None or score > best[0]:
                best = (score, iso)
        return best[1] if best else None

    def _as_agent(self, m: Mention) -> str | None:
        """A capital standing for its state when it acts: 'Islamabad offered', 'met Dhaka's envoy'."""
        if m.metonym is not None:
            return self._state_key(m.metonym.name)
        return m.key

    def _events(self, sent: Sentence, offset: int) -> None:
        if not _statement(sent.span):
            return  # a headline or caption: the body states its facts in full sentences
        events = sentence_events(sent.span.doc, sent, self.v, self.last_person, self.last_agent)
        if self.record_dropped:
            self.g.dropped += dropped_events(sent, self.v, events, self.last_person, self.last_agent, self._as_agent)
        for ev in events:
            when = self._event_date(ev, sent)
            place = ev.place.key if ev.place is not None else None
            self._events_seen += 1
            # one event per candidate, its edges derived from it (graph.events); roles by type
            tag = {"event": self._events_seen}
            if ev.type is RelType.VISITED:
                src = ev.source.key
                tag.update(roles=("visitor", "host"), sides=(0, 1))
                if not ev.targets:
                    # "X's visit" with no destination: placed after the article is read
                    self._add(RelType.VISITED, src, "?", sent, offset, ev.confidence, date=when, **tag)
                for t in ev.targets:
                    self._add(RelType.VISITED, src, t.key, sent, offset, ev.confidence, date=when, **tag)
                continue
            group = _expand(ev.symmetric_group) if ev.symmetric_group else []
            if group:
                role = "signatory" if ev.type is RelType.SIGNED else "participant"
                tag.update(roles=(role, role), sides=(0, 0))
                pairs = [(a, b) for n, a in enumerate(group) for b in group[n + 1:]]
            else:
                tag.update(roles=ev.roles or _ROLES[ev.type], sides=(0, 1))
                pairs = [(s, t) for s in _expand([ev.source]) for t in _expand(ev.targets)]
            for a, b in pairs:
                self._add(ev.type, self._as_agent(a), self._as_agent(b), sent, offset, ev.confidence,
                          date=when, place=place, what=ev.what, **tag)

    def read(self, doc: Doc, offset: int = 0) -> None:
        """Add one doc (the whole article, or a chunk of it starting at character ``offset``)."""
        self._doc = doc
        # names given in full anywhere in the text: a lede may use the surname before the full name
        for ent in doc.ents:
            words = [w for w in ent.text.split() if w[:1].isupper() and not is_initial(w)]
            keys = [norm(w) for w in ent.text.split()]
            if any(self.v.states.match(keys, k) or self.v.demonyms.match(keys, k) for k in range(len(keys))):
                continue  # 'Burkina Faso' read as a person's name by the model
            if ent.label_ == "PERSON" and len(words) >= 2:
                self._known.update(fold(w) for w in words[1:] if norm(w) not in self.v.not_name_words
                                   and not self.v.ranks.match([norm(w)], 0))
        for sent in iter_sentences(doc, self.v, self._known):
            self.sentence_no += 1
            if _title_case_headline(sent.span):
                continue  # 'X Command Head Advances Y Cooperation': capitals say nothing of names here
            ordered = sorted(sent.mentions, key=lambda m: (m.start, -(m.end - m.start)))
            self.before = list(self.recent)
            self.states_before = list(self.recent_states)
            for m in ordered:
                if m.ref is None or m.ref == "surname":
                    m.key = self.register(m)
                    if m.type is PERSON and m.key:
                        self._seen_person(m.key)
                    elif m.type is STATE and m.key:
                        if m.key in self.recent_states:
                            self.recent_states.remove(m.key)
                        self.recent_states.append(m.key)
            # references after the names: 'the delegation, led by X' points forward
            for m in ordered:
                if m.ref is not None and m.ref != "surname":
                    m.key = resolve_reference(self, m, sent)
                    if m.key is None and m.ref == "role" and m.type is PERSON:
                        m.key = self._awaiting.add(m)  # 'Ostrland's new defence minister pledged ...': named later
                    elif m.type is PERSON and m.key and m.ref not in {"group", "pronoun"}:
                        self._seen_person(m.key)  # a pronoun keeps the focus; it does not move it
            if not any(mark in sent.span.text for mark in self.v.caption_markers):
                if _statement(sent.span):
                    self._note_story_day(sent)
                self._structure(sent, offset)
                self._on_behalf(sent, offset)
                self._events(sent, offset)
            for m in ordered:
                if m.type is PERSON and m.ref in {None, "surname"} and m.key in self.g.actors:
                    self._awaiting.named(self, m.key)  # after the structure: its state is known
            # what pronouns in the next sentences refer to: the sentence's subject, else its first person
            people = [m for m in sent.mentions if m.type is PERSON and m.key in self.g.actors and m.ref != "group"]
            if people:
                subj = next((m for m in people if is_subject(m, sent, main=True)), None) or \
                    next((m for m in people if is_subject(m, sent)), None)
                if subj is None and people[0].start <= sent.span.start + 1:
                    subj = people[0]  # the sentence opens with the person: the parse may have missed it
                self.last_person = subj or people[0]
                if subj is not None:
                    self.salient, self.salient_at = subj.key, self.sentence_no
            agents = [m for m in sent.mentions if m.type in {STATE, ORG, FORCE} and m.key and m.strong and
                      sent.outer.get(m.start) is m]
            if agents:
                self.last_agent = agents[0]

    # -- after the whole article -------------------------------------------------------------------
    def finish(self) -> ArticleGraph:
        g = self.g
        self._awaiting.settle(g)
        self._place_visits()
        self._inherit_dates()
        self._date_by_publication()
        g.relations = [r for r in g.relations if r.target != "?"]
        return g

    def _state_of(self, key: str) -> str | None:
        a = self.g.actors.get(key)
        if a is None:
            return None
        if a.state:
            return a.state
        for r in self.g.relations:
            if r.source == key and r.type in (RelType.MEMBER_OF, RelType.PART_OF):
                s = self._state_of(r.target) if r.target != key else None
                if s:
                    return s
        return None

    def _place_visits(self) -> None:
        """'X's visit' with no destination: X visited the state of the people X met here."""
        met: dict[str, list[tuple[str, str | None]]] = {}
        for m in self.g.relations:
            if m.type is RelType.MET:
                met.setdefault(m.source, []).append((m.target, m.date))
                met.setdefault(m.target, []).append((m.source, m.date))
        states: dict[str, str | None] = {}

        def state_of(key: str) -> str | None:
            if key not in states:
                states[key] = self._state_of(key)
            return states[key]

        for r in self.g.relations:
            if r.type is not RelType.VISITED or r.target != "?":
                continue
            own = state_of(r.source)
            hosts = [(st, when) for other, when in met.get(r.source, ()) if (st := state_of(other)) and st != own]
            if hosts and len({h[0] for h in hosts}) == 1:
                st, when = hosts[0]
                r.target = self._state_key(st)
                r.confidence = 0.6
                if not r.date and when:
                    r.date, r.date_inherited = when[:7], True

    def _date_by_publication(self) -> None:
        """An event the article dates nowhere happened on the day its lede dates the story (a day
        in the week before publication), else it is news of the publication month."""
        if self.published is None:
            return
        fallback = self.story_day or self.published.isoformat()[:7]
        for r in self.g.relations:
            if not r.date and r.type in (RelType.MET, RelType.VISITED, RelType.SIGNED, RelType.OFFERED):
                r.date, r.date_inherited = fallback, True

    def _note_story_day(self, sent: Sentence) -> None:
        """The lede's day: the first full date in the article's first body sentences."""
        self._body_sentences += 1
        if self.story_day or self._body_sentences > 2 or self.published is None:
            return
        for ent in sent.span.ents:
            if ent.label_ not in {"DATE", "TIME"}:
                continue
            iso = resolve_date(ent.text, self.published, self.ref_year)
            if iso and len(iso) == 10 and 0 <= (self.published - date.fromisoformat(iso)).days <= 7:
                self.story_day = iso
                return

    def _inherit_dates(self) -> None:
        """An undated event re-told takes the date it was first given; one whose place a party was
        reported at takes that day; one of an actor whose programme the article dates to one day
        takes that day. Indexed by pair, place and actor, so a long article costs linear time."""
        events = (RelType.MET, RelType.VISITED, RelType.SIGNED, RelType.OFFERED)
        by_pair: dict[tuple, str] = {}
        at_place: dict[tuple, str] = {}
        days_of: dict[str, set[str]] = {}
        for d in self.g.relations:
            if not d.date or d.type not in events:
                continue
            by_pair.setdefault((d.type, frozenset((d.source, d.target))), d.date)
            if not d.date_inherited:
                if d.type is RelType.VISITED:
                    at_place.setdefault((d.source, d.target), d.date)
                if len(d.date) == 10:
                    for k in (d.source, d.target):
                        days_of.setdefault(k, set()).add(d.date)
        for r in self.g.relations:
            if r.date or r.type not in events:
                continue
            when = by_pair.get((r.type, frozenset((r.source, r.target))))
            if when is None and r.place:
                # "In Halvik, he met ...": the day he is reported in Halvik
                when = at_place.get((r.source, r.place)) or at_place.get((r.target, r.place))
            if when is None:
                # a report of one actor's programme: the day it dates, when it dates only one
                days = days_of.get(r.source, set()) | days_of.get(r.target, set())
                when = next(iter(days)) if len(days) == 1 else None
            if when is not None:
                r.date, r.date_inherited = when, True
