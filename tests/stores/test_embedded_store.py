"""The embedded store's promises across processes: several writers on one data folder lose nothing,
a reader notices other processes' writes, kill -9 leaves what a clean rerun leaves."""
from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.model.events import events_from_relations
from graph.stores.embedded.store import DB_FILE, EmbeddedStore
from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType
from service.app import create_app
from tests.api_support import API_KEY, settings
from tests.extraction.support import EXAMPLE_VOCAB, EXAMPLES, REPO

SHARED = "person:shared-officer"


def writer_batch(writer: int, n: int) -> GraphBatch:
    """A batch touching one actor every writer also touches (a new alias each time) and one of its own."""
    own = f"person:officer-{writer}-{n}"
    article = f"w{writer}-{n}.txt"
    b = GraphBatch()
    b.add_actor(Actor(id=SHARED, type=NodeType.PERSON, name="Shared Officer", aliases=[f"Officer {writer}.{n}"]))
    b.add_actor(Actor(id=own, type=NodeType.PERSON, name=f"Officer {writer} {n}"))
    b.add_relation(Relation(source=own, target=SHARED, type=RelType.MET, date="2031-02-03",
                            provenance=[Provenance(article, f"They met ({writer}, {n}).", 0, 20)]))
    b.add_article(Article(id=article))
    for ev in events_from_relations(b.relations.values()):  # and the event the edge is derived from
        b.add_event(ev)
    return b


def _write_many(path: str, writer: int, count: int) -> None:
    with EmbeddedStore(path) as store:
        for n in range(count):
            store.upsert(writer_batch(writer, n))


def test_concurrent_writer_processes_lose_no_write(tmp_path: Path):
    path = str(tmp_path / DB_FILE)
    EmbeddedStore(path).close()  # created up front, so the writers race on writes, not on the schema
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(path, w, 40)) for w in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    store = EmbeddedStore(path)
    snap = store.snapshot()
    assert len(snap.articles) == 120 and len(snap.relations) == 120
    # Every writer merged its alias into the same row: none of the read-modify-writes was lost.
    assert sorted(store.get_actor(SHARED).aliases) == sorted(f"Officer {w}.{n}" for w in range(3) for n in range(40))
    assert store.version() == "120"


def test_a_reader_sees_another_processes_writes_without_reopening(tmp_path: Path):
    path = str(tmp_path / DB_FILE)
    reader = EmbeddedStore(path)
    assert reader.stats()["articles"] == 0
    version = reader.version()
    _write_many(path, 7, 3)  # another connection, as another process would be
    assert reader.version() != version
    assert reader.stats()["articles"] == 3
    assert reader.get_actor("person:officer-7-2") is not None
    assert {e[2] for e in reader.projection().edges(keys=True)} == set(writer_batch(7, 0).relations) | \
        set(writer_batch(7, 1).relations) | set(writer_batch(7, 2).relations)


def _loop_upserts(path: str, count: int) -> None:
    with EmbeddedStore(path) as store:
        for n in range(count):
            store.upsert(writer_batch(1, n))


def test_kill_9_mid_upserts_then_rerun_equals_a_clean_run(tmp_path: Path):
    path = tmp_path / DB_FILE
    code = f"from tests.stores.test_embedded_store import _loop_upserts; _loop_upserts({str(path)!r}, 100000)"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=REPO)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not path.exists() or EmbeddedStore(path).stats()["articles"] < 30):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    killed = EmbeddedStore(path)
    assert killed._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    written = killed.stats()["articles"]
    assert written >= 30
    for n in range(written + 10):  # the rerun
        killed.upsert(writer_batch(1, n))
    clean = EmbeddedStore(tmp_path / "clean.sqlite")
    for n in range(written + 10):
        clean.upsert(writer_batch(1, n))
    assert killed.snapshot().to_dict() == clean.snapshot().to_dict()


# -- through the CLI and the service --------------------------------------------------------------

def _corpus(folder: Path, prefix: str, n: int) -> list[str]:
    folder.mkdir()
    sources = sorted(p for p in EXAMPLES.iterdir() if p.suffix == ".txt")  # a line added stays in the text
    names = []
    for i in range(n):
        src = sources[i % len(sources)]
        names.append(f"{prefix}{i:02d}_{src.name}")
        # a line of its own per copy: the same text under another name is a duplicate, and skipped
        (folder / names[-1]).write_text(src.read_text(encoding="utf-8") + f"\n\nCopy {names[-1]}.\n",
                                        encoding="utf-8")
    return names


