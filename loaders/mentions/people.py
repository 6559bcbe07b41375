"""People introduced by a rank, an office or a role: the whole title chain is one mention
('Pakistan's Chief of Army Staff (COAS) General Jane Doe'), with the state and body it names."""
from __future__ import annotations

from spacy.tokens import Span

from loaders.mentions.base import (PERSON, FORCE, STATE, ORG, POSSESSIVE, _ACRONYM, Mention, _claim,
                                   _is_name_token, skip_honours, _scan_name, _match_state)
from loaders.vocab import StateInfo


class PeopleFinder:
    """Finder methods for ranked and titled people and their appositions (mixed into the finder)."""

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
