"""Cases: templates filled with invented people, real states and stated dates, each with its gold.

``generate()`` is deterministic (one seeded ``random.Random``): the same cases every run, so a change
in the table is a change in the extractor. Dates are stated relative to each case's publication day
and gold carries every ISO form an analyst would accept for the phrase (a week is not a day: "last
week" is the month its Thursday fell in, or its ISO week; "earlier this week" one of its days so far,
its ISO week, or the month when those days are all in one).
"""
from __future__ import annotations

import dataclasses
import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.behaviour import names
from tests.behaviour.templates import CAPABILITIES, INVARIANCE, NAMES, THINGS, Template

SYMMETRIC = {"MET", "SIGNED"}
SEED = 20260305


@dataclass(frozen=True)
class Rel:
    type: str
    source: str
    target: str
    dates: tuple[str, ...] = ()      # ISO forms accepted for the stated date; empty when none is stated
    optional: bool = False           # neither a miss when absent nor a false positive when found

    @property
    def key(self) -> tuple[str, str, str]:
        s, t = (sorted((self.source, self.target)) if self.type in SYMMETRIC else (self.source, self.target))
        return self.type, s, t


@dataclass(frozen=True)
class Case:
    id: str
    capability: str
    text: str
    published: str
    gold: tuple[Rel, ...]
    types: frozenset[str]
    tradition: str | None = None     # the naming tradition the case is about (names/*), else its first person's
    shape: str | None = None         # invariance: the document shape the sentence is rendered in
    group: str | None = None         # invariance: the base sentence shared by its eight shapes
    date_phrase: str | None = None
    date_kind: str | None = None     # which DATE_KINDS form the phrase is ("weekday", "last_week", ...)
    actors: tuple[str, ...] = field(default=())  # every person, state and place named: what predictions map to

    @property
    def negative(self) -> bool:
        return not any(not r.optional for r in self.gold)


class Slot:
    """One person in a case; formats as their introduction, with the other forms as attributes."""

    def __init__(self, person: names.Person, rng: random.Random):
        self.p = person
        self.name, self.short = person.name, person.short
        self.state, self.dem, self.capital = person.state.name, person.state.demonym, person.state.capital
        self.he, self.him, self.his = person.he, person.him, person.his
        self.He = person.he.capitalize()
        self.office = rng.choice(names.CIVIL_OFFICES)
        self.milo = rng.choice(names.MILITARY_OFFICES)
        self.rank = rng.choice(names.MILITARY_RANKS)
        military = rng.random() < 0.4
        self.intro = rng.choice((
            f"{self.dem} {self.office} {self.name}",
            f"{self.state}'s {self.office} {self.name}",
            f"{self.office} {self.name} of {self.state}",
            f"{self.name}",
        ) if not military else (
            f"{self.rank} {self.name}",
            f"{self.dem} {self.milo} {self.rank} {self.name}",
            f"{self.rank} {self.name}, {self.state}'s {self.milo},",
        ))

    @property
    def shows_state(self) -> bool:
        """Whether the introduction ties the person to their state (so MEMBER_OF is gold when scored)."""
        return self.state in self.intro or self.dem in self.intro

    def __format__(self, spec: str) -> str:
        return self.intro


# ---- dates -----------------------------------------------------------------------------------------

