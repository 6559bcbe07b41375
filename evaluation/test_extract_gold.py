"""The extractor against the hand-made gold graph of the sample articles, scored by the
reference scorer; the floors are the extraction issue's acceptance figures."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extraction.support import extract


@pytest.fixture(scope="module")
def scores(shared_eval: Path, shared_corpus: Path, scorer):
    seeds = shared_corpus / "seeds"
    assert seeds.is_dir(), f"the sample corpus is expected at {seeds}"
    gold = json.loads((shared_eval / "seeds.gold.json").read_text(encoding="utf-8"))
    return scorer.score(gold, extract(str(seeds)).to_dict(), verbose=True)


def test_relations_floor(scores):
    r = scores["relations"]
    assert r["f1"] >= 0.95 and r["precision"] >= 0.90, (r, scores["missed"], scores["wrong"])


def test_entities_floor(scores):
    assert scores["entities"]["f1"] >= 0.93, (scores["entities"], scores["unmatched_nodes"])


def test_every_cross_article_actor_on_one_node(scores):
    s = scores["resolution"]
    assert s["cross_article_actors"] == 6 and s["one_node_each"] == 6, scores["split_actors"]
    assert s["merged_nodes"] == 0, scores["merges"]


def test_dates_floor(scores):
    d = scores["dates"]
    assert d["gold_dated_found"] > 0 and d["correct"] / d["gold_dated_found"] >= 0.80, d
