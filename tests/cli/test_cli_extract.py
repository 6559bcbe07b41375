"""``actorgraph extract`` as a user runs it: graph JSON out, bad files reported, exit status."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.extraction.support import EXAMPLES, EXAMPLE_VOCAB, REPO


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300, **kw)


def test_extract_writes_graph_json_and_exits_zero(tmp_path):
    out = tmp_path / "g.json"
    p = run("extract", str(EXAMPLES), "--vocab", str(EXAMPLE_VOCAB), "-o", str(out))
    assert p.returncode == 0, p.stderr
    g = json.loads(out.read_text(encoding="utf-8"))
    assert {"nodes", "edges"} <= set(g)
    assert any(n["id"] == "person:tomas-reyvik" for n in g["nodes"])
    assert all(e["provenance"] for e in g["edges"])


def test_bad_files_are_named_the_rest_extracted_and_status_is_one(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9")
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff" * 100)
    with open(tmp_path / "huge.txt", "wb") as fh:
        fh.truncate(10 * 1024 * 1024)
    good = EXAMPLES / "01_velorian_army_chief_in_ostrland.txt"
    p = run("extract", str(tmp_path), str(tmp_path / "missing.txt"), str(good), "--vocab", str(EXAMPLE_VOCAB))
    assert p.returncode == 1
    for name, reason in [("empty.txt", "empty file"), ("latin1.txt", "not UTF-8"), ("binary.txt", "binary"),
                         ("huge.txt", "too large"), ("missing.txt", "no such file")]:
        assert any(name in line and reason in line for line in p.stderr.splitlines()), (name, p.stderr)
    g = json.loads(p.stdout)
    assert any(n["id"] == "person:tomas-reyvik" for n in g["nodes"])   # the good file still extracted


def test_the_same_text_under_two_names_is_extracted_once(tmp_path):
    import shutil
    shutil.copy(EXAMPLES / "04_marenzian_minister_in_halvik.txt", tmp_path / "halvik-again.txt")
    once = run("extract", str(EXAMPLES), "--vocab", str(EXAMPLE_VOCAB))
    twice = run("extract", str(EXAMPLES), str(tmp_path / "halvik-again.txt"), "--vocab", str(EXAMPLE_VOCAB))
    assert once.returncode == twice.returncode == 0, twice.stderr
    assert json.loads(twice.stdout) == json.loads(once.stdout)
    assert "skipped halvik-again.txt: the same text as 04_marenzian_minister_in_halvik.txt" in twice.stderr
