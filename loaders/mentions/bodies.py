"""Organisations, forces and facilities by the shape of their names ('... Army', 'Ministry of ...',
'Heavy Industries X', 'the Kestrel air base'), in lower case with their state, or introduced by a
demonym and a common noun ('Swedish company Saab')."""
from __future__ import annotations

from spacy.tokens import Span

from graph.model import NodeType
from loaders.mentions.base import (FORCE, ORG, FACILITY, _TYPES, CONNECTORS, POSSESSIVE, STOP_STARTS, _ACRONYM,
                                   _DOTTED, Mention, _claim, _is_name_token, _match_state, _acronym_of,
                                   _NOT_LOWER_BODIES)
from loaders.vocab import StateInfo, fold


class BodyFinder:
    """Finder methods for bodies and facilities (mixed into the finder)."""

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
        cap = v.capitals.match(tk.keys, i, e)
        if cap and cap[0] == e:
            return None  # 'Port Moresby', 'Port Louis': a capital, not a port
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
