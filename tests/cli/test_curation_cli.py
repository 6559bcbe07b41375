"""The curation commands as a user runs them, on both stores: judge (same, different, reject,
undo, list), delete-article, reextract (dry run first) and reset, which refuses without --yes."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.extraction.support import EXAMPLES, REPO
from tests.stores.test_curation import DROVNIA, FERRANTE, MIRA, NEW_VOCAB, SANTORI, TOMAS
from tests.cli.test_ingest_cli import target  # noqa: F401 - fixture: (env, read, wipe) per store


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env={**env, "USER": "tester"},
                          capture_output=True, text=True, timeout=600)


def ids(graph: dict) -> set[str]:
    return {n["id"] for n in graph["nodes"]}


def keys(graph: dict) -> set[str]:
    from graph.model import relation_key
    return {relation_key(e["type"], e["source"], e["target"], e.get("date")) for e in graph["edges"]}


def test_curation_commands(target):
    env, read, _ = target
    assert cli(env, "ingest", str(EXAMPLES), str(DROVNIA)).returncode == 0
    start, _ = read()

    same = cli(env, "judge", "same", SANTORI, FERRANTE)
    assert same.returncode == 0, same.stderr
    same_id = same.stdout.strip()
    assert FERRANTE not in ids(read()[0])
    assert cli(env, "judge", "different", TOMAS, MIRA).returncode == 0
    refused = cli(env, "judge", "same", TOMAS, MIRA)
    assert refused.returncode == 1 and "judged different" in refused.stderr
    listed = cli(env, "judge", "list")
    assert listed.returncode == 0 and f"{same_id} same {SANTORI} {FERRANTE} by cli:tester" in listed.stdout
    assert cli(env, "judge", "undo", same_id).returncode == 0
    assert read()[0] == start
    assert "undone by cli:tester" in cli(env, "judge", "list").stdout

    kept, _ = read()
    no = cli(env, "reset")
    assert no.returncode == 2 and "--yes" in no.stderr and read()[0] == kept

    missing = cli(env, "delete-article", "no-such.txt")
    assert missing.returncode == 1 and "no article" in missing.stderr
    before = len(read()[0]["articles"])
    deleted = cli(env, "delete-article", "briefs-veloria-colonel")
    assert deleted.returncode == 0, deleted.stderr
    graph, articles = read()
    assert "briefs-veloria-colonel" not in {a["id"] for a in graph["articles"]} and articles == before - 1
    assert MIRA not in ids(graph)

    dry = cli(env, "reextract", "--dry-run", "--vocab", str(NEW_VOCAB), "--format", "json")
    assert dry.returncode == 0, dry.stderr
    diff = json.loads(dry.stdout)
    new_met = "MET|person:karel-vasko|person:tomas-reyvik|2026-06-04"
    assert diff["dry_run"] and new_met in diff["relations_added"] and "nothing written" in dry.stderr
    assert read()[0] == graph
    done = cli(env, "reextract", "--vocab", str(NEW_VOCAB))
    assert done.returncode == 0, done.stderr
    assert f"+ relation {new_met}" in done.stdout
    assert new_met in keys(read()[0])

    emptied = cli(env, "reset", "--yes")
    assert emptied.returncode == 0, emptied.stderr
    assert read() == ({"nodes": [], "edges": [], "articles": [], "events": []}, 0)
    assert cli(env, "judge", "list").stdout == ""
