"""The behavioural suite held to its floors (floors.json), and the generator and scorer checked on their own.

The whole suite is extracted once per module with the product's own vocabularies; each floor is one
test, so a regression names its capability. Raise the floors with ``bench/behaviour.py --ratchet``.
"""
from __future__ import annotations

import json
import random

import pytest

from graph.model import Actor, GraphBatch, NodeType, Relation, RelType
from tests.behaviour import names
from tests.behaviour.cases import DATE_KINDS, SEED, Case, Rel, date_phrase, generate, publication
from tests.behaviour.score import FLOORS, Outcome, mapped, keys_for, measures
from tests.behaviour.templates import CAPABILITIES

FLOOR_VALUES = {k: v for k, v in json.loads(FLOORS.read_text(encoding="utf-8")).items()
                if not k.startswith("_")}


@pytest.fixture(scope="module")
def report():
    from tests.behaviour.score import Report, run
    return Report(run(generate()))


@pytest.fixture(scope="module")
def measured(report):
    return measures(report)


@pytest.mark.parametrize("name", sorted(k for k, v in FLOOR_VALUES.items() if v > 0))
def test_floor(measured, name):
    assert name in measured, f"{name} is no longer measured: drop it from floors.json"
    assert measured[name] >= FLOOR_VALUES[name], f"{name}: {measured[name]:.3f} < floor {FLOOR_VALUES[name]}"


def test_every_measure_has_a_floor(measured):
    assert set(measured) <= set(FLOOR_VALUES), "run bench/behaviour.py --ratchet to add floors for new measures"


def test_no_case_breaks_the_run(report):
    assert [o.case.id for o in report.outcomes if o.error] == []


# ---- the generator --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return generate()


def test_generation_is_deterministic_and_seeded(cases):
    assert generate() == cases
    assert [c.text for c in generate(SEED + 1)] != [c.text for c in cases]


def test_a_few_hundred_distinct_cases(cases):
    assert 300 <= len(cases) <= 800
    assert len({c.id for c in cases}) == len(cases)
    assert len({c.text for c in cases}) == len(cases), "two cases have the same text"


def test_every_case_has_gold_unless_it_is_a_negative(cases):
    for c in cases:
        if c.capability == "modality_negatives":
            continue
        assert not c.negative, c.id
    negatives = [c for c in cases if c.negative]
    assert negatives and all(c.capability == "modality_negatives" for c in negatives)


def test_gold_endpoints_are_named_in_the_text_and_dated_only_when_a_date_is(cases):
    states = names.states()

    def named(end: str, text: str) -> bool:  # a state may be named by its demonym ("Kenyan minister")
        return end in text or (end in states and states[end].demonym in text)

    for c in cases:
        for r in c.gold:
            assert r.type in c.types, (c.id, r)
            if r.optional:  # may be inferred ("a dockyard in Tokyo" is in Japan)
                continue
            assert named(r.source, c.text) and named(r.target, c.text), (c.id, r)
            if r.dates:
                assert c.date_phrase and c.date_phrase.lower() in c.text.lower(), (c.id, r)


def test_at_least_ten_naming_traditions(cases):
    traditions = {c.capability.split("/", 1)[1] for c in cases if c.capability.startswith("names/")}
    assert len(traditions) >= 10
    assert traditions == set(names.TRADITIONS)


def test_every_capability_and_shape_is_generated(cases):
    from tests.behaviour.cases import SHAPES
    assert set(CAPABILITIES) <= {c.capability for c in cases}
    groups: dict[str, set[str]] = {}
    for c in cases:
        if c.group:
            groups.setdefault(c.group, set()).add(c.shape)
    assert groups and all(shapes == set(SHAPES) for shapes in groups.values())


def test_templates_use_only_ranks_and_offices_the_vocabulary_knows():
    assert set(names.MILITARY_RANKS) <= names.ranks()
    assert set(names.CIVIL_OFFICES + names.MILITARY_OFFICES) <= names.offices()
    for t in names.TRADITIONS.values():
        assert set(t.states) <= set(names.states()), t.key


def test_people_of_one_article_are_never_confused():
    rng = random.Random(7)
    for _ in range(200):
        cast = names.people(rng, 4)
        assert len({p.short for p in cast}) == 4 and len({p.state for p in cast}) == 4


@pytest.mark.parametrize("kind", DATE_KINDS)
def test_dates_fall_before_publication(kind):
    rng = random.Random(kind)
    for _ in range(50):
        when = publication(rng)
        phrase, accepted = date_phrase(rng, when, kind)
        assert accepted and phrase
        assert all(a <= when.isoformat() for a in accepted if "W" not in a), (kind, when, accepted)


def test_last_week_is_the_week_before_not_the_publication_month():
    from datetime import date
    phrase, accepted = date_phrase(random.Random(0), date(2026, 3, 4), "last_week")  # a Wednesday
    assert phrase == "last week" and accepted == ("2026-02", "2026-W09")  # Monday 23 February to 1 March
    assert date_phrase(random.Random(0), date(2026, 3, 12), "last_week")[1] == ("2026-03", "2026-W10")


