"""The embedded store on a real small disk (a tmpfs mounted for the test) that fills up or turns
read-only: the CLI exits 2 naming the folder, the service answers 503 for writes and /health says
degraded, and every write that was acknowledged is still there afterwards.

Mounting needs root (the test machine's case); elsewhere deselect with ``-m "not tmpfs"``."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

import graph.stores.embedded.store as embedded_store
from graph.stores.embedded.store import EmbeddedStore
from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType
from service.app import create_app
from tests.api_support import API_KEY, settings
from tests.extraction.support import EXAMPLE_VOCAB, EXAMPLES, REPO
from tests.fake_extractor import ExtractsWhenResolving

pytestmark = pytest.mark.tmpfs


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs: root ignores file permissions, a full or read-only mount it cannot ignore."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs ({done.stderr.strip()}): these tests need root; "
                    f"deselect them with -m \"not tmpfs\"", pytrace=False)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path) -> Path:
    """Fill the disk to the last byte with a file; deleting it frees the space again."""
    filler = folder / "filler"
    try:
        with open(filler, "wb", buffering=0) as f:
            while True:
                f.write(b"\0" * 4096)
    except OSError:  # ENOSPC: full
        pass
    return filler


class BulkyExtractor(ExtractsWhenResolving):
    """Stands in for spaCy (the store is what is under test): each article gives one actor and one
    relation citing a 4 kB sentence, so a few dozen articles fill the small disk."""

    def extract(self, raws, existing=()):
        batch = GraphBatch()
        for raw in raws:
            a, b = f"person:writer-{raw.id}", "person:reader"
            batch.add_actor(Actor(id=a, type=NodeType.PERSON, name=f"Writer {raw.id}"))
            batch.add_actor(Actor(id=b, type=NodeType.PERSON, name="Reader"))
            batch.add_relation(Relation(source=a, target=b, type=RelType.MET, date="2031-01-01",
                                        provenance=[Provenance(raw.id, raw.text, 0, len(raw.text))]))
            batch.add_article(Article(id=raw.id))
        return batch


def test_service_on_a_full_disk_answers_503_for_writes_is_degraded_and_loses_nothing(small_disk, monkeypatch):
    monkeypatch.setattr(embedded_store, "PROBE_INTERVAL_S", 0.2)
    data = small_disk / "data"
    ballast = small_disk / "ballast"  # deleted later, to give the disk room again
    ballast.write_bytes(b"\0" * 256 * 1024)
    acknowledged, refused = [], 0
    with TestClient(create_app(settings=settings(data=data), extractor_factory=BulkyExtractor)) as c:
        for n in range(400):
            article_id = f"a{n:03d}.txt"
            r = c.post("/articles", json={"articles": [{"id": article_id, "text": f"{n} " + "w" * 4000}]},
                       headers={"X-API-Key": API_KEY})
            if r.status_code == 201:
                acknowledged.append(article_id)
                continue
            assert r.status_code == 503, r.text
            assert r.json()["reason"] == "not writable" and str(data) not in r.text
            refused += 1
            if refused == 3:
                break
        assert refused == 3, "the disk never filled up"
        health = c.get("/health")
        assert health.status_code == 200 and health.json()["status"] == "degraded", health.json()
        assert health.json()["store"]["writable"] is False
        assert c.get("/actors/person:reader").status_code == 200  # reads still answer
        # Room again: the store says so by itself, and writes go through.
        ballast.unlink()
        time.sleep(0.3)
        assert c.get("/health").json()["status"] == "ok"
        r = c.post("/articles", json={"articles": [{"id": "after.txt", "text": "after " + "w" * 100}]},
                   headers={"X-API-Key": API_KEY})
        assert r.status_code == 201
        acknowledged.append("after.txt")
    reopened = EmbeddedStore(data / "graph.sqlite")
    assert [a.id for a in reopened.articles()] == sorted(acknowledged)
    assert reopened._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data),
           "ACTORGRAPH_VOCAB": str(EXAMPLE_VOCAB)}
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)


def test_cli_ingest_on_a_full_disk_exits_2_naming_the_folder(small_disk):
    data = small_disk / "data"
    with EmbeddedStore(data / "graph.sqlite") as store:  # the store exists; the disk then fills
        store.upsert(GraphBatch(articles={"old.txt": Article(id="old.txt")}))
    filler = _fill(small_disk)
    run = _cli(data, "ingest", str(EXAMPLES))
    assert run.returncode == 2, run.stderr
    assert str(data) in run.stderr and "disk is full" in run.stderr
    assert "Traceback" not in run.stderr
    filler.unlink()
    assert [a.id for a in EmbeddedStore(data / "graph.sqlite").articles()] == ["old.txt"]


def test_cli_on_a_read_only_folder_exits_2_naming_the_folder(small_disk):
    data = small_disk / "data"
    with EmbeddedStore(data / "graph.sqlite") as store:
        store.upsert(GraphBatch(articles={"old.txt": Article(id="old.txt")}))
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    run = _cli(data, "ingest", str(EXAMPLES))
    assert run.returncode == 2, run.stderr
    assert str(data) in run.stderr and "read-only" in run.stderr and "Traceback" not in run.stderr


def _graph_of_two(data: Path) -> None:
    with EmbeddedStore(data / "graph.sqlite") as store:
        store.upsert(GraphBatch(
            actors={a.id: a for a in (Actor(id="person:writer", type=NodeType.PERSON, name="Writer"),
                                      Actor(id="person:reader", type=NodeType.PERSON, name="Reader"))},
            relations={r.key: r for r in [Relation(source="person:writer", target="person:reader", type=RelType.MET,
                                                   date="2031-01-01", provenance=[Provenance("old.txt", "met", 0, 3)])]},
            articles={"old.txt": Article(id="old.txt")}))


@pytest.mark.parametrize("disk", ["read-only", "full"])
def test_service_started_on_a_read_only_or_full_disk_serves_reads_and_refuses_writes(small_disk, disk):
    data = small_disk / "data"
    _graph_of_two(data)
    if disk == "read-only":
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    else:
        _fill(small_disk)
    with TestClient(create_app(settings=settings(data=data), extractor_factory=BulkyExtractor)) as c:
        health = c.get("/health")
        assert health.status_code == 200, health.text
        assert health.json()["status"] == "degraded" and health.json()["store"]["writable"] is False
        assert health.json()["store"]["error"] == "not writable: opened read-only"
        assert health.json()["store"]["relations"]["MET"] == 1
        assert c.get("/actors/person:reader").status_code == 200
        meetings = c.get("/paths/shortest", params={"source": "person:writer", "target": "person:reader"})
        assert meetings.status_code == 200 and meetings.json()["found"]
        r = c.post("/articles", json={"articles": [{"id": "new.txt", "text": "new"}]}, headers={"X-API-Key": API_KEY})
        assert r.status_code == 503 and r.json()["reason"] == "not writable", r.text
        assert str(data) not in r.text
