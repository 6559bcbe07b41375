"""``actorgraph eval --explain``: each missed gold relation put at the first stage that lost it.

Two fictional articles (tests/data/explain/) hold one case per stage: an actor only a role names
(not found), a double surname the gold cuts short (boundary), a surname the extractor gives the
other person of that name (resolution), a meeting said as 'went fishing together' (no event form),
a denied meeting the gold counts (dropped), and a meeting the gold dates a day earlier (wrong date).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.evaluation import score
from loaders.pipeline import Extractor
from loaders.read import RawArticle
from loaders.explain import (BOUNDARY, DATE, DROPPED, NO_FORM, NO_SUCH, NOT_FOUND, NOT_GOLD, RESOLUTION, REVERSED,
                             STAGES, explain)

DATA = Path(__file__).resolve().parents[1] / "data" / "explain"
GOLD = DATA / "explain.gold.json"
VOCAB = Path(__file__).resolve().parents[2] / "examples" / "vocab"


def run_eval(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "eval", str(GOLD), str(DATA), "--feed-dates",
                           "--vocab", str(VOCAB), "--explain", *extra], capture_output=True, text=True)


@pytest.fixture(scope="module")
def explained() -> dict:
    out = run_eval("--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_each_case_lands_in_its_stage(explained):
    got = {(i["type"], i["source"], i["target"]): i["stage"] for i in explained["explain"]["items"]}
    assert got == {
        ("MET", "karel-dussan", "ilse-varga"): NOT_FOUND,
        ("MET", "pero-vastic", "karel-dussan"): BOUNDARY,
        ("VISITED", "karel-dussan", "sabre-shipyard"): RESOLUTION,
        ("MET", "inga-solvik", "leo-marchetti"): NO_FORM,
        ("MET", "leo-marchetti", "karel-dussan"): DROPPED,
        ("MET", "karel-dussan", "inga-solvik"): DATE,
    }


def test_counts_agree_with_the_score(explained):
    x, r = explained["explain"], explained["relations"]
    # every miss the scorer counts has a stage; a wrong date is a found relation, not a miss
    assert x["missed"] == r["gold"] - r["tp"] == 5
    assert x["wrong_dates"] == explained["dates"]["gold_dated_found"] - explained["dates"]["correct"] == 1
    assert [s["stage"] for s in x["stages"]] == list(STAGES)
    assert all(s["count"] == 1 for s in x["stages"])
    assert sum(s["share"] for s in x["stages"]) == pytest.approx(1.0)
    assert x["by_type"]["VISITED"][RESOLUTION] == 1 and x["by_type"]["MET"][DROPPED] == 1
    assert sum(x["by_type"]["MET"].values()) == 5


def test_what_the_extractor_had_instead(explained):
    items = {i["stage"]: i for i in explained["explain"]["items"]}
    assert "'Pero Vastic-Lund'" in items[BOUNDARY]["instead"]
    assert "'Mira Dussan'" in items[RESOLUTION]["instead"]
    assert items[DROPPED]["instead"].startswith("denied:") and "denied that he had met" in items[DROPPED]["instead"]
    assert items[DATE]["instead"] == "dated 2026-05-12, gold 2026-05-11"
    assert items[NO_FORM]["evidence"].startswith("Solvik and")
    # no meeting of the two; the one meeting Solvik had in the article is shown
    assert items[NO_FORM]["instead"] == "no relation between them; had MET Inga Solvik -> Karel Dussan"


def test_wrong_relations_have_a_cause(explained):
    wrong = explained["explain"]["wrong"]
    namesake = [w for w in wrong if w["type"] == "VISITED"]
    assert [(w["source"], w["target"], w["cause"]) for w in namesake] == \
        [("Mira Dussan", "Sabre Naval Shipyard", NO_SUCH)]
    assert any(w["cause"] == NOT_GOLD and "Pero Vastic-Lund" in (w["source"], w["target"]) for w in wrong)
    assert sum(explained["explain"]["wrong_causes"].values()) == len(wrong)


def test_text_output_tables_then_the_list():
    out = run_eval("--verbose")
    assert out.returncode == 0, out.stderr
    text = out.stdout.split("where the 5 missed relations were lost", 1)[1]
    table = text.split("\n\n", 1)[0].splitlines()
    assert table[1].split() == ["stage", "lost", "share"]
    assert table[2].split()[-2:] == ["1", "17%"] and table[2].startswith("  actor not found")
    assert "dropped as negated or planned (1):" in text and "had:  denied:" in text
    brief = run_eval()
    assert "  MET " in brief.stdout and "dropped as negated or planned (1):" not in brief.stdout


@pytest.fixture(scope="module")
def recording() -> Extractor:
    return Extractor(extra_vocab=(str(VOCAB),), record_dropped=True)


def test_recording_dropped_events_changes_no_relation(recording):
    raw = RawArticle(id="harbour_talks.txt", text=(DATA / "harbour_talks.txt").read_text(encoding="utf-8"),
                     published="2026-05-14")
    plain = next(Extractor(extra_vocab=(str(VOCAB),)).read_serial([raw]))[1]
    recorded = next(recording.read_serial([raw]))[1]
    assert plain.relations == recorded.relations and plain.dropped == []
    assert [(d.type.value, d.source, d.target, d.reason) for d in recorded.dropped] == \
        [("MET", "person:leomarchetti", "person:kareldussan", "denied")]


# -- the stages on hand-made graphs ---------------------------------------------------------------

def _gold(*relations: dict, entities: tuple = ()) -> dict:
    people = [("pero-vastic", "Pero Vastic"), ("tomas-del-varo", "Tomas del Varo"), ("inga-solvik", "Inga Solvik"),
              ("leo-marchetti", "Leo Marchetti")]
    return {"entities": [{"key": k, "type": "Person", "name": n, "aliases": []} for k, n in people] +
            [{"key": "marenzia", "type": "State", "name": "Marenzia", "aliases": []},
             {"key": "veloria", "type": "State", "name": "Veloria", "aliases": []}, *entities],
            "relations": list(relations)}


def _met(a: str, b: str, article: str = "a.txt") -> dict:
    return {"type": "MET", "source": a, "target": b, "article": article}


def _local(*actors: list[str], dropped: tuple = ()) -> dict:
    return {"a.txt": {"actors": [{"key": str(n), "names": names} for n, names in enumerate(actors)],
                      "dropped": list(dropped)}}


def test_an_honour_glued_or_a_particle_cut_is_a_boundary_error():
    gold = _gold(_met("pero-vastic", "inga-solvik"), _met("tomas-del-varo", "inga-solvik"))
    pred = {"nodes": [{"id": "p", "name": "Pero Vastic KBE", "aliases": []},
                      {"id": "t", "name": "Tomas", "aliases": []},
                      {"id": "i", "name": "Inga Solvik", "aliases": []}],
            "edges": [{"source": "p", "target": "i", "type": "MET", "article": "a.txt"},
                      {"source": "t", "target": "i", "type": "MET", "article": "a.txt"}]}
    x = explain(gold, pred, _local(["Pero Vastic KBE"], ["Tomas"], ["Inga Solvik"]))
    assert [i["stage"] for i in x["items"]] == [BOUNDARY, BOUNDARY]
    assert {i["instead"] for i in x["items"]} == {"'Pero Vastic' read as 'Pero Vastic KBE'",
                                                  "'Tomas del Varo' read as 'Tomas'"}
    # the edges join actors the gold does not know: both wrong for that cause
    assert x["wrong_causes"][NOT_GOLD] == 2


def test_another_gold_actors_name_is_not_a_boundary_error():
    force = {"key": "marenzia-navy", "type": "ArmedForce", "name": "Marenzia Coastal Navy", "aliases": []}
    gold = _gold({"type": "MEMBER_OF", "source": "leo-marchetti", "target": "marenzia-navy", "article": "a.txt"},
                 entities=(force,))
    pred = {"nodes": [], "edges": []}
    x = explain(gold, pred, _local(["Leo Marchetti"], ["Marenzia"]))
    assert x["items"][0]["stage"] == NOT_FOUND  # 'Marenzia' is the state, found; the navy is not


def test_a_node_counted_as_another_actor_is_a_resolution_loss():
    gold = _gold({"type": "MEMBER_OF", "source": "leo-marchetti", "target": "marenzia", "article": "a.txt"})
    # one node carries both people's names and counts as the first
    pred = {"nodes": [{"id": "x", "name": "Inga Solvik", "aliases": ["Leo Marchetti"]},
                      {"id": "m", "name": "Marenzia", "aliases": []}],
            "edges": [{"source": "x", "target": "m", "type": "MEMBER_OF", "article": "a.txt"}]}
    x = explain(gold, pred, _local(["Leo Marchetti"], ["Marenzia"]))
    assert x["items"][0]["stage"] == RESOLUTION
    assert "counted as inga-solvik" in x["items"][0]["instead"]
    one = explain(_gold(_met("leo-marchetti", "inga-solvik")), {"nodes": [], "edges": []},
                  _local(["Leo Marchetti", "Inga Solvik"]))
    assert one["items"][0]["stage"] == RESOLUTION and "stands for both" in one["items"][0]["instead"]


def test_dropped_needs_the_dropped_event_of_that_type_between_them():
    gold = _gold(_met("leo-marchetti", "inga-solvik"))
    pred = {"nodes": [], "edges": []}
    visit = {"type": "VISITED", "source": ["Leo Marchetti"], "target": ["Inga Solvik"], "reason": "planned",
             "sentence": "Marchetti will visit Solvik."}
    meeting = dict(visit, type="MET", reason="negated", sentence="Solvik did not meet Leo Marchetti.",
                   source=["Inga Solvik"], target=["Marchetti"])
    actors = (["Leo Marchetti", "Marchetti"], ["Inga Solvik"])
    assert explain(gold, pred, _local(*actors, dropped=(visit,)))["items"][0]["stage"] == NO_FORM
    item = explain(gold, pred, _local(*actors, dropped=(visit, meeting)))["items"][0]
    assert item["stage"] == DROPPED and item["instead"].startswith("negated: Solvik did not meet")


def test_without_the_readings_the_graphs_nodes_in_the_article_stand_in():
    gold = _gold(_met("leo-marchetti", "inga-solvik"), _met("pero-vastic", "inga-solvik"))
    pred = {"nodes": [{"id": "l", "name": "Leo Marchetti", "aliases": []},
                      {"id": "i", "name": "Inga Solvik", "aliases": []},
                      {"id": "v", "name": "Veloria", "aliases": []}],
            "edges": [{"source": "l", "target": "v", "type": "VISITED", "article": "a.txt"},
                      {"source": "i", "target": "v", "type": "VISITED", "article": "a.txt"}]}
    x = explain(gold, pred)
    stages = {i["source"]: i["stage"] for i in x["items"]}
    assert stages == {"leo-marchetti": NO_FORM, "pero-vastic": NOT_FOUND}
    res = score(gold, pred)
    assert x["missed"] == res["relations"]["gold"] - res["relations"]["tp"]


def test_a_reversed_relation_is_wrong_by_direction():
    gold = _gold({"type": "VISITED", "source": "leo-marchetti", "target": "veloria", "article": "a.txt"})
    pred = {"nodes": [{"id": "l", "name": "Leo Marchetti", "aliases": []},
                      {"id": "v", "name": "Veloria", "aliases": []}],
            "edges": [{"source": "v", "target": "l", "type": "VISITED", "article": "a.txt"},
                      {"source": "v", "target": "l", "type": "OFFERED", "article": "a.txt"}]}
    x = explain(gold, pred, _local(["Leo Marchetti"], ["Veloria"]))
    assert {w["type"]: w["cause"] for w in x["wrong"]} == {"VISITED": REVERSED, "OFFERED": NO_SUCH}
    assert x["items"][0]["stage"] == NO_FORM
    assert "VISITED Veloria -> Leo Marchetti" in x["items"][0]["instead"]


def test_an_article_not_given_is_said_so():
    gold = _gold(_met("leo-marchetti", "inga-solvik", article="b.txt"))
    x = explain(gold, {"nodes": [], "edges": []}, _local(["Leo Marchetti"], ["Inga Solvik"]))
    assert x["items"][0]["stage"] == NOT_FOUND and x["items"][0]["instead"].endswith("(the article was not read)")


def test_a_found_relation_undated_or_dated_otherwise_is_a_wrong_date_not_a_miss():
    gold = _gold(dict(_met("leo-marchetti", "inga-solvik"), date="2026-05-11"),
                 dict(_met("leo-marchetti", "pero-vastic"), date="2026-05"))
    pred = {"nodes": [{"id": "l", "name": "Leo Marchetti"}, {"id": "i", "name": "Inga Solvik"},
                      {"id": "p", "name": "Pero Vastic"}],
            "edges": [{"source": "l", "target": "i", "type": "MET", "article": "a.txt"},
                      {"source": "l", "target": "p", "type": "MET", "article": "a.txt", "date": "2026-05-12"}]}
    x = explain(gold, pred)
    assert x["missed"] == 0 and x["wrong_dates"] == 1  # a day of the gold's month is its date
    assert x["items"][0]["instead"] == "dated nowhere, gold 2026-05-11"
    res = score(gold, pred)
    assert res["dates"]["gold_dated_found"] - res["dates"]["correct"] == x["wrong_dates"]


@pytest.mark.parametrize("sentence, reason", [
    ("Marenzian President Leo Marchetti will visit Veloria next month.", "planned"),
    ("If Marenzian President Leo Marchetti visits Veloria, he would meet Velorian Defence Minister Karel Dussan.",
     "hypothetical"),
    ("Marenzian President Leo Marchetti's visit to Veloria was cancelled.", "cancelled"),
    ("Marenzian President Leo Marchetti did not meet Velorian Defence Minister Karel Dussan.", "negated"),
    ("Marenzian President Leo Marchetti denied that he had met Velorian Defence Minister Karel Dussan.", "denied"),
])
def test_a_dropped_event_says_why(recording, sentence, reason):
    graph = next(recording.read_serial([RawArticle(id="s.txt", text=sentence, published="2026-05-14")]))[1]
    assert not [r for r in graph.relations if r.type.value in {"MET", "VISITED"}]
    assert [(d.source, d.reason) for d in graph.dropped] == [("person:leomarchetti", reason)]
