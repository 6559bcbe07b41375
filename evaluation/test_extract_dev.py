"""The extractor on the dev set (shared/eval/dev, 26 real articles fed with their publication
dates), scored by the reference scorer; and ``actorgraph eval`` agreeing with that scorer.

The floors on all 26 articles (dev-all) are the extraction issue's acceptance figures: relations
F1 >= 0.88 with precision >= 0.90, entities F1 >= 0.95, dates right on >= 90% of the dated relations
found. Parts a and b (dev.gold.json, the 16 articles the rules were first tuned on) keep their
earlier floors, raised to just under what the extractor holds today, so a change that loses
ground on either fails here; part c (ten articles the extractor had not seen) has its own floor.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.evaluation import score
from loaders.pipeline import Extractor
from loaders.read import read_path


def _scored(shared_eval: Path, tmp_path_factory, name: str) -> dict:
    gold_path = shared_eval / "dev" / name
    feed = tmp_path_factory.mktemp("dev") / "dev.jsonl"
    with feed.open("w", encoding="utf-8") as out:
        subprocess.run([sys.executable, str(shared_eval / "make_jsonl.py"), str(gold_path),
                        str(shared_eval / "dev" / "articles")], stdout=out, check=True)
    pred = Extractor().extract(read_path(feed)).to_dict()
    spec = importlib.util.spec_from_file_location("reference_scorer", shared_eval / "score.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    return {"gold": gold, "pred": pred, "feed": feed, "gold_path": gold_path,
            "reference": scorer.score(gold, pred, verbose=True)}


@pytest.fixture(scope="module")
def dev(shared_eval: Path, tmp_path_factory) -> dict:
    """Parts a and b."""
    return _scored(shared_eval, tmp_path_factory, "dev.gold.json")


@pytest.fixture(scope="module")
def dev_all(shared_eval: Path, tmp_path_factory) -> dict:
    """All 26 articles: the issue's acceptance floors."""
    return _scored(shared_eval, tmp_path_factory, "dev-all.gold.json")


@pytest.fixture(scope="module")
def dev_c(shared_eval: Path, tmp_path_factory) -> dict:
    """Part c: ten articles added after the rules of parts a and b were written."""
    return _scored(shared_eval, tmp_path_factory, "dev-c.gold.json")


def test_dev_all_relations_floor(dev_all):
    r = dev_all["reference"]["relations"]
    assert r["precision"] >= 0.90 and r["f1"] >= 0.88, (r, dev_all["reference"]["missed"], dev_all["reference"]["wrong"])


def test_dev_all_entities_floor(dev_all):
    assert dev_all["reference"]["entities"]["f1"] >= 0.95, dev_all["reference"]["unmatched_nodes"]


def test_dev_all_dates_floor(dev_all):
    d = dev_all["reference"]["dates"]
    assert d["gold_dated_found"] >= 60 and d["correct"] / d["gold_dated_found"] >= 0.90, d


def test_dev_c_relations_floor(dev_c):
    r = dev_c["reference"]["relations"]
    assert r["precision"] >= 0.90 and r["f1"] >= 0.78, (r, dev_c["reference"]["missed"])


def test_relations_floor(dev):
    r = dev["reference"]["relations"]
    assert r["precision"] >= 0.95 and r["f1"] >= 0.89, (r, dev["reference"]["wrong"])


def test_entities_floor(dev):
    assert dev["reference"]["entities"]["f1"] >= 0.95, dev["reference"]["unmatched_nodes"]


def test_dates_floor(dev):
    d = dev["reference"]["dates"]
    assert d["gold_dated_found"] >= 40 and d["correct"] / d["gold_dated_found"] >= 0.85, d


def test_every_cross_article_actor_on_one_node(dev):
    s = dev["reference"]["resolution"]
    assert s["one_node_each"] == s["cross_article_actors"] and s["merged_nodes"] == 0, dev["reference"]["merges"]


def test_product_scorer_agrees_with_the_reference(dev):
    assert score(dev["gold"], dev["pred"], verbose=True) == dev["reference"]


def test_eval_command_prints_the_reference_figures(dev):
    out = subprocess.run([sys.executable, "-m", "service.cli", "eval", str(dev["gold_path"]), str(dev["feed"]),
                          "--json"], capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout)
    ref = {k: v for k, v in dev["reference"].items() if k not in {"missed", "wrong", "unmatched_nodes", "merges",
                                                                  "split_actors"}}
    assert figures == ref
