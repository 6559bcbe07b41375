"""Phrases that refer back to an actor named before: pronouns, role phrases ('the visiting
minister'), delegations and counted groups ('the two nations'). loaders.references resolves them."""
from __future__ import annotations

from spacy.tokens import Span

from loaders.mentions.base import (PERSON, FORCE, STATE, ORG, POSSESSIVE, Mention, _claim, _is_name_token,
                                   _match_state, _GROUP_TYPES)


class ReferringFinder:
    """Finder methods for referring phrases (mixed into the finder)."""

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
