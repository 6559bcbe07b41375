"""``actorgraph ingest`` as a user runs it, on both stores: idempotent, safe to kill and rerun,
and a clear failure naming the URI when Neo4j cannot be reached."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.stores.embedded.store import EmbeddedStore
from tests.extraction.support import EXAMPLES, EXAMPLE_VOCAB, REPO

N_ARTICLES = 60


def variant(src: Path, n: int) -> str:
    """The example's text with a desk note of its own: another article (a mere copy would be a
    duplicate, which ingest skips)."""
    text = src.read_text(encoding="utf-8")
    note = f"Desk note {n}: filed for the archive."
    if src.suffix == ".html":
        return text.replace("</article>", f"<p>{note}</p></article>")
    head, sep, tail = text.rpartition("First Published:")
    return f"{head}{note}\n\n{sep}{tail}" if sep else f"{text}\n{note}\n"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Many small articles: the examples as new articles (each adds citations)."""
    folder = tmp_path_factory.mktemp("corpus")
    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html"})
    for n in range(N_ARTICLES):
        src = sources[n % len(sources)]
        (folder / f"{n:03d}_{src.name}").write_text(variant(src, n), encoding="utf-8")
    return folder


def _env(kind: str, data: Path, neo4j_env=None) -> dict:
    env = {**os.environ, "ACTORGRAPH_STORE": kind, "ACTORGRAPH_DATA": str(data),
           "ACTORGRAPH_VOCAB": str(EXAMPLE_VOCAB)}
    if neo4j_env is not None:
        env.update(NEO4J_URI=neo4j_env.uri, NEO4J_USER=neo4j_env.user, NEO4J_PASSWORD=neo4j_env.password,
                   NEO4J_DATABASE=neo4j_env.database)
    return env