def _month(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _week(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def _week_month(monday: date) -> str:
    """The month a week belongs to: its Thursday's (the ISO convention)."""
    return _month(monday + timedelta(days=3))


def date_phrase(rng: random.Random, published: date, kind: str | None = None) -> tuple[str, tuple[str, ...]]:
    """A date phrase and the ISO values accepted for it, relative to ``published`` (a Wednesday to Friday,
    so a weekday named falls earlier the same week)."""
    kind = kind or rng.choice(DATE_KINDS)
    if kind == "weekday":
        d = published - timedelta(days=rng.randint(1, published.weekday()))
        return f"on {d.strftime('%A')}", (d.isoformat(),)
    if kind == "yesterday":
        d = published - timedelta(days=1)
        return "yesterday", (d.isoformat(),)
    if kind == "day_month":
        d = published - timedelta(days=rng.randint(2, 20))
        return f"on {d.day} {d.strftime('%B')}", (d.isoformat(),)
    if kind == "month_day":
        d = published - timedelta(days=rng.randint(2, 20))
        return f"on {d.strftime('%B')} {d.day}", (d.isoformat(),)
    if kind == "last_week":
        monday = published - timedelta(days=published.weekday() + 7)
        return "last week", (_week_month(monday), _week(monday))
    if kind == "last_month":
        first = published.replace(day=1) - timedelta(days=1)
        return "last month", (_month(first),)
    if kind == "earlier_this_week":
        monday = published - timedelta(days=published.weekday())
        days = [monday + timedelta(days=i) for i in range(published.weekday())]
        months = {_month(d) for d in days}
        return "earlier this week", (*(months if len(months) == 1 else ()), _week(published),
                                     *(d.isoformat() for d in days))
    if kind == "weekend":
        saturday = published - timedelta(days=published.weekday() + 2)
        return rng.choice(("at the weekend", "over the weekend")), (saturday.isoformat(),
                                                                    (saturday + timedelta(days=1)).isoformat())
    raise ValueError(kind)


DATE_KINDS = ("weekday", "yesterday", "day_month", "month_day", "last_week", "last_month", "earlier_this_week",
              "weekend")


def publication(rng: random.Random, early: bool = False) -> date:
    """A Wednesday, Thursday or Friday in 2025 or 2026; ``early``: in a month's first week, so "last
    week" and "at the weekend" fall in the month before."""
    d = date(2025, 1, 1) + timedelta(days=rng.randrange(700))
    if early:
        d = d.replace(day=3)
    while d.weekday() not in (2, 3, 4):
        d += timedelta(days=1)
    return d


# ---- filling a template ----------------------------------------------------------------------------

_SLOTS = ("A", "B", "C", "D_", "E")


def _fields(template: str) -> set[str]:
    """The bare fields of a template: ``{A}`` (an introduction) counts, ``{A.name}`` does not."""
    return {f for _, f, _, _ in string.Formatter().parse(template) if f and "." not in f}


def fill(t: Template, rng: random.Random, case_id: str, capability: str, tradition: str | None = None,
         date_kind: str | None = None, honour_forms: tuple[str, ...] = names.HONOURS, early: bool = False) -> Case:
    """One case from a template. ``tradition`` puts a person of that tradition in the first slot (and, for
    two-person cases, the second); ``date_kind`` fixes the form of the stated date."""
    if tradition:
        own = names.people(rng, 2, tradition)
        cast = _extend(rng, own[:2] if t.people > 1 and rng.random() < 0.5 else own[:1], t.people)
    else:
        cast = names.people(rng, t.people)
    slots = {k: Slot(p, rng) for k, p in zip(_SLOTS, cast)}
    when = publication(rng, early)
    date_kind = date_kind or rng.choice(DATE_KINDS)
    phrase = date_phrase(rng, when, date_kind)
    place = rng.choice(names.PLACES)
    thing = rng.choice(THINGS)
    h1, h2 = rng.sample(honour_forms, 2)
    values = dict(slots, P=place, X=thing, Xc=thing[0].upper() + thing[1:], D=phrase[0],
                  Dc=phrase[0][0].upper() + phrase[0][1:], H1=h1, H2=h2)
    text = t.text.format(**values)
    text = text.replace(",,", ",").replace(", .", ".").replace(",.", ".")
    gold = tuple(_rel(g, slots, place, phrase[1]) for g in t.gold)
    if "MEMBER_OF" in t.types:  # every introduction that names a state gives a membership
        used = _fields(t.text)
        gold += tuple(Rel("MEMBER_OF", s.name, s.state) for k, s in slots.items()
                      if k in used and s.shows_state and Rel("MEMBER_OF", s.name, s.state) not in gold)
    actors = tuple(dict.fromkeys([*(s.name for s in slots.values()), *(s.state for s in slots.values()),
                                  *(s.capital for s in slots.values()), place]))
    dated = bool({"D", "Dc"} & _fields(t.text))
    return Case(case_id, capability, text, when.isoformat(), gold, t.types, tradition or cast[0].tradition,
                date_phrase=phrase[0] if dated else None, date_kind=date_kind if dated else None, actors=actors)


def _extend(rng: random.Random, cast: list[names.Person], n: int) -> list[names.Person]:
    """``cast`` and others up to ``n``, none sharing a name, family name or (across traditions) a state."""
    out = list(cast)
    while len(out) < n:
        p = names.person(rng)
        if all(names.distinct(p, q) and p.state != q.state for q in out):
            out.append(p)
    return out


def _end(spec: str, slots: dict[str, Slot], place: str) -> str:
    if spec == "P":
        return place
    slot, _, attr = spec.partition(".")
    return getattr(slots[slot], attr or "name")


def _rel(spec: str, slots: dict[str, Slot], place: str, dates: tuple[str, ...]) -> Rel:
    optional = spec.startswith("?")
    parts = spec.lstrip("?").split()
    type_, src, tgt = parts[:3]
    return Rel(type_, _end(src, slots, place), _end(tgt, slots, place), dates if "@" in parts else (), optional)


# ---- document shapes (invariance) ------------------------------------------------------------------

HEADLINES = ("Defence ties in focus as regional talks open", "Ministers push for closer security cooperation",
             "Navies look to expand joint exercises")
AGENCIES = ("Northwire", "Coastal Press Service", "Meridian News Agency")


def render(shape: str, sentence: str, rng: random.Random, when: date, city: str) -> str:
    """``sentence`` in one document shape. Every shape adds only text that names no one."""
    body = sentence.rstrip(".")
    if shape == "alone":
        return sentence
    if shape == "headline":
        return f"{rng.choice(HEADLINES)}\n\n{sentence}"
    if shape == "dateline":
        return f"{city.upper()}, {when.strftime('%B')} {when.day} ({rng.choice(AGENCIES)}) - {sentence}"
    if shape == "colon_list":
        return (f"{body}, the ministry said, listing the following points:\n1. Maritime security and "
                "information sharing.\n2. Training exchanges.\n3. Defence industry cooperation.")
    if shape == "bullet":
        return ("Key points from the week:\n\n• The ministry published its annual report.\n"
                f"• {sentence}\n• Budget talks will resume in parliament.")
    if shape == "quotes":
        return f"\"{body},\" the ministry said in a statement."
    if shape == "caption":
        return f"Photo: Delegates pose for a group photograph. (Ministry of Defence)\n\n{sentence}"
    if shape == "paragraph":
        return ("Regional tensions have risen over the past year, and navies have been expanding their "
                f"fleets. {sentence} Analysts said the budget for the coming year was likely to grow. The "
                "ministry gave no further details.")
    raise ValueError(shape)


SHAPES = ("alone", "headline", "dateline", "colon_list", "bullet", "quotes", "caption", "paragraph")


# ---- the suite -------------------------------------------------------------------------------------

PER_TEMPLATE = 4        # fills of each capability template
PER_TRADITION = 10      # names/<tradition> cases
INVARIANCE_FILLS = 2    # fills of each invariance sentence (each rendered in every shape)


def generate(seed: int = SEED) -> list[Case]:
    """Every case. Each draws from its own generator seeded by the suite's seed and its id, so adding a
    template adds cases without changing the others (the floors stay comparable)."""
    def rng(case_id: str) -> random.Random:
        return random.Random(f"{seed}:{case_id}")

    cases: list[Case] = []
    for cap, templates in CAPABILITIES.items():
        for i, t in enumerate(templates):
            n = PER_TEMPLATE if cap != "dates" else len(DATE_KINDS)
            for k in range(n):
                kind = DATE_KINDS[k] if cap == "dates" else None
                # the dates capability publishes early in a month, where a month-only answer goes wrong
                cid = f"{cap}-{i}-{k}"
                cases.append(fill(t, rng(cid), cid, cap, date_kind=kind, early=cap == "dates"))
    for tradition in sorted(names.TRADITIONS):
        for k in range(PER_TRADITION):
            t = NAMES[k % len(NAMES)]
            cid = f"names-{tradition}-{k}"
            cases.append(fill(t, rng(cid), cid, f"names/{tradition}", tradition=tradition))
    for i, t in enumerate(INVARIANCE):
        for k in range(INVARIANCE_FILLS):
            base = fill(t, rng(f"invariance-{i}-{k}"), "base", "invariance")
            when = date.fromisoformat(base.published)
            capitals = {st.capital for st in names.states().values()}
            city = next(a for a in reversed(base.actors) if a in capitals)  # the last person's capital
            for shape in SHAPES:
                text = render(shape, base.text, rng(f"invariance-{i}-{k}-{shape}"), when, city)
                cases.append(dataclasses.replace(base, id=f"invariance-{i}-{k}-{shape}", text=text, shape=shape,
                                                 group=f"invariance-{i}-{k}"))
    return cases
