"""People named by their name alone: the model's PERSON spans, names no model tagged that stand
where an actor stands, names in brackets after a state, and surnames of people named before."""
from __future__ import annotations


from spacy.tokens import Span

from loaders.mentions.base import (PERSON, POSSESSIVE, STOP_STARTS, Mention, _claim, _is_name_token, skip_honours,
                                   _scan_name, _starts_vocab, _match_state)
from loaders.vocab import fold


class NameFinder:
    """Finder methods for people named without a title (mixed into the finder)."""

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
        tk, v = self.tk, self.v
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
        words = [k for k in range(i, j) if tk.alpha[k] and (tk.keys[k] not in v.name_particles or tk.cap[k])]
        if any(self.taken_any(i, j)) or not words:
            return None
        keys = tk.keys[i:j]
        if any(v.states.match(tk.keys, k) or v.capitals.match(tk.keys, k) or v.demonyms.match(tk.keys, k)
               or v.regions.match(tk.keys, k) for k in range(i, j)) or \
                v.org_heads.match(list(reversed(keys)), 0) or v.org_leads.match(keys, 0) or \
                any(tk.keys[k] in v.not_name_words or v.ranks.match(tk.keys, k) or v.offices.match(tk.keys, k)
                    for k in range(i, j)):
            return None
        if any(len(tk.text[k]) >= 3 and tk.text[k].isupper() for k in range(i, j)):
            return None  # 'INS Vikrant', 'HMS X': an acronym is no part of a person's name
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
            listed = head.dep_ == "conj" and self._actor_near(head.head.i) and \
                self.doc[head.head.i].ent_type_ in {"", "PERSON"}  # 'A, Sutrisnadi and B met': in a list of people
            if tk.tag[i] != "NNP" or v.roles.match(tk.keys, i) or tk.keys[i].rstrip("s") in v.refs["roles"] or \
                    not (state_after or role and head.dep_ == "nsubj" and ents == {"PERSON"} or listed):
                return None
        elif not role and not state_after:
            return None
        return m

    def taken_any(self, i: int, j: int) -> list[bool]:
        return [self._taken[k] for k in range(i, j)]

    def _actor_near(self, k: int) -> bool:
        """Whether token k is part of a person found already (for 'A and B', 'A, B and C')."""
        return self._taken[k] and self.doc[k].ent_type_ not in {"GPE", "DATE"}

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
