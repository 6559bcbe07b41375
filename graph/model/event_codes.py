"""Each event's codes in the event-data ontologies of the field: PLOVER (category, mode, context; the
ontology of POLECAT) and CAMEO (GDELT's), so users of those datasets can line our events up with
theirs. THE table is ``CODES``; ``OFFER_CODES`` picks the CAMEO 03x of an offer by what is offered.

The CAMEO -> PLOVER correspondences are those of the PLOVER project's CAMEO2PLOVER table
(openeventdata/PLOVER, ``CAMEO2PLOVER-2021.txt``): 04x CONSULT with modes ``visit`` (042), ``host``
(043) and ``third-party`` (044); 057 "sign formal agreement" is SUPPORT (diplomatic); 03x
"express intent to ..." is AGREE.

| our type | when | PLOVER category | mode | context | CAMEO |
| --- | --- | --- | --- | --- | --- |
| MET | no place, or a place in a participant's state | CONSULT | | | 040 consult |
| MET | at a place in a state none of the participants is of or belongs to | CONSULT | third-party | | 044 meet at a third location |
| VISITED | (the visitor's act; the host's side is 043 host a visit) | CONSULT | visit | | 042 make a visit |
| SIGNED | | SUPPORT | | diplomatic | 057 sign formal agreement |
| OFFERED | by what is offered (``OFFER_CODES``, first match) | AGREE | | by the code | 03x |
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from graph.model.records import RelType

__all__ = ["EventCodes", "CODES", "OFFER_CODES", "HOST_VISIT", "codes_for"]


@dataclass(frozen=True)
class EventCodes:
    plover: str           # the PLOVER event category
    mode: str             # PLOVER's mode ('' when none)
    context: str          # PLOVER's context ('' when none)
    cameo: str            # the CAMEO event code
    cameo_text: str

    def to_dict(self) -> dict[str, str]:
        return {"plover": self.plover, "plover_mode": self.mode, "plover_context": self.context,
                "cameo": self.cameo, "cameo_text": self.cameo_text}


# (type, variant) -> codes; the variant is '' for the plain case.
CODES: dict[tuple[RelType, str], EventCodes] = {
    (RelType.MET, ""): EventCodes("CONSULT", "", "", "040", "Consult"),
    (RelType.MET, "third-party"): EventCodes("CONSULT", "third-party", "", "044", "Meet at a 'third' location"),
    (RelType.VISITED, ""): EventCodes("CONSULT", "visit", "", "042", "Make a visit"),
    (RelType.SIGNED, ""): EventCodes("SUPPORT", "", "diplomatic", "057", "Sign formal agreement"),
    (RelType.OFFERED, ""): EventCodes("AGREE", "", "diplomatic", "030", "Express intent to cooperate"),
}
# The host's side of a visit, for exports written from the host's point of view.
HOST_VISIT = EventCodes("CONSULT", "host", "", "043", "Host a visit")

# What is offered -> the CAMEO 03x (and PLOVER context), tried in this order on the offer's
# ``what``; the first whose words occur wins; none: 030 "express intent to cooperate".
OFFER_CODES: list[tuple[tuple[str, ...], EventCodes]] = [
    (("peacekeep", "protection"),
     EventCodes("AGREE", "", "peacekeeping", "0334", "Express intent to provide military protection or peacekeeping")),
    (("humanitarian", "relief", "food", "medical", "medicine", "vaccine", "shelter", "refugee"),
     EventCodes("AGREE", "", "humanitarian", "0333", "Express intent to provide humanitarian aid")),
    (("weapon", "arms", "jet", "aircraft", "fighter", "missile", "tank", "drone", "ammunition", "artillery",
      "rifle", "helicopter", "warship", "vessel", "frigate", "submarine", "radar", "military", "defence",
      "defense", "equipment", "troops"),
     EventCodes("AGREE", "", "military", "0332", "Express intent to provide military aid")),
    (("loan", "grant", "credit", "fund", "financ", "investment", "dollar", "euro", "budget", "economic"),
     EventCodes("AGREE", "", "economic", "0331", "Express intent to provide economic aid")),
    (("training", "cooperation", "exercise", "partnership", "intelligence", "expertise"),
     EventCodes("AGREE", "", "diplomatic", "031", "Express intent to engage in material cooperation")),
    (("mediat",),
     EventCodes("AGREE", "", "diplomatic", "039", "Express intent to mediate")),
    (("talks", "negotiat", "dialogue", "meeting"),
     EventCodes("AGREE", "", "diplomatic", "036", "Express intent to meet or negotiate")),
    (("aid", "assistance", "support", "supplies", "supply"),
     EventCodes("AGREE", "", "diplomatic", "033", "Express intent to provide material aid")),
]

_WORD = re.compile(r"[a-z]+")


def _offer_codes(what: str | None) -> EventCodes:
    words = _WORD.findall((what or "").lower())
    for stems, codes in OFFER_CODES:
        if any(w.startswith(s) for w in words for s in stems):
            return codes
    return CODES[(RelType.OFFERED, "")]


def codes_for(type_: RelType | str, *, what: str | None = None, place: str | None = None,
              participants: list[str] = (), state_of: Callable[[str], str | None] | None = None) -> EventCodes:
    """The codes of an event. ``state_of``: the state an actor or place is of (a state is its own),
    from the graph's MEMBER_OF / PART_OF / LOCATED_IN; without it a meeting is never at a third place."""
    type_ = RelType(type_)
    if type_ is RelType.OFFERED:
        return _offer_codes(what)
    if type_ is RelType.MET and place and state_of is not None:
        where = state_of(place)
        theirs = {state_of(p) for p in participants}
        if where is not None and None not in theirs and where not in theirs:
            return CODES[(RelType.MET, "third-party")]
    return CODES[(type_, "")]


def state_lookup(types: dict[str, str], structure: list[tuple[str, str]]) -> Callable[[str], str | None]:
    """``state_of`` for ``codes_for`` from actor types (id -> NodeType value) and the structure edges
    (source MEMBER_OF / PART_OF / LOCATED_IN target): a state is its own; anything else is of the
    first state reached upwards (a few steps at most)."""
    up: dict[str, list[str]] = {}
    for s, t in structure:
        up.setdefault(s, []).append(t)
    memo: dict[str, str | None] = {}

    def state_of(actor: str) -> str | None:
        if actor in memo:
            return memo[actor]
        found, frontier, seen = None, [actor], {actor}
        for _ in range(5):
            nxt = []
            for a in frontier:
                if types.get(a) == "State":
                    found = a
                    break
                nxt.extend(b for b in sorted(up.get(a, ())) if b not in seen)
            if found or not nxt:
                break
            seen.update(nxt)
            frontier = nxt
        memo[actor] = found
        return found
    return state_of
