"""loaders.syndication: near-copies and syndicated texts fall in one cluster, which counts as one
independent source (graph.model.corroboration); different stories stay apart."""
from __future__ import annotations

import random
from pathlib import Path

from graph.model import Article, Provenance
from graph.model.corroboration import corroborate
from loaders.syndication import Syndication

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "articles" /
           "01_velorian_army_chief_in_ostrland.txt").read_text(encoding="utf-8")
OTHER = ("Marenzian defence minister visits the Halvik shipyard. The minister of defence of Marenzia, "
         "on a two-day trip, inspected frigates under construction and spoke of a new maritime "
         "partnership with Ostrland, whose officials promised an answer on the offer within a month. "
         "Talks on training exchanges are expected to continue in the spring.")


def _near_copy(text: str, rng: random.Random) -> str:
    """The text with a few words changed, a header and a footer of another site."""
    words = text.split()
    for _ in range(3):
        words[rng.randrange(len(words))] = rng.choice(["today", "reportedly", "officials", "said"])
    return f"Site {rng.randrange(10**6)} news\n" + " ".join(words) + f"\nShare this story ({rng.random():.4f})"


def _cite(article_id: str) -> Provenance:
    return Provenance(article=article_id, sentence="x", start=0, end=1)


def test_two_hundred_near_copies_of_one_article_are_one_source():
    rng = random.Random(7)
    index = Syndication()
    arts = {}
    for n in range(200):
        aid = f"copy-{n}.txt"
        # Every copy from a site of its own, or with no source line at all.
        arts[aid] = Article(id=aid, source=f"Site {n}" if n % 2 else None,
                            cluster=index.place(aid, EXAMPLE if n == 0 else _near_copy(EXAMPLE, rng)))
    assert {a.cluster for a in arts.values()} == {"copy-0.txt"}
    c = corroborate([_cite(a) for a in arts], arts)
    assert (c.sources, c.articles) == (1, 200)
    assert c.describe() == "1 independent source (200 articles)"


def test_a_wire_story_on_three_sites_is_one_source_and_another_story_is_another():
    index = Syndication()
    arts = {}
    for n, site in enumerate(["Veloria Daily", "Ostrland Post", "Halvik Herald"]):
        aid = f"wire-{n}.html"
        text = f"{site} | World\n{EXAMPLE}\n(c) {site}. Reporting by wire services."
        arts[aid] = Article(id=aid, source=site, cluster=index.place(aid, text))
    arts["own.txt"] = Article(id="own.txt", source="Marenzia Herald", cluster=index.place("own.txt", OTHER))
    assert arts["own.txt"].cluster == "own.txt"
    wire = corroborate([_cite(f"wire-{n}.html") for n in range(3)], arts)
    assert (wire.sources, wire.articles) == (1, 3)
    both = corroborate([_cite(a) for a in arts], arts)
    assert (both.sources, both.articles) == (2, 4)


def test_placing_an_article_again_keeps_its_cluster_and_a_stored_cluster_is_kept():
    index = Syndication.of([("a.txt", EXAMPLE, "a.txt"), ("b.txt", OTHER, "z.txt")])
    assert index.place("c.txt", _near_copy(OTHER, random.Random(1))) == "z.txt"
    assert index.place("a.txt", OTHER) == "a.txt"


def test_two_different_articles_of_one_outlet_are_one_outlet():
    index = Syndication()
    arts = {a: Article(id=a, source="Veloria Daily", cluster=index.place(a, t))
            for a, t in (("v1.txt", EXAMPLE), ("v2.txt", OTHER))}
    assert arts["v1.txt"].cluster != arts["v2.txt"].cluster
    assert corroborate([_cite("v1.txt"), _cite("v2.txt")], arts).sources == 1


def test_unknown_outlets_are_not_independent():
    arts = {"u1": Article(id="u1"), "u2": Article(id="u2", cluster="u2"), "k": Article(id="k", source="Ostrland Post")}
    alone = corroborate([_cite("u1"), _cite("u2")], arts)
    assert (alone.sources, alone.unknown) == (1, 2)  # "unknown", once: not two outlets
    with_known = corroborate([_cite("u1"), _cite("u2"), _cite("k")], arts)
    assert (with_known.sources, with_known.articles) == (1, 3)
    assert with_known.to_dict()["unknown_outlet"] == 2
