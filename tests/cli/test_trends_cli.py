"""``actorgraph trend`` and ``actorgraph risers`` on the hand-made graph of tests/analytics/test_trends.py
(its docstring works the answer out): the same standings as the HTTP routes, and bad input named."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from graph.stores.embedded.store import EmbeddedStore
from tests.extraction.support import REPO
from tests.analytics.test_trends import OKS, VELL, VELORIA, rise_batch


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("rise") / "data"
    with EmbeddedStore(folder / "graph.json") as store:
        store.upsert(rise_batch())
    return {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(folder)}


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env=env)


def test_trend_follows_actors_named_by_name_or_id(env):
    p = run(env, "trend", "--bucket", "quarter", "--actor", "Anna Vell", "--actor", OKS, "--format", "json")
    assert p.returncode == 0, p.stderr
    body = json.loads(p.stdout)
    assert [b["bucket"] for b in body["buckets"]] == ["2026-Q1", "2026-Q2"] and body["imprecise"] == 1
    ranks = {s["actor"]["id"]: [pt["rank"] for pt in s["points"]] for s in body["actors"]}
    assert ranks == {VELL: [1, 3], OKS: [None, 1]}
    text = run(env, "trend", "--actor", "Dara Oks")
    assert text.returncode == 0 and "2026-Q2" in text.stdout
    assert [line.split() for line in text.stdout.splitlines() if line.startswith("Dara Oks")] == [
        ["Dara", "Oks", "-", "1", "(0.750)"]]


def test_risers_lists_who_rose_and_the_events_that_made_them(env):
    p = run(env, "risers", "--before", "2026-01..2026-03", "--after", "2026-04..2026-06", "--by", "score",
            "--format", "json")
    assert p.returncode == 0, p.stderr
    items = json.loads(p.stdout)["items"]
    assert [(i["actor"]["id"], i["rank_gain"]) for i in items] == [(OKS, 4), (VELORIA, 0)]
    assert [(e["type"], e["date"]) for e in items[0]["events"]] == [
        ("MET", "2026-04-02"), ("MET", "2026-05-03"), ("VISITED", "2026-06-01")]
    text = run(env, "risers", "--before", "2026-01..2026-03", "--after", "2026-04..2026-06")
    assert text.returncode == 0 and "Dara Oks (person:dara-oks): rank absent -> 1" in text.stdout
    assert "  MET 2026-04-02 Bo Marek" in text.stdout and "Veloria (" not in text.stdout  # by rank: Oks only


@pytest.mark.parametrize("args,message", [
    (["risers", "--before", "2026-03..2026-01", "--after", "2026-04"], "--before"),
    (["risers", "--before", "2026-01..2026-05", "--after", "2026-04..2026-06"], "--after"),
    (["risers", "--before", "spring", "--after", "2026"], "--before"),
    (["trend", "--actor", "Nobody Known At All"], "--actor"),
    (["trend", "--min-sources", "0"], "--min-sources"),
])
def test_bad_input_is_named_with_exit_status_2(env, args, message):
    p = run(env, *args)
    assert p.returncode == 2 and message in p.stderr, (p.returncode, p.stderr)


def test_export_min_sources_keeps_only_corroborated_relations(tmp_path):
    from tests.stores.test_min_sources import SIGNED, corroboration_batch

    folder = tmp_path / "data"
    with EmbeddedStore(folder / "graph.json") as store:
        store.upsert(corroboration_batch())
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(folder)}
    p = run(env, "export", "--min-sources", "2", "--format", "json")
    assert p.returncode == 0, p.stderr
    edges = json.loads(p.stdout)["edges"]
    assert [(e["type"], e["corroboration"]["sources"]) for e in edges] == [("SIGNED", 2)]
    assert SIGNED.split("|")[1] in {e["source"] for e in edges}
    everything = json.loads(run(env, "export", "--format", "json").stdout)["edges"]
    assert len(everything) == 4
    assert run(env, "export", "--min-sources", "0").returncode == 2
