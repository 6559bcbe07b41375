"""``actorgraph eval``: the extractor scored on an analyst's own annotated article (a fictional one
the repository holds), with figures an analyst can check by hand."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from loaders.evaluation import score

DATA = Path(__file__).resolve().parents[1] / "data" / "mechanisms"
VOCAB = Path(__file__).resolve().parents[2] / "examples" / "vocab"


def run_eval(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "eval", str(DATA / "trilateral_meeting.gold.json"),
                           str(DATA / "trilateral_meeting.txt"), "--feed-dates", "--vocab", str(VOCAB), *extra],
                          capture_output=True, text=True)


def test_figures_of_an_annotated_article():
    out = run_eval("--json")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    # 10 required relations: the extractor finds the three-way meeting, the call and the five
    # memberships; "hosted her counterparts for dinner" it does not resolve
    r = res["relations"]
    assert (r["gold"], r["tp"]) == (10, 9) and r["precision"] == 1.0 and abs(r["recall"] - 0.9) < 1e-9
    assert res["by_type"]["MET"]["tp"] == 4 and res["by_type"]["MEMBER_OF"]["recall"] == 1.0
    assert res["dates"] == {"gold_dated_found": 3, "correct": 3}
    assert res["entities"]["recall"] == 1.0


def test_verbose_lists_the_missed_relation_with_its_evidence():
    out = run_eval("--verbose")
    assert out.returncode == 0, out.stderr
    missed = out.stdout.split("missed", 1)[1].split("wrong:", 1)[0]
    assert "anna-kovac" in missed and "hosted her counterparts for dinner" in missed
    assert out.stdout.rstrip().splitlines()[-1] == "relations P=1.00 R=0.90 F1=0.95"


def test_scorer_counts_wrong_and_optional_edges():
    gold = json.loads((DATA / "trilateral_meeting.gold.json").read_text(encoding="utf-8"))
    pred = {"nodes": [{"id": "a", "name": "Karel Dussan", "type": "Person"},
                      {"id": "b", "name": "Leo Marchetti", "type": "Person"},
                      {"id": "c", "name": "Nobody Known", "type": "Person"}],
            "edges": [{"source": "a", "target": "b", "type": "SIGNED", "article": "trilateral_meeting.txt"},
                      {"source": "b", "target": "a", "type": "MET", "article": "trilateral_meeting.txt"},
                      {"source": "a", "target": "c", "type": "MET", "article": "trilateral_meeting.txt"}]}
    res = score(gold, pred, verbose=True)
    # the optional signing counts neither way; MET has no direction; an edge to an unknown actor is wrong
    assert res["relations"]["tp"] == 1 and res["relations"]["predicted"] == 2
    assert res["unmatched_nodes"] == ["Nobody Known"]


def test_a_file_that_is_not_a_gold_graph_is_refused(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text('{"nodes": []}', encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "service.cli", "eval", str(bad), str(DATA / "trilateral_meeting.txt")],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "not a gold graph" in out.stderr
