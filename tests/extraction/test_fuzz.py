"""Fuzzing the extractor with Hypothesis: no mutated news-like text (tests/extraction/fuzz_texts.py) makes
it raise, and what it finds is well-formed. A short search here; ``bench/fuzz.py --examples N``
runs a long one."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from loaders.read import RawArticle
from tests.extraction.support import extractor
from tests.extraction.fuzz_texts import check_well_formed, news_texts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=news_texts())
def test_no_text_makes_the_extractor_raise_and_what_it_finds_is_well_formed(text):
    # no failures list: a failure is raised, naming the sentence, with the extractor's exception as cause
    batch = extractor().extract([RawArticle(id="fuzz.txt", text=text, published="2026-03-14")])
    check_well_formed(batch, "fuzz.txt", text)


def test_the_strategy_makes_the_shapes_it_promises():
    # the search covers what it claims: currency after abbreviations, lists, tables, markup, invisibles
    from hypothesis import find
    for wanted in ("U.S. $", "Rs.", "\u200b", "<p>", "1. ", "|", "“"):
        assert wanted in find(news_texts(), lambda t, w=wanted: w in t, settings=settings(max_examples=2000))


def test_found_by_fuzzing_a_text_ending_in_the_or_who_heads():
    # an article cut off after 'the' (or 'who heads') read a state past its last word: IndexError
    for text in ("Velorian Defence Minister Pavel Dorn met the", "The two sides discussed maritime The",
                 "Ostrland thanked General Tomas Reyn, who heads"):
        batch = extractor().extract([RawArticle(id="cut.txt", text=text, published="2026-03-14")])
        check_well_formed(batch, "cut.txt", text)
    assert "person:pavel-dorn" in extractor().extract([RawArticle(id="cut.txt", text=(
        "Velorian Defence Minister Pavel Dorn met the"))]).actors