def test_early_publication_puts_last_week_in_the_month_before():
    rng = random.Random(3)
    for _ in range(50):
        when = publication(rng, early=True)
        assert when.day <= 7
        _, accepted = date_phrase(rng, when, "last_week")
        assert when.strftime("%Y-%m") not in accepted or when.day == 7


# ---- the scorer -----------------------------------------------------------------------------------

def _case(*gold: Rel, types=frozenset({"MET"})) -> Case:
    return Case("x", "met", "text", "2026-03-04", gold, types, actors=("Ana Sofia da Costa", "Tran Van Duc",
                                                                         "Chile"))


def _batch(*rels: tuple[str, str, str, str | None], actors: dict[str, tuple[NodeType, str, list[str]]]):
    b = GraphBatch()
    for aid, (kind, name, aliases) in actors.items():
        b.add_actor(Actor(aid, kind, name, aliases))
    for rel_type, s, t, d in rels:
        b.add_relation(Relation(s, t, RelType(rel_type), d))
    return b


def test_scorer_matches_folded_names_and_aliases_and_ignores_leading_ranks():
    case = _case(Rel("MET", "Ana Sofia da Costa", "Tran Van Duc", ("2026-03-02",)))
    batch = _batch(("MET", "p1", "p2", "2026-03-02"), actors={
        "p1": (NodeType.PERSON, "Major General ANA SOFIA DA COSTA", []),
        "p2": (NodeType.PERSON, "Duc", ["Trần Văn Đức"])})
    o = Outcome(case, mapped(case, batch))
    assert o.ok and o.tp == {("MET", "Ana Sofia da Costa", "Tran Van Duc")} and o.dates() == (1, 1)


def test_scorer_counts_a_glued_honour_as_a_miss_and_a_false_positive():
    case = _case(Rel("MET", "Ana Sofia da Costa", "Tran Van Duc"))
    batch = _batch(("MET", "p1", "p2", None), actors={
        "p1": (NodeType.PERSON, "Ana Sofia da Costa OBE", []), "p2": (NodeType.PERSON, "Tran Van Duc", [])})
    o = Outcome(case, mapped(case, batch))
    assert o.fn and o.fp and not o.ok


def test_scorer_judges_only_the_case_types_and_reads_wrong_dates():
    case = _case(Rel("MET", "Ana Sofia da Costa", "Tran Van Duc", ("2026-03-02",)))
    batch = _batch(("MET", "p2", "p1", "2026-03"), ("MEMBER_OF", "p1", "s1", None), actors={
        "p1": (NodeType.PERSON, "Ana Sofia da Costa", []), "p2": (NodeType.PERSON, "Tran Van Duc", []),
        "s1": (NodeType.STATE, "Chile", [])})
    o = Outcome(case, mapped(case, batch))
    assert o.ok and o.dates() == (0, 1)


def test_keys_drop_titles_not_names():
    assert "anasofiadacosta" in keys_for("Air Vice Marshal Ana Sofia da Costa")
    assert keys_for("Abdul Karim al-Haddad") == {"abdulkarimalhaddad"}


def test_one_article_that_raises_is_recorded_and_the_others_are_still_scored():
    from tests.behaviour.score import run

    class Breaks:
        """An extractor whose stream dies on the article 'bad', as a crash in the real one would."""

        def readings(self, raws):
            for raw in raws:
                if raw.id == "bad":
                    raise TypeError("argument of type 'StateInfo' is not iterable")
                yield raw, raw, None

        def resolve(self, graph, meta):
            return self.extract([graph])

        def extract(self, raws):
            (raw,) = raws
            if raw.id == "bad":
                raise TypeError("argument of type 'StateInfo' is not iterable")
            return _batch(("MET", "p1", "p2", None), actors={
                "p1": (NodeType.PERSON, "Ana Sofia da Costa", []), "p2": (NodeType.PERSON, "Tran Van Duc", [])})

    gold = Rel("MET", "Ana Sofia da Costa", "Tran Van Duc")
    cases = [Case(i, "met", "text", "2026-03-04", (gold,), frozenset({"MET"}),
                  actors=("Ana Sofia da Costa", "Tran Van Duc")) for i in ("first", "bad", "last")]
    outcomes = {o.case.id: o for o in run(cases, Breaks())}
    assert outcomes["first"].ok and outcomes["last"].ok
    assert "TypeError" in outcomes["bad"].error and outcomes["bad"].fn == {gold.key}


def test_a_template_added_at_the_end_leaves_every_other_case_as_it_was(monkeypatch, cases):
    from tests.behaviour import cases as module
    from tests.behaviour.templates import T
    monkeypatch.setitem(module.CAPABILITIES, "met", (*CAPABILITIES["met"], T("{A} greeted {B} {D}.", "MET A B @")))
    grown = generate()
    assert len(grown) == len(cases) + module.PER_TEMPLATE
    assert [c for c in grown if not c.text.count(" greeted ")] == cases
