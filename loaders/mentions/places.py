"""States by name and alias (from the gazetteer), capitals and other places."""
from __future__ import annotations

from spacy.tokens import Span

from loaders.mentions.base import (STATE, ORG, FACILITY, PLACE, CONNECTORS, POSSESSIVE, STOP_STARTS, Mention,
                                   _match_state)


class PlaceFinder:
    """Finder methods for states and places (mixed into the finder)."""

    def states(self, s: Span, taken: list[bool], inner: bool) -> list[Mention]:
        """States by name, and capitals; with inner=True also those nested in other mentions."""
        tk, v = self.tk, self.v
        out, i = [], s.start
        while i < s.end:
            if taken[i] and not inner:
                i += 1
                continue
            st = _match_state(tk, i, v, s.end)
            if st and (i == s.start or not (tk.cap[i - 1] and tk.alpha[i - 1] and tk.keys[i - 1] not in STOP_STARTS)
                       or inner):
                e, info = st
                out.append(Mention(i, e, STATE, info.name, i, e, state=info, strong=True))
                i = e
                continue
            i += 1
        return out

    def places(self, s: Span, taken: list[bool]) -> list[Mention]:
        tk, v = self.tk, self.v
        out = []
        for i in range(s.start, s.end - 2):
            # "the Ostrlandic capital": the capital of that state
            if tk.keys[i] == "the" and not taken[i + 1] and tk.cap[i + 1]:
                dm = v.demonyms.match(tk.keys, i + 1, s.end)
                if dm and dm[0] < s.end and tk.keys[dm[0]] == "capital" and not taken[dm[0]]:
                    info = dm[1]
                    out.append(Mention(i, dm[0] + 1, PLACE, info.capital, i + 1, dm[0] + 1, state=info,
                                       metonym=info))
                    for x in range(i, dm[0] + 1):
                        taken[x] = True
        for i in range(s.start, s.end):
            if taken[i] or not tk.cap[i] or (i > s.start and tk.cap[i - 1] and tk.alpha[i - 1]
                                            and tk.keys[i - 1] not in STOP_STARTS):
                continue
            cap = v.capitals.match(tk.keys, i, s.end)
            st = _match_state(tk, i, v, s.end)
            if cap and st and st[0] >= cap[0]:
                continue  # a city state ('Singapore'): the state acts, the city does not
            if cap and not (cap[0] < s.end and tk.cap[cap[0]] and tk.alpha[cap[0]]):
                e, info = cap
                if not any(taken[x] for x in range(i, e)):
                    out.append(Mention(i, e, PLACE, tk.surface(i, e), i, e, state=info, metonym=info))
                    for x in range(i, e):
                        taken[x] = True
        for ent in s.ents:
            if any(taken[x] for x in range(ent.start, ent.end)):
                continue
            i, j = ent.start, ent.end
            while i < j and tk.keys[i] in STOP_STARTS:
                i += 1
            while j > i and (tk.text[j - 1] in POSSESSIVE or not tk.text[j - 1].strip()):
                j -= 1
            if i >= j or not tk.cap[i]:
                continue
            while j + 2 < s.end and tk.text[j] in {"-", "‐"} and tk.text[j + 1].islower() and len(tk.text[j + 1]) <= 3 \
                    and tk.text[j + 2] in {"-", "‐"} and j + 3 < s.end and tk.cap[j + 3] and not tk.ws[j - 1]:
                j += 4  # 'Yadgar-e-Shuhada': the model stopped at the first hyphen
            surface = tk.surface(i, j)
            if v.regions.match(tk.keys, i, j) and v.regions.match(tk.keys, i, j)[0] == j:
                continue
            letters = surface.replace(".", "")
            if letters.isupper() and len(letters) <= 3:
                continue  # "NI": an honour, not a place
            st = _match_state(tk, i, v, j)
            if st and (st[0] == j or any(tk.keys[x] in {"and", ","} for x in range(st[0], j))):
                continue  # a state (or 'Veloria and Marenzia'), found by the gazetteer
            if ent.label_ in ("GPE", "LOC"):
                out.append(Mention(i, j, PLACE, surface, i, j))
            elif ent.label_ in ("ORG", "FAC", "PERSON"):
                if v.not_actor_heads.match(list(reversed(tk.keys[i:j])), 0) or v.offices.match(tk.keys, i, j):
                    continue
                if any(tk.text[x].islower() and tk.alpha[x] and tk.keys[x] not in CONNECTORS for x in range(i, j)) or \
                        tk.text[i:j].count("(") != tk.text[i:j].count(")") or "," in tk.text[i:j]:
                    continue  # the model ran a name into the words after it: 'Ostrland a credit line (LoC'

                out.append(Mention(i, j, FACILITY if ent.label_ == "FAC" else ORG, surface, i, j, strong=False))
            else:
                continue
            for x in range(i, j):
                taken[x] = True
        return out