def _ingest(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "ingest", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def target(request, tmp_path):
    """(env for the CLI, a function reading the stored graph, a function wiping it)."""
    if request.param == "embedded":
        data = tmp_path / "data"
        path = data / "graph.sqlite"

        def read():
            with EmbeddedStore(path if path.exists() else None) as s:
                return s.snapshot().to_dict(), s.stats()["articles"]

        return _env("embedded", data), read, lambda: shutil.rmtree(data, ignore_errors=True)
    store = request.getfixturevalue("neo4j_store")
    env = _env("neo4j", tmp_path, request.getfixturevalue("neo4j_env"))
    return env, lambda: (store.snapshot().to_dict(), store.stats()["articles"]), store.clear


def test_ingest_twice_changes_nothing(target, corpus):
    env, read, _ = target
    first = _ingest(env, str(corpus))
    assert first.returncode == 0, first.stderr
    graph, articles = read()
    assert articles == N_ARTICLES and graph["edges"]
    again = _ingest(env, str(corpus))
    assert again.returncode == 0 and "(+0)" in again.stderr, again.stderr
    assert read()[0] == graph


def test_killed_ingest_rerun_equals_one_clean_run(target, corpus):
    env, read, wipe = target
    clean = _ingest(env, str(corpus), "--chunk", "3")
    assert clean.returncode == 0, clean.stderr
    expected, _ = read()
    wipe()

    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "ingest", str(corpus), "--chunk", "3"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            stored = read()[1]
            if stored > 0:
                break
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    partial, at_kill = read()
    assert 0 < at_kill < N_ARTICLES, f"the kill should land midway ({at_kill} of {N_ARTICLES} stored)"
    assert partial != expected

    rerun = _ingest(env, str(corpus), "--chunk", "3")
    assert rerun.returncode == 0, rerun.stderr
    assert read()[0] == expected


def test_unreachable_neo4j_names_the_uri_and_writes_nothing(tmp_path, corpus):
    env = _env("neo4j", tmp_path)
    env.update(NEO4J_URI="bolt://127.0.0.1:7", NEO4J_PASSWORD="whatever")
    p = _ingest(env, str(corpus))
    assert p.returncode == 2
    assert "bolt://127.0.0.1:7" in p.stderr
    assert "Traceback" not in p.stderr


@pytest.mark.neo4j
def test_wrong_neo4j_password_is_a_clear_error(tmp_path, corpus, neo4j_env, neo4j_store):
    env = _env("neo4j", tmp_path, neo4j_env)
    env["NEO4J_PASSWORD"] = "not-the-password"
    p = _ingest(env, str(corpus))
    assert p.returncode == 2 and neo4j_env.uri in p.stderr and "Traceback" not in p.stderr
    assert neo4j_store.stats()["articles"] == 0


def test_the_same_text_again_under_any_name_adds_nothing(target, tmp_path):
    env, read, _ = target
    first = tmp_path / "first"
    first.mkdir()
    for src in sorted(EXAMPLES.iterdir()):
        shutil.copy(src, first / src.name)
    p = _ingest(env, str(first))
    assert p.returncode == 0, p.stderr
    graph, articles = read()
    assert articles == 5  # two .txt articles, the HTML page and two JSON Lines briefs

    # The same stories again: renamed, re-wrapped, as .txt instead of HTML, as JSON Lines with ids
    # of their own; and twice within the run.
    again = tmp_path / "again"
    again.mkdir()
    halvik = (EXAMPLES / "04_marenzian_minister_in_halvik.txt").read_text(encoding="utf-8")
    (again / "copy-of-halvik.txt").write_text(halvik.replace(". ", ".\n"), encoding="utf-8")
    (again / "copy-of-halvik-2.txt").write_text(halvik, encoding="utf-8")
    (again / "briefs-copy.jsonl").write_text((EXAMPLES / "03_briefs.jsonl").read_text(encoding="utf-8")
                                             .replace('"briefs-', '"copied-briefs-'), encoding="utf-8")
    from loaders.read import read_path
    pact = next(read_path(EXAMPLES / "02_marenzia_veloria_pact.html"))
    (again / "pact-as-text.txt").write_text(pact.text, encoding="utf-8")
    p = _ingest(env, str(again))
    assert p.returncode == 0, p.stderr
    assert read() == (graph, articles)  # no article, relation or citation added
    for name, same_as in [("copy-of-halvik.txt", "04_marenzian_minister_in_halvik.txt"),
                          ("copy-of-halvik-2.txt", "04_marenzian_minister_in_halvik.txt"),
                          ("pact-as-text.txt", "02_marenzia_veloria_pact.html")]:
        assert f"skipped {name}: the same text as {same_as}" in p.stderr, p.stderr
    assert "5 duplicates skipped" in p.stderr
    assert all(a.get("content_hash", "").startswith("sha256:") for a in graph["articles"])


def test_ctrl_c_keeps_what_was_extracted_and_says_a_rerun_goes_on(tmp_path, corpus):
    """Ctrl-C in the middle of the first chunk: the articles extracted so far are stored, the
    message says how many and that running the command again goes on; the rerun completes it."""
    env = _env("embedded", tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "ingest", str(corpus), "--chunk", "100"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stderr:  # the progress lines (every tenth of the articles) show extraction under way
        lines.append(line)
        if line.startswith("ingest: "):
            proc.send_signal(signal.SIGINT)
            break
    rest = proc.stderr.read()
    proc.wait(timeout=300)
    err = "".join(lines) + rest
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert "run the same command again" in err
    stored = int(err.split("interrupted: ")[1].split(" articles")[0])
    with EmbeddedStore(tmp_path / "data" / "graph.json") as store:
        assert 0 < stored < N_ARTICLES and store.stats()["articles"] == stored
    rerun = _ingest(env, str(corpus), "--chunk", "100")
    assert rerun.returncode == 0, rerun.stderr
    with EmbeddedStore(tmp_path / "data" / "graph.json") as store:
        assert store.stats()["articles"] == N_ARTICLES


def test_a_warning_when_no_article_names_a_known_state_and_no_vocab_was_given(tmp_path):
    env = {k: v for k, v in _env("embedded", tmp_path / "data").items() if k != "ACTORGRAPH_VOCAB"}
    bare = _ingest(env, str(EXAMPLES))
    assert bare.returncode == 0, bare.stderr
    assert "no --vocab was given" in bare.stderr and "examples/vocab" in bare.stderr
    with_vocab = _ingest({**env, "ACTORGRAPH_DATA": str(tmp_path / "other")}, str(EXAMPLES), "--vocab", str(EXAMPLE_VOCAB))
    assert with_vocab.returncode == 0 and "no --vocab" not in with_vocab.stderr, with_vocab.stderr