def _env(data: Path) -> dict:
    return {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data),
            "ACTORGRAPH_VOCAB": str(EXAMPLE_VOCAB)}


def _ingest(data: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "service.cli", "ingest", str(folder), "--chunk", "2"],
                            cwd=REPO, env=_env(data), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _cited_articles(store: EmbeddedStore) -> set[str]:
    return {p.article for r in store.relations() for p in r.provenance}


def test_two_cli_ingests_and_the_service_write_one_folder_at_once(tmp_path: Path):
    data = tmp_path / "data"
    a = _corpus(tmp_path / "a", "a", 20)
    b = _corpus(tmp_path / "b", "b", 20)
    text = (EXAMPLES / "01_velorian_army_chief_in_ostrland.txt").read_text()
    posted = [f"posted-{i}.txt" for i in range(6)]
    with TestClient(create_app(settings=settings(data=data, vocab=str(EXAMPLE_VOCAB)))) as client:
        client.get("/health")
        procs = [_ingest(data, tmp_path / "a"), _ingest(data, tmp_path / "b")]

        def post(article_id: str) -> int:
            return client.post("/articles", json={"articles": [{"id": article_id, "text": f"{text}\n\nCopy {article_id}."}]},
                               headers={"X-API-Key": API_KEY}).status_code

        with ThreadPoolExecutor(2) as pool:
            codes = list(pool.map(post, posted))
        outs = [p.communicate(timeout=600) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outs
        assert codes == [201] * len(posted)
        # The service's own view (no restart) holds what the CLIs wrote.
        assert client.get("/health").json()["store"]["articles"] == 46
    store = EmbeddedStore(data / DB_FILE)
    assert {a.id for a in store.articles()} == set(a) | set(b) | set(posted)
    assert _cited_articles(store) == set(a) | set(b) | set(posted)  # every article's citations are there


def test_the_service_sees_a_cli_ingest_without_restarting(tmp_path: Path):
    data = tmp_path / "data"
    _corpus(tmp_path / "a", "a", 2)
    with TestClient(create_app(settings=settings(data=data, vocab=str(EXAMPLE_VOCAB)))) as client:
        before = client.get("/health").json()["store"]
        assert before["articles"] == 0
        assert client.get("/actors", params={"q": "Reyvik"}).json()["total"] == 0
        proc = _ingest(data, tmp_path / "a")
        out = proc.communicate(timeout=600)
        assert proc.returncode == 0, out
        after = client.get("/health").json()["store"]
        assert after["articles"] == 2 and after["version"] != before["version"]
        hits = client.get("/actors", params={"q": "Reyvik"}).json()
        assert hits["total"] >= 1 and hits["items"][0]["id"] == "person:tomas-reyvik"


def test_kill_9_of_a_writer_never_blocks_the_others(tmp_path: Path):
    """A writer killed inside its transaction leaves no lock behind: the next writer goes on."""
    path = tmp_path / DB_FILE
    EmbeddedStore(path).close()
    code = ("import sqlite3, time, sys; db = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "db.execute('BEGIN IMMEDIATE'); db.execute(\"UPDATE meta SET value = '99' WHERE key = 'version'\"); "
            "print('locked', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    blocked = EmbeddedStore(path, busy_timeout=0.2)
    with pytest.raises(Exception, match="locked"):
        blocked.upsert(writer_batch(2, 0))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    blocked.upsert(writer_batch(2, 0))
    assert blocked.version() == "1"  # the killed transaction's version bump was rolled back
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_schema_3_store_gains_the_cluster_column_and_keeps_its_articles(tmp_path: Path):
    """A store from before near-duplicate clusters opens with each article its own cluster (None),
    keeps its events, and stores a new article's cluster."""
    from graph.stores.embedded.tables import SCHEMA_VERSION
    path = tmp_path / DB_FILE
    b = GraphBatch()
    b.add_article(Article(id="old.txt", source="Veloria Daily"))
    with EmbeddedStore(path) as store:
        store.upsert(b)
    db = sqlite3.connect(path)  # make it a schema-3 file: no cluster column
    db.executescript("ALTER TABLE articles DROP COLUMN cluster; PRAGMA user_version = 3;")
    db.close()
    with EmbeddedStore(path) as store:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert [(a.id, a.source, a.cluster) for a in store.articles()] == [("old.txt", "Veloria Daily", None)]
        new = GraphBatch()
        new.add_article(Article(id="new.txt", cluster="old.txt"))
        store.upsert(new)
        assert store.articles_by_id(["new.txt"])["new.txt"].cluster == "old.txt"
