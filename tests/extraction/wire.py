"""A generated wire corpus among invented officers and ministers of the example states
(examples/vocab/states.json): the same people recur from story to story, named in full once and by
surname or office after, so resolution across articles has work to do. Used by the cluster tests
and bench/cluster.py; the same seed gives the same articles."""
from __future__ import annotations

import random

from loaders.read import RawArticle

__all__ = ["wire_articles"]

_SYLLABLES = ["ka", "ro", "vel", "mar", "tan", "sil", "do", "bre", "zu", "ni", "or", "la", "quen", "thi", "gar", "eth"]
_STATES = [("Veloria", "Velorian", "Castel Vor"), ("Ostrland", "Ostrlandic", "Halvik"),
           ("Marenzia", "Marenzian", "Port Sabre")]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
_MILITARY = [("General", "Chief of Army Staff", "Army"), ("Admiral", "Chief of Naval Staff", "Navy"),
             ("Air Marshal", "Chief of Air Staff", "Air Force"), ("Lieutenant General", "Vice Chief of Army Staff", "Army")]
_GOODS = ["coastal patrol vessels", "transport aircraft", "armoured vehicles", "training places at its staff college",
          "radar systems"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()


def _people(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        state, dem, capital = rng.choice(_STATES)
        if rng.random() < 0.7:
            rank, office, service = rng.choice(_MILITARY)
            intro = f"{rank} {{name}}, {office} of the {dem} {service}"
        else:
            rank, intro = "Minister", f"{dem} Defence Minister {{name}}"
        first, last = _word(rng), _word(rng)
        out.append({"name": f"{first} {last}", "last": last, "rank": rank, "state": state, "dem": dem,
                    "capital": capital, "intro": intro.format(name=f"{first} {last}")})
    return out


def _story(rng: random.Random, k: int, a: dict, b: dict) -> str:
    day, month = rng.randint(1, 28), rng.choice(_MONTHS)
    place = b["capital"]
    lines = [f"{place.upper()}, {month} {day} (Northwire) - "]
    kind = k % 4
    if kind == 0:
        lines.append(f"{a['intro']}, met {b['intro']}, in {place} on Tuesday. ")
        lines.append(f"The two discussed maritime security and joint exercises. ")
    elif kind == 1:
        lines.append(f"{a['intro']}, arrived in {place} on a three-day visit and held talks with {b['intro']}. ")
        lines.append(f"{a['last']} later toured the {_word(rng)} Naval Dockyard, officials said. ")
    elif kind == 2:
        lines.append(f"{a['state']} has offered {rng.choice(_GOODS)} to {b['state']}, {a['intro']}, said on Monday "
                     f"after meeting {b['intro']}. ")
    else:
        lines.append(f"{a['state']} and {b['state']} signed a defence cooperation agreement in {place} on {day} "
                     f"{month} 2025. The agreement was signed by {a['intro']}, and {b['intro']}. ")
    if rng.random() < 0.5:
        lines.append(f"\n\n{b['last']} said the talks opened a new chapter between the two countries. ")
    lines.append(f"\n\nDesk note {k}: filed for the archive.\n")
    return "".join(lines)


def wire_articles(n: int, seed: int = 25, people: int = 40) -> list[RawArticle]:
    """``n`` short wire stories among ``people`` invented officials, each dated in 2025."""
    rng = random.Random(seed)
    cast = _people(rng, people)
    out = []
    for k in range(n):
        a, b = rng.sample(cast, 2)
        while a["state"] == b["state"]:
            a, b = rng.sample(cast, 2)
        month, day = rng.randint(1, 10), rng.randint(1, 28)
        out.append(RawArticle(id=f"wire-{k:04d}.txt", text=_story(rng, k, a, b), published=f"2025-{month:02d}-{day:02d}"))
    return out
